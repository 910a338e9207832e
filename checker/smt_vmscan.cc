// Mirror of model/vmscan.cc: reclaim of one folio = mm/vmscan.c
// isolate_lru_folios() -> shrink_folio_list() -> mm/rmap.c
// try_to_unmap_one() -> mm/vmscan.c __remove_mapping() (6.12;
// gup-semantics.md §8.5), and of model/racing.cc find_folio_pte().
//
// Sections as in the model: folio_isolate_lru(), then one per mapping PTE
// (try_to_unmap_one()), the anon decisions or __remove_mapping(). The
// folio is the op's (concrete); the rmap walk position Task::i is
// symbolic, the PTE it finds is case-split into concrete (mm, addr).
#include "checker/smt_encode.h"

namespace gup::smt {

namespace {

// model ReclaimPc.
enum ReclaimPc : int { kPcIsolate, kPcShrink, kNrReclaimPcs };

}  // namespace

// model shrink_folio_list_holds_lock(): task t is in shrink_folio_list()
// of folio k (from isolation to putback or free).
expr Enc::shrink_folio_list_holds_lock(const SState& s, int t, int k) const {
  expr any = ff();
  for (int p = 0; p < cfg.script_len[t]; p++) {
    const Op& op = cfg.op(t, p);
    if (op.kind != OpKind::kReclaim || op.folio != k) continue;
    any = any || (s.t[t].script_pos == b8(p) && s.t[t].pc == b8(kPcShrink));
  }
  return any;
}

// model find_folio_pte() / the rmap walk: the first position >= from whose
// PTE is present and maps folio k, or cfg.nr_mms * kMaxAddrs.
expr Enc::find_folio_pte(const SState& s, int k, const expr& from) const {
  int end = cfg.nr_mms * kMaxAddrs;
  expr out = b8(end);
  for (int pos = end - 1; pos >= 0; pos--) {
    const SPte& pte = s.m[pos / kMaxAddrs].ptes[pos % kMaxAddrs];
    out = z3::ite(z3::ule(from, b8(pos)) && pte_present(pte) && pte.folio == b8(k), b8(pos), out);
  }
  return out;
}

namespace {

// model evictable(): only anon, page-cache and shmem folios are on the
// evictable LRU lists.
expr evictable(const Enc& e, const SState& s, int k) {
  return e.is_kind(s, k, FolioKind::kAnon) || e.is_kind(s, k, FolioKind::kPageCache) ||
         e.is_kind(s, k, FolioKind::kShmem);
}

// model putback(): keep / activate_locked, back to the LRU.
void putback(const Enc& e, SState& s, int task, int k) {
  s.t[task].isolated = s.t[task].isolated & e.z.bv_val(~(1u << k) & 0xffff, 16);
  e.folio_putback_lru(s, k);
  e.finish_op(s, task);
}

// model __remove_mapping() / mm/vmscan.c __remove_mapping():
// folio_ref_freeze(1 + nr_pages), out of the page or swap cache, free.
void remove_mapping(const Enc& e, SState& s, int task, int k) {
  // model: a folio in no cache (truncated) is kept (`!mapping`).
  expr cached = z3::ite(e.folio_test_anon(s, k), e.test(s, k, kSwapcache), e.test(s, k, kMapping));
  expr busy =
      !cached || s.f[k].mapcount != e.b8(0) || s.f[k].refcount != e.b16(1) + e.nr_pages(s, k);
  e.branch(
      s, busy, [&](SState& x) { putback(e, x, task, k); },
      [&](SState& x) {
        x.f[k].refcount = e.b16(0);
        e.clear(x, k, kMapping);
        e.clear(x, k, kSwapcache);
        x.t[task].isolated = x.t[task].isolated & e.z.bv_val(~(1u << k) & 0xffff, 16);
        e.log_folio(x, EventKind::kReclaimed, k);
        e.free_folio(x, k);  // also clears the page cache slot
        e.finish_op(x, task);
      });
}

}  // namespace

// model reclaim_step(): isolate_step() or shrink_step().
void Enc::reclaim_step(SState& s, int task, const Op& op) const {
  int k = op.folio;
  cases(s, s.t[task].pc, kNrReclaimPcs, [&](SState& x, int pc) {
    if (pc == kPcIsolate) {  // model isolate_step() / folio_isolate_lru()
      branch(
          x, !evictable(*this, x, k), [&](SState& y) { finish_op(y, task); },
          [&](SState& y) {
            folio_isolate_lru(y, k);
            branch(
                y, !y.ok, [&](SState& w) { finish_op(w, task); },
                [&](SState& w) {
                  w.t[task].isolated = w.t[task].isolated | b16(1 << k);
                  w.t[task].i = b8(0);
                  w.t[task].pc = b8(kPcShrink);
                });
          });
      return;
    }
    // model shrink_step() / shrink_folio_list().
    auto tail = [&](SState& y) {  // pageout() is not modelled: a dirty folio is kept
      branch(
          y, test(y, k, kDirty), [&](SState& w) { putback(*this, w, task, k); },
          [&](SState& w) { remove_mapping(*this, w, task, k); });
    };
    branch(
        x, folio_test_anon(x, k),
        [&](SState& y) {  // no swap: freed only from the swap cache, unmapped
          branch(
              y, !test(y, k, kSwapcache) || y.f[k].mapcount > b8(0),
              [&](SState& w) { putback(*this, w, task, k); }, tail);
        },
        [&](SState& y) {
          // try_to_unmap(): one rmap walk from Task::i; try_to_unmap_one()
          // clears the PTE it finds.
          int end = cfg.nr_mms * kMaxAddrs;
          expr pos = find_folio_pte(y, k, y.t[task].i);
          for (int p = 0; p < end; p++)
            branch(y, pos == b8(p), [&](SState& w) {
              w.m[p / kMaxAddrs].ptes[p % kMaxAddrs].folio = b8(k);  // known under the guard
              zap_pte(w, p / kMaxAddrs, p % kMaxAddrs);
              w.t[task].i = b8(p + 1);
            });
          branch(y, pos == b8(end), [&](SState& w) {
            branch(
                w, w.f[k].mapcount > b8(0),  // mapped again behind the walk: activate
                [&](SState& u) { putback(*this, u, task, k); }, tail);
          });
        });
  });
}

}  // namespace gup::smt
