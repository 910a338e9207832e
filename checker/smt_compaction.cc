// Mirror of model/compaction.cc: compaction of one folio = mm/compaction.c
// isolate_migratepages_block(), then mm/migrate.c migrate_pages(MR_COMPACTION)
// (Enc::migrate_pages_step, smt_cma.cc) and putback_movable_pages() (6.12;
// gup-semantics.md §7.6). Sections as in the model: (0) the isolation,
// (1) migrate_folio_unmap / migrate_folio_move, (2) putback if the folio is
// still isolated. The folio is the op's (concrete).
#include "checker/smt_encode.h"

namespace gup::smt {

namespace {

enum CompactPc : int { kPcIsolate, kPcMigrate, kPcPutback, kNrPcs };

// model isolate_migratepages_block() (!cc->alloc_contig): free, hugetlb
// and secretmem folios are skipped; off the LRU, or "pinned, don't bother"
// (no mapping and refcount > mapcount), not isolated. Result in s.ok.
void isolate_migratepages_block(const Enc& e, SState& s, int k) {
  const SFolio& f = s.f[k];
  expr mapping = z3::ite(e.folio_test_anon(s, k), e.test(s, k, kSwapcache), e.test(s, k, kMapping));
  expr can = !e.test(s, k, kFree) && !e.is_kind(s, k, FolioKind::kHugetlb) &&
             !e.is_kind(s, k, FolioKind::kSecretmem) && e.test(s, k, kLru) &&
             (mapping || !(f.refcount > z3::sext(f.mapcount, 8)));
  s.ok = e.ff();
  e.branch(s, can, [&](SState& x) { e.folio_isolate_lru(x, k); });
}

}  // namespace

// model compact_choices().
expr Enc::compact_choices(const SState& s, int task) const {
  return z3::ite(s.t[task].pc == b8(kPcMigrate), migrate_pages_choices(s, task), b8(1));
}

// model compact_step().
void Enc::compact_step(SState& s, int task, const Op& op, const expr& choice) const {
  int k = op.folio;
  cases(s, s.t[task].pc, kNrPcs, [&](SState& x, int pc) {
    switch (pc) {
      case kPcIsolate:
        isolate_migratepages_block(*this, x, k);
        return branch(
            x, x.ok,
            [&](SState& y) {
              STask& t = y.t[task];
              t.isolated = b16(1 << k);
              t.failed = b16(0);
              t.target = b8(kNoFolio);
              t.pc = b8(kPcMigrate);
            },
            [&](SState& y) { finish_op(y, task); });
      case kPcMigrate:
        migrate_pages_step(x, task, choice);
        // model after_migrate().
        return branch(x, x.ok, [&](SState& y) {
          branch(
              y, y.t[task].isolated != b16(0), [&](SState& w) { w.t[task].pc = b8(kPcPutback); },
              [&](SState& w) { finish_op(w, task); });
        });
      default:
        putback_movable_pages(x, task);
        finish_op(x, task);
    }
  });
}

}  // namespace gup::smt
