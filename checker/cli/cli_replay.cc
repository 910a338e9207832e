// `gupcheck replay TRACE.json`: re-executes a saved trace on the model and
// confirms the violation it records (exit 1), or says where the trace stops
// matching it (exit 2, checker/report/trace_file.h).
#include <fmt/format.h>

#include <iostream>

#include "checker/cli/cli.h"
#include "checker/core/lasso.h"
#include "checker/report/report.h"
#include "checker/report/trace_file.h"
#include "checker/spec/input_file.h"

namespace gup::cli {

int run_replay(Options& o) {
  std::string text, error;
  if (!read_input_file(o.trace, &text, &error))
    throw SpecError(SourceLoc{o.trace, 0, 0}, "cannot open the trace file: " + error);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded())
    throw SpecError(SourceLoc{o.trace, 0, 0}, "not a gupcheck trace: not valid JSON");
  ReplayedTrace rt = replay_trace_json(j, o.trace, o.properties);
  const SavedTrace& t = rt.saved;
  const Spec& spec = rt.spec;
  const ReplayOutcome& out = rt.outcome;
  if (!rt.mismatch.empty())
    throw SpecError(SourceLoc{o.trace, 0, 0},
                    fmt::format("the trace does not show {}: {}",
                                t.property.empty() ? std::string("a violation")
                                                   : "a violation of " + t.property,
                                rt.mismatch));
  RunRecord rec;
  rec.spec = &spec;
  rec.trace_file = o.trace;
  rec.result.engine = t.engine.empty() ? "replay" : t.engine;
  rec.result.config = spec.config.name;
  rec.result.variant = spec.variant;
  rec.result.verdict = Verdict::kViolated;
  rec.result.seed = t.seed;
  rec.result.trace = t.trace;
  const bool lasso = t.trace.loop_start >= 0;
  rec.result.property = lasso ? std::string(kLoopProperty) : out.property;
  rec.result.why = lasso && !out.violated ? "the loop never ends" : out.why;
  if (!o.quiet) std::cout << counterexample_text(rec) << "\n";
  if (lasso)
    std::cout << fmt::format("Confirmed: {} is violated: steps {} to {} repeat forever.\n",
                             rec.result.property, t.trace.loop_start + 1, t.trace.steps.size());
  else
    std::cout << fmt::format("Confirmed: {} is violated after step {}.\n", out.property,
                             out.violation_step);
  return kExitViolated;
}

}  // namespace gup::cli
