// cma_alloc() of the whole CMA area: mm/cma.c: cma_alloc() ->
// mm/page_alloc.c: alloc_contig_range_noprof() -> mm/page_isolation.c:
// start_isolate_page_range(), __alloc_contig_migrate_range()
// (lru_cache_disable(), isolate_migratepages_range(),
// migrate_pages(MR_CONTIG_RANGE), putback_movable_pages()),
// test_pages_isolated(), undo_isolate_page_range() (6.12).
//
// Contract: the range's pageblocks are MIGRATE_ISOLATE for the duration
// (nothing is allocated from them, and folio_is_longterm_pinnable() is
// false for their folios); every folio in use is isolated and migrated out;
// the allocation succeeds iff every page of the range is then free. A
// pinned folio cannot be migrated (migrate_folio_unmap() refuses a pinned
// exclusive anon page; migrate_folio_move() sees the pin's references), or
// is not even isolated (no mapping and refcount > mapcount), so the range
// stays busy: -EBUSY. Pins are ignored by start_isolate_page_range(). At
// the end the pageblocks get their type back (saved_mt).
//
// Simplifications: the range is every folio whose pageblock is MIGRATE_CMA;
// a second cma_alloc() while it is isolated fails at once with -EBUSY
// (set_migratetype_isolate()); on success the free pages are left free (not
// handed to a CMA user); each folio gets one isolation and one migration
// attempt (the kernel retries the list up to 5 times); drain_all_pages()
// (per-CPU free lists) is not modelled; lru_cache_disable() drains the
// lru_add batches but does not keep later folio_add_lru() calls off them.
//
// Atomic sections: (1) start_isolate_page_range(); (2) lru_cache_disable()
// -> lru_add_drain_all(); (3) one isolation per folio in use; (4) per
// isolated folio migrate_folio_unmap(), migrate_folio_move(); (5)
// putback_movable_pages() of what is left; (6) test_pages_isolated() and
// undo_isolate_page_range().
#include <cstdio>

#include "model/kernel_functions.h"
#include "model/racing.h"

GUP_DOMAIN_BEGIN
namespace kernel {

using namespace cma_sections;

bool in_range(const Folio& f) {
  GUP_OVERRIDABLE(in_range, f);
  return f.migratetype == Migratetype::kIsolate && f.saved_mt == Migratetype::kCma;
}

// The next folio in use in the isolated range at or after `from`.
int next_in_use(const State& s, const Config& cfg, int from) {
  GUP_OVERRIDABLE(next_in_use, s, cfg, from);
  for (int i = from; i < cfg.nr_folios; i++)
    if (in_range(s.folios[i]) && !s.folios[i].is_free()) return i;
  return kNoFolio;
}

// isolate_migratepages_block() with cc->alloc_contig for one folio.
bool isolate_for_contig(State& s, int idx) {
  GUP_OVERRIDABLE(isolate_for_contig, s, idx);
  Folio& f = s.folios[idx];
  if (f.kind == FolioKind::kHugetlb)
    return isolate_hugetlb(s, idx);  // isolate_or_dissolve_huge_page()
  if (!f.test(kLru) || f.kind == FolioKind::kSecretmem) return false;
  bool mapping = folio_test_anon(f) ? f.test(kSwapcache) : f.test(kMapping);
  if (!mapping && f.refcount > f.mapcount) return false;
  return folio_isolate_lru(s, idx);
}

// mm/page_isolation.c: start_isolate_page_range().
void start_isolate_page_range(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(start_isolate_page_range, s, c);
  bool any = false;
  for (int i = 0; i < c.cfg.nr_folios; i++) {
    const Folio& f = s.folios[i];
    if (f.migratetype == Migratetype::kIsolate) return finish_op(s, c);  // -EBUSY
    any |= f.migratetype == Migratetype::kCma;
  }
  if (!any) return finish_op(s, c);
  for (int i = 0; i < c.cfg.nr_folios; i++) {
    Folio& f = s.folios[i];
    if (f.migratetype != Migratetype::kCma) continue;
    f.saved_mt = Migratetype::kCma;
    f.migratetype = Migratetype::kIsolate;
  }
  task(s, c).pc = kPcDrain;
}

// mm/page_isolation.c: test_pages_isolated() (the result: every page of
// the range free, or -EBUSY), then undo_isolate_page_range().
void test_and_undo(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(test_and_undo, s, c);
  for (int i = 0; i < c.cfg.nr_folios; i++) {
    Folio& f = s.folios[i];
    if (in_range(f)) f.migratetype = f.saved_mt;
  }
  finish_op(s, c);
}

int cma_choices(const State& s, const Config& cfg, int ti) {
  GUP_OVERRIDABLE(cma_choices, s, cfg, ti);
  return s.tasks[ti].pc == kPcMigrate ? migrate_pages_choices(s, cfg, ti) : 1;
}

void cma_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(cma_step, s, c);
  Task& t = task(s, c);
  switch (int(t.pc)) {
    case kPcStartIsolate:
      return start_isolate_page_range(s, c);
    case kPcDrain:
      lru_add_drain_all(s, c);
      t.isolated = t.failed = 0;
      t.target = kNoFolio;
      t.j = next_in_use(s, c.cfg, 0);
      t.pc = t.j == kNoFolio ? kPcTest : kPcIsolate;
      return;
    case kPcIsolate: {
      int idx = next_in_use(s, c.cfg, int(t.j));
      if (idx != kNoFolio && isolate_for_contig(s, idx)) t.isolated = t.isolated | 1u << idx;
      int next = idx == kNoFolio ? kNoFolio : next_in_use(s, c.cfg, idx + 1);
      t.j = next;
      if (next == kNoFolio) t.pc = next_folio_to_migrate(t) == kNoFolio ? kPcTest : kPcMigrate;
      return;
    }
    case kPcMigrate:
      if (migrate_pages_step(s, c, MigrateReason::kContigRange))
        t.pc = t.isolated ? kPcPutback : kPcTest;
      return;
    case kPcPutback:
      putback_movable_pages(s, c);
      t.pc = kPcTest;
      return;
    default:
      return test_and_undo(s, c);
  }
}

#if !GUP_SYMBOLIC
int busy_pages(const State& s, const Config& cfg) {
  int busy = 0;
  for (int i = 0; i < cfg.nr_folios; i++)
    if (in_range(s.folios[i]) && !s.folios[i].is_free()) busy++;
  return busy;
}

void cma_info(const State& s, const Config& cfg, int ti, StepInfo& out) {
  const Task& t = s.tasks[ti];
  out.source = "mm/page_alloc.c";
  switch (int(t.pc)) {
    case kPcStartIsolate:
      out.function = "start_isolate_page_range";
      out.source = "mm/page_isolation.c";
      return;
    case kPcDrain:
      out.function = "lru_cache_disable";
      out.source = "mm/swap.c";
      return;
    case kPcIsolate:
      out.function = "isolate_migratepages_range";
      out.source = "mm/compaction.c";
      std::snprintf(out.args, sizeof out.args, "folio %d", next_in_use(s, cfg, t.j));
      return;
    case kPcMigrate:
      return migrate_pages_info(t, out);
    case kPcPutback:
      out.function = "putback_movable_pages";
      out.source = "mm/migrate.c";
      return;
    default:
      out.function = "test_pages_isolated";
      out.source = "mm/page_isolation.c";
      std::snprintf(out.args, sizeof out.args, "%d folios busy: %s", busy_pages(s, cfg),
                    busy_pages(s, cfg) ? "-EBUSY" : "0");
  }
}
#endif

const OpImpl kOpCmaAlloc{cma_choices, cma_step, GUP_INFO(cma_info)};

}  // namespace kernel
GUP_DOMAIN_END
