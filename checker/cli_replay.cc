// `gupcheck replay TRACE.json`: re-executes a saved trace on the model and
// confirms the violation it records.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "checker/cli.h"
#include "checker/report.h"
#include "checker/trace_file.h"

namespace gup::cli {

int run_replay(Options& o) {
  std::ifstream in(o.trace, std::ios::binary);
  if (!in) throw SpecError(SourceLoc{o.trace, 0, 0}, "cannot open the trace file");
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded())
    throw SpecError(SourceLoc{o.trace, 0, 0}, "not a gupcheck trace: not valid JSON");
  ReplayedTrace rt = replay_trace_json(j, o.trace, o.properties);
  const SavedTrace& t = rt.saved;
  const Spec& spec = rt.spec;
  const ReplayOutcome& out = rt.outcome;
  if (!out.violated) {
    std::cout << fmt::format(
        "{}: the trace replays ({} steps) and no property is violated{}\n", o.trace,
        t.trace.steps.size(),
        t.property.empty() ? "" : fmt::format(" (it records a violation of {})", t.property));
    return kExitClean;
  }
  RunRecord rec;
  rec.spec = &spec;
  rec.trace_file = o.trace;
  rec.result.engine = t.engine.empty() ? "replay" : t.engine;
  rec.result.config = spec.config.name;
  rec.result.variant = spec.variant;
  rec.result.verdict = Verdict::kViolated;
  rec.result.property = out.property;
  rec.result.why = out.why;
  rec.result.seed = t.seed;
  rec.result.trace = t.trace;
  rec.result.trace.steps.resize(size_t(out.violation_step));
  if (rec.result.trace.loop_start >= out.violation_step) rec.result.trace.loop_start = -1;
  if (!o.quiet) std::cout << counterexample_text(rec) << "\n";
  if (out.property == t.property || t.property.empty())
    std::cout << fmt::format("Confirmed: {} is violated after step {}.\n", out.property,
                             out.violation_step);
  else
    std::cout << fmt::format("Violated: {} after step {} (the trace records {}).\n", out.property,
                             out.violation_step, t.property);
  return kExitViolated;
}

}  // namespace gup::cli
