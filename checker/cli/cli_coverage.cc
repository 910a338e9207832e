// `gupcheck coverage [SPEC | --config NAME] [--variant V]`: which branches
// of the model each engine reaches (docs/coverage.md). Runs random (its
// walks, then guided walks), explore (exhaustive, without symmetry and
// partial-order reduction, which rename tasks and skip transitions) and
// the solver's reachability per branch, and prints one row per branch.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "checker/bmc/coverage_guide.h"
#include "checker/cli/cli.h"
#include "checker/cli/cli_out.h"
#include "checker/cli/engines.h"
#include "checker/cli/variant_file.h"
#include "checker/random/random.h"
#include "checker/report/coverage_report.h"
#include "checker/spec/spec.h"
#include "model/config_builder.h"

namespace gup::cli {

namespace fs = std::filesystem;

namespace {

// Budgets when neither the spec nor the command line gives one: explore
// stops after this long (incomplete, exit 3); the solver answers every
// branch within the depth or says unknown.
constexpr double kExploreSeconds = 60;
constexpr int kSolverDepth = 12;
constexpr double kSolverSeconds = 60;

struct Outcome {
  coverage::Report report;
  bool violated = false, incomplete = false;
  std::vector<std::string> notes;  // violations found on the way, with reproducers
};

EngineOptions check_options(const Spec& s, const char* engine, const Options& o, bool progress) {
  EngineOptions e;
  e.jobs = 0;  // every core unless --jobs or the spec says otherwise
  for (const CheckSpec& c : s.checks)
    if (c.engine == engine) {
      e = c.options;
      break;
    }
  return merge_budgets(e, o.budgets, progress);
}

// The command that finds an engine's violation again: the engine on the
// spec, or for a builtin configuration this coverage run with its seed.
std::string reproducer(const Spec& s, const Options& o, const EngineResult& r,
                       const EngineOptions& eo) {
  std::string cmd = o.config.empty() ? fmt::format("gupcheck {} {}", r.engine, s.path)
                                     : fmt::format("gupcheck coverage --config {}", o.config);
  if (!o.variant_file.empty())
    cmd += " --variant-file " + o.variant_file;
  else if (!o.variant.empty())
    cmd += " --variant " + o.variant;
  for (const std::string& p : o.properties) cmd += " --property " + p;
  if (r.engine == "random" || !o.config.empty()) {
    if (r.seed) cmd += fmt::format(" --seed {}", r.seed);
    if (eo.runs) cmd += fmt::format(" --runs {}", eo.runs);
    if (eo.max_steps) cmd += fmt::format(" --max-steps {}", eo.max_steps);
  }
  if (r.engine == "random" && o.config.empty()) cmd += " --guide";
  return cmd;
}

std::string verdict_text(const EngineResult& r) {
  std::string v = verdict_name(r.verdict);
  if (r.verdict == Verdict::kViolated) v += " " + r.property;
  return v;
}

Outcome cover(const Spec& s, const Options& o, bool progress) {
  Outcome out;
  const Config& cfg = s.config;
  std::array<coverage::ColumnInfo, coverage::kColumns> cols{};
  auto note = [&](const EngineResult& r) {
    out.violated |= r.verdict == Verdict::kViolated;
    out.incomplete |= r.verdict == Verdict::kIncomplete;
    if (r.verdict == Verdict::kViolated)
      out.notes.push_back(
          fmt::format("{}: {} violated; reproduce: {}", r.engine, r.property, r.reproduce));
  };

  EngineOptions ro = check_options(s, "random", o, progress);
  ro.guide = true;
  coverage::Map walks, guided;
  EngineResult rr =
      random_search(cfg, s.properties, ro, {&walks, &guided}, coverage::guide_to_branches);
  rr.reproduce = reproducer(s, o, rr, ro);
  note(rr);
  cols[coverage::kRandom] = {true, verdict_text(rr)};
  const nlohmann::json& g = rr.stats.contains("guide") ? rr.stats["guide"] : nlohmann::json();
  bool guided_ran = g.is_object() && !g.contains("refused") && !g.contains("skipped");
  if (guided_ran)
    cols[coverage::kGuided] = {
        true, fmt::format("{} missed branches, {} prefixes, {} walks", g.value("targets", 0),
                          g.value("reached", 0), g.value("walks", 0))};
  else if (g.contains("refused"))
    cols[coverage::kGuided] = {false, "not covered by the encoding: " + g.value("refused", "")};
  else
    cols[coverage::kGuided] = {false, g.value("skipped", "") + ": " + verdict_text(rr)};

  EngineOptions eo = check_options(s, "explore", o, progress);
  eo.symmetry = eo.por = false;
  if (eo.time_limit <= 0 && !eo.max_states) eo.time_limit = kExploreSeconds;
  coverage::Map explored;
  EngineResult er;
  eo.coverage = &explored;
  er = find_engine("explore")->run(cfg, s.properties, eo);
  er.engine = "explore";
  er.reproduce = reproducer(s, o, er, ro);
  note(er);
  cols[coverage::kExplore] = {true, verdict_text(er)};

  coverage::Inputs in;
  in.maps = {&walks, guided_ran ? &guided : nullptr, &explored};
  coverage::GuideOptions go;
  const OptionValue* depth = o.budgets.value("max_depth");
  const OptionValue* time = o.budgets.value("time");
  go.max_depth = depth ? int(depth->number) : kSolverDepth;
  go.total_seconds = time ? time->seconds : kSolverSeconds;
  if (const OptionValue* rl = o.budgets.value("solver_rlimit")) go.rlimit = unsigned(rl->number);
  coverage::GuideOutcome bmc = coverage::guide_to_branches(cfg, coverage::universe(cfg, in), go);
  if (bmc.refused.empty()) {
    in.bmc = &bmc;
    int unknown = 0;
    for (const coverage::Guided& t : bmc.targets) unknown += t.reach == coverage::Reach::kUnknown;
    out.incomplete |= unknown > 0;
    cols[coverage::kBmc] = {true, fmt::format("solver-reachable within {} steps{}", go.max_depth,
                                              unknown ? fmt::format(", {} unknown", unknown) : "")};
  } else {
    cols[coverage::kBmc] = {false, "not covered by the encoding: " + bmc.refused};
  }
  out.report = coverage::make_report(cfg, in, cols);
  for (const coverage::Map* m : {&walks, &guided, &explored})
    if (m->overflow())
      out.notes.push_back("warning: a section beyond coverage::kMaxSections was not recorded");
  return out;
}

std::vector<Spec> coverage_specs(const Options& o) {
  if (o.config.empty()) {
    std::string path = o.specs.empty() ? default_spec_path() : o.specs.front();
    return load_specs(path, SpecOverrides{o.variant, o.properties});
  }
  if (!o.specs.empty()) throw SpecError({}, "give either a spec file or --config, not both");
  Spec s;
  s.name = s.path = o.config;
  const Variant& v = o.variant.empty() ? base_variant() : lookup_variant(o.variant);
  s.variant = v.name;
  try {
    s.config = builtin_config(o.config, v);
  } catch (const ConfigError& e) {
    std::string names;
    for (const char* const* n = builtin_config_names(); *n; n++) names += std::string(" ") + *n;
    throw SpecError({}, fmt::format("{} (builtin configurations:{})", e.what(), names));
  }
  if (o.properties.empty()) s.properties.assign(all_properties().begin(), all_properties().end());
  for (const std::string& p : o.properties) s.properties.push_back(lookup_property(p));
  return {std::move(s)};
}

}  // namespace

void add_coverage_options(CLI::App& sub, Options& o) {
  sub.add_option("SPEC", o.specs, "A spec file (default specs/default.toml)")->expected(0, 1);
  sub.add_option("--config", o.config, "A builtin configuration (gupcheck list configs)");
  sub.add_option("--variant", o.variant, "The kernel variant");
  sub.add_option("--variant-file", o.variant_file, "Build this variant file and use its variant")
      ->type_name("FILE");
  sub.add_option("--property", o.properties, "Check only this property (repeatable)")
      ->allow_extra_args(false);
  sub.add_option("--format", o.format, "Output on stdout: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  sub.add_option("--out", o.out_dir, "Save the report as DIR/NAME.coverage.txt or .json");
  sub.add_flag("--force", o.force, "Overwrite a report that already exists in --out");
  sub.add_flag("--quiet,-q", o.quiet, "No progress on stderr");
  sub.add_flag("--progress", o.progress, "Progress on stderr even when it is not a terminal");
  add_rule_option(sub, o, "seed", "random: the seed, 0 to 2^64-1 (0: from the clock)");
  add_rule_option(sub, o, "jobs", "Worker threads, 1 to 256 (default: every core)");
  add_rule_option(sub, o, "time", "Seconds each engine may take (0: no limit)");
  add_rule_option(sub, o, "runs", "random: walks before guidance");
  add_rule_option(sub, o, "max_steps", "random: steps per walk");
  add_rule_option(sub, o, "max_states", "explore: states to store");
  add_rule_option(sub, o, "max_memory", "explore: memory, e.g. 512M or 2G");
  add_rule_option(sub, o, "max_depth",
                  "explore's depth, and the solver's prefix length (default 12)");
  add_rule_option(sub, o, "solver_rlimit",
                  "A Z3 resource limit per solver query instead of the solver's time limits");
}

int run_coverage(Options& o) {
  select_variant_file(o);
  std::vector<Spec> specs = coverage_specs(o);
  const char* ext = o.format == "json" ? ".coverage.json" : ".coverage.txt";
  if (!o.out_dir.empty()) {
    std::vector<std::string> names;
    for (const Spec& s : specs) names.push_back(s.name + ext);
    prepare_out_dir(o.out_dir, names, o.force);
  }
  bool progress = !o.quiet && (o.progress || isatty(STDERR_FILENO));
  bool violated = false, incomplete = false;
  nlohmann::json all = nlohmann::json::array();
  for (const Spec& s : specs) {
    if (progress) std::cerr << fmt::format("coverage: {} ({})\n", s.path, s.variant);
    Outcome out = cover(s, o, progress);
    violated |= out.violated;
    incomplete |= out.incomplete;
    std::string text;
    if (o.format == "json") {
      nlohmann::json j = coverage::report_json(out.report);
      j["notes"] = out.notes;
      all.push_back(j);
      text = j.dump(2) + "\n";
    } else {
      text = coverage::report_text(out.report);
      for (const std::string& n : out.notes) text += n + "\n";
      std::cout << text << (specs.size() > 1 ? "\n" : "") << std::flush;
    }
    if (!o.out_dir.empty()) write_out_file(o.out_dir, s.name + ext, text);
  }
  if (o.format == "json") std::cout << (all.size() == 1 ? all[0] : all).dump(2) << "\n";
  return violated ? kExitViolated : incomplete ? kExitIncomplete : kExitClean;
}

}  // namespace gup::cli
