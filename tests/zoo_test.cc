// One test per historical-bug variant (model/variants/README.md): the scenario of
// the entry on the variant shows the bug's outcome in the final state, and
// the same scenario on the 6.12 base does not.
#include <gtest/gtest.h>

#include "model/config_builder.h"
#include "tests/run_util.h"

namespace gup {
namespace {

using testing::fail_at;
using testing::run_first_call;

bool longterm_pinned_unpinnable(const State& s, const Config& cfg) {
  for (int t = 0; t < cfg.nr_tasks; t++) {
    if (!(s.tasks[t].ghost & kGhostReturned)) continue;
    for (const PageRef& p : s.tasks[t].pages)
      if (!p.empty() && !folio_is_longterm_pinnable(s.folios[p.folio()])) return true;
  }
  return false;
}

testing::Run c1_scenario(const Variant& v) {
  static Config cfg;
  cfg = builtin_config("cma-alloc-failure", v);
  return run_first_call(cfg, fail_at(cfg, "migrate_folio_unmap"));
}

// C1: before f0f4463837da a failed migration re-pinned the range unmigrated.
TEST(Zoo, C1_MigrateFailPinsAnyway) {
  Config cfg = builtin_config("cma-alloc-failure", base_variant());
  testing::Run base = c1_scenario(base_variant());
  EXPECT_EQ(base.final_state.tasks[0].ret, ENOMEM_);
  EXPECT_FALSE(longterm_pinned_unpinnable(base.final_state, cfg));
  testing::Run bug = c1_scenario(*find_variant("migrate-fail-pins-anyway"));
  EXPECT_EQ(bug.final_state.tasks[0].ret, 2);
  EXPECT_TRUE(longterm_pinned_unpinnable(bug.final_state, cfg));
}

// Two pinners: T1 isolates the CMA folio, then T0 runs to its return.
testing::Run two_pinners(const Config& cfg) {
  return run_first_call(cfg, [](const State& s, const StepBuffer& b) {
    bool t1_first = s.tasks[1].isolated == 0 && s.tasks[1].script_pos == 0;
    for (const Step& st : b)
      if (st.choice == 0 && (st.task == 1) == t1_first) return st;
    return b.steps[0];
  });
}

// C2: before 6e7f34ebb8d2 a folio that failed isolation was not counted.
TEST(Zoo, C2_IsolationErrorPinsAnyway) {
  Config base = builtin_config("cma-two-pinners", base_variant());
  testing::Run ok = two_pinners(base);
  EXPECT_FALSE(longterm_pinned_unpinnable(ok.final_state, base));
  Config bug = builtin_config("cma-two-pinners", *find_variant("isolation-error-pins-anyway"));
  testing::Run r = two_pinners(bug);
  EXPECT_EQ(r.final_state.tasks[0].ret, 1);
  EXPECT_TRUE(longterm_pinned_unpinnable(r.final_state, bug));
}

// C5: before df3a0a21b698 GUP-fast pinned CMA folios with FOLL_LONGTERM.
TEST(Zoo, C5_GupfastLongtermCma) {
  Config base = builtin_config("gupfast-cma", base_variant());
  EXPECT_FALSE(longterm_pinned_unpinnable(run_first_call(base).final_state, base));
  Config bug = builtin_config("gupfast-cma", *find_variant("gupfast-longterm-cma"));
  testing::Run r = run_first_call(bug);
  EXPECT_FALSE(testing::took(r, "follow_page_pte"));
  EXPECT_TRUE(longterm_pinned_unpinnable(r.final_state, bug));
}

// C7: 1aaf8c122918 (reverted by 517f496e1e61) returned 0 on an empty list.
TEST(Zoo, C7_CmaPinnedWhenOffLru) {
  Config bug = builtin_config("cma-two-pinners", *find_variant("cma-pinned-when-off-lru"));
  testing::Run r = two_pinners(bug);
  EXPECT_EQ(r.final_state.tasks[0].ret, 1);
  EXPECT_TRUE(longterm_pinned_unpinnable(r.final_state, bug));
  // ...but it ends the loop on a driver's never-LRU CMA page, by pinning it.
  Config driver = builtin_config("driver-cma", *find_variant("cma-pinned-when-off-lru"));
  testing::Run d = run_first_call(driver);
  EXPECT_EQ(d.final_state.tasks[0].script_pos, 1);
  EXPECT_TRUE(longterm_pinned_unpinnable(d.final_state, driver));
}

// C10: before 7674952a4a59 a failed kmalloc returned -ENOMEM with pins held.
TEST(Zoo, C10_EnomemLeaksPins) {
  Config bug = builtin_config("cma-alloc-failure", *find_variant("enomem-leaks-pins"));
  testing::Run r = run_first_call(bug, fail_at(bug, "collect_longterm_unpinnable_folios"));
  const State& s = r.final_state;
  EXPECT_EQ(s.tasks[0].ret, ENOMEM_);
  int pins = 0;
  for (const PageRef& p : s.tasks[0].pages) pins += !p.empty();
  EXPECT_EQ(pins, 2) << "the failed call still holds both pins";
  EXPECT_GE(s.folios[1].refcount, kGupPinCountingBias);
  // The base has no allocation there: the choice does not exist.
  Config base = builtin_config("cma-alloc-failure", base_variant());
  testing::Run ok = run_first_call(base, fail_at(base, "collect_longterm_unpinnable_folios"));
  EXPECT_EQ(ok.final_state.tasks[0].ret, 2);
}

// E1: before 2bb6d2837083 / 7af75561e171 fsdax pages could be pinned long-term.
TEST(Zoo, E1_LongtermFsdax) {
  Config bug = builtin_config("fsdax", *find_variant("longterm-fsdax"));
  testing::Run r = run_first_call(bug);
  EXPECT_EQ(r.final_state.tasks[0].ret, 1);
  EXPECT_TRUE(folio_is_fsdax(r.final_state.folios[r.final_state.tasks[0].pages[0].folio()]));
  Config base = builtin_config("fsdax", base_variant());
  EXPECT_EQ(run_first_call(base).final_state.tasks[0].ret, EOPNOTSUPP_);
}

}  // namespace
}  // namespace gup
