#include "checker/spec/spec_toml.h"

#include <fmt/format.h>

#include <algorithm>

#include "checker/spec/edit_distance.h"

namespace gup::spec {

std::string type_phrase(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

SourceLoc Reader::loc(const toml::source_region& r) const {
  return SourceLoc{path_, int(r.begin.line), int(r.begin.column)};
}

void Reader::fail(const toml::source_region& r, const std::string& message) const {
  throw SpecError(loc(r), message, line_of(text_, int(r.begin.line)));
}

void Reader::check_keys(const toml::table& t, std::string_view what,
                        const std::vector<std::string_view>& allowed) const {
  // toml::table iterates in key order; report the first in the document.
  const toml::key* first = nullptr;
  for (auto&& [k, v] : t) {
    if (std::find(allowed.begin(), allowed.end(), k.str()) != allowed.end()) continue;
    const auto& a = k.source().begin;
    if (!first || a.line < first->source().begin.line ||
        (a.line == first->source().begin.line && a.column < first->source().begin.column))
      first = &k;
  }
  if (!first) return;
  std::vector<std::string> names(allowed.begin(), allowed.end());
  std::string hint = did_you_mean(first->str(), names);
  std::string msg = fmt::format("unknown key '{}' in {}", first->str(), what);
  if (!hint.empty())
    msg += hint;
  else if (names.empty())
    msg += "; it takes no keys";
  else
    msg += fmt::format("; expected one of: {}", fmt::join(names, ", "));
  fail(first->source(), msg);
}

std::optional<int64_t> Reader::get_int(const toml::table& t, std::string_view key, int64_t lo,
                                       int64_t hi, std::string_view why) const {
  const toml::node* n = t.get(key);
  if (!n) return std::nullopt;
  const auto* v = n->as_integer();
  if (!v) fail(*n, fmt::format("expected an integer for '{}', got {}", key, type_phrase(*n)));
  int64_t x = v->get();
  if (x < lo || x > hi) {
    std::string range = lo == hi       ? fmt::format("{}", lo)
                        : hi == lo + 1 ? fmt::format("{} or {}", lo, hi)
                                       : fmt::format("from {} to {}", lo, hi);
    std::string msg = fmt::format("'{}' must be {}, got {}", key, range, x);
    if (!why.empty()) msg += fmt::format(" ({})", why);
    fail(*n, msg);
  }
  return x;
}

std::optional<double> Reader::get_number(const toml::table& t, std::string_view key) const {
  const toml::node* n = t.get(key);
  if (!n) return std::nullopt;
  if (auto* i = n->as_integer()) return double(i->get());
  if (auto* f = n->as_floating_point()) return f->get();
  fail(*n, fmt::format("expected a number for '{}', got {}", key, type_phrase(*n)));
}

std::optional<bool> Reader::get_bool(const toml::table& t, std::string_view key) const {
  const toml::node* n = t.get(key);
  if (!n) return std::nullopt;
  const auto* v = n->as_boolean();
  if (!v) fail(*n, fmt::format("expected true or false for '{}', got {}", key, type_phrase(*n)));
  return v->get();
}

std::optional<std::string> Reader::get_string(const toml::table& t, std::string_view key) const {
  const toml::node* n = t.get(key);
  if (!n) return std::nullopt;
  const auto* v = n->as_string();
  if (!v) fail(*n, fmt::format("expected a string for '{}', got {}", key, type_phrase(*n)));
  return v->get();
}

int Reader::get_name(const toml::node& n, std::string_view what,
                     const std::vector<std::vector<std::string>>& names) const {
  const auto* v = n.as_string();
  if (!v) fail(n, fmt::format("expected {} (a string), got {}", what, type_phrase(n)));
  const std::string& s = v->get();
  std::vector<std::string> all, primary;
  for (size_t i = 0; i < names.size(); i++) {
    for (const std::string& alias : names[i])
      if (alias == s) return int(i);
    primary.push_back(names[i][0]);
    all.insert(all.end(), names[i].begin(), names[i].end());
  }
  std::string hint = did_you_mean(s, all);
  if (!hint.empty()) fail(n, fmt::format("unknown {} '{}'{}", what, s, hint));
  fail(n, fmt::format("unknown {} '{}'; expected one of: {}", what, s, fmt::join(primary, ", ")));
}

std::vector<const toml::table*> Reader::tables(const toml::table& t, std::string_view key) const {
  std::vector<const toml::table*> out;
  const toml::node* n = t.get(key);
  if (!n) return out;
  const auto* a = n->as_array();
  if (!a)
    fail(*n, fmt::format("expected an array of tables for '{}' (write [[...{}]]), got {}", key, key,
                         type_phrase(*n)));
  for (const toml::node& e : *a) {
    const auto* tbl = e.as_table();
    if (!tbl) fail(e, fmt::format("expected a table in '{}', got {}", key, type_phrase(e)));
    out.push_back(tbl);
  }
  return out;
}

const toml::array* Reader::get_array(const toml::table& t, std::string_view key) const {
  const toml::node* n = t.get(key);
  if (!n) return nullptr;
  const auto* a = n->as_array();
  if (!a) fail(*n, fmt::format("expected an array for '{}', got {}", key, type_phrase(*n)));
  return a;
}

const toml::table* Reader::get_table(const toml::table& t, std::string_view key) const {
  const toml::node* n = t.get(key);
  if (!n) return nullptr;
  const auto* tbl = n->as_table();
  if (!tbl) fail(*n, fmt::format("expected a table for '{}', got {}", key, type_phrase(*n)));
  return tbl;
}

const toml::source_region& Reader::where(const toml::table& t, std::string_view key) const {
  const toml::node* n = t.get(key);
  return n ? n->source() : t.source();
}

}  // namespace gup::spec
