// Sizes as users write them: "512M", "2G", "64K" or a plain number of bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace gup {

std::optional<uint64_t> parse_byte_size(const std::string& text);

}  // namespace gup
