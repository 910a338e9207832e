// Saved traces back onto the model: what `gupcheck replay` does, without
// the printing, so that tests and fuzzers drive the same path.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checker/replay.h"
#include "checker/report.h"
#include "checker/spec.h"

namespace gup {

struct ReplayedTrace {
  SavedTrace saved;
  Spec spec;  // the embedded spec, on the trace's variant
  ReplayOutcome outcome;
};

// Parses the trace (parse_trace_json), rebuilds the configuration from the
// spec text it embeds and replays it, checking `properties` (empty: the
// spec's). Throws SpecError at `source` for anything that does not fit:
// another model version, a broken spec, a step that is not enabled.
ReplayedTrace replay_trace_json(const nlohmann::json& j, const std::string& source,
                                const std::vector<std::string>& properties = {});

}  // namespace gup
