// Lassos: the witnesses of pin-loop-terminates as liveness (explore finds
// them, checker/explore/explore_lasso.cc; `gupcheck replay` checks saved ones).
//
// A lasso is a trace with loop_start >= 0: steps[loop_start..] lead from
// the state reached after loop_start steps back to that same state. It
// shows a stuck call when some task t
//   L1. is inside one long-term GUP call (__gup_longterm_locked()) in
//       every state of the loop, at the same script position, and its
//       call returns on none of the loop's steps;
//   L2. steps on the loop (the call keeps retrying, it is not just
//       preempted);
//   L3. and every task enabled in every state of the loop steps on it
//       (weak fairness: the loop is not a schedule that starves a task).
#pragma once

#include <string>

#include "checker/core/result.h"

namespace gup {

inline constexpr const char* kLoopProperty = "pin-loop-terminates";

// Task t is inside a long-term GUP call (pin_user_pages(FOLL_LONGTERM) and
// friends all loop in __gup_longterm_locked()).
bool in_longterm_call(const State& s, const Config& cfg, int t);

// "" when `trace` is a lasso that shows a stuck call (L1-L3), every step
// enabled in turn; else what fails, naming the step, e.g. "the loop does
// not close: the state after step 18 is not the state after step 13".
std::string lasso_problem(const Config& cfg, const Trace& trace);

}  // namespace gup
