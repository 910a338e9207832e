// Budgets for tests that run the solver: Z3 resource limits, never time.
// A test's answer must not depend on how fast or busy the machine is, so
// no test passes a time budget (EngineOptions::time_limit, --time); the
// solver is bounded by EngineOptions::solver_rlimit (checker/bmc/solver_limit.h)
// and the searches by depth and states.
#pragma once

#include "checker/core/engine.h"
#include "checker/core/guide.h"

namespace gup::testing {

// Z3 work units per query: well above what any test's BMC query needs (a
// few million units a second here; the old limit was 30 s a query), so
// that only a regression reaches it, and then on every machine alike. The
// k-induction step gets 1/64 of it (checker/bmc/smt_proof.cc), near its old
// 2 s.
inline constexpr unsigned kTestRlimit = 400000000u;

inline EngineOptions bmc_options(int max_depth) {
  EngineOptions o;
  o.max_depth = max_depth;
  o.solver_rlimit = kTestRlimit;
  return o;
}

inline coverage::GuideOptions guide_options() {
  coverage::GuideOptions g;
  g.rlimit = kTestRlimit;
  return g;
}

}  // namespace gup::testing
