// The randomized engine (checker/random/random.h): every variant is caught, the
// base model is not, shrunk traces replay to the same violation, and the
// same seed gives the same answer with one job or two.
#include "checker/random/random.h"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <set>
#include <string>

#include "checker/core/replay.h"
#include "model/config_builder.h"

namespace gup {
namespace {

// For each variant, the built-in configuration that exercises it and the
// properties whose violation is the bug (model/variants/README.md).
struct VariantCase {
  const char* variant;
  const char* config;
  std::set<std::string> expected;
};

const VariantCase kCases[] = {
    // C1: a migration failure re-walks without migrating and pins CMA.
    {"migrate-fail-pins-anyway", "cma-alloc-failure", {"no-longterm-pin-in-movable"}},
    // C2: a CMA folio that compaction holds off the LRU is not counted.
    {"isolation-error-pins-anyway",
     "cma-off-lru",
     {"longterm-pin-contract", "no-longterm-pin-in-movable"}},
    // C5: GUP-fast pins a CMA folio with FOLL_LONGTERM.
    {"gupfast-longterm-cma", "gupfast-cma", {"fast-path-subset", "no-longterm-pin-in-movable"}},
    // C7: an empty isolated list returns 0 with CMA folios pinned.
    {"cma-pinned-when-off-lru",
     "cma-off-lru",
     {"longterm-pin-contract", "no-longterm-pin-in-movable"}},
    // C10: a failed kmalloc returns -ENOMEM with the pins held.
    {"enomem-leaks-pins",
     "cma-alloc-failure",
     {"longterm-pin-contract", "refcounts-restored-after-failed-migration"}},
    // E1: long-term pins of fsdax pages.
    {"longterm-fsdax", "fsdax", {"no-longterm-pin-on-fsdax", "fast-path-subset"}},
    // A1: Dirty COW, a forced write's retry as a read returns the page-cache page.
    {"dirty-cow", "force-write-dontneed", {"no-write-without-permission"}},
    // A3: the parent's write reuses the page the child's GUP reference holds.
    {"gup-cow-wrong-side", "cow-vmsplice", {"cow-isolation"}},
    // B1: fork shares the pinned page; the parent's write COWs it away.
    {"fork-pinned-cow", "pin-fork-write", {"pin-coherence"}},
    // C4: the migration target lands in ZONE_MOVABLE and is pinned there.
    {"migrate-target-movable",
     "cma-movable-target",
     {"longterm-pin-contract", "no-longterm-pin-in-movable"}},
    // D1: the zero page is unpinnable: the long-term loop never ends.
    {"zero-pfn-unpinnable", "zero-page-longterm", {"pin-loop-terminates"}},
};

EngineOptions seeded(uint64_t seed, int runs = 0, int jobs = 1) {
  EngineOptions o;
  o.seed = seed;
  o.runs = runs;
  o.jobs = jobs;
  return o;
}

// The trace replays on the model, every step enabled, to a violation of
// the reported property at its last step.
void expect_replays(const Config& cfg, const EngineResult& r) {
  ReplayOutcome out = replay(cfg, r.trace, all_properties());
  ASSERT_TRUE(out.ok) << out.error;
  ASSERT_TRUE(out.violated);
  EXPECT_EQ(out.property, r.property);
  EXPECT_EQ(out.violation_step, int(r.trace.steps.size()));
  EXPECT_EQ(out.why, r.why);
}

TEST(RandomEngine, EveryVariantHasACase) {
  for (const Variant* v : all_variants()) {
    if (std::string(v->name) == "base") continue;
    bool found = false;
    for (const VariantCase& c : kCases) found |= std::string(c.variant) == v->name;
    EXPECT_TRUE(found) << "no random-engine case for variant " << v->name;
  }
}

TEST(RandomEngine, FindsEveryVariantWithinDefaultBudgetAndShrinks) {
  for (const VariantCase& c : kCases) {
    SCOPED_TRACE(c.variant);
    const Variant* v = find_variant(c.variant);
    ASSERT_NE(v, nullptr);
    Config cfg = builtin_config(c.config, *v);
    EngineResult r = random_search(cfg, all_properties(), seeded(20261125));
    ASSERT_EQ(r.verdict, Verdict::kViolated);
    EXPECT_TRUE(c.expected.count(r.property)) << r.property << ": " << r.why;
    EXPECT_LE(r.trace.steps.size(), r.stats["walk_length"].get<size_t>());
    EXPECT_NE(r.reproduce.find("--variant " + std::string(c.variant)), std::string::npos);
    expect_replays(cfg, r);
  }
}

TEST(RandomEngine, BaseModelHasNoViolationOnBuiltinConfigs) {
  for (const char* const* n = builtin_config_names(); *n; n++) {
    if (std::string(*n) == "driver-cma") continue;  // the real 6.12 loop, below
    SCOPED_TRACE(*n);
    Config cfg = builtin_config(*n, base_variant());
    EngineResult r = random_search(cfg, all_properties(), seeded(7, 3000, 2));
    EXPECT_EQ(r.verdict, Verdict::kBounded) << r.property << ": " << r.why;
  }
}

// mm/gup.c: __gup_longterm_locked(): a driver's CMA page that is never on the LRU makes
// the 6.12 long-term loop spin; the base model must show it.
TEST(RandomEngine, BaseModelLoopsOnNeverIsolatableCmaFolio) {
  Config cfg = builtin_config("driver-cma", base_variant());
  EngineResult r = random_search(cfg, all_properties(), seeded(3));
  ASSERT_EQ(r.verdict, Verdict::kViolated);
  EXPECT_EQ(r.property, "pin-loop-terminates");
  expect_replays(cfg, r);
}

TEST(RandomEngine, SameSeedSameResultWithOneOrTwoJobs) {
  Config cfg = builtin_config("cma-off-lru", *find_variant("cma-pinned-when-off-lru"));
  EngineResult a = random_search(cfg, all_properties(), seeded(99, 0, 1));
  EngineResult b = random_search(cfg, all_properties(), seeded(99, 0, 1));
  EngineResult c = random_search(cfg, all_properties(), seeded(99, 0, 2));
  ASSERT_EQ(a.verdict, Verdict::kViolated);
  for (const EngineResult* r : {&b, &c}) {
    EXPECT_EQ(r->property, a.property);
    EXPECT_EQ(r->trace.steps, a.trace.steps);
    EXPECT_EQ(r->stats["walk"], a.stats["walk"]);
    EXPECT_EQ(r->seed, 99u);
    EXPECT_EQ(r->reproduce, a.reproduce);
  }
  EXPECT_EQ(a.reproduce, "gupcheck random cma-off-lru --variant cma-pinned-when-off-lru --seed 99");
}

TEST(RandomEngine, CleanRunWithTwoJobsRunsEveryWalk) {
  Config cfg = builtin_config("default", base_variant());
  EngineResult r = random_search(cfg, all_properties(), seeded(5, 500, 2));
  EXPECT_EQ(r.verdict, Verdict::kBounded);
  EXPECT_EQ(r.stats["walks"].get<int>(), 500);
  EXPECT_EQ(r.engine, "random");
}

TEST(RandomEngine, ZeroSeedDrawsOneAndReportsIt) {
  Config cfg = builtin_config("default", base_variant());
  EngineResult r = random_search(cfg, all_properties(), seeded(0, 10));
  EXPECT_NE(r.seed, 0u);
  EXPECT_NE(r.reproduce.find("--seed " + std::to_string(r.seed)), std::string::npos);
}

TEST(RandomEngine, TimeLimitGivesIncompleteNotClean) {
  Config cfg = builtin_config("default", base_variant());
  EngineOptions o = seeded(1, 1 << 30);
  o.time_limit = 0.2;
  EngineResult r = random_search(cfg, all_properties(), o);
  // 2^30 walks cannot finish in 0.2 s on any machine: the verdict does not
  // depend on the machine's speed (nothing here measures it).
  EXPECT_EQ(r.verdict, Verdict::kIncomplete);
}

TEST(RandomEngine, TimeAloneIsTheBudget) {
  Config cfg = builtin_config("default", base_variant());
  EngineOptions o = seeded(1);
  o.time_limit = 0.2;
  EngineResult r = random_search(cfg, all_properties(), o);
  EXPECT_EQ(r.verdict, Verdict::kBounded);
  EXPECT_GT(r.stats["walks"].get<int>(), 0);
}

TEST(RandomEngine, PropertySubsetIsRespected) {
  // Only pin-loop-terminates: the C5 bug goes unnoticed, which the verdict
  // says as "bounded", not as a violation of a property nobody asked for.
  Config cfg = builtin_config("gupfast-cma", *find_variant("gupfast-longterm-cma"));
  const Property* only[] = {find_property("pin-loop-terminates")};
  EngineResult r = random_search(cfg, only, seeded(1, 300));
  EXPECT_EQ(r.verdict, Verdict::kBounded);
  EXPECT_NE(r.reproduce.find("--property pin-loop-terminates"), std::string::npos);
}

// Shrinking, for arbitrary walks: the result replays with every step
// enabled, violates the same property first, and is no longer than the
// walk.
RC_GTEST_PROP(RandomEngine, ShrunkWalksReplayToTheSameViolation, (uint64_t seed)) {
  const VariantCase& c = kCases[*rc::gen::inRange<size_t>(0, std::size(kCases))];
  Config cfg = builtin_config(c.config, *find_variant(c.variant));
  Walk walk;
  for (uint64_t r = 0; r < 2000 && !walk.property; r++)
    random_walk(cfg, all_properties(), run_seed(seed, r), kRandomDefaultMaxSteps, walk);
  RC_ASSERT(bool(walk.property));
  std::vector<Step> shrunk = shrink_trace(cfg, all_properties(), walk.steps, walk.property);
  RC_ASSERT(shrunk.size() <= walk.steps.size());
  Trace t;
  t.steps = shrunk;
  ReplayOutcome out = replay(cfg, t, all_properties());
  RC_ASSERT(out.ok);
  RC_ASSERT(out.violated);
  RC_ASSERT(out.property == std::string(walk.property->name));
  RC_ASSERT(out.violation_step == int(shrunk.size()));
}

TEST(Replay, ReportsAStepThatIsNotEnabled) {
  Config cfg = builtin_config("cma-demo", base_variant());
  Trace t;
  t.steps = {Step{0, 0}, Step{0, 1}};  // no allocation can fail here
  ReplayOutcome out = replay(cfg, t, all_properties());
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.error, "step 2: task 0 choice 1 is not enabled");
}

}  // namespace
}  // namespace gup
