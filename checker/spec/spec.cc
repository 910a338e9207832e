// Spec files: top-level keys, suites and [[check]] tables. The machine and
// the task scripts are parsed in spec_machine.cc and spec_ops.cc.
#include "checker/spec/spec.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "checker/spec/edit_distance.h"
#include "checker/spec/input_file.h"
#include "checker/spec/option_rules.h"
#include "checker/spec/spec_internal.h"
#include "checker/spec/spec_name.h"
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

// One option of a [[check]] table, through the rules the command line uses
// too (checker/spec/option_rules.h). TOML types map to the text a user would
// type: integers and floats as written, booleans as true/false, and
// strings for sizes ("512M") and for seeds above 2^63-1.
void parse_check_option(const spec::Reader& r, const toml::node& n, const OptionRule& rule,
                        EngineOptions& o) {
  std::string text;
  bool typed = false;
  if (auto* i = n.as_integer()) {
    text = fmt::format("{}", i->get());
    typed = rule.kind != OptionKind::kFlag;
  } else if (auto* f = n.as_floating_point()) {
    text = fmt::format("{}", f->get());
    typed = rule.kind == OptionKind::kSeconds;
  } else if (auto* b = n.as_boolean()) {
    text = b->get() ? "true" : "false";
    typed = rule.kind == OptionKind::kFlag;
  } else if (auto* str = n.as_string()) {
    text = str->get();
    typed = rule.kind == OptionKind::kBytes || std::string_view(rule.key) == "seed";
  }
  if (!typed) {
    const char* want = rule.kind == OptionKind::kFlag      ? "true or false"
                       : rule.kind == OptionKind::kBytes   ? "a size (bytes, or \"512M\", \"2G\")"
                       : rule.kind == OptionKind::kSeconds ? "a number of seconds"
                                                           : "an integer";
    r.fail(n, fmt::format("expected {} for '{}', got {}", want, rule.key, spec::type_phrase(n)));
  }
  OptionValue v;
  if (std::string why = parse_option(rule, text, &v); !why.empty())
    r.fail(n, fmt::format("'{}' {}", rule.key, why));
  set_option(o, rule, v);
}

CheckSpec parse_check(const spec::Reader& r, const toml::table& t) {
  std::vector<std::string_view> keys = {"engine"};
  for (const OptionRule& rule : option_rules()) keys.push_back(rule.key);
  r.check_keys(t, "[[check]]", keys);
  CheckSpec c;
  c.loc = r.loc(t.source());
  const toml::node* e = t.get("engine");
  if (!e) r.fail(t, "missing 'engine': which engine runs this check (gupcheck list engines)");
  auto name = r.get_string(t, "engine");
  c.engine = lookup_engine(*name, r.loc(e->source()), r.line(e->source()));
  c.options.jobs = 0;  // 0: the command line decides
  for (const OptionRule& rule : option_rules()) {
    const toml::node* n = t.get(rule.key);
    if (!n) continue;
    parse_check_option(r, *n, rule, c.options);
    if (!engine_reads(rule, c.engine))
      r.fail(*n, fmt::format("'{}' is read by {} only: the {} engine would ignore it", rule.key,
                             readers(rule), c.engine));
  }
  if (std::string why = option_combination_problem(c.options); !why.empty())
    r.fail(r.where(t, t.get("table") ? "table" : "engine"), why);
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

// The spec file at `path`; a problem with it is reported at `where`
// (the include naming it) or, for a file named on the command line, at
// the file itself.
std::string read_spec_file(const std::string& path, const spec::Reader* r = nullptr,
                           const toml::node* where = nullptr) {
  std::string text, error;
  if (read_input_file(path, &text, &error)) return text;
  if (r && where) r->fail(*where, fmt::format("cannot open '{}': {}", path, error));
  throw SpecError(SourceLoc{path, 0, 0}, "cannot open the spec file: " + error);
}

class Loader {
 public:
  // self_contained: the text may not include other files (a saved trace's
  // embedded spec reads nothing but itself).
  Loader(const SpecOverrides& o, bool self_contained)
      : overrides_(o), self_contained_(self_contained) {}

  void load_file(const std::string& path) { load_text(read_spec_file(path), path); }

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
  bool self_contained_;
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
  if (const toml::node* inc = top.get("include")) {
    if (self_contained_)
      r.fail(*inc,
             "a saved trace's spec must be one configuration: it may not include other files");
    load_suite(r, top);
  } else
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
    std::string text = read_spec_file(p, &r, &e);
    for (const std::string& q : stack_)
      if (fs::weakly_canonical(q) == fs::weakly_canonical(p))
        r.fail(e, "include cycle: " + cycle_text(p));
    load_text(text, p);
  }
}

// One expectation: "clean" or "violated:PROPERTY".
Expectation parse_expectation(const spec::Reader& r, const toml::node& n) {
  const auto* str = n.as_string();
  if (!str)
    r.fail(n, fmt::format("expected \"clean\" or \"violated:PROPERTY\", got {}",
                          spec::type_phrase(n)));
  std::string_view text = str->get();
  Expectation e{"", r.loc(n.source())};
  if (text == "clean") return e;
  constexpr std::string_view kViolated = "violated:";
  if (!text.starts_with(kViolated))
    r.fail(n, fmt::format("expected \"clean\" or \"violated:PROPERTY\", got \"{}\"", text));
  e.property = lookup_property(text.substr(kViolated.size()), e.loc, r.line(n.source()))->name;
  return e;
}

// `expect = "..."` (the spec's own variant) or an [expect] table of
// variant = "..."; the expectation that holds for `running`, if any.
std::optional<Expectation> parse_expect(const spec::Reader& r, const toml::table& top,
                                        const Variant* own, const std::string& running) {
  const toml::node* n = top.get("expect");
  if (!n) return std::nullopt;
  if (const toml::table* t = n->as_table()) {
    std::optional<Expectation> out;
    for (const auto& [key, value] : *t) {
      std::string name(key.str());
      lookup_variant(name, r.loc(key.source()), r.line(key.source()));
      Expectation e = parse_expectation(r, value);
      if (name == running) out = e;
    }
    return out;
  }
  Expectation e = parse_expectation(r, *n);
  if (own->name != running) return std::nullopt;
  return e;
}

void Loader::load_leaf(const spec::Reader& r, const toml::table& top, std::string_view text) {
  r.check_keys(top, "a spec",
               {"name", "description", "builtin", "variant", "expect", "properties", "machine",
                "check", "diff"});
  Spec s;
  s.path = r.path();
  s.text = std::string(text);
  if (const toml::node* n = top.get("name")) {
    s.name = *r.get_string(top, "name");
    if (std::string why = spec_name_problem(s.name); !why.empty()) r.fail(*n, why);
  } else {
    s.name = fs::path(r.path()).stem().string();
  }
  s.description = r.get_string(top, "description").value_or("");
  const Variant* v = &base_variant();
  const Variant* spec_variant = v;  // the file's own, whatever --variant says
  if (const toml::node* n = top.get("variant")) {
    auto name = r.get_string(top, "variant");
    spec_variant = &lookup_variant(*name, r.loc(n->source()), r.line(n->source()));
  }
  v = overrides_.variant.empty() ? spec_variant : &lookup_variant(overrides_.variant);
  s.variant = v->name;
  s.expect = parse_expect(r, top, spec_variant, s.variant);
  if (const toml::table* diff = r.get_table(top, "diff")) {
    r.check_keys(*diff, "[diff]", {"intended"});
    for (const toml::table* t : r.tables(*diff, "intended")) {
      r.check_keys(*t, "[[diff.intended]]", {"why", "base", "patched", "fixes"});
      IntendedDifference d;
      d.why = r.get_string(*t, "why").value_or("");
      auto base = r.get_string(*t, "base");
      auto patched = r.get_string(*t, "patched");
      if (!base || !patched)
        r.fail(t->source(),
               "[[diff.intended]] needs base = \"...\" and patched = \"...\": the "
               "call lines as gupcheck diff prints them");
      d.base = *base;
      d.patched = *patched;
      if (const toml::array* fixes = r.get_array(*t, "fixes"))
        for (const toml::node& e : *fixes) {
          const auto* name = e.as_string();
          if (!name)
            r.fail(e, fmt::format("expected a property name, got {}", spec::type_phrase(e)));
          d.fixes.push_back(
              lookup_property(name->get(), r.loc(e.source()), r.line(e.source()))->name);
        }
      s.intended.push_back(d);
    }
  }
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
  // A name from the file's stem is checked last: a builtin's name replaces it.
  if (!top.get("name"))
    if (std::string why = spec_name_problem(s.name); !why.empty())
      r.fail(top.source(), fmt::format("the file name '{}' cannot name this spec's reports: {}; "
                                       "give it a name = \"...\"",
                                       s.name, why));
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

const char* lookup_engine(std::string_view name, const SourceLoc& loc, const std::string& line) {
  for (const char* e : kEngineNames)
    if (name == e) return e;
  std::vector<std::string> names(kEngineNames.begin(), kEngineNames.end());
  std::string hint = did_you_mean(name, names);
  fail_at(loc, line,
          fmt::format("unknown engine '{}'{}", name,
                      hint.empty() ? " (gupcheck list engines shows them)" : hint));
}

std::vector<Spec> load_specs(const std::string& path, const SpecOverrides& overrides) {
  Loader l(overrides, false);
  l.load_file(path);
  return l.take();
}

std::vector<Spec> parse_specs(std::string_view text, const std::string& path,
                              const SpecOverrides& overrides) {
  Loader l(overrides, false);
  l.load_text(text, path);
  return l.take();
}

std::vector<Spec> parse_self_contained_spec(std::string_view text, const std::string& path,
                                            const SpecOverrides& overrides) {
  Loader l(overrides, true);
  l.load_text(text, path);
  return l.take();
}

}  // namespace gup
