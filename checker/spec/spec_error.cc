#include "checker/spec/spec_error.h"

#include <fmt/format.h>

namespace gup {

namespace {
std::string prefix(const SourceLoc& loc) {
  if (loc.file.empty()) return "gupcheck";
  if (loc.line <= 0) return loc.file;
  if (loc.column <= 0) return fmt::format("{}:{}", loc.file, loc.line);
  return fmt::format("{}:{}:{}", loc.file, loc.line, loc.column);
}
}  // namespace

SpecError::SpecError(SourceLoc loc, std::string message, std::string line_text)
    : std::runtime_error(fmt::format("{}: error: {}", prefix(loc), message)),
      loc_(std::move(loc)),
      message_(std::move(message)),
      line_text_(std::move(line_text)) {}

std::string SpecError::format() const {
  std::string out = what();
  out += '\n';
  if (line_text_.empty() || loc_.column <= 0) return out;
  out += line_text_ + '\n';
  // Keep tabs so that the caret lines up under the same column.
  std::string pad;
  for (int i = 0; i < loc_.column - 1 && i < int(line_text_.size()); i++)
    pad += line_text_[i] == '\t' ? '\t' : ' ';
  out += pad + "^\n";
  return out;
}

std::string line_of(std::string_view text, int line) {
  if (line <= 0) return "";
  size_t pos = 0;
  for (int l = 1; l < line; l++) {
    pos = text.find('\n', pos);
    if (pos == std::string_view::npos) return "";
    pos++;
  }
  size_t end = text.find('\n', pos);
  std::string_view s = text.substr(pos, end == std::string_view::npos ? text.npos : end - pos);
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace gup
