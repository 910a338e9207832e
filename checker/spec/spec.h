// Specs: what to check, read from TOML (docs/specs.md).
//
// A spec file is either one configuration (a [machine] or a builtin
// config, a variant, properties and [[check]] runs) or a suite that lists
// other spec files with `include`. load_specs() expands suites, so callers
// only ever see leaf specs. Every error is a SpecError naming
// file:line:column and what was expected; unknown keys are errors.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "checker/core/engine.h"
#include "checker/spec/spec_error.h"
#include "model/config.h"
#include "properties/property.h"

namespace gup {

// One [[check]] table: an engine and its budgets.
struct CheckSpec {
  std::string engine;
  EngineOptions options;
  SourceLoc loc;
};

// What a spec says its runs must show on the variant they run (`expect`,
// docs/specs.md): no violation, or a violation of one property.
struct Expectation {
  std::string property;  // "" expects no violation
  SourceLoc loc;         // where it was written
  bool clean() const { return property.empty(); }
};

// A difference a patch means to make (`[[diff.intended]]`): where the
// base kernel's outcome has the call line `base`, the patched kernel's
// has `patched` (lines as `gupcheck diff` prints them; a line ending in
// '*' matches every line that starts with the rest), and the patch
// keeps the properties of `fixes` that the base breaks. `gupcheck diff`
// then does not report them.
struct IntendedDifference {
  std::string why;
  std::string base;
  std::string patched;
  std::vector<std::string> fixes;  // properties the base breaks and the patch keeps
};

struct Spec {
  std::string path;  // the file this configuration came from
  std::string text;  // that file's contents (saved traces embed it)
  std::string name;  // `name`, or the file's stem
  std::string description;
  std::string variant;  // the variant's name
  // The expectation for `variant`, if the spec states one: `expect =
  // "..."` holds for the spec's own variant; an [expect] table names
  // variants (e.g. the patch and `base`).
  std::optional<Expectation> expect;
  std::vector<IntendedDifference> intended;  // for `gupcheck diff`
  std::vector<const Property*> properties;
  std::vector<CheckSpec> checks;  // never empty: a default random run if none given
  Config config;
};

// Command-line overrides applied to every spec loaded.
struct SpecOverrides {
  std::string variant;                  // "" keeps the spec's
  std::vector<std::string> properties;  // empty keeps the spec's
};

// Loads the spec or suite at `path`. Throws SpecError.
std::vector<Spec> load_specs(const std::string& path, const SpecOverrides& overrides = {});

// Parses spec text as if it were the file `path` (includes resolve
// relative to it). Throws SpecError.
std::vector<Spec> parse_specs(std::string_view text, const std::string& path,
                              const SpecOverrides& overrides = {});

// The same for a saved trace's embedded spec: one configuration that reads
// no other file (an `include` is an error). Throws SpecError.
std::vector<Spec> parse_self_contained_spec(std::string_view text, const std::string& path,
                                            const SpecOverrides& overrides = {});

// The variant and property lookups the loader uses, for the CLI's
// overrides: throw SpecError at `loc` with a did-you-mean hint.
const Variant& lookup_variant(std::string_view name, const SourceLoc& loc = {},
                              const std::string& line = "");
const Property* lookup_property(std::string_view name, const SourceLoc& loc = {},
                                const std::string& line = "");
// The engine lookup checks the name against kEngineNames
// (checker/core/engine.h) and returns the listed name; the CLI's registry
// (checker/cli/engines.h) maps it to the engine.
const char* lookup_engine(std::string_view name, const SourceLoc& loc = {},
                          const std::string& line = "");

}  // namespace gup
