// Mirrors of model/cma.cc: cma_alloc() of the whole CMA area = mm/cma.c
// cma_alloc() -> mm/page_alloc.c alloc_contig_range_noprof() ->
// mm/page_isolation.c start_isolate_page_range(),
// __alloc_contig_migrate_range(), test_pages_isolated(),
// undo_isolate_page_range() (6.12; gup-semantics.md §7.6); and of the
// migrate_pages() stepping it shares with compaction (model/racing.cc
// migrate_pages_step(), migrate_pages_choices(); mm/migrate.c
// migrate_pages()). Sections as in the model: (0) start_isolate_page_range,
// (1) lru_cache_disable, (2) one isolation per folio in use (Task::j, the
// next one, is case-split), (3) migrate_folio_unmap / migrate_folio_move,
// (4) putback_movable_pages, (5) test_pages_isolated + undo. The pageblock
// types (migratetype, saved_mt) are symbolic in configurations with a
// cma_alloc op (ops_write_pageblock()).
#include "checker/smt_encode.h"

namespace gup::smt {

namespace {

enum CmaPc : int { kPcStartIsolate, kPcDrain, kPcIsolate, kPcMigrate, kPcPutback, kPcTest, kNrPcs };

expr mt_is(const Enc& e, const SState& s, int k, Migratetype mt) {
  return s.f[k].migratetype == e.b8(int(mt));
}

// model in_range(): an isolated pageblock that was MIGRATE_CMA.
expr in_range(const Enc& e, const SState& s, int k) {
  return mt_is(e, s, k, Migratetype::kIsolate) && s.f[k].saved_mt == e.b8(int(Migratetype::kCma));
}

// model next_in_use(): the first folio in use of the isolated range at or
// after `from`, or kNoFolio.
expr next_in_use(const Enc& e, const SState& s, int from) {
  expr out = e.b8(kNoFolio);
  for (int k = e.cfg.nr_folios - 1; k >= from; k--)
    out = z3::ite(in_range(e, s, k) && !e.test(s, k, kFree), e.b8(k), out);
  return out;
}

// model isolate_for_contig() / isolate_migratepages_block() with
// cc->alloc_contig for one folio. Result in s.ok.
void isolate_for_contig(const Enc& e, SState& s, int k) {
  e.branch(
      s, e.is_kind(s, k, FolioKind::kHugetlb), [&](SState& x) { e.isolate_hugetlb(x, k); },
      [&](SState& x) {
        const SFolio& f = x.f[k];
        expr mapping =
            z3::ite(e.folio_test_anon(x, k), e.test(x, k, kSwapcache), e.test(x, k, kMapping));
        expr can = e.test(x, k, kLru) && !e.is_kind(x, k, FolioKind::kSecretmem) &&
                   (mapping || !(f.refcount > z3::sext(f.mapcount, 8)));
        x.ok = e.ff();
        e.branch(x, can, [&](SState& y) { e.folio_isolate_lru(y, k); });
      });
}

// model start_isolate_page_range() / mm/page_isolation.c: -EBUSY when a
// pageblock is already isolated (a concurrent cma_alloc()); else every
// MIGRATE_CMA pageblock becomes MIGRATE_ISOLATE, its type saved.
void start_isolate_page_range(const Enc& e, SState& s, int task) {
  expr busy = e.ff(), any = e.ff();
  for (int k = 0; k < e.cfg.nr_folios; k++) {
    busy = busy || mt_is(e, s, k, Migratetype::kIsolate);
    any = any || mt_is(e, s, k, Migratetype::kCma);
  }
  e.branch(
      s, busy || !any, [&](SState& x) { e.finish_op(x, task); },
      [&](SState& x) {
        for (int k = 0; k < e.cfg.nr_folios; k++) {
          expr cma = mt_is(e, x, k, Migratetype::kCma);
          x.f[k].saved_mt = z3::ite(cma, e.b8(int(Migratetype::kCma)), x.f[k].saved_mt);
          x.f[k].migratetype = z3::ite(cma, e.b8(int(Migratetype::kIsolate)), x.f[k].migratetype);
        }
        x.t[task].pc = e.b8(kPcDrain);
      });
}

// model test_and_undo(): test_pages_isolated(), undo_isolate_page_range().
void test_and_undo(const Enc& e, SState& s, int task) {
  for (int k = 0; k < e.cfg.nr_folios; k++)
    s.f[k].migratetype = z3::ite(in_range(e, s, k), s.f[k].saved_mt, s.f[k].migratetype);
  e.finish_op(s, task);
}

}  // namespace

// model migrate_pages_choices() (model/racing.cc): 2 when the unmap of the
// next folio allocates a target and failures are injected.
expr Enc::migrate_pages_choices(const SState& s, int task) const {
  if (!cfg.inject_alloc_failure) return b8(1);
  return z3::ite(s.t[task].target != b8(kNoFolio), b8(1),
                 z3::ite(migrate_unmap_allocates(s, next_folio_to_migrate(s, task)), b8(2), b8(1)));
}

// model migrate_pages_step() (model/racing.cc) / mm/migrate.c
// migrate_pages() for compaction and alloc_contig_range() (a movable
// target): migrate_folio_move() of Task::j while a target is held, else
// migrate_folio_unmap() of the next folio. s.ok: nothing is left to
// migrate (false right after a successful unmap).
void Enc::migrate_pages_step(SState& s, int task, const expr& choice) const {
  branch(
      s, s.t[task].target != b8(kNoFolio),
      [&](SState& x) {
        cases(x, x.t[task].j, cfg.nr_folios,
              [&](SState& y, int k) { migrate_folio_move(y, task, k); });
        x.ok = next_folio_to_migrate(x, task) == b8(kNoFolio);
      },
      [&](SState& x) {
        x.ret = b8(1);
        cases(x, next_folio_to_migrate(x, task), cfg.nr_folios, [&](SState& y, int k) {
          migrate_folio_unmap(y, task, k, false, choice);
          branch(y, y.ret == b8(0), [&](SState& w) { w.t[task].j = b8(k); });
        });
        x.ok = x.ret != b8(0) && next_folio_to_migrate(x, task) == b8(kNoFolio);
      });
}

// model cma_choices().
expr Enc::cma_choices(const SState& s, int task) const {
  return z3::ite(s.t[task].pc == b8(kPcMigrate), migrate_pages_choices(s, task), b8(1));
}

// model cma_step().
void Enc::cma_step(SState& s, int task, const expr& choice) const {
  cases(s, s.t[task].pc, kNrPcs, [&](SState& x, int pc) {
    STask& t = x.t[task];
    switch (pc) {
      case kPcStartIsolate:
        return start_isolate_page_range(*this, x, task);
      case kPcDrain: {
        lru_add_drain_all(x);  // lru_cache_disable()
        STask& u = x.t[task];
        u.isolated = u.failed = b16(0);
        u.target = b8(kNoFolio);
        u.j = next_in_use(*this, x, 0);
        u.pc = z3::ite(u.j == b8(kNoFolio), b8(kPcTest), b8(kPcIsolate));
        return;
      }
      case kPcIsolate:
        // isolate_migratepages_range() for the next folio in use at or
        // after Task::j, then the one after it.
        return cases(x, t.j, cfg.nr_folios, [&](SState& y, int from) {
          expr idx = next_in_use(*this, y, from);
          branch(y, idx == b8(kNoFolio), [&](SState& w) { w.t[task].j = b8(kNoFolio); });
          cases(y, idx, cfg.nr_folios, [&](SState& w, int k) {
            isolate_for_contig(*this, w, k);
            branch(w, w.ok,
                   [&](SState& u) { u.t[task].isolated = u.t[task].isolated | b16(1 << k); });
            w.t[task].j = next_in_use(*this, w, k + 1);
          });
          STask& u = y.t[task];
          u.pc = z3::ite(
              u.j != b8(kNoFolio), b8(kPcIsolate),
              z3::ite(next_folio_to_migrate(y, task) == b8(kNoFolio), b8(kPcTest), b8(kPcMigrate)));
        });
      case kPcMigrate:
        migrate_pages_step(x, task, choice);
        branch(x, x.ok, [&](SState& y) {
          y.t[task].pc = z3::ite(y.t[task].isolated != b16(0), b8(kPcPutback), b8(kPcTest));
        });
        return;
      case kPcPutback:
        putback_movable_pages(x, task);
        x.t[task].pc = b8(kPcTest);
        return;
      default:
        return test_and_undo(*this, x, task);
    }
  });
}

}  // namespace gup::smt
