// `gupcheck check SPEC...` and the engine subcommands: plan the runs the
// specs ask for, run them, print and save the reports.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "checker/cli/cli.h"
#include "checker/cli/cli_out.h"
#include "checker/cli/engines.h"
#include "checker/cli/variant_file.h"
#include "checker/core/replay.h"
#include "checker/report/report.h"

namespace gup::cli {

namespace fs = std::filesystem;

namespace {

struct Planned {
  const Spec* spec;
  const Engine* engine;
  EngineOptions opts;
  std::string stem;  // report file names: <stem>.json, .txt, .state.dot, .trace.dot
};

}  // namespace

EngineOptions merge_budgets(EngineOptions spec, const Budgets& b, bool progress) {
  for (const auto& [rule, v] : b.given) set_option(spec, *rule, v);
  if (spec.jobs <= 0) spec.jobs = int(std::max(1u, std::thread::hardware_concurrency()));
  spec.progress = progress;
  if (std::string why = option_combination_problem(spec); !why.empty()) throw SpecError({}, why);
  return spec;
}

namespace {

// An option given on the command line that no planned run reads is an
// error, as it is in a spec's [[check]]: never silently ignored.
void check_options_read(const Budgets& b, const std::vector<std::string>& engines) {
  for (const auto& [rule, v] : b.given) {
    bool read = false;
    for (const std::string& e : engines) read |= engine_reads(*rule, e);
    if (!read)
      throw SpecError({}, fmt::format("{} is read by {} only, and no run here uses it (the runs: "
                                      "{})",
                                      rule->flag, readers(*rule), fmt::join(engines, ", ")));
  }
}

std::vector<Planned> plan(const std::vector<Spec>& specs, const Options& o, bool progress) {
  std::vector<Planned> out;
  std::map<std::string, int> stems;
  for (const Spec& s : specs) {
    std::vector<CheckSpec> checks;
    for (const CheckSpec& c : s.checks)
      if (o.engine.empty() || c.engine == o.engine) checks.push_back(c);
    if (checks.empty()) {
      CheckSpec c{o.engine, {}, {}};
      c.options.jobs = 0;  // every core unless --jobs says otherwise
      checks.push_back(c);
    }
    for (const CheckSpec& c : checks) {
      std::string stem = s.name + "." + c.engine;
      int n = ++stems[stem];
      if (n > 1) stem += fmt::format("-{}", n);
      out.push_back(
          Planned{&s, find_engine(c.engine), merge_budgets(c.options, o.budgets, progress), stem});
    }
  }
  return out;
}

// Every file a run could write in --out, for prepare_out_dir().
std::vector<std::string> out_names(const std::vector<Planned>& runs) {
  std::vector<std::string> names(std::begin(kSummaryFiles), std::end(kSummaryFiles));
  for (const Planned& p : runs)
    for (const char* ext : {".json", ".txt", ".state.dot", ".trace.dot"})
      names.push_back(p.stem + ext);
  return names;
}

// False when a file could not be written (the error is printed).
bool save_violation(const Options& o, const Planned& p, RunRecord& rec) {
  const std::string& dir = o.out_dir;
  rec.trace_file = (fs::path(dir) / (p.stem + ".json")).string();
  bool ok = write_out_file(dir, p.stem + ".json", trace_json(rec).dump(2) + "\n");
  ok &= write_out_file(dir, p.stem + ".txt", counterexample_text(rec));
  std::vector<State> states = trace_states(p.spec->config, rec.result.trace);
  std::string title = fmt::format("{}: {} violated", p.spec->path, rec.result.property);
  ok &= write_out_file(dir, p.stem + ".state.dot", state_dot(states.back(), p.spec->config, title));
  ok &= write_out_file(dir, p.stem + ".trace.dot",
                       trace_dot(p.spec->config, rec.result.trace, title));
  return ok;
}

// The summaries, each in the format its name says.
bool save_summaries(const Options& o, const std::vector<RunRecord>& records) {
  bool ok =
      write_out_file(o.out_dir, "summary.txt", summary_table(records) + search_stats_text(records));
  ok &= write_out_file(o.out_dir, "summary.json", summary_json(records).dump(2) + "\n");
  ok &= write_out_file(o.out_dir, "junit.xml", junit_xml(records));
  ok &= write_out_file(o.out_dir, "summary.tap", tap_report(records));
  return ok;
}

// The command line that reruns this engine on this spec to the same result.
std::string reproduce_command(const Options& o, const Planned& p, const EngineResult& r) {
  std::string cmd = fmt::format("gupcheck {} {}", p.engine->name, p.spec->path);
  if (!o.variant_file.empty())
    cmd += " --variant-file " + o.variant_file;
  else if (!o.variant.empty())
    cmd += " --variant " + o.variant;
  for (const std::string& prop : o.properties) cmd += " --property " + prop;
  if (r.seed) cmd += fmt::format(" --seed {}", r.seed);
  if (p.opts.max_steps) cmd += fmt::format(" --max-steps {}", p.opts.max_steps);
  if (p.opts.max_depth) cmd += fmt::format(" --max-depth {}", p.opts.max_depth);
  if (p.opts.guide && p.engine->name == std::string_view("random")) cmd += " --guide";
  return cmd;
}

// The referee: an engine's counterexample must replay on the model.
void confirm(const Planned& p, const EngineResult& r) {
  ReplayOutcome out = replay(p.spec->config, r.trace, p.spec->properties);
  if (!out.ok)
    std::cerr << fmt::format("gupcheck: warning: {} on {}: the trace does not replay: {}\n",
                             r.engine, p.spec->path, out.error);
  else if (!out.violated && r.trace.loop_start < 0)
    std::cerr << fmt::format(
        "gupcheck: warning: {} on {}: replaying the trace shows no "
        "violation of {}\n",
        r.engine, p.spec->path, r.property);
}

}  // namespace

int run_check(Options& o) {
  select_variant_file(o);
  if (o.specs.empty()) o.specs.push_back(default_spec_path());
  SpecOverrides ov{o.variant, o.properties};
  std::vector<Spec> specs;
  for (const std::string& path : o.specs)
    for (Spec& s : load_specs(path, ov)) specs.push_back(std::move(s));
  bool progress = !o.quiet && (o.progress || isatty(STDERR_FILENO));
  std::vector<Planned> runs = plan(specs, o, progress);
  std::vector<std::string> engines;
  for (const Planned& p : runs)
    if (std::find(engines.begin(), engines.end(), p.engine->name) == engines.end())
      engines.push_back(p.engine->name);
  check_options_read(o.budgets, engines);
  if (!o.out_dir.empty()) prepare_out_dir(o.out_dir, out_names(runs), o.force);
  bool text = o.format == "text";
  std::vector<RunRecord> records;
  for (size_t i = 0; i < runs.size(); i++) {
    const Planned& p = runs[i];
    if (progress)
      std::cerr << fmt::format("[{}/{}] {}: {} ({})\n", i + 1, runs.size(), p.spec->path,
                               p.engine->name, p.spec->variant);
    RunRecord rec{p.spec, p.engine->run(p.spec->config, p.spec->properties, p.opts), ""};
    EngineResult& r = rec.result;
    if (r.engine.empty()) r.engine = p.engine->name;
    if (r.config.empty()) r.config = p.spec->config.name;
    if (r.variant.empty()) r.variant = p.spec->variant;
    r.reproduce = reproduce_command(o, p, r);
    if (r.verdict == Verdict::kViolated) {
      confirm(p, r);
      if (!o.out_dir.empty() && !save_violation(o, p, rec)) rec.trace_file.clear();
      if (text && !o.quiet) std::cout << counterexample_text(rec) << "\n" << std::flush;
    }
    records.push_back(std::move(rec));
  }
  std::string summary = o.format == "json"    ? summary_json(records).dump(2) + "\n"
                        : o.format == "junit" ? junit_xml(records)
                        : o.format == "tap"   ? tap_report(records)
                                              : summary_table(records) + search_stats_text(records);
  bool expects = false;
  for (const RunRecord& r : records) expects |= bool(r.spec->expect);
  if (expects && text) summary += expectations_line(records);
  std::cout << summary << std::flush;
  // A report that could not be written is an error on stderr; the exit
  // status stays the verdict's.
  if (!o.out_dir.empty()) save_summaries(o, records);
  return check_exit_status(records);
}

}  // namespace gup::cli
