// `gupcheck replay TRACE.json [--variant B]`: re-executes a saved trace on the model and
// confirms the violation it records (exit 1), or says where the trace stops
// matching it (exit 2, checker/report/trace_file.h).
#include <fmt/format.h>

#include <iostream>

#include "checker/cli/cli.h"
#include "checker/cli/variant_file.h"
#include "checker/core/lasso.h"
#include "checker/report/report.h"
#include "checker/report/trace_file.h"
#include "checker/spec/input_file.h"

namespace gup::cli {

namespace {

// `replay TRACE --variant B`: the trace's steps on kernel B. Exit 1 when a
// checked property still breaks along them, 0 when none does.
int replay_on_variant(const Options& o, const nlohmann::json& j) {
  VariantReplay r = replay_trace_on_variant(j, o.trace, o.variant, o.properties);
  const SavedTrace& t = r.saved;
  const int n = int(t.trace.steps.size());
  std::string out =
      fmt::format("Trace {}: found by {} on {} (variant {}){}, {} step{}.\n", o.trace,
                  t.engine.empty() ? "an engine" : t.engine, t.spec_path, t.variant,
                  t.property.empty() ? "" : ", violating " + t.property, n, n == 1 ? "" : "s");
  out += fmt::format("On variant {}:\n", r.spec.variant);
  out += r.first_difference.empty()
             ? "  every step is taken and changes the state as recorded\n"
             : fmt::format(
                   "  it first behaves otherwise: {}\n",
                   r.first_difference.substr(0, r.first_difference.find_last_not_of('\n') + 1));
  const ReplayOutcome& x = r.outcome;
  if (x.violated) {
    out += fmt::format("  STILL VIOLATED: {} after step {}: {}\n", x.property, x.violation_step,
                       x.why);
    out += fmt::format("The trace still breaks {} on {}.\n", x.property, r.spec.variant);
  } else {
    out += x.ok ? fmt::format("  all {} steps apply, and no checked property breaks\n", n)
                : fmt::format(
                      "  the trace stops applying at {}; no checked property breaks "
                      "before it\n",
                      x.error);
    out += fmt::format("The trace no longer violates {} on {}.\n",
                       t.property.empty() ? "any checked property" : t.property, r.spec.variant);
  }
  std::cout << out;
  return x.violated ? kExitViolated : kExitClean;
}

}  // namespace

int run_replay(Options& o) {
  std::string text, error;
  if (!read_input_file(o.trace, &text, &error))
    throw SpecError(SourceLoc{o.trace, 0, 0}, "cannot open the trace file: " + error);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded())
    throw SpecError(SourceLoc{o.trace, 0, 0}, "not a gupcheck trace: not valid JSON");
  select_variant_file(o);
  if (!o.variant.empty()) return replay_on_variant(o, j);
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
