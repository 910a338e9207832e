#include "checker/byte_size.h"

#include <exception>

namespace gup {

std::optional<uint64_t> parse_byte_size(const std::string& text) {
  size_t used = 0;
  uint64_t x = 0;
  try {
    x = std::stoull(text, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::string unit = text.substr(used);
  uint64_t mult = unit.empty()  ? 1
                  : unit == "K" ? 1ull << 10
                  : unit == "M" ? 1ull << 20
                  : unit == "G" ? 1ull << 30
                                : 0;
  if (!used || !mult) return std::nullopt;
  return x * mult;
}

}  // namespace gup
