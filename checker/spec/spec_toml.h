// Internal to the spec loader: typed, located access to a parsed TOML
// document. Every accessor throws SpecError at the offending key or value.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/spec/spec_error.h"

namespace gup::spec {

class Reader {
 public:
  Reader(std::string path, std::string_view text) : path_(std::move(path)), text_(text) {}

  const std::string& path() const { return path_; }
  SourceLoc loc(const toml::source_region& r) const;
  // The source line a region begins on, for the caret under an error.
  std::string line(const toml::source_region& r) const { return line_of(text_, int(r.begin.line)); }
  [[noreturn]] void fail(const toml::source_region& r, const std::string& message) const;
  [[noreturn]] void fail(const toml::node& n, const std::string& message) const {
    fail(n.source(), message);
  }

  // Throws at the first key of `t` (in document order) not in `allowed`.
  // `what` names the table in the message, e.g. "[[machine.folio]]".
  void check_keys(const toml::table& t, std::string_view what,
                  const std::vector<std::string_view>& allowed) const;
  void check_keys(const toml::table& t, std::string_view what,
                  std::initializer_list<std::string_view> allowed) const {
    check_keys(t, what, std::vector<std::string_view>(allowed));
  }

  // Optional typed values: nullopt when the key is absent.
  std::optional<int64_t> get_int(const toml::table& t, std::string_view key, int64_t lo, int64_t hi,
                                 std::string_view why = "") const;
  int64_t int_or(const toml::table& t, std::string_view key, int64_t dflt, int64_t lo, int64_t hi,
                 std::string_view why = "") const {
    return get_int(t, key, lo, hi, why).value_or(dflt);
  }
  std::optional<double> get_number(const toml::table& t, std::string_view key) const;
  std::optional<bool> get_bool(const toml::table& t, std::string_view key) const;
  bool bool_or(const toml::table& t, std::string_view key, bool dflt) const {
    return get_bool(t, key).value_or(dflt);
  }
  std::optional<std::string> get_string(const toml::table& t, std::string_view key) const;
  // A string that must be one of `names` (aliases allowed): its index.
  int get_name(const toml::node& n, std::string_view what,
               const std::vector<std::vector<std::string>>& names) const;
  // The array of tables at `key` ([[key]]), or empty.
  std::vector<const toml::table*> tables(const toml::table& t, std::string_view key) const;
  const toml::array* get_array(const toml::table& t, std::string_view key) const;
  const toml::table* get_table(const toml::table& t, std::string_view key) const;
  // The value node at `key`, or the table's own location when absent.
  const toml::source_region& where(const toml::table& t, std::string_view key) const;

 private:
  std::string path_;
  std::string_view text_;
};

// "an integer", "a string", ... for messages.
std::string type_phrase(const toml::node& n);

}  // namespace gup::spec
