#include "checker/spec/byte_size.h"

#include <fmt/format.h>

#include <charconv>

namespace gup {

std::optional<uint64_t> parse_byte_size(const std::string& text) {
  uint64_t x = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, x);
  if (ec != std::errc() || p == text.data()) return std::nullopt;
  std::string_view unit(p, size_t(end - p));
  int shift = unit.empty() ? 0 : unit == "K" ? 10 : unit == "M" ? 20 : unit == "G" ? 30 : -1;
  if (shift < 0) return std::nullopt;
  // No wrap-around: a size that does not fit in 64 bits is not a size.
  if (shift && x > (UINT64_MAX >> shift)) return std::nullopt;
  return x << shift;
}

std::string byte_size_text(uint64_t bytes) {
  for (auto [shift, unit] : {std::pair{30, "G"}, {20, "M"}, {10, "K"}})
    if (bytes >= (uint64_t(1) << shift) && bytes % (uint64_t(1) << shift) == 0)
      return fmt::format("{}{}", bytes >> shift, unit);
  return fmt::format("{}", bytes);
}

}  // namespace gup
