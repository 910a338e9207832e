// Unit tests of the GUP transitions on hand-built machines (issue 3).
#include <gtest/gtest.h>

#include "model/config_builder.h"
#include "tests/folio_specs.h"
#include "tests/run_util.h"

namespace gup {
namespace {

using testing::fail_at;
using testing::run;
using testing::run_first_call;
using testing::took;

constexpr uint8_t kRW = VM_READ | VM_WRITE;
constexpr uint32_t kLongtermWrite = FOLL_WRITE | FOLL_LONGTERM;

using testing::anon;
using testing::free_normal;

// One anon folio mapped writable at mm0 address 0, and `op` then unpin.
Config one_anon(Op op, FolioSpec spec = anon()) {
  ConfigBuilder b("one-anon");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  int f = b.add_folio(spec);
  b.add_folio(free_normal());
  b.map(0, 0, f, 0, true);
  b.add_task({op, unpin_user_pages()});
  return b.build();
}

TEST(PinUserPages, SmallFolioPinAddsBiasAndUnpinRemovesIt) {
  Config cfg = one_anon(pin_user_pages(0, 0, 1, FOLL_WRITE));
  testing::Run r = run_first_call(cfg);
  const Folio& f = r.final_state.folios[0];
  EXPECT_EQ(r.final_state.tasks[0].ret, 1);
  EXPECT_EQ(f.refcount, 1 + kGupPinCountingBias);
  EXPECT_EQ(f.pincount, 0);
  EXPECT_TRUE(folio_maybe_dma_pinned(f));
  testing::Run done = run(cfg);
  EXPECT_TRUE(done.finished);
  EXPECT_EQ(done.final_state.folios[0].refcount, 1);
  EXPECT_FALSE(folio_maybe_dma_pinned(done.final_state.folios[0]));
}

TEST(PinUserPages, LargeFolioPinCountsPincountPerPage) {
  ConfigBuilder b("thp");
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  int f = b.add_folio(anon(Migratetype::kMovable, 1));
  b.map(0, 0, f, 0, true);
  b.map(0, 1, f, 1, true);
  b.add_task({pin_user_pages(0, 0, 2, FOLL_WRITE), unpin_user_pages()});
  Config cfg = b.build();
  testing::Run r = run_first_call(cfg);
  const Folio& folio = r.final_state.folios[0];
  EXPECT_EQ(r.final_state.tasks[0].ret, 2);
  EXPECT_EQ(folio.refcount, 2 + 2);  // two mappings, one reference per pinned page
  EXPECT_EQ(folio.pincount, 2);
  testing::Run done = run(cfg);
  EXPECT_EQ(done.final_state.folios[0].refcount, 2);
  EXPECT_EQ(done.final_state.folios[0].pincount, 0);
}

TEST(GetUserPages, GetTakesOneReferencePerPage) {
  Config cfg = one_anon(get_user_pages(0, 0, 1, 0));
  testing::Run r = run_first_call(cfg);
  EXPECT_EQ(r.final_state.tasks[0].ret, 1);
  EXPECT_EQ(r.final_state.folios[0].refcount, 2);
  EXPECT_EQ(run(cfg).final_state.folios[0].refcount, 1);
}

TEST(GetUserPages, LongtermWithoutPinIsInvalid) {
  Config cfg = one_anon(get_user_pages(0, 0, 1, FOLL_LONGTERM));
  EXPECT_EQ(run_first_call(cfg).final_state.tasks[0].ret, EINVAL_);
}

TEST(CheckVmaFlags, LongtermPinOfFsdaxRefusedWithEopnotsupp) {
  Config cfg = builtin_config("fsdax", base_variant());
  testing::Run r = run(cfg);
  // Both the slow and the fast entry point refuse; the fast one falls back.
  EXPECT_TRUE(took(r, "gup_fast_fallback"));
  EXPECT_EQ(r.final_state.folios[0].refcount, cfg.initial.folios[0].refcount);
  testing::Run first = run_first_call(cfg);
  EXPECT_EQ(first.final_state.tasks[0].ret, EOPNOTSUPP_);
  EXPECT_EQ(first.final_state.folios[0].refcount, cfg.initial.folios[0].refcount);
}

Config shared_file(VmaKind vma, FolioKind kind, Op op, bool writable_pte = true) {
  ConfigBuilder b("shared-file");
  b.add_mm();
  b.add_vma(0, 0, 1, vma, kRW, 0);
  FolioSpec s;
  s.kind = kind;
  int f = b.add_folio(s);
  b.add_to_page_cache(0, 0, f);
  b.map(0, 0, f, 0, writable_pte);
  b.add_task({op, unpin_user_pages()});
  return b.build();
}

TEST(CheckVmaFlags, WritableLongtermPinOfDirtyTrackedFileRefused) {
  Config cfg = shared_file(VmaKind::kFileShared, FolioKind::kPageCache,
                           pin_user_pages(0, 0, 1, kLongtermWrite));
  testing::Run r = run_first_call(cfg);
  EXPECT_EQ(r.final_state.tasks[0].ret, EFAULT_);
  EXPECT_EQ(r.final_state.folios[0].refcount, cfg.initial.folios[0].refcount);
}

TEST(CheckVmaFlags, WritableLongtermPinOfShmemAllowed) {
  Config cfg = shared_file(VmaKind::kShmemShared, FolioKind::kShmem,
                           pin_user_pages(0, 0, 1, kLongtermWrite));
  EXPECT_EQ(run_first_call(cfg).final_state.tasks[0].ret, 1);
}

TEST(CheckVmaFlags, ShortTermWritablePinOfDirtyTrackedFileAllowed) {
  Config cfg =
      shared_file(VmaKind::kFileShared, FolioKind::kPageCache, pin_user_pages(0, 0, 1, FOLL_WRITE));
  EXPECT_EQ(run_first_call(cfg).final_state.tasks[0].ret, 1);
}

TEST(PinUserPages, LongtermCmaFolioMigratedBeforePin) {
  Config cfg = builtin_config("cma-demo", base_variant());
  testing::Run r = run_first_call(cfg);
  const State& s = r.final_state;
  EXPECT_EQ(s.tasks[0].ret, 1);
  EXPECT_TRUE(took(r, "migrate_folio_move"));
  EXPECT_TRUE(s.folios[0].is_free()) << "the CMA source is freed after the move";
  const Pte& pte = s.mms[0].ptes[0];
  ASSERT_TRUE(pte.present());
  const Folio& pinned = s.folios[pte.folio];
  EXPECT_EQ(pte.folio, 1);
  EXPECT_TRUE(folio_is_longterm_pinnable(pinned));
  EXPECT_EQ(pinned.refcount, 1 + kGupPinCountingBias);
  EXPECT_EQ(s.tasks[0].pages[0].folio(), pte.folio);
  EXPECT_TRUE(pinned.anon_exclusive & 1) << "PAE restored from the migration entry";
}

TEST(PinUserPages, MigrationFailureRestoresEveryCount) {
  Config cfg = builtin_config("cma-alloc-failure", base_variant());
  testing::Run r = run_first_call(cfg, fail_at(cfg, "migrate_folio_unmap"));
  const State& s = r.final_state;
  EXPECT_EQ(s.tasks[0].ret, ENOMEM_);
  for (const PageRef& p : s.tasks[0].pages) EXPECT_TRUE(p.empty());
  const Folio& cma = s.folios[0];
  EXPECT_EQ(cma.refcount, 1) << "only its mapping";
  EXPECT_EQ(cma.mapcount, 1);
  EXPECT_TRUE(cma.test(kLru)) << "put back on the LRU";
  EXPECT_EQ(s.tasks[0].isolated, 0);
  EXPECT_EQ(s.folios[1].refcount, 1);
  EXPECT_TRUE(s.folios[2].is_free()) << "the target was never used";
}

TEST(PinUserPagesFast, UnpinnableFolioFallsBackToSlowPath) {
  Config cfg = builtin_config("gupfast-cma", base_variant());
  testing::Run r = run_first_call(cfg);
  EXPECT_TRUE(took(r, "try_grab_folio_fast"));
  EXPECT_TRUE(took(r, "follow_page_pte"));
  EXPECT_TRUE(took(r, "migrate_folio_move"));
  EXPECT_EQ(r.final_state.tasks[0].ret, 1);
}

TEST(PinUserPagesFast, PinnableFolioNeedsNoSlowPath) {
  Config cfg = one_anon(pin_user_pages_fast(0, 0, 1, kLongtermWrite));
  testing::Run r = run_first_call(cfg);
  EXPECT_FALSE(took(r, "follow_page_pte"));
  EXPECT_EQ(r.final_state.tasks[0].ret, 1);
  EXPECT_EQ(r.final_state.folios[0].refcount, 1 + kGupPinCountingBias);
}

TEST(PinUserPagesFast, ReadOnlyLongtermPinOfPageCacheFallsBack) {
  // gup_must_unshare(NULL, ...) is true for any non-anon long-term R/O pin
  // of a R/O PTE: GUP-fast has no VMA to tell a COW mapping from a shared one.
  Config cfg = shared_file(VmaKind::kShmemShared, FolioKind::kShmem,
                           pin_user_pages_fast(0, 0, 1, FOLL_LONGTERM), false);
  testing::Run r = run_first_call(cfg);
  EXPECT_TRUE(took(r, "follow_page_pte"));
  EXPECT_EQ(r.final_state.tasks[0].ret, 1);
}

TEST(LongtermLoop, DriverCmaPageNeverOnLruSpinsForever) {
  // mm/gup.c: __gup_longterm_locked(): every round pins, collects, fails to isolate,
  // unpins and returns -EAGAIN; the state after a round is the state before.
  Config cfg = builtin_config("driver-cma", base_variant());
  testing::Run r = run(cfg, testing::first_ordinary, 100);
  EXPECT_FALSE(r.finished);
  EXPECT_EQ(r.final_state.tasks[0].script_pos, 0) << "pin_user_pages never returns";
  EXPECT_EQ(r.final_state.tasks[0].rounds, 3) << "rounds with no other task: the loop is stuck";
}

TEST(FaultinPage, ReadOnlyLongtermPinOfZeroPageUnsharesIntoAnon) {
  ConfigBuilder b("zero");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  FolioSpec z;
  z.kind = FolioKind::kZeroPage;
  int zero = b.add_folio(z);
  b.add_folio(free_normal());
  b.map(0, 0, zero, 0, false);
  b.add_task({pin_user_pages(0, 0, 1, FOLL_LONGTERM), unpin_user_pages()});
  Config cfg = b.build();
  testing::Run r = run_first_call(cfg);
  EXPECT_TRUE(took(r, "faultin_page"));
  const State& s = r.final_state;
  EXPECT_EQ(s.tasks[0].ret, 1);
  EXPECT_EQ(s.folios[zero].refcount, 1) << "the zero page's count never changes";
  EXPECT_EQ(s.mms[0].ptes[0].folio, 1) << "an exclusive anon copy, mapped R/O";
  EXPECT_FALSE(s.mms[0].ptes[0].write());
}

TEST(FaultinPage, ShortTermReadPinOfZeroPageLeavesCountsAlone) {
  ConfigBuilder b("zero");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  FolioSpec z;
  z.kind = FolioKind::kZeroPage;
  int zero = b.add_folio(z);
  b.map(0, 0, zero, 0, false);
  b.add_task({pin_user_pages(0, 0, 1, 0), unpin_user_pages()});
  Config cfg = b.build();
  testing::Run r = run_first_call(cfg);
  EXPECT_EQ(r.final_state.tasks[0].ret, 1);
  EXPECT_EQ(r.final_state.tasks[0].pages[0].folio(), zero);
  EXPECT_EQ(r.final_state.folios[zero].refcount, 1);
}

TEST(FaultinPage, MissingPteFaultedInOutsideMovableUnderMemallocPin) {
  ConfigBuilder b("fault");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  FolioSpec movable = free_normal();
  movable.zone = Zone::kMovable;
  b.add_folio(movable);  // lowest index: what an ordinary fault would take
  b.add_folio(free_normal());
  b.add_task({pin_user_pages(0, 0, 1, kLongtermWrite), unpin_user_pages()});
  Config cfg = b.build();
  testing::Run r = run_first_call(cfg);
  EXPECT_EQ(r.final_state.tasks[0].ret, 1);
  EXPECT_EQ(r.final_state.mms[0].ptes[0].folio, 1) << "PF_MEMALLOC_PIN strips __GFP_MOVABLE";
  EXPECT_FALSE(took(r, "migrate_folio_move"));
}

TEST(PinUserPages, SwapcacheAnonFolioPinned) {
  FolioSpec s = anon();
  s.swapcache = true;
  Config cfg = one_anon(pin_user_pages(0, 0, 1, kLongtermWrite), s);
  testing::Run r = run_first_call(cfg);
  EXPECT_EQ(r.final_state.tasks[0].ret, 1);
  EXPECT_EQ(r.final_state.folios[0].refcount, 2 + kGupPinCountingBias);
}

TEST(FaultinPage, AllocationFailureFailsTheCallWithEnomem) {
  ConfigBuilder b("fault-fail");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  b.add_folio(free_normal());
  b.add_task({pin_user_pages(0, 0, 1, FOLL_WRITE), unpin_user_pages()});
  b.inject_alloc_failure(true);
  Config cfg = b.build();
  testing::Run r = run_first_call(cfg, fail_at(cfg, "faultin_page"));
  EXPECT_EQ(r.final_state.tasks[0].ret, ENOMEM_);
  EXPECT_TRUE(r.final_state.folios[0].is_free());
}

TEST(State, HashAndEqualityReadTheBytes) {
  Config cfg = builtin_config("default", base_variant());
  State a = cfg.initial, b = cfg.initial;
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.hash(), b.hash());
  b.folios[0].refcount++;
  EXPECT_FALSE(a == b);
  EXPECT_NE(a.hash(), b.hash());
}

TEST(ConfigBuilder, RejectsMappingOfMissingFolio) {
  ConfigBuilder b("bad");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  EXPECT_THROW(b.map(0, 0, 3, 0, true), ConfigError);
}

TEST(ConfigBuilder, RejectsSecondPinBeforeUnpin) {
  ConfigBuilder b("bad");
  b.add_mm();
  EXPECT_THROW(b.add_task({pin_user_pages(0, 0, 1, 0), pin_user_pages(0, 0, 1, 0)}), ConfigError);
}

}  // namespace
}  // namespace gup
