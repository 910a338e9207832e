// Replays a trace on the concrete model and checks properties on every
// transition: the referee for every engine's counterexample.
#pragma once

#include <span>
#include <string>

#include "checker/core/result.h"
#include "properties/property.h"

namespace gup {

struct ReplayOutcome {
  bool ok = false;    // every step was enabled when taken
  std::string error;  // why not, if !ok
  int violation_step =
      -1;  // index of the first violating transition (-1: initial state... see below)
  bool violated = false;
  std::string property;  // first violated property
  std::string why;
  State final_state{};
};

// Applies `trace` from the initial state, checking `props` on the initial
// state and after every step. Stops at the first violation.
// violation_step is the number of steps taken when it was seen (0: initial).
ReplayOutcome replay(const Config& cfg, const Trace& trace, std::span<const Property* const> props);

}  // namespace gup
