// Mirror of model/truncate.cc: truncate / hole punch of one page-cache
// folio = mm/truncate.c truncate_inode_folio() -> unmap_mapping_folio(),
// truncate_cleanup_folio() (folio_cancel_dirty()), filemap_remove_folio()
// (6.12; gup-semantics.md §8.7), and of the folio lock as
// model/racing.cc folio_test_locked() infers it from the tasks.
//
// One section, as in the model: the task waits while another task holds
// the folio lock. The page-cache slot is case-split into concrete folios;
// the rmap walk (find_folio_pte() from 0, repeated) is one pass over every
// PTE in walk order, which zaps the same PTEs since a zap changes no other
// PTE.
#include "checker/smt_encode.h"

namespace gup::smt {

// model folio_test_locked() / PG_locked: some unfinished task is between
// migrate_folio_unmap() and migrate_folio_move() of folio k (its target is
// set and k is its next folio to migrate), or reclaim holds it
// (shrink_folio_list_holds_lock()).
expr Enc::folio_test_locked(const SState& s, int k) const {
  expr any = ff();
  for (int t = 0; t < cfg.nr_tasks; t++) {
    const STask& task = s.t[t];
    expr held = (task.target != b8(kNoFolio) && next_folio_to_migrate(s, t) == b8(k)) ||
                shrink_folio_list_holds_lock(s, t, k);
    any = any || (z3::ult(task.script_pos, b8(cfg.script_len[t])) && held);
  }
  return any;
}

// model truncate_choices(): 0 while the folio at the offset is locked.
expr Enc::truncate_choices(const SState& s, int task, const Op& op) const {
  (void)task;
  const expr& idx = s.page_cache[op.file * kMaxAddrs + op.offset];
  expr locked = ff();
  for (int k = 0; k < cfg.nr_folios; k++)
    locked = locked || (idx == b8(k) && folio_test_locked(s, k));
  return z3::ite(locked, b8(0), b8(1));
}

// model truncate_inode_folio() / mm/truncate.c truncate_inode_folio().
void Enc::truncate_step(SState& s, int task, const Op& op) const {
  expr idx = s.page_cache[op.file * kMaxAddrs + op.offset];
  branch(
      s, idx == b8(kNoFolio), [&](SState& x) { finish_op(x, task); },  // a hole already
      [&](SState& x) {
        cases(x, idx, cfg.nr_folios, [&](SState& y0, int k) {
          // model: a driver folio (no kMapping) is in no page cache.
          branch(
              y0, !test(y0, k, kMapping), [&](SState& w) { finish_op(w, task); },
              [&](SState& y) {
                // unmap_mapping_folio(): every present PTE mapping the folio.
                for (int m = 0; m < cfg.nr_mms; m++)
                  for (int a = 0; a < kMaxAddrs; a++) {
                    const SPte& pte = y.m[m].ptes[a];
                    branch(y, pte_present(pte) && pte.folio == b8(k), [&](SState& w) {
                      w.m[m].ptes[a].folio = b8(k);  // known under the guard
                      zap_pte(w, m, a);
                    });
                  }
                clear(y, k, kDirty);    // folio_cancel_dirty()
                clear(y, k, kMapping);  // filemap_remove_folio()
                for (expr& slot : y.page_cache) slot = z3::ite(slot == b8(k), b8(kNoFolio), slot);
                branch(  // folio_put_refs(folio, folio_nr_pages(folio))
                    y, folio_large(y, k), [&](SState& w) { folio_put_refs(w, k, 2); },
                    [&](SState& w) { folio_put_refs(w, k, 1); });
                finish_op(y, task);
              });
        });
      });
}

}  // namespace gup::smt
