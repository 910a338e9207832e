// Mirror of model/huge_memory.cc: split_huge_page() = mm/huge_memory.c
// split_huge_page_to_list_to_order() -> can_split_folio() -> unmap_folio()
// -> __split_huge_page() -> remap_page(), to order 0, called like
// deferred_split_scan(): folio_try_get(), split_folio(), folio_put() (6.12;
// gup-semantics.md §8.6). Sections as in the model: (0) folio_try_get(),
// (1) the whole split and the caller's folio_put(). The folio is the op's
// (concrete); the tail slot is computed symbolically and case-split. Order,
// zone and the pageblock types are symbolic in configurations with a split
// op (ops_write_order(), ops_write_pageblock()).
#include "checker/smt_encode.h"

namespace gup::smt {

namespace {

enum SplitPc : int { kPcTryGet, kPcSplit, kNrPcs };

// model can_split_folio(folio, caller_pins = 1) for a large folio:
// mapcount == refcount - extra - 1, extra = the cache's nr_pages.
expr can_split_folio(const Enc& e, const SState& s, int k) {
  expr n = e.nr_pages(s, k);
  expr extra = z3::ite(e.folio_test_anon(s, k), z3::ite(e.test(s, k, kSwapcache), n, e.b16(0)), n);
  return z3::sext(s.f[k].mapcount, 8) == s.f[k].refcount - extra - e.b16(1);
}

// model tail_slot(): a free order-0 folio of the head's zone and pageblock
// type, else the lowest free order-0 one outside ZONE_DEVICE and
// MIGRATE_ISOLATE, else kNoFolio.
expr tail_slot(const Enc& e, const SState& s, int head) {
  const SFolio& h = s.f[head];
  expr exact = e.b8(kNoFolio), fallback = e.b8(kNoFolio);
  for (int i = e.cfg.nr_folios - 1; i >= 0; i--) {
    const SFolio& f = s.f[i];
    expr free0 = e.test(s, i, kFree) && f.order == e.b8(0);
    exact = z3::ite(free0 && f.zone == h.zone && f.migratetype == h.migratetype, e.b8(i), exact);
    fallback = z3::ite(free0 && f.zone != e.b8(int(Zone::kDevice)) &&
                           f.migratetype != e.b8(int(Migratetype::kIsolate)),
                       e.b8(i), fallback);
  }
  return z3::ite(exact != e.b8(kNoFolio), exact, fallback);
}

// model __split_huge_page() to order 0: page 1 of `idx` becomes folio
// `tail`, with its PTEs, mapcount, PageAnonExclusive bit and cache page.
void split_huge_page(const Enc& e, SState& s, int idx, int tail) {
  const SFolio head = s.f[idx];
  expr cache16 =
      z3::ite(e.folio_test_anon(s, idx), z3::ite(e.test(s, idx, kSwapcache), e.b16(1), e.b16(0)),
              z3::ite(e.test(s, idx, kMapping), e.b16(1), e.b16(0)));
  SFolio& t = s.f[tail];
  t = head;
  t.order = e.b8(0);
  t.pincount = e.b8(0);
  t.mapcount = e.b8(0);
  t.anon_exclusive = z3::ite(e.bit(head.anon_exclusive, 1), e.b8(1), e.b8(0));
  t.flags = head.flags & e.b8(kLru | kDirty | kSwapcache | kMapping);
  SFolio& h = s.f[idx];
  h.order = e.b8(0);
  h.mapcount = e.b8(0);
  h.anon_exclusive = head.anon_exclusive & e.b8(1);
  for (int m = 0; m < e.cfg.nr_mms; m++)
    for (int a = 0; a < kMaxAddrs; a++) {
      SPte& pte = s.m[m].ptes[a];
      expr mine = e.pte_present(pte) && pte.folio == e.b8(idx);
      expr second = mine && e.pte_page(pte);
      s.f[tail].mapcount = s.f[tail].mapcount + z3::ite(second, e.b8(1), e.b8(0));
      s.f[idx].mapcount = s.f[idx].mapcount + z3::ite(mine && !e.pte_page(pte), e.b8(1), e.b8(0));
      SPte moved = e.make_present(e.b8(tail), e.ff(), e.pte_write(pte));
      pte = SPte{z3::ite(second, moved.folio, pte.folio), z3::ite(second, moved.bits, pte.bits)};
    }
  // __split_huge_page_tail(), remap_page(): each folio holds its mappings
  // and its cache page; the head also the caller's reference.
  s.f[idx].refcount = z3::sext(s.f[idx].mapcount, 8) + cache16 + e.b16(1);
  s.f[tail].refcount = z3::sext(s.f[tail].mapcount, 8) + cache16;
  for (int file = 0; file < kMaxFiles; file++)
    for (int index = 0; index < kMaxAddrs; index++) {
      expr& slot = s.page_cache[file * kMaxAddrs + index];
      expr here = slot == e.b8(idx);
      expr name = e.b8(file << 4 | index);
      if (index & 1) {
        s.f[tail].file = z3::ite(here, name, s.f[tail].file);
        slot = z3::ite(here, e.b8(tail), slot);
      } else {
        s.f[idx].file = z3::ite(here, name, s.f[idx].file);
      }
    }
  e.log_folio(s, EventKind::kSplit, idx);
  // free_page_and_swap_cache() of a tail nothing holds.
  e.branch(s, s.f[tail].refcount == e.b16(0), [&](SState& x) { e.free_folio(x, tail); });
}

}  // namespace

// model split_step_dispatch(): folio_try_get_step() or split_step().
void Enc::split_step(SState& s, int task, const Op& op) const {
  int k = op.folio;
  cases(s, s.t[task].pc, kNrPcs, [&](SState& x, int pc) {
    if (pc == kPcTryGet) {
      // model folio_try_get_step(): fails on a free (or frozen) folio.
      return branch(
          x, x.f[k].refcount <= b16(0) || is_zero_folio(x, k),
          [&](SState& y) { finish_op(y, task); },
          [&](SState& y) {
            folio_get(y, k);
            y.t[task].pc = b8(kPcSplit);
          });
    }
    // model split_step(): split_huge_page_to_list_to_order() refuses a
    // small, unsplittable, truncated or unexpectedly referenced folio.
    expr splittable = folio_test_anon(x, k) || is_kind(x, k, FolioKind::kPageCache) ||
                      is_kind(x, k, FolioKind::kShmem);
    expr ok = folio_large(x, k) && splittable && (folio_test_anon(x, k) || test(x, k, kMapping)) &&
              can_split_folio(*this, x, k);
    expr tail = z3::ite(ok, tail_slot(*this, x, k), b8(kNoFolio));
    cases(x, tail, cfg.nr_folios, [&](SState& y, int t) {
      if (t != k) split_huge_page(*this, y, k, t);
    });
    folio_put_refs(x, k, 1);  // the caller's folio_put()
    finish_op(x, task);
  });
}

}  // namespace gup::smt
