// Saved traces back onto the model: what `gupcheck replay` does, without
// the printing, so that tests and fuzzers drive the same path.
//
// A saved trace is a claim: "these steps, taken on this spec, violate this
// property". replay_trace_json() confirms the claim or says where the trace
// stops matching it; it never confirms a trace that does not violate.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checker/core/replay.h"
#include "checker/report/report.h"
#include "checker/spec/spec.h"

namespace gup {

struct ReplayedTrace {
  SavedTrace saved;
  Spec spec;  // the embedded spec, on the trace's variant
  ReplayOutcome outcome;
  // "" when the trace shows what it records:
  //  - every step is enabled in turn and, where the file records them, is
  //    taken as recorded (describe()) and changes the state as recorded
  //    (describe_changes());
  //  - without a loop: the first violation of a checked property is at the
  //    last step, and it is the recorded property (if one is recorded);
  //  - with a loop (loop_start >= 0): the recorded property is
  //    pin-loop-terminates, no other property is violated on the way, and
  //    the loop is a stuck call (checker/core/lasso.h).
  // Otherwise where and how it stops matching, e.g. "step 3 (T1 ...) is
  // not enabled".
  std::string mismatch;
};

// Parses the trace (parse_trace_json), rebuilds the configuration from the
// spec text it embeds (which may read no other file) and replays it,
// checking `properties` (empty: the spec's). Throws SpecError at `source`
// when the file is not a trace of this model: another model version, a
// broken spec, a task the configuration does not have.
ReplayedTrace replay_trace_json(const nlohmann::json& j, const std::string& source,
                                const std::vector<std::string>& properties = {});

// The same trace on another kernel (`replay TRACE --variant B`): does the
// patch fix the counterexample?
struct VariantReplay {
  SavedTrace saved;
  Spec spec;  // the embedded spec, on `variant`
  // Where the steps first behave otherwise than recorded on the trace's
  // own variant ("" if never): the first step not enabled, taken
  // differently, or changing the state differently.
  std::string first_difference;
  // The replay on `variant`: ok == false says where the trace stops
  // applying (a step not enabled); violated says whether a checked
  // property still breaks, and where.
  ReplayOutcome outcome;
};
// Throws SpecError as replay_trace_json() does, and for an unknown variant.
VariantReplay replay_trace_on_variant(const nlohmann::json& j, const std::string& source,
                                      const std::string& variant,
                                      const std::vector<std::string>& properties = {});

}  // namespace gup
