// Spec files: top-level keys, suites and [[check]] tables. The machine and
// the task scripts are parsed in spec_machine.cc and spec_ops.cc.
#include "checker/spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "checker/byte_size.h"
#include "checker/edit_distance.h"
#include "checker/spec_internal.h"
#include "model/config_builder.h"

namespace gup {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void fail_at(const SourceLoc& loc, const std::string& line, const std::string& msg) {
  throw SpecError(loc, msg, line);
}

template <typename T, typename Name>
std::vector<std::string> names_of(std::span<const T* const> items, Name name) {
  std::vector<std::string> out;
  for (const T* i : items) out.push_back(name(*i));
  return out;
}

// "512M", "2G", or an integer number of bytes.
uint64_t parse_bytes(const spec::Reader& r, const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  if (auto* i = n->as_integer()) {
    if (i->get() < 0) r.fail(*n, fmt::format("'{}' must not be negative", key));
    return uint64_t(i->get());
  }
  if (auto* s = n->as_string()) {
    if (std::optional<uint64_t> bytes = parse_byte_size(s->get())) return *bytes;
  }
  r.fail(*n,
         fmt::format("expected a size for '{}' (bytes, or a string like \"512M\" or \"2G\")", key));
}

CheckSpec parse_check(const spec::Reader& r, const toml::table& t) {
  r.check_keys(t, "[[check]]",
               {"engine", "seed", "jobs", "time", "runs", "max_steps", "max_states", "max_memory",
                "max_depth", "compact", "table", "symmetry", "por", "guide"});
  CheckSpec c;
  c.loc = r.loc(t.source());
  const toml::node* e = t.get("engine");
  if (!e) r.fail(t, "missing 'engine': which engine runs this check (gupcheck list engines)");
  auto name = r.get_string(t, "engine");
  const Engine* engine = lookup_engine(*name, r.loc(e->source()), r.line(e->source()));
  c.engine = engine->name;
  EngineOptions& o = c.options;
  constexpr int64_t kBig = int64_t(1) << 40;
  o.seed = uint64_t(r.int_or(t, "seed", 0, 0, INT64_MAX));
  o.jobs = int(r.int_or(t, "jobs", 0, 1, 256));  // 0: the command line decides
  o.time_limit = r.get_number(t, "time").value_or(0);
  if (o.time_limit < 0) r.fail(r.where(t, "time"), "'time' must not be negative (seconds)");
  o.runs = int(r.int_or(t, "runs", 0, 0, INT32_MAX));
  o.max_steps = int(r.int_or(t, "max_steps", 0, 0, INT32_MAX));
  o.max_states = uint64_t(r.int_or(t, "max_states", 0, 0, kBig));
  if (t.get("max_memory")) o.max_memory = parse_bytes(r, t, "max_memory");
  o.max_depth = int(r.int_or(t, "max_depth", 0, 0, INT32_MAX));
  o.compact = r.bool_or(t, "compact", false);
  o.symmetry = r.bool_or(t, "symmetry", false);
  o.por = r.bool_or(t, "por", false);
  if (t.get("table")) {
    o.table_bytes = parse_bytes(r, t, "table");
    if (!o.compact)
      r.fail(r.where(t, "table"), "'table' sizes the fingerprint table of compact = true");
    if (o.por)
      r.fail(r.where(t, "table"),
             "'table' cannot go with por = true (sleep sets keep 64-bit fingerprints)");
  }
  o.guide = r.bool_or(t, "guide", false);
  return c;
}

std::vector<const Property*> parse_properties(const spec::Reader& r, const toml::table& top) {
  std::vector<const Property*> out;
  const toml::node* n = top.get("properties");
  if (!n || (n->is_string() && n->as_string()->get() == "all")) {
    auto all = all_properties();
    return {all.begin(), all.end()};
  }
  const toml::array* a = n->as_array();
  if (!a)
    r.fail(*n, fmt::format("expected \"all\" or an array of property names for 'properties', "
                           "got {}",
                           spec::type_phrase(*n)));
  if (a->empty()) r.fail(*n, "'properties' is empty: name at least one, or write \"all\"");
  for (const toml::node& e : *a) {
    const auto* s = e.as_string();
    if (!s) r.fail(e, fmt::format("expected a property name, got {}", spec::type_phrase(e)));
    out.push_back(lookup_property(s->get(), r.loc(e.source()), r.line(e.source())));
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw SpecError(SourceLoc{path, 0, 0}, "cannot read the spec file: it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw SpecError(SourceLoc{path, 0, 0},
                    "cannot open the spec file: " + std::string(std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Loader {
 public:
  explicit Loader(const SpecOverrides& o) : overrides_(o) {}

  void load_file(const std::string& path) {
    for (const std::string& p : stack_)
      if (fs::weakly_canonical(p) == fs::weakly_canonical(path))
        throw SpecError(SourceLoc{path, 0, 0}, "include cycle: " + cycle_text(path));
    std::string text = read_file(path);
    load_text(text, path);
  }

  void load_text(std::string_view text, const std::string& path);
  std::vector<Spec> take() { return std::move(out_); }

 private:
  std::string cycle_text(const std::string& path) const {
    std::string s;
    for (const std::string& p : stack_) s += p + " -> ";
    return s + path;
  }
  void load_suite(const spec::Reader& r, const toml::table& top);
  void load_leaf(const spec::Reader& r, const toml::table& top, std::string_view text);

  const SpecOverrides& overrides_;
  std::vector<std::string> stack_;
  std::vector<Spec> out_;
};

void Loader::load_text(std::string_view text, const std::string& path) {
  toml::table top;
  try {
    top = toml::parse(text, std::string_view(path));
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw SpecError(SourceLoc{path, int(b.line), int(b.column)},
                    "invalid TOML: " + std::string(e.description()), line_of(text, int(b.line)));
  }
  spec::Reader r(path, text);
  stack_.push_back(path);
  if (top.get("include"))
    load_suite(r, top);
  else
    load_leaf(r, top, text);
  stack_.pop_back();
}

void Loader::load_suite(const spec::Reader& r, const toml::table& top) {
  r.check_keys(top, "a suite (a file with 'include' lists other specs and nothing else)",
               {"include", "description"});
  r.get_string(top, "description");
  const toml::array* inc = r.get_array(top, "include");
  if (inc->empty()) r.fail(*inc, "'include' is empty: list the spec files of this suite");
  fs::path dir = fs::path(r.path()).parent_path();
  for (const toml::node& e : *inc) {
    const auto* s = e.as_string();
    if (!s) r.fail(e, fmt::format("expected a file name, got {}", spec::type_phrase(e)));
    std::string p = (dir / s->get()).lexically_normal().string();
    if (!fs::exists(p)) r.fail(e, fmt::format("cannot open '{}': no such file", p));
    for (const std::string& q : stack_)
      if (fs::weakly_canonical(q) == fs::weakly_canonical(p))
        r.fail(e, "include cycle: " + cycle_text(p));
    load_file(p);
  }
}

void Loader::load_leaf(const spec::Reader& r, const toml::table& top, std::string_view text) {
  r.check_keys(top, "a spec",
               {"name", "description", "builtin", "variant", "properties", "machine", "check"});
  Spec s;
  s.path = r.path();
  s.text = std::string(text);
  s.name = r.get_string(top, "name").value_or(fs::path(r.path()).stem().string());
  s.description = r.get_string(top, "description").value_or("");
  const Variant* v = &base_variant();
  if (!overrides_.variant.empty()) {
    v = &lookup_variant(overrides_.variant);
  } else if (const toml::node* n = top.get("variant")) {
    auto name = r.get_string(top, "variant");
    v = &lookup_variant(*name, r.loc(n->source()), r.line(n->source()));
  }
  s.variant = v->name;
  if (overrides_.properties.empty()) {
    s.properties = parse_properties(r, top);
  } else {
    for (const std::string& p : overrides_.properties) s.properties.push_back(lookup_property(p));
  }
  const toml::table* machine = r.get_table(top, "machine");
  const toml::node* builtin = top.get("builtin");
  if (machine && builtin)
    r.fail(*builtin, "a spec has either [machine] or builtin = \"NAME\", not both");
  if (!machine && !builtin)
    r.fail(top.source(), "a spec needs a [machine] table, builtin = \"NAME\", or include = [...]");
  if (machine) {
    s.config = spec::parse_machine(r, *machine, s.name, *v);
  } else {
    auto name = r.get_string(top, "builtin");
    std::vector<std::string> names;
    for (const char* const* p = builtin_config_names(); *p; p++) names.push_back(*p);
    if (std::find(names.begin(), names.end(), *name) == names.end()) {
      std::string hint = did_you_mean(*name, names);
      r.fail(*builtin, fmt::format("unknown builtin config '{}'{}", *name,
                                   hint.empty() ? "; expected one of: " +
                                                      fmt::format("{}", fmt::join(names, ", "))
                                                : hint));
    }
    try {
      s.config = builtin_config(*name, *v);
    } catch (const ConfigError& e) {
      r.fail(*builtin, e.what());
    }
    if (!top.get("name")) s.name = *name;
  }
  for (const toml::table* t : r.tables(top, "check")) s.checks.push_back(parse_check(r, *t));
  if (s.checks.empty()) {
    CheckSpec c{"random", {}, r.loc(top.source())};
    c.options.jobs = 0;  // every core unless --jobs says otherwise
    s.checks.push_back(c);
  }
  out_.push_back(std::move(s));
}

}  // namespace

const Variant& lookup_variant(std::string_view name, const SourceLoc& loc,
                              const std::string& line) {
  if (const Variant* v = find_variant(name)) return *v;
  auto names =
      names_of<Variant>(all_variants(), [](const Variant& v) { return std::string(v.name); });
  std::string hint = did_you_mean(name, names);
  fail_at(loc, line,
          fmt::format("unknown variant '{}'{}", name,
                      hint.empty() ? " (gupcheck list variants shows them)" : hint));
}

const Property* lookup_property(std::string_view name, const SourceLoc& loc,
                                const std::string& line) {
  if (const Property* p = find_property(name)) return p;
  auto names =
      names_of<Property>(all_properties(), [](const Property& p) { return std::string(p.name); });
  std::string hint = did_you_mean(name, names);
  fail_at(loc, line,
          fmt::format("unknown property '{}'{}", name,
                      hint.empty() ? " (gupcheck list properties shows them)" : hint));
}

const Engine* lookup_engine(std::string_view name, const SourceLoc& loc, const std::string& line) {
  if (const Engine* e = find_engine(name)) return e;
  auto names = names_of<Engine>(all_engines(), [](const Engine& e) { return std::string(e.name); });
  std::string hint = did_you_mean(name, names);
  fail_at(loc, line,
          fmt::format("unknown engine '{}'{}", name,
                      hint.empty() ? " (gupcheck list engines shows them)" : hint));
}

std::vector<Spec> load_specs(const std::string& path, const SpecOverrides& overrides) {
  Loader l(overrides);
  l.load_file(path);
  return l.take();
}

std::vector<Spec> parse_specs(std::string_view text, const std::string& path,
                              const SpecOverrides& overrides) {
  Loader l(overrides);
  l.load_text(text, path);
  return l.take();
}

}  // namespace gup
