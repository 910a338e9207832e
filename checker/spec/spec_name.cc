#include "checker/spec/spec_name.h"

#include <fmt/format.h>

namespace gup {

namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool alnum(char c) {
  return name_char(c) && c != '.' && c != '_' && c != '-';
}

}  // namespace

std::string spec_name_problem(std::string_view name) {
  constexpr std::string_view kRule =
      "a name must start with a letter or digit and hold only letters, digits, '.', '_' and '-' "
      "(it names the report files of --out)";
  if (name.empty()) return fmt::format("the name is empty: {}", kRule);
  if (name.size() > kMaxSpecName)
    return fmt::format("the name is {} characters long, the limit is {}", name.size(),
                       kMaxSpecName);
  for (char c : name)
    if (!name_char(c)) {
      std::string shown = (unsigned char)c < 0x20 || c == 0x7f ? fmt::format("\\x{:02x}", int(c))
                                                               : std::string(1, c);
      return fmt::format("the name contains '{}': {}", shown, kRule);
    }
  if (!alnum(name[0])) return fmt::format("the name starts with '{}': {}", name[0], kRule);
  return "";
}

}  // namespace gup
