// `gupcheck zoo [DIR]`: the public bug catalogue as a regression suite. For
// every variant with a zoo id, its spec DIR/<variant>.toml (default
// specs/zoo/) runs every [[check]] engine on the variant, which must find
// the violation the spec expects, and on the 6.12 base, which must stay
// clean (docs/zoo.md). One row per entry and engine: the fixing commit,
// the property, the trace length and the time. Exit 0 when every verdict
// is as expected, 1 when one is not, 3 when a budget ended a base run.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "checker/cli/cli.h"
#include "checker/cli/engines.h"
#include "checker/report/report.h"
#include "checker/spec/spec.h"
#include "checker/spec/spec_error.h"

namespace gup::cli {

namespace fs = std::filesystem;

namespace {

// Each engine run of a zoo spec gets at most this long unless the spec or
// the command line says otherwise.
constexpr double kZooSeconds = 60;

std::string zoo_dir(const Options& o) {
  return o.specs.empty() ? source_path("specs/zoo") : o.specs.front();
}

RunRecord run_one(const Spec& s, const CheckSpec& c, const Options& o) {
  EngineOptions opts = c.options;
  if (opts.time_limit == 0) opts.time_limit = kZooSeconds;
  opts = merge_budgets(opts, o.budgets, false);
  RunRecord rec{&s, find_engine(c.engine)->run(s.config, s.properties, opts), ""};
  if (rec.result.engine.empty()) rec.result.engine = c.engine;
  return rec;
}

}  // namespace

void add_zoo(CLI::App& sub, Options& o) {
  sub.add_option("DIR", o.specs, "The zoo's specs, one per variant (default specs/zoo)")
      ->expected(0, 1);
  add_rule_option(sub, o, "time", "Seconds each engine run may take (default 60)");
  add_rule_option(sub, o, "seed", "random: the seed (0: from the clock)");
}

int run_zoo(Options& o) {
  std::string dir = zoo_dir(o);
  if (!fs::is_directory(dir)) throw SpecError(SourceLoc{dir, 0, 0}, "not a directory of specs");
  std::vector<const Variant*> entries;
  for (const Variant* v : all_variants())
    if (!v->zoo_id.empty()) entries.push_back(v);
  // Catalogue order: the letter, then the number (C2 before C10).
  auto key = [](const Variant* v) {
    return std::pair(v->zoo_id.substr(0, 1), std::atoi(v->zoo_id.c_str() + 1));
  };
  std::sort(entries.begin(), entries.end(),
            [&](const Variant* a, const Variant* b) { return key(a) < key(b); });
  // Specs stay alive for the records that point to them.
  std::vector<std::unique_ptr<Spec>> specs;
  std::vector<RunRecord> records;
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"entry", "variant", "commit", "property", "engine", "length", "time", "base"});
  bool missing = false;
  for (const Variant* v : entries) {
    fs::path path = fs::path(dir) / (v->name + ".toml");
    if (!fs::exists(path)) {
      rows.push_back(
          {v->zoo_id, v->name, v->commit, "(no spec " + path.string() + ")", "", "", "", ""});
      missing = true;
      continue;
    }
    std::vector<Spec> own = load_specs(path.string(), SpecOverrides{"", o.properties});
    std::vector<Spec> base = load_specs(path.string(), SpecOverrides{"base", o.properties});
    for (size_t i = 0; i < own.size(); i++) {
      specs.push_back(std::make_unique<Spec>(std::move(own[i])));
      const Spec& s = *specs.back();
      specs.push_back(std::make_unique<Spec>(std::move(base[i])));
      const Spec& b = *specs.back();
      if (!s.expect || s.expect->clean())
        throw SpecError(SourceLoc{path.string(), 0, 0},
                        fmt::format("a zoo spec expects the violation of its variant {}: "
                                    "[expect] {} = \"violated:PROPERTY\"",
                                    v->name, v->name));
      for (size_t k = 0; k < s.checks.size(); k++) {
        records.push_back(run_one(s, s.checks[k], o));
        records.push_back(run_one(b, b.checks[k], o));
        const RunRecord& bug = records[records.size() - 2];
        const RunRecord& fixed = records.back();
        const EngineResult& r = bug.result;
        bool met = expected_outcome(bug) == Expected::kMet;
        std::string base_text = expected_outcome(fixed) == Expected::kMissed
                                    ? "NOT CLEAN: " + verdict_text(fixed.result)
                                    : verdict_text(fixed.result);
        rows.push_back({v->zoo_id, v->name, v->commit,
                        met ? r.property : "NOT FOUND: " + verdict_text(r), r.engine,
                        met ? std::to_string(r.trace.steps.size()) : "-",
                        fmt::format("{:.1f}s", r.seconds), base_text});
      }
    }
  }
  std::string out = text_table(rows, false);
  if (!records.empty()) out += expectations_line(records);
  std::cout << out;
  int status = check_exit_status(records);
  return missing ? kExitViolated : status;
}

}  // namespace gup::cli
