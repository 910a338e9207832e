// One mutant of the model (tests/mutants/CMakeLists.txt): the bmc engine,
// unchanged, must report a violation on the mutant's spec, and the trace
// it reports must replay to a violation on the (mutated) concrete model.
// The same holds for plain BMC, without the reachable-state search, so the
// violation is found through the symbolic relation itself.
#include <gtest/gtest.h>

#include "checker/bmc/smt.h"
#include "checker/core/replay.h"
#include "checker/spec/spec.h"
#include "tests/solver_budget.h"

namespace gup {
namespace {

std::vector<Spec> mutant_specs() {
  SpecOverrides o;
  o.variant = "base";  // the mutant is the change; no variant switch helps it
  return load_specs(GUPCHECK_MUTANT_SPEC, o);
}

void expect_violation(const smt::BmcOptions& b, const char* how) {
  for (const Spec& spec : mutant_specs()) {
    EngineResult r = smt::run_bmc(spec.config, spec.properties, testing::bmc_options(12), b);
    ASSERT_EQ(r.verdict, Verdict::kViolated)
        << GUPCHECK_MUTANT << " (" << how << "): " << verdict_name(r.verdict) << ": " << r.why;
    ReplayOutcome out = replay(spec.config, r.trace, spec.properties);
    EXPECT_TRUE(out.ok && out.violated) << out.error;
    std::cout << GUPCHECK_MUTANT << " (" << how << "): " << r.property << " violated in "
              << r.trace.steps.size() << " steps\n";
  }
}

TEST(Mutant, BmcReportsAViolation) {
  expect_violation(smt::BmcOptions{}, "bmc");
}

TEST(Mutant, PlainBmcReportsAViolation) {
  smt::BmcOptions b;
  b.reach_states = 0;
  b.induction = false;
  expect_violation(b, "plain BMC");
}

}  // namespace
}  // namespace gup
