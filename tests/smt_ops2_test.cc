// The bmc encoding of cma_alloc(), compaction and split_huge_page()
// (checker/bmc/smt_cma.cc, smt_compaction.cc, smt_huge_memory.cc): hand-built
// machines that race each op against long-term pins, faults and unpin,
// used by the agreement tests of tests/smt_test.cc, and BMC against
// explore on a small cma_alloc configuration.
#include <gtest/gtest.h>

#include "checker/bmc/smt.h"
#include "checker/cli/engines.h"
#include "checker/core/replay.h"
#include "checker/spec/spec.h"
#include "model/config_builder.h"
#include "tests/solver_budget.h"

namespace gup {

namespace {

constexpr uint8_t kRW = VM_READ | VM_WRITE;
constexpr uint32_t kLtW = FOLL_WRITE | FOLL_LONGTERM;

FolioSpec folio(FolioKind kind, Zone z = Zone::kNormal, Migratetype mt = Migratetype::kMovable,
                int order = 0, bool free = false) {
  FolioSpec s;
  s.kind = kind, s.zone = z, s.migratetype = mt, s.order = order, s.free = free;
  return s;
}

// cma_alloc() racing a long-term pin (slow and fast), a second cma_alloc()
// (-EBUSY while the first has the range isolated), user faults that may
// allocate from a free CMA folio, a transient reference and unpin. CMA
// holds an anon page and a shmem page-cache page; the free CMA folio is
// isolated with the range.
Config cma_machine(const Variant& v) {
  ConfigBuilder b("smt-cma");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  b.add_vma(0, 2, 3, VmaKind::kShmemShared, kRW, 0);
  int ca = b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma));
  int cs = b.add_folio(folio(FolioKind::kShmem, Zone::kNormal, Migratetype::kCma));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_to_page_cache(0, 0, cs);
  b.map(0, 0, ca, 0, true);
  b.map(0, 2, cs, 0, true);
  b.add_task({pin_user_pages(0, 0, 3, kLtW), unpin_user_pages(), transient_ref(ca)});
  b.add_task({cma_alloc(), write_fault(0, 1), cma_alloc()});
  b.add_task(
      {pin_user_pages_fast(0, 0, 1, kLtW), unpin_user_pages(), cma_alloc(), read_fault(0, 1)});
  b.inject_alloc_failure(true);
  return b.build();
}

// Compaction of a THP in ZONE_MOVABLE, a page-cache page and an anon page
// in the swap cache, racing a short-term pin (which blocks migration), a
// long-term pin of the THP (which migrates it too), a refaulting write,
// GUP-fast and a transient reference; allocation failures at the target.
Config compact_machine(const Variant& v) {
  ConfigBuilder b("smt-compact");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  b.add_vma(0, 2, 3, VmaKind::kFileShared, kRW, 0);
  b.add_vma(0, 3, 4, VmaKind::kAnon, kRW);
  int thp = b.add_folio(folio(FolioKind::kAnon, Zone::kMovable, Migratetype::kMovable, 1));
  int pc = b.add_folio(folio(FolioKind::kPageCache));
  FolioSpec sw = folio(FolioKind::kAnon);
  sw.swapcache = true;
  int a = b.add_folio(sw);
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 1, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_to_page_cache(0, 0, pc);
  b.map(0, 0, thp, 0, true);
  b.map(0, 1, thp, 1, true);
  b.map(0, 2, pc, 0, true);
  b.map(0, 3, a, 0, false, true);
  b.add_task({pin_user_pages(0, 2, 2, FOLL_WRITE), unpin_user_pages(), compact(a)});
  b.add_task({compact(thp), compact(pc), write_fault(0, 3), compact(a)});
  b.add_task({pin_user_pages(0, 0, 2, kLtW), unpin_user_pages(), get_user_pages_fast(0, 2, 2, 0),
              unpin_user_pages()});
  b.add_task({transient_ref(pc), compact(thp)});
  b.inject_alloc_failure(true);
  return b.build();
}

// split_huge_page() of an anon THP in CMA (which a long-term pin migrates)
// and of a shmem THP in the page cache, racing pins from both paths,
// faults on the tail page and madvise; free order-0 slots of the heads'
// zone and type and of another zone (the fallback), an order-1 target.
Config split_machine(const Variant& v) {
  ConfigBuilder b("smt-split");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  b.add_vma(0, 2, 4, VmaKind::kShmemShared, kRW, 0);
  int thp = b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma, 1));
  int shm = b.add_folio(folio(FolioKind::kShmem, Zone::kNormal, Migratetype::kMovable, 1));
  b.add_folio(folio(FolioKind::kAnon, Zone::kMovable, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 1, true));
  b.add_to_page_cache(0, 0, shm);
  b.add_to_page_cache(0, 1, shm);
  b.map(0, 0, thp, 0, true);
  b.map(0, 1, thp, 1, false);  // not PageAnonExclusive: the tail's bit differs
  b.map(0, 3, shm, 1, true);
  b.add_task({pin_user_pages(0, 0, 2, kLtW), unpin_user_pages(), write_fault(0, 1)});
  b.add_task({split_huge_page(thp), split_huge_page(shm), read_fault(0, 2), split_huge_page(thp)});
  b.add_task({pin_user_pages_fast(0, 1, 3, FOLL_WRITE), unpin_user_pages(),
              madvise_dontneed(0, 0, 2), write_fault(0, 0)});
  b.inject_alloc_failure(true);
  return b.build();
}

// split_huge_page() and cma_alloc() together: the pageblock types the
// split copies to its tail and the isolation cma_alloc() changes, with a
// long-term pin and a compaction of the THP.
Config split_cma_machine(const Variant& v) {
  ConfigBuilder b("smt-split-cma");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  int thp = b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma, 1));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 1, true));
  b.map(0, 0, thp, 0, true);
  b.map(0, 1, thp, 1, true);
  b.add_task({split_huge_page(thp), compact(thp), write_fault(0, 1)});
  b.add_task({cma_alloc(), pin_user_pages(0, 0, 2, kLtW), unpin_user_pages()});
  b.add_task({pin_user_pages_fast(0, 1, 1, kLtW), unpin_user_pages(), cma_alloc()});
  b.inject_alloc_failure(false);
  return b.build();
}

// A long-term pin of a CMA page racing cma_alloc(), which isolates the
// folio off the LRU while it migrates it.
Config cma_vs_pin(const Variant& v) {
  ConfigBuilder b("smt-cma-vs-pin");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  int ca = b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.map(0, 0, ca, 0, true);
  b.add_task({pin_user_pages(0, 0, 1, kLtW), unpin_user_pages()});
  b.add_task({cma_alloc()});
  return b.build();
}

}  // namespace

// For tests/smt_test.cc's agreement tests.
std::vector<std::pair<Config, int>> smt_ops2_agreement_configs(const Variant& v) {
  std::vector<std::pair<Config, int>> out;
  out.emplace_back(builtin_config("cma-off-lru", v), 8);
  out.emplace_back(cma_vs_pin(v), 4);
  if (std::string(v.name) == "base") {
    out.emplace_back(cma_machine(v), 30);
    out.emplace_back(compact_machine(v), 25);
    out.emplace_back(split_machine(v), 30);
    out.emplace_back(split_cma_machine(v), 20);
  }
  return out;
}

std::vector<std::pair<Config, const char*>> smt_ops2_rare_sections() {
  const Variant& v = base_variant();
  return {{cma_machine(v), "isolate_migratepages_range"},
          {cma_machine(v), "test_pages_isolated"},
          {compact_machine(v), "isolate_migratepages_block"},
          {split_machine(v), "split_huge_page_to_list_to_order"},
          {split_cma_machine(v), "split_huge_page_to_list_to_order"}};
}

namespace {

// cma_alloc() racing a long-term pin, every variant: bmc's verdict equals
// explore's, with a counterexample of the same length that replays. C7
// (cma-pinned-when-off-lru) pins the folio cma_alloc() holds isolated: the
// empty isolation list ends the loop; the base is proved.
TEST(SmtBmc, CmaAllocRacingPinMatchesExplore) {
  const Property* props[] = {find_property("no-longterm-pin-in-movable"),
                             find_property("refcount-accounting")};
  int violated = 0;
  for (const Variant* v : all_variants()) {
    Config cfg = cma_vs_pin(*v);
    ASSERT_EQ(smt::unsupported_reason(cfg), "");
    EngineOptions eo;
    eo.max_depth = 64;
    EngineResult ex = find_engine("explore")->run(cfg, std::span<const Property* const>(props), eo);
    EngineOptions bo;
    bo.max_depth = 40;
    bo.solver_rlimit = gup::testing::kTestRlimit;
    EngineResult r = smt::run_bmc(cfg, props, bo, smt::BmcOptions{});
    EXPECT_FALSE(r.stats.value("internal_error", false)) << v->name << ": " << r.why;
    if (ex.verdict == Verdict::kViolated) {
      violated++;
      ASSERT_EQ(r.verdict, Verdict::kViolated) << v->name << ": " << r.why;
      EXPECT_EQ(r.trace.steps.size(), ex.trace.steps.size()) << v->name;
      EXPECT_EQ(r.property, ex.property) << v->name;
      ReplayOutcome out = replay(cfg, r.trace, props);
      EXPECT_TRUE(out.ok && out.violated) << v->name << ": " << out.error;
    } else {
      ASSERT_EQ(ex.verdict, Verdict::kExhausted) << v->name << ": " << ex.why;
      EXPECT_EQ(r.verdict, Verdict::kProved) << v->name << ": " << r.why;
    }
    if (std::string(v->name) == "base") {
      EXPECT_EQ(r.verdict, Verdict::kProved);
    }
    if (std::string(v->name) == "cma-pinned-when-off-lru") {
      EXPECT_EQ(r.verdict, Verdict::kViolated);
      EXPECT_EQ(r.property, "no-longterm-pin-in-movable");
    }
  }
  EXPECT_GT(violated, 0);
}

// The same counterexample by plain BMC (no reachable-state search): the
// shortest one, found by the unrolling itself.
TEST(SmtBmc, CmaAllocC7PlainBmcCounterexample) {
  const Variant* v = find_variant("cma-pinned-when-off-lru");
  ASSERT_NE(v, nullptr);
  Config cfg = cma_vs_pin(*v);
  const Property* props[] = {find_property("no-longterm-pin-in-movable")};
  EngineOptions eo;
  eo.max_depth = 64;
  EngineResult ex = find_engine("explore")->run(cfg, std::span<const Property* const>(props), eo);
  ASSERT_EQ(ex.verdict, Verdict::kViolated);
  EngineOptions opts;
  opts.max_depth = 20;
  smt::BmcOptions b;
  b.induction = false;
  b.reach_states = 0;
  opts.solver_rlimit = gup::testing::kTestRlimit;
  EngineResult r = smt::run_bmc(cfg, props, opts, b);
  ASSERT_EQ(r.verdict, Verdict::kViolated) << r.why;
  EXPECT_EQ(r.stats.value("found_by", ""), "BMC");
  EXPECT_EQ(r.trace.steps.size(), ex.trace.steps.size());
  ReplayOutcome out = replay(cfg, r.trace, props);
  EXPECT_TRUE(out.ok && out.violated) << out.error;
}

// The shipped THP and cma_alloc specs (split, compaction and MADV_DONTNEED
// racing pins of a THP; cma_alloc racing a pin and a transient reference,
// with allocation failures) on the base: explore exhausts them, bmc proves
// the encoded properties with the reachable-state invariant, and the
// encoding reaches exactly the model's states.
TEST(SmtBmc, ShippedThpAndCmaSpecsMatchExplore) {
  for (const char* file : {"/specs/default/thp.toml", "/specs/default/cma-alloc.toml"}) {
    std::vector<Spec> specs = load_specs(std::string(GUPCHECK_SOURCE_DIR) + file);
    ASSERT_EQ(specs.size(), 1u) << file;
    const Config& cfg = specs[0].config;
    ASSERT_EQ(smt::unsupported_reason(cfg), "") << file;
    const Property* props[] = {find_property("no-longterm-pin-in-movable"),
                               find_property("no-longterm-pin-on-fsdax"),
                               find_property("refcount-accounting")};
    EngineOptions eo;
    eo.max_depth = 64;
    EngineResult ex = find_engine("explore")->run(cfg, std::span<const Property* const>(props), eo);
    ASSERT_EQ(ex.verdict, Verdict::kExhausted) << file << ": " << ex.why;
    EngineOptions bo;
    bo.max_depth = 40;
    bo.solver_rlimit = gup::testing::kTestRlimit;
    EngineResult r = smt::run_bmc(cfg, props, bo, smt::BmcOptions{});
    EXPECT_EQ(r.verdict, Verdict::kProved) << file << ": " << r.why;
    std::string states = std::to_string(ex.stats.value("states", 0)) + " states";
    EXPECT_NE(r.stats.value("proof", "").find(states), std::string::npos)
        << file << ": " << r.stats.value("proof", "") << " vs explore's " << states;
  }
}

}  // namespace
}  // namespace gup
