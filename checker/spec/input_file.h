// Reading the files users hand gupcheck (specs, the files a suite
// includes, saved traces).
//
// Invariants: only a regular file is read, never a directory, FIFO, socket
// or device (opening never blocks: O_NONBLOCK); at most kMaxInputBytes are
// ever read, whatever the file's size claims.
#pragma once

#include <cstddef>
#include <string>

namespace gup {

// 1 MiB: the largest spec shipped is under 4 KiB and a saved trace of the
// deepest search under 64 KiB; anything bigger is a mistake.
inline constexpr size_t kMaxInputBytes = size_t(1) << 20;

// Reads `path` into *text. False with *error set to why not, a phrase
// without the path: "no such file", "it is a directory", "it is not a
// regular file (a FIFO, socket or device)", "it is larger than 1 MiB".
bool read_input_file(const std::string& path, std::string* text, std::string* error);

}  // namespace gup
