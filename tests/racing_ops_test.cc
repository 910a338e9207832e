// Unit tests of the operations that race with pins (model/fork.cc,
// madvise.cc, user_fault.cc, mprotect.cc, vmscan.cc, huge_memory.cc,
// truncate.cc, compaction.cc, cma.cc, transient_ref.cc) on hand-built
// machines, one task at a time.
#include <gtest/gtest.h>

#include <memory>

#include "model/config_builder.h"
#include "tests/folio_specs.h"
#include "tests/run_util.h"

namespace gup {
namespace {

using testing::Chooser;
using testing::fail_at;
using testing::first_ordinary;

constexpr uint8_t kRW = VM_READ | VM_WRITE;

using testing::anon;
using testing::free_normal;
using testing::of_kind;

// Steps task `t` alone until it has completed `ops` operations of its
// script; `log` (optional) collects the events of every step.
State run_ops(const Config& cfg, State s, int t, int ops, const Chooser& choose = first_ordinary,
              std::vector<Event>* log = nullptr) {
  StepBuffer b;
  for (int n = 0; n < 200 && s.tasks[t].script_pos < ops; n++) {
    enabled_steps(s, cfg, b);
    StepBuffer mine;
    for (const Step& st : b)
      if (st.task == t) mine.push(st);
    if (mine.n == 0) break;
    EventLog ev;
    apply(s, cfg, choose(s, mine), &ev);
    if (log) log->insert(log->end(), ev.begin(), ev.end());
  }
  return s;
}
State run_ops(const Config& cfg, int ops, const Chooser& choose = first_ordinary,
              std::vector<Event>* log = nullptr) {
  return run_ops(cfg, cfg.initial, 0, ops, choose, log);
}

bool logged(const std::vector<Event>& log, EventKind kind, int folio) {
  for (const Event& e : log)
    if (e.kind == kind && e.folio == folio) return true;
  return false;
}

bool pae(const Folio& f, int page) {
  return (f.anon_exclusive >> page) & 1;
}

// ---- fork ----

// Anon folio 0 mapped writable at mm0 address 0, MMF_HAS_PINNED, a free
// folio for copies; task 0 runs `ops`.
Config fork_machine(std::initializer_list<Op> ops) {
  ConfigBuilder b("fork");
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  int f = b.add_folio(anon());
  b.add_folio(free_normal());
  b.map(0, 0, f, 0, true);
  b.set_has_pinned(0);
  b.add_task(ops);
  b.inject_alloc_failure(true);
  return b.build();
}

TEST(Fork, PinnedAnonFolioCopiedForChild) {
  Config cfg =
      fork_machine({pin_user_pages(0, 0, 1, FOLL_WRITE), fork_mm(0, 1), unpin_user_pages()});
  State s = run_ops(cfg, 2);
  const Pte& parent = s.mms[0].ptes[0];
  const Pte& child = s.mms[1].ptes[0];
  EXPECT_TRUE(s.mms[1].flags & kMmLive);
  EXPECT_FALSE(s.mms[1].flags & MMF_HAS_PINNED) << "mmf_init_flags() drops MMF_HAS_PINNED";
  ASSERT_TRUE(parent.present());
  EXPECT_EQ(parent.folio, 0);
  EXPECT_TRUE(parent.write()) << "the pinned page stays writable in the parent";
  EXPECT_TRUE(pae(s.folios[0], 0));
  EXPECT_EQ(s.folios[0].mapcount, 1);
  ASSERT_TRUE(child.present());
  EXPECT_EQ(child.folio, 1);
  EXPECT_TRUE(child.write());
  EXPECT_TRUE(pae(s.folios[1], 0));
  EXPECT_EQ(s.folios[1].mapcount, 1);
  EXPECT_EQ(s.mms[0].mmap_lock, 0);
  EXPECT_EQ(s.mms[1].mmap_lock, 0);
  EXPECT_EQ(s.mms[0].write_protect_seq, 2);
}

TEST(Fork, UnpinnedAnonFolioSharedReadOnlyAndLosesExclusive) {
  Config cfg = fork_machine({fork_mm(0, 1)});
  State s = run_ops(cfg, 1);
  ASSERT_TRUE(s.mms[1].ptes[0].present());
  EXPECT_EQ(s.mms[1].ptes[0].folio, 0);
  EXPECT_FALSE(s.mms[0].ptes[0].write());
  EXPECT_FALSE(s.mms[1].ptes[0].write());
  EXPECT_FALSE(pae(s.folios[0], 0));
  EXPECT_EQ(s.folios[0].mapcount, 2);
  EXPECT_EQ(s.folios[0].refcount, 2);
  EXPECT_TRUE(s.folios[1].is_free());
}

TEST(Fork, WriteProtectSeqOddWhileCopyingACowVma) {
  ConfigBuilder b("fork-seq");
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  b.map(0, 0, b.add_folio(anon()), 0, true);
  b.map(0, 1, b.add_folio(anon()), 0, true);
  b.add_task({fork_mm(0, 1)});
  Config cfg = b.build();
  State s = cfg.initial;
  std::vector<int> seqs;
  StepBuffer buf;
  for (enabled_steps(s, cfg, buf); buf.n; enabled_steps(s, cfg, buf)) {
    apply(s, cfg, buf.steps[0]);
    seqs.push_back(s.mms[0].write_protect_seq);
  }
  EXPECT_EQ(seqs, (std::vector<int>{0, 1, 1, 1, 2}))
      << "dup_mmap, then each PTE's pin check and write-protection; the last ends the VMA";
}

// Takes the listed tasks' ordinary steps in order, then lowest task first.
Chooser schedule(std::vector<int> order) {
  auto pos = std::make_shared<size_t>(0);
  return [order, pos](const State& s, const StepBuffer& b) {
    while (*pos < order.size()) {
      int t = order[(*pos)++];
      for (const Step& st : b)
        if (st.task == t && st.choice == 0) return st;
    }
    return first_ordinary(s, b);
  };
}

// 57efa1fe5957: a GUP-fast pin that lands between fork's pin check and its
// write-protection sees write_protect_seq change, unpins and falls back.
TEST(Fork, FastPinInsideTheCopyWindowIsUndoneBySeqcount) {
  ConfigBuilder b("fork-gup-fast");
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  b.map(0, 0, b.add_folio(anon()), 0, true);
  b.add_folio(free_normal());
  b.add_task({fork_mm(0, 1)});
  b.add_task({pin_user_pages_fast(0, 0, 1, FOLL_WRITE), unpin_user_pages()});
  Config cfg = b.build();
  // T1 reads the even seq; T0 locks and checks (no pin yet); T1 reads the
  // PTE, pins, and finds the seq changed.
  testing::Run r = testing::run(cfg, schedule({1, 0, 0, 1, 1, 1}));
  EXPECT_TRUE(testing::took(r, "folio_try_dup_anon_rmap_pte"));
  EXPECT_TRUE(testing::took(r, "gup_fast_fallback"));
  EXPECT_TRUE(r.finished);
  const State& s = r.final_state;
  EXPECT_EQ(s.mms[0].ptes[0].folio, 1) << "the slow path broke COW after the fork";
  EXPECT_EQ(s.mms[1].ptes[0].folio, 0);
  EXPECT_EQ(s.folios[0].refcount, 1) << "the child's mapping only: the pin was undone";
  EXPECT_EQ(s.folios[1].mapcount, 1);
  EXPECT_FALSE(folio_maybe_dma_pinned(s.folios[1])) << "unpinned at the end";
}

TEST(Fork, CopyAllocationFailureAbandonsTheChild) {
  Config cfg =
      fork_machine({pin_user_pages(0, 0, 1, FOLL_WRITE), fork_mm(0, 1), unpin_user_pages()});
  State s = run_ops(cfg, 2, fail_at(cfg, "copy_present_page"));
  EXPECT_FALSE(s.mms[1].flags & kMmLive);
  EXPECT_TRUE(s.mms[1].ptes[0].none());
  EXPECT_EQ(s.mms[1].vmas[0].kind, VmaKind::kNone);
  EXPECT_TRUE(s.mms[0].ptes[0].write());
  EXPECT_EQ(s.folios[0].mapcount, 1);
  EXPECT_TRUE(s.folios[1].is_free());
  EXPECT_EQ(s.mms[0].write_protect_seq % 2, 0);
  EXPECT_EQ(s.mms[0].mmap_lock, 0);
}

TEST(Fork, SharedShmemVmaIsNotCopied) {
  ConfigBuilder b("fork-shmem");
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 1, VmaKind::kShmemShared, kRW, 0);
  int f = b.add_folio(of_kind(FolioKind::kShmem));
  b.add_to_page_cache(0, 0, f);
  b.map(0, 0, f, 0, true);
  b.add_task({fork_mm(0, 1)});
  Config cfg = b.build();
  State s = run_ops(cfg, 1);
  EXPECT_EQ(s.mms[1].vmas[0].kind, VmaKind::kShmemShared);
  EXPECT_TRUE(s.mms[1].ptes[0].none()) << "vma_needs_copy(): the child faults it in";
  EXPECT_TRUE(s.mms[0].ptes[0].write());
}

// ---- madvise(MADV_DONTNEED) ----

TEST(Madvise, ZapDropsMapcountAndRefcountAndFrees) {
  Config cfg = fork_machine({madvise_dontneed(0, 0, 2)});
  State s = run_ops(cfg, 1);
  EXPECT_TRUE(s.mms[0].ptes[0].none());
  EXPECT_TRUE(s.folios[0].is_free());
  EXPECT_EQ(s.mms[0].mmap_lock, 0);
}

TEST(Madvise, PinnedFolioSurvivesZapAndKeepsExclusive) {
  Config cfg = fork_machine(
      {pin_user_pages(0, 0, 1, FOLL_WRITE), madvise_dontneed(0, 0, 1), unpin_user_pages()});
  State s = run_ops(cfg, 2);
  EXPECT_TRUE(s.mms[0].ptes[0].none());
  EXPECT_FALSE(s.folios[0].is_free());
  EXPECT_EQ(s.folios[0].mapcount, 0);
  EXPECT_EQ(s.folios[0].refcount, kGupPinCountingBias);
  EXPECT_TRUE(pae(s.folios[0], 0));
  s = run_ops(cfg, s, 0, 3);
  EXPECT_TRUE(s.folios[0].is_free()) << "the unpin drops the last reference";
}

// ---- user faults ----

TEST(UserFault, StoreAfterForkCopiesAndLogsTheWrite) {
  Config cfg = fork_machine({fork_mm(0, 1), write_fault(0, 0)});
  std::vector<Event> log;
  State s = run_ops(cfg, 2, first_ordinary, &log);
  ASSERT_TRUE(s.mms[0].ptes[0].present());
  EXPECT_EQ(s.mms[0].ptes[0].folio, 1) << "wp_page_copy(): the shared page is copied";
  EXPECT_TRUE(s.mms[0].ptes[0].write());
  EXPECT_TRUE(logged(log, EventKind::kUserWrite, 1));
  EXPECT_FALSE(logged(log, EventKind::kUserWrite, 0));
}

TEST(UserFault, LoadOfEmptyAnonAddressMapsTheZeroPage) {
  ConfigBuilder b("read");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  int zero = b.add_folio(of_kind(FolioKind::kZeroPage));
  b.add_task({read_fault(0, 0)});
  Config cfg = b.build();
  State s = run_ops(cfg, 1);
  ASSERT_TRUE(s.mms[0].ptes[0].present());
  EXPECT_EQ(s.mms[0].ptes[0].folio, zero);
  EXPECT_FALSE(s.mms[0].ptes[0].write());
}

TEST(UserFault, StoreToReadOnlyVmaIsSegv) {
  ConfigBuilder b("segv");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, VM_READ);
  b.add_folio(free_normal());
  b.add_task({write_fault(0, 0)});
  Config cfg = b.build();
  std::vector<Event> log;
  State s = run_ops(cfg, 1, first_ordinary, &log);
  EXPECT_TRUE(s.mms[0].ptes[0].none());
  EXPECT_TRUE(log.empty());
}

// ---- mprotect ----

TEST(Mprotect, WriteProtectKeepsExclusiveAndReenablingRestoresWrite) {
  Config cfg = fork_machine({mprotect(0, 0, 2, VM_READ), mprotect(0, 0, 2, kRW)});
  State s = run_ops(cfg, 1);
  EXPECT_FALSE(s.mms[0].ptes[0].write());
  EXPECT_FALSE(s.mms[0].vmas[0].test(VM_WRITE));
  EXPECT_TRUE(pae(s.folios[0], 0));
  s = run_ops(cfg, s, 0, 2);
  EXPECT_TRUE(s.mms[0].ptes[0].write()) << "can_change_pte_writable(): exclusive anon page";
  EXPECT_EQ(s.mms[0].mmap_lock, 0);
}

TEST(Mprotect, SharedAnonPageStaysReadOnlyAfterFork) {
  Config cfg = fork_machine({fork_mm(0, 1), mprotect(0, 0, 2, VM_READ), mprotect(0, 0, 2, kRW)});
  State s = run_ops(cfg, 3);
  EXPECT_FALSE(s.mms[0].ptes[0].write()) << "not exclusive: the write fault must COW";
}

// ---- reclaim ----

// A clean page-cache folio of file 0 mapped shared at mm0 address 0.
Config page_cache_machine(std::initializer_list<Op> ops, FolioKind kind = FolioKind::kPageCache) {
  ConfigBuilder b("page-cache");
  b.add_mm();
  b.add_vma(0, 0, 1, kind == FolioKind::kShmem ? VmaKind::kShmemShared : VmaKind::kFileShared, kRW,
            0);
  int f = b.add_folio(of_kind(kind));
  b.add_to_page_cache(0, 0, f);
  b.map(0, 0, f, 0, false);
  b.add_task(ops);
  return b.build();
}

TEST(Reclaim, UnpinnedCleanPageCacheFolioIsFreed) {
  Config cfg = page_cache_machine({reclaim(0)});
  std::vector<Event> log;
  State s = run_ops(cfg, 1, first_ordinary, &log);
  EXPECT_TRUE(s.folios[0].is_free());
  EXPECT_EQ(s.page_cache[0][0], kNoFolio);
  EXPECT_TRUE(s.mms[0].ptes[0].none());
  EXPECT_TRUE(logged(log, EventKind::kReclaimed, 0));
}

TEST(Reclaim, PinnedPageCacheFolioIsKept) {
  Config cfg = page_cache_machine({pin_user_pages(0, 0, 1, 0), reclaim(0), unpin_user_pages()});
  std::vector<Event> log;
  State s = run_ops(cfg, 2, first_ordinary, &log);
  EXPECT_FALSE(s.folios[0].is_free());
  EXPECT_EQ(s.page_cache[0][0], 0);
  EXPECT_TRUE(s.folios[0].test(kLru)) << "put back";
  EXPECT_EQ(s.tasks[0].isolated, 0);
  EXPECT_FALSE(logged(log, EventKind::kReclaimed, 0));
  EXPECT_EQ(s.folios[0].refcount, 1 + s.folios[0].mapcount + kGupPinCountingBias);
}

TEST(Reclaim, PinnedAnonFolioIsKeptMapped) {
  Config cfg = fork_machine({pin_user_pages(0, 0, 1, FOLL_WRITE), reclaim(0), unpin_user_pages()});
  State s = run_ops(cfg, 2);
  EXPECT_TRUE(s.mms[0].ptes[0].present());
  EXPECT_TRUE(s.folios[0].test(kLru));
  EXPECT_EQ(s.folios[0].refcount, 1 + kGupPinCountingBias);
}

// ---- THP split ----

// A large anon folio mapped at mm0 addresses 0 (page 0) and 1 (page 1).
Config thp_machine(std::initializer_list<Op> ops) {
  ConfigBuilder b("thp");
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  int f = b.add_folio(anon(Migratetype::kMovable, 1));
  b.add_folio(free_normal());
  b.map(0, 0, f, 0, true);
  b.map(0, 1, f, 1, true);
  b.add_task(ops);
  return b.build();
}

TEST(SplitHugePage, RefusedWhilePinned) {
  Config cfg =
      thp_machine({pin_user_pages(0, 0, 1, FOLL_WRITE), split_huge_page(0), unpin_user_pages()});
  std::vector<Event> log;
  State s = run_ops(cfg, 2, first_ordinary, &log);
  EXPECT_EQ(s.folios[0].order, 1) << "can_split_folio(): -EAGAIN";
  EXPECT_EQ(s.folios[0].refcount, 2 + 1);
  EXPECT_EQ(s.folios[0].pincount, 1);
  EXPECT_TRUE(s.folios[1].is_free());
  EXPECT_FALSE(logged(log, EventKind::kSplit, 0));
}

TEST(SplitHugePage, AllowedWhenUnpinnedAndCountsConserved) {
  Config cfg = thp_machine({split_huge_page(0)});
  std::vector<Event> log;
  State s = run_ops(cfg, 1, first_ordinary, &log);
  const Folio& head = s.folios[0];
  const Folio& tail = s.folios[1];
  EXPECT_TRUE(logged(log, EventKind::kSplit, 0));
  EXPECT_EQ(head.order, 0);
  EXPECT_EQ(tail.order, 0);
  EXPECT_FALSE(tail.is_free());
  EXPECT_EQ(tail.kind, FolioKind::kAnon);
  EXPECT_EQ(head.refcount + tail.refcount, 2);
  EXPECT_EQ(head.mapcount, 1);
  EXPECT_EQ(tail.mapcount, 1);
  EXPECT_EQ(s.mms[0].ptes[1].folio, 1);
  EXPECT_EQ(s.mms[0].ptes[1].page(), 0);
  EXPECT_TRUE(s.mms[0].ptes[1].write());
  EXPECT_TRUE(pae(tail, 0));
  EXPECT_TRUE(head.test(kLru) && tail.test(kLru));
}

TEST(SplitHugePage, TransientReferenceHeldBetweenSections) {
  Config cfg = thp_machine({split_huge_page(0)});
  State s = cfg.initial;
  StepBuffer b;
  enabled_steps(s, cfg, b);
  apply(s, cfg, b.steps[0]);
  EXPECT_EQ(s.folios[0].refcount, 3) << "folio_try_get() of the caller";
}

// ---- truncate ----

TEST(Truncate, OrphansPinnedPageCacheFolio) {
  Config cfg = page_cache_machine(
      {pin_user_pages(0, 0, 1, FOLL_WRITE | FOLL_LONGTERM), truncate(0, 0), unpin_user_pages()},
      FolioKind::kShmem);
  State s = run_ops(cfg, 2);
  const Folio& f = s.folios[0];
  EXPECT_TRUE(s.mms[0].ptes[0].none());
  EXPECT_EQ(s.page_cache[0][0], kNoFolio);
  EXPECT_FALSE(f.is_free());
  EXPECT_FALSE(f.test(kMapping));
  EXPECT_FALSE(f.test(kDirty));
  EXPECT_EQ(f.refcount, kGupPinCountingBias);
  EXPECT_TRUE(folio_maybe_dma_pinned(f));
  s = run_ops(cfg, s, 0, 3);
  EXPECT_TRUE(s.folios[0].is_free());
}

TEST(Truncate, PrivateCowCopySurvives) {
  ConfigBuilder b("cow");
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kFilePrivate, kRW, 0);
  int file_folio = b.add_folio(of_kind(FolioKind::kPageCache));
  int copy = b.add_folio(anon());
  b.add_to_page_cache(0, 0, file_folio);
  b.add_to_page_cache(0, 1, b.add_folio(of_kind(FolioKind::kPageCache)));
  b.map(0, 0, copy, 0, true);
  b.map(0, 1, 2, 0, false);
  b.add_task({truncate(0, 0), truncate(0, 1)});
  Config cfg = b.build();
  State s = run_ops(cfg, 2);
  EXPECT_TRUE(s.folios[file_folio].is_free());
  EXPECT_TRUE(s.folios[2].is_free());
  EXPECT_TRUE(s.mms[0].ptes[1].none());
  ASSERT_TRUE(s.mms[0].ptes[0].present());
  EXPECT_EQ(s.mms[0].ptes[0].folio, copy);
}

// ---- compaction ----

TEST(Compaction, MigratesUnpinnedFolio) {
  Config cfg = fork_machine({compact(0)});
  std::vector<Event> log;
  State s = run_ops(cfg, 1, first_ordinary, &log);
  EXPECT_TRUE(logged(log, EventKind::kMigrated, 0));
  EXPECT_TRUE(s.folios[0].is_free());
  ASSERT_TRUE(s.mms[0].ptes[0].present());
  EXPECT_EQ(s.mms[0].ptes[0].folio, 1);
  EXPECT_TRUE(s.mms[0].ptes[0].write());
  EXPECT_TRUE(pae(s.folios[1], 0));
  EXPECT_EQ(s.tasks[0].isolated, 0);
}

TEST(Compaction, FailsOnPinnedFolio) {
  Config cfg = fork_machine({pin_user_pages(0, 0, 1, FOLL_WRITE), compact(0), unpin_user_pages()});
  std::vector<Event> log;
  State s = run_ops(cfg, 2, first_ordinary, &log);
  EXPECT_FALSE(logged(log, EventKind::kMigrated, 0));
  EXPECT_EQ(s.mms[0].ptes[0].folio, 0);
  EXPECT_TRUE(s.folios[1].is_free());
  EXPECT_TRUE(s.folios[0].test(kLru));
  EXPECT_EQ(s.folios[0].refcount, 1 + kGupPinCountingBias);
}

TEST(Compaction, TargetAllocationFailurePutsBack) {
  Config cfg = fork_machine({compact(0)});
  State s = run_ops(cfg, 1, fail_at(cfg, "migrate_folio_unmap"));
  EXPECT_EQ(s.mms[0].ptes[0].folio, 0);
  EXPECT_TRUE(s.folios[0].test(kLru));
  EXPECT_EQ(s.folios[0].refcount, 1);
}

// ---- cma_alloc ----

// Two anon folios in CMA mapped at mm0 addresses 0 and 1, two free normal
// folios as targets.
Config cma_machine(std::initializer_list<Op> ops) {
  ConfigBuilder b("cma");
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  b.map(0, 0, b.add_folio(anon(Migratetype::kCma)), 0, true);
  b.map(0, 1, b.add_folio(anon(Migratetype::kCma)), 0, true);
  b.add_folio(free_normal());
  b.add_folio(free_normal());
  b.add_task(ops);
  return b.build();
}

bool cma_range_free(const State& s, const Config& cfg) {
  for (int i = 0; i < cfg.nr_folios; i++)
    if (s.folios[i].migratetype == Migratetype::kCma && !s.folios[i].is_free()) return false;
  return true;
}

TEST(CmaAlloc, SucceedsWhenNothingIsPinned) {
  Config cfg = cma_machine({cma_alloc()});
  State s = run_ops(cfg, 1);
  EXPECT_TRUE(cma_range_free(s, cfg));
  EXPECT_EQ(s.mms[0].ptes[0].folio, 2);
  EXPECT_EQ(s.mms[0].ptes[1].folio, 3);
  EXPECT_EQ(s.folios[0].migratetype, Migratetype::kCma) << "undo_isolate_page_range()";
}

TEST(CmaAlloc, FailsWithPinnedCmaFolio) {
  Config cfg = cma_machine({pin_user_pages(0, 1, 1, FOLL_WRITE), cma_alloc(), unpin_user_pages()});
  State s = run_ops(cfg, 2);
  EXPECT_FALSE(cma_range_free(s, cfg)) << "test_pages_isolated(): -EBUSY";
  EXPECT_TRUE(s.folios[0].is_free()) << "the unpinned folio was migrated";
  EXPECT_EQ(s.mms[0].ptes[0].folio, 2);
  EXPECT_EQ(s.mms[0].ptes[1].folio, 1) << "the pinned folio stays";
  EXPECT_EQ(s.folios[1].migratetype, Migratetype::kCma);
  EXPECT_EQ(s.folios[0].migratetype, Migratetype::kCma);
  EXPECT_EQ(s.tasks[0].isolated, 0);
}

TEST(CmaAlloc, LongtermPinRefusedWhileRangeIsolated) {
  Config cfg = cma_machine({cma_alloc()});
  State s = run_ops(cfg, cfg.initial, 0, 0);
  StepBuffer b;
  enabled_steps(s, cfg, b);
  apply(s, cfg, b.steps[0]);  // start_isolate_page_range()
  EXPECT_EQ(s.folios[0].migratetype, Migratetype::kIsolate);
  EXPECT_FALSE(folio_is_longterm_pinnable(s.folios[0]));
}

// ---- transient references, LRU drain ----

TEST(TransientRef, ReferenceHeldBetweenTryGetAndPut) {
  Config cfg = fork_machine({transient_ref(0)});
  State s = cfg.initial;
  StepBuffer b;
  enabled_steps(s, cfg, b);
  apply(s, cfg, b.steps[0]);
  EXPECT_EQ(s.folios[0].refcount, 2);
  enabled_steps(s, cfg, b);
  apply(s, cfg, b.steps[0]);
  EXPECT_EQ(s.folios[0].refcount, 1);
  EXPECT_TRUE(all_tasks_done(s, cfg));
}

TEST(TransientRef, TryGetOfFreeFolioFails) {
  Config cfg = fork_machine({transient_ref(1)});
  State s = run_ops(cfg, 1);
  EXPECT_TRUE(s.folios[1].is_free());
  EXPECT_EQ(s.folios[1].refcount, 0);
}

TEST(LruAddDrainAll, DrainsEveryCpuBatch) {
  ConfigBuilder b("drain");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  FolioSpec spec = anon();
  spec.lru_batch_cpu = 1;
  int f = b.add_folio(spec);
  b.map(0, 0, f, 0, true);
  b.add_task({lru_add_drain_all()});
  Config cfg = b.build();
  ASSERT_EQ(cfg.initial.folios[f].refcount, 2);
  State s = run_ops(cfg, 1);
  EXPECT_TRUE(s.folios[f].test(kLru));
  EXPECT_FALSE(s.folios[f].in_lru_batch());
  EXPECT_EQ(s.folios[f].refcount, 1) << "the batch's reference is dropped";
}

// ---- device-coherent migration (mm/gup.c migrate_longterm_unpinnable_folios) ----

// A device-coherent folio mapped writable at mm0 address 0 (folio 0), a
// free normal folio, and task 0's long-term pin_user_pages() of it; with
// `other_pin`, task 1 pins the same page short-term.
Config device_coherent_machine(bool other_pin) {
  ConfigBuilder b(other_pin ? "dc-pinned" : "dc-alone");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  FolioSpec dc = of_kind(FolioKind::kDeviceCoherent);
  dc.zone = Zone::kDevice;
  b.map(0, 0, b.add_folio(dc), 0, true);
  b.add_folio(free_normal());
  b.add_task({pin_user_pages(0, 0, 1, FOLL_WRITE | FOLL_LONGTERM)});
  if (other_pin) b.add_task({pin_user_pages(0, 0, 1, FOLL_WRITE)});
  return b.build();
}

// A device-coherent folio another task holds a FOLL_PIN on: the long-term
// call's migrate_device_coherent_folio() fails in migrate_vma_check_page()
// (the extra reference), so the call returns -EBUSY and the folio is
// neither migrated nor freed under the other pin.
TEST(DeviceCoherent, MigrationRefusedWhileAnotherPinIsHeld) {
  Config cfg = device_coherent_machine(true);
  const int f = 0;
  State s = run_ops(cfg, cfg.initial, 1, 1);  // task 1 holds a short-term pin
  ASSERT_FALSE(s.tasks[1].pages[0].empty());
  std::vector<Event> log;
  s = run_ops(cfg, s, 0, 1, first_ordinary, &log);
  EXPECT_FALSE(logged(log, EventKind::kMigrated, f));
  bool busy = false;
  for (const Event& e : log) busy |= e.kind == EventKind::kGupReturned && e.value == EBUSY_;
  EXPECT_TRUE(busy) << "the long-term call fails with -EBUSY";
  EXPECT_TRUE(s.tasks[0].pages[0].empty());
  EXPECT_EQ(s.folios[f].refcount, 1 + kGupPinCountingBias) << "mapping + task 1's pin";
  EXPECT_EQ(s.mms[0].ptes[0].folio, f);
}

// Without the other pin the same call migrates the folio to normal memory.
TEST(DeviceCoherent, MigratedWhenOnlyTheCallHoldsIt) {
  Config cfg = device_coherent_machine(false);
  const int f = 0;
  std::vector<Event> log;
  State s = run_ops(cfg, cfg.initial, 0, 1, first_ordinary, &log);
  EXPECT_TRUE(logged(log, EventKind::kMigrated, f));
  EXPECT_NE(s.mms[0].ptes[0].folio, f);
}

}  // namespace
}  // namespace gup
