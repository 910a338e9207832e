// The base model under crowded machines: four tasks mixing every GUP entry
// point with fork, COW, zap, reclaim, compaction, cma_alloc(), THP split,
// truncate and transient references, with allocation failures injected.
// Every property must hold; a violation here is a false alarm of a
// property or a bug of the base model. (These machines found that the
// ledger missed split_huge_page()'s own reference.)
#include <gtest/gtest.h>

#include "checker/random/random.h"
#include "model/config_builder.h"

namespace gup {
namespace {

constexpr uint8_t kRW = VM_READ | VM_WRITE;

FolioSpec anon(Zone z = Zone::kNormal, Migratetype mt = Migratetype::kMovable, int order = 0) {
  FolioSpec s;
  s.zone = z;
  s.migratetype = mt;
  s.order = order;
  return s;
}

FolioSpec free_folio(int order = 0) {
  FolioSpec s;
  s.free = true;
  s.order = order;
  return s;
}

// Anon memory: a long-term R/O pin of a CMA, a swap-cache and a batched
// folio, against fork + COW, GUP-fast FOLL_GET + zap, compaction,
// a transient reference and reclaim.
Config crowded_anon() {
  ConfigBuilder b("crowded-anon");
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 3, VmaKind::kAnon, kRW);
  int cma = b.add_folio(anon(Zone::kNormal, Migratetype::kCma));
  FolioSpec swap = anon();
  swap.swapcache = true;
  int sw = b.add_folio(swap);
  FolioSpec queued = anon();
  queued.lru_batch_cpu = 1;
  int q = b.add_folio(queued);
  for (int i = 0; i < 4; i++) b.add_folio(free_folio());
  b.add_folio(free_folio(1));
  b.map(0, 0, cma, 0, true);
  b.map(0, 1, sw, 0, false);
  b.map(0, 2, q, 0, true);
  b.add_task({pin_user_pages(0, 0, 3, FOLL_LONGTERM), unpin_user_pages()});
  b.add_task({fork_mm(0, 1), write_fault(0, 1), write_fault(1, 2)});
  b.add_task(
      {get_user_pages_fast(0, 0, 3, FOLL_WRITE), madvise_dontneed(0, 2, 1), unpin_user_pages()});
  b.add_task({compact(cma), transient_ref(sw), reclaim(q)});
  b.inject_alloc_failure(true);
  return b.build();
}

// Files: a FOLL_FORCE write into a read-only private file mapping racing
// with zap and re-fault (Dirty COW), a long-term pin of CMA shmem, reclaim,
// compaction, cma_alloc() and truncate.
Config crowded_file() {
  ConfigBuilder b("crowded-file");
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kFilePrivate, VM_READ, 0);
  b.add_vma(0, 2, 4, VmaKind::kShmemShared, kRW, 1);
  FolioSpec pc;
  pc.kind = FolioKind::kPageCache;
  int p = b.add_folio(pc);
  FolioSpec sh;
  sh.kind = FolioKind::kShmem;
  sh.migratetype = Migratetype::kCma;
  int h = b.add_folio(sh);
  for (int i = 0; i < 4; i++) b.add_folio(free_folio());
  b.add_to_page_cache(0, 0, p);
  b.add_to_page_cache(1, 0, h);
  b.map(0, 0, p, 0, false);
  b.map(0, 2, h, 0, true);
  b.add_task({get_user_pages(0, 0, 1, FOLL_WRITE | FOLL_FORCE), unpin_user_pages()});
  b.add_task({madvise_dontneed(0, 0, 1), read_fault(0, 0)});
  b.add_task({pin_user_pages_fast(0, 2, 2, FOLL_WRITE | FOLL_LONGTERM), unpin_user_pages(),
              truncate(1, 0)});
  b.add_task({reclaim(p), compact(h), cma_alloc()});
  return b.build();
}

// A THP in ZONE_MOVABLE and a CMA folio: long-term pin, GUP-fast pin and
// fork, cma_alloc(), split, mprotect and COW.
Config crowded_thp() {
  ConfigBuilder b("crowded-thp");
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  b.add_vma(0, 2, 4, VmaKind::kAnon, kRW);
  int t = b.add_folio(anon(Zone::kMovable, Migratetype::kMovable, 1));
  int c = b.add_folio(anon(Zone::kNormal, Migratetype::kCma));
  b.add_folio(free_folio(1));
  b.add_folio(free_folio(1));
  for (int i = 0; i < 4; i++) b.add_folio(free_folio());
  b.map(0, 0, t, 0, true);
  b.map(0, 1, t, 1, true);
  b.map(0, 2, c, 0, true);
  b.add_task({pin_user_pages(0, 0, 3, FOLL_WRITE | FOLL_LONGTERM), unpin_user_pages(),
              split_huge_page(t)});
  b.add_task({pin_user_pages_fast(0, 1, 2, 0), fork_mm(0, 1), unpin_user_pages()});
  b.add_task({cma_alloc(), lru_add_drain_all()});
  b.add_task({split_huge_page(t), mprotect(0, 0, 2, VM_READ), write_fault(0, 0)});
  b.inject_alloc_failure(true);
  return b.build();
}

// The shared zero page: long-term and short-term R/O pins, fork + COW, and
// a FOLL_GET write of unpopulated memory.
Config crowded_zero() {
  ConfigBuilder b("crowded-zero");
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 4, VmaKind::kAnon, kRW);
  FolioSpec z;
  z.kind = FolioKind::kZeroPage;
  int zero = b.add_folio(z);
  int a = b.add_folio(anon());
  for (int i = 0; i < 4; i++) b.add_folio(free_folio());
  b.map(0, 0, zero, 0, false);
  b.map(0, 1, a, 0, true);
  b.add_task({pin_user_pages(0, 0, 2, FOLL_LONGTERM), unpin_user_pages()});
  b.add_task({pin_user_pages_fast(0, 0, 3, 0), unpin_user_pages()});
  b.add_task({fork_mm(0, 1), write_fault(1, 1), write_fault(0, 0)});
  b.add_task({get_user_pages(0, 2, 2, FOLL_WRITE), unpin_user_pages()});
  return b.build();
}

TEST(RandomStress, BaseModelKeepsEveryPropertyOnCrowdedMachines) {
  for (Config (*make)() : {crowded_anon, crowded_file, crowded_thp, crowded_zero}) {
    Config cfg = make();
    SCOPED_TRACE(cfg.name);
    EngineOptions o;
    o.seed = 20261125;
    o.runs = 4000;
    o.jobs = 2;
    EngineResult r = random_search(cfg, all_properties(), o);
    EXPECT_EQ(r.verdict, Verdict::kBounded) << r.property << ": " << r.why;
  }
}

}  // namespace
}  // namespace gup
