// Options shared by `gupcheck check` and the engine subcommands. The engine
// options go through checker/spec/option_rules.h, the rules the spec loader uses.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <vector>

#include "checker/cli/cli.h"
#include "checker/spec/spec_error.h"

namespace gup::cli {

bool Budgets::has(std::string_view key) const {
  return value(key) != nullptr;
}

const OptionValue* Budgets::value(std::string_view key) const {
  for (const auto& [rule, v] : given)
    if (key == rule->key) return &v;
  return nullptr;
}

void add_rule_option(CLI::App& sub, Options& o, const char* rule_key, const std::string& help) {
  const OptionRule& r = option_rule(rule_key);
  std::string names = r.flag;
  if (std::string_view(r.key) == "jobs") names += ",-j";
  if (r.kind == OptionKind::kFlag) {
    sub.add_flag(names, o.budgets.flag[r.key], help);
    return;
  }
  const char* type = r.kind == OptionKind::kBytes     ? "SIZE"
                     : r.kind == OptionKind::kSeconds ? "SECONDS"
                                                      : "N";
  sub.add_option(names, o.budgets.text[r.key], help)->type_name(type);
}

void add_run_options(CLI::App& sub, Options& o) {
  sub.add_option("--format", o.format, "Output on stdout: text, json, junit or tap")
      ->check(CLI::IsMember({"text", "json", "junit", "tap"}));
  sub.add_option("--out", o.out_dir,
                 "Save reports in DIR: summary.txt, summary.json, junit.xml and summary.tap, and "
                 "for each violation its text, JSON trace (for `gupcheck replay`) and Graphviz "
                 "pictures");
  sub.add_flag("--force", o.force, "Overwrite reports that already exist in --out");
  sub.add_flag("--quiet,-q", o.quiet, "Print only the summary");
  sub.add_flag("--progress", o.progress, "Progress on stderr even when it is not a terminal");
  sub.add_option("--variant", o.variant, "Run every spec on this kernel variant");
  sub.add_option("--variant-file", o.variant_file,
                 "Build this variant file (model/patch.h) and run every spec on its variant")
      ->type_name("FILE");
  sub.add_option("--property", o.properties, "Check only this property (repeatable)")
      ->allow_extra_args(false);
  add_rule_option(sub, o, "seed", "random: the seed, 0 to 2^64-1 (0: from the clock)");
  add_rule_option(sub, o, "jobs",
                  "random, explore: worker threads, 1 to 256 (default: every core)");
  add_rule_option(sub, o, "time", "Seconds each engine run may take (0: no limit)");
  add_rule_option(sub, o, "runs", "random: sequences to try");
  add_rule_option(sub, o, "max_steps", "random: steps per sequence");
  add_rule_option(sub, o, "max_states", "explore: states to store");
  add_rule_option(sub, o, "max_memory", "explore: memory, e.g. 512M or 2G");
  add_rule_option(sub, o, "max_depth",
                  "explore, bmc: depth to search to; random --guide: prefix length");
  add_rule_option(sub, o, "compact", "explore: hash compaction (fingerprints only)");
  add_rule_option(sub, o, "table",
                  "explore --compact: a fixed table of 40-bit fingerprints of this size, e.g. "
                  "256M (default: 64-bit fingerprints in a table that grows)");
  add_rule_option(sub, o, "symmetry", "explore: symmetry reduction");
  add_rule_option(sub, o, "por", "explore: partial-order reduction");
  add_rule_option(sub, o, "guide",
                  "random: after the walks, ask the solver for prefixes into the branches they "
                  "missed and walk on from each (--max-depth bounds the prefixes)");
  add_rule_option(sub, o, "solver_rlimit",
                  "bmc, random --guide: a Z3 resource limit per solver query instead of "
                  "wall-clock ones, so that a slow machine gets the same answer");
}

void finish_run_options(CLI::App& sub, Options& o) {
  Budgets& b = o.budgets;
  b.given.clear();
  // Each rule's flag is looked up among the options given (usually none or
  // a few), not among all of sub's: CLI11's lookup by name builds strings
  // for every option it compares, which made this most of a parse.
  std::vector<CLI::Option*> given =
      sub.get_options([](CLI::Option* opt) { return opt->count() > 0; });
  for (const OptionRule& r : option_rules()) {
    auto it = std::find_if(given.begin(), given.end(),
                           [&](const CLI::Option* opt) { return opt->check_name(r.flag); });
    if (it == given.end()) continue;
    OptionValue v;
    if (r.kind == OptionKind::kFlag) {
      v.flag = b.flag[r.key];
    } else if (std::string why = parse_option(r, b.text[r.key], &v); !why.empty()) {
      throw SpecError({}, fmt::format("{} {}", r.flag, why));
    }
    b.given.emplace_back(&r, v);
  }
}

std::string default_spec_path() {
  return source_path("specs/default.toml");
}

std::string source_path(const std::string& rel) {
  if (std::filesystem::exists(rel)) return rel;
#ifdef GUPCHECK_SOURCE_DIR
  std::string src = std::string(GUPCHECK_SOURCE_DIR) + "/" + rel;
  if (std::filesystem::exists(src)) return src;
#endif
  return rel;
}

}  // namespace gup::cli
