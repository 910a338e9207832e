// `gupcheck check SPEC...` and the engine subcommands: plan the runs the
// specs ask for, run them, print and save the reports.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <thread>

#include "checker/cli.h"
#include "checker/replay.h"
#include "checker/report.h"

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
  const EngineOptions& c = b.opts;
  if (b.seed) spec.seed = c.seed;
  if (b.jobs) spec.jobs = c.jobs;
  if (spec.jobs <= 0) spec.jobs = int(std::max(1u, std::thread::hardware_concurrency()));
  if (b.time) spec.time_limit = c.time_limit;
  if (b.runs) spec.runs = c.runs;
  if (b.max_steps) spec.max_steps = c.max_steps;
  if (b.max_states) spec.max_states = c.max_states;
  if (b.max_memory) spec.max_memory = c.max_memory;
  if (b.table) spec.table_bytes = c.table_bytes;
  if (b.max_depth) spec.max_depth = c.max_depth;
  spec.compact |= c.compact;
  spec.symmetry |= c.symmetry;
  spec.por |= c.por;
  spec.guide |= c.guide;
  spec.progress = progress;
  if (spec.table_bytes && spec.por)
    throw SpecError({},
                    "a fingerprint table ('table', --table) cannot go with sleep sets "
                    "('por', --por): drop one");
  return spec;
}

namespace {

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

const char* summary_file(const std::string& format) {
  if (format == "json") return "summary.json";
  if (format == "junit") return "junit.xml";
  if (format == "tap") return "summary.tap";
  return "summary.txt";
}

// --out never overwrites a report without --force: every name a run could
// write is checked before anything runs.
void check_out_dir(const Options& o, const std::vector<Planned>& runs) {
  if (o.out_dir.empty()) return;
  if (fs::exists(o.out_dir) && !fs::is_directory(o.out_dir))
    throw SpecError({}, fmt::format("--out {}: not a directory", o.out_dir));
  if (o.force) return;
  std::vector<std::string> names = {summary_file(o.format)};
  for (const Planned& p : runs)
    for (const char* ext : {".json", ".txt", ".state.dot", ".trace.dot"})
      names.push_back(p.stem + ext);
  for (const std::string& n : names) {
    fs::path p = fs::path(o.out_dir) / n;
    if (fs::exists(p))
      throw SpecError({}, fmt::format("{} already exists: pass --force to overwrite the reports "
                                      "in {}, or choose another --out",
                                      p.string(), o.out_dir));
  }
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw SpecError({}, fmt::format("cannot write {}", p.string()));
}

void save_violation(const Options& o, const Planned& p, RunRecord& rec) {
  fs::path dir(o.out_dir);
  fs::path json = dir / (p.stem + ".json");
  rec.trace_file = json.string();
  write_file(json, trace_json(rec).dump(2) + "\n");
  write_file(dir / (p.stem + ".txt"), counterexample_text(rec));
  std::vector<State> states = trace_states(p.spec->config, rec.result.trace);
  std::string title = fmt::format("{}: {} violated", p.spec->path, rec.result.property);
  write_file(dir / (p.stem + ".state.dot"), state_dot(states.back(), p.spec->config, title));
  write_file(dir / (p.stem + ".trace.dot"), trace_dot(p.spec->config, rec.result.trace, title));
}

// The command line that reruns this engine on this spec to the same result.
std::string reproduce_command(const Options& o, const Planned& p, const EngineResult& r) {
  std::string cmd = fmt::format("gupcheck {} {}", p.engine->name, p.spec->path);
  if (!o.variant.empty()) cmd += " --variant " + o.variant;
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
  if (o.specs.empty()) o.specs.push_back(default_spec_path());
  SpecOverrides ov{o.variant, o.properties};
  std::vector<Spec> specs;
  for (const std::string& path : o.specs)
    for (Spec& s : load_specs(path, ov)) specs.push_back(std::move(s));
  bool progress = !o.quiet && (o.progress || isatty(STDERR_FILENO));
  std::vector<Planned> runs = plan(specs, o, progress);
  check_out_dir(o, runs);
  if (!o.out_dir.empty()) fs::create_directories(o.out_dir);
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
      if (!o.out_dir.empty()) save_violation(o, p, rec);
      if (text && !o.quiet) std::cout << counterexample_text(rec) << "\n" << std::flush;
    }
    records.push_back(std::move(rec));
  }
  std::string summary = o.format == "json"    ? summary_json(records).dump(2) + "\n"
                        : o.format == "junit" ? junit_xml(records)
                        : o.format == "tap"   ? tap_report(records)
                                              : summary_table(records) + search_stats_text(records);
  std::cout << summary << std::flush;
  if (!o.out_dir.empty()) write_file(fs::path(o.out_dir) / summary_file(o.format), summary);
  bool violated = false, incomplete = false;
  for (const RunRecord& r : records) {
    violated |= r.result.verdict == Verdict::kViolated;
    incomplete |= r.result.verdict == Verdict::kIncomplete;
  }
  return violated ? kExitViolated : incomplete ? kExitIncomplete : kExitClean;
}

}  // namespace gup::cli
