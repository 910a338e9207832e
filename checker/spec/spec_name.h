// A spec's name: it is shown in reports and names the files `--out` writes
// (NAME.ENGINE.json, ...), so it must be a plain file name component.
//
// Invariant: a name accepted here, with any suffix of the form
// ".ENGINE[-N].EXT", is a file name directly inside the --out directory:
// no '/', not "." or "..", not hidden, no control characters, and short
// enough (with the suffix) for every file system's 255-byte limit.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gup {

inline constexpr size_t kMaxSpecName = 100;

// "" when `name` is a valid spec name, else what is wrong with it, e.g.
// "'../x' contains '/': a name is one file name (letters, digits, '.',
// '_' and '-')".
std::string spec_name_problem(std::string_view name);

}  // namespace gup
