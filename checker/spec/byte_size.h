// Sizes as users write them: "512M", "2G", "64K" or a plain number of bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace gup {

// The size in bytes; nullopt for anything else, including a size that
// does not fit in 64 bits (never wraps).
std::optional<uint64_t> parse_byte_size(const std::string& text);

// The shortest exact spelling parse_byte_size() reads back: "1G", "64".
std::string byte_size_text(uint64_t bytes);

}  // namespace gup
