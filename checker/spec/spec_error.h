// Errors in user input (specs, traces, command lines), printed the way
// compilers print them:
//
//   specs/x.toml:12:5: error: unknown folio kind 'anno' (did you mean 'anon'?)
//     kind = "anno"
//            ^
#pragma once

#include <stdexcept>
#include <string>

namespace gup {

struct SourceLoc {
  std::string file;  // "" when the input has no file (a command-line option)
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
};

class SpecError : public std::runtime_error {
 public:
  // `line_text` is the source line the location points into ("" for none).
  SpecError(SourceLoc loc, std::string message, std::string line_text = "");

  const SourceLoc& loc() const { return loc_; }
  const std::string& message() const { return message_; }
  // The full text: "file:line:col: error: message", the line and a caret.
  std::string format() const;

 private:
  SourceLoc loc_;
  std::string message_;
  std::string line_text_;
};

// Line `line` (1-based) of `text`, without its newline; "" if out of range.
std::string line_of(std::string_view text, int line);

}  // namespace gup
