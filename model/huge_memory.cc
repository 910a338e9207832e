// split_huge_page(): mm/huge_memory.c: split_huge_page_to_list_to_order()
// -> can_split_folio() -> unmap_folio() -> __split_huge_page() ->
// remap_page(), to order 0 with list == NULL (6.12).
// The caller is modelled after deferred_split_scan(): folio_try_get(),
// split_folio(), folio_put().
//
// Contract: the folio splits only if every reference is accounted for:
// can_split_folio(): mapcount == refcount - extra - 1 (the caller's
// reference), extra = anon ? (swapcache ? n : 0) : n. A pin (or any GET
// reference, isolation, LRU batch) makes it -EAGAIN with nothing changed.
// On success the tail page becomes its own folio with the head's flags,
// zone and pageblock type; its page-cache slot, PTEs, mapcount,
// PageAnonExclusive bit and cache reference go with it; refcounts are
// conserved. A truncated file folio (no mapping) is -EBUSY; hugetlb and
// device folios are never split.
//
// Atomic sections: (1) folio_try_get() (fails on a free or frozen folio:
// the op ends); (2) the whole split: unmap_folio(), the refcount freeze,
// __split_huge_page() and remap_page() are one section (the folio lock and
// the frozen refcount keep GUP and faults out between them), then
// folio_put() of the caller's reference. While (1) is done the task holds
// one reference on op.folio (properties/ledger must count it).
//
// The model's folios are fixed slots, so the tail takes a free order-0
// slot: one in the head's zone and pageblock type if any, else the lowest
// free order-0 slot outside ZONE_DEVICE and MIGRATE_ISOLATE, which then
// takes the head's zone and type. With no such slot the split is -EAGAIN.
#include <cstdio>

#include "model/kernel_functions.h"
#include "model/racing.h"

GUP_DOMAIN_BEGIN
namespace kernel {

using namespace split_sections;

bool splittable_kind(const Folio& f) {
  GUP_OVERRIDABLE(splittable_kind, f);
  return f.kind == FolioKind::kAnon || f.kind == FolioKind::kPageCache ||
         f.kind == FolioKind::kShmem;
}

// mm/huge_memory.c: can_split_folio(folio, caller_pins = 1).
bool can_split_folio(const Folio& f) {
  GUP_OVERRIDABLE(can_split_folio, f);
  Val<int> extra = folio_test_anon(f) ? select(f.test(kSwapcache), f.nr_pages(), 0) : f.nr_pages();
  return f.mapcount == f.refcount - extra - 1;
}

int tail_slot(const State& s, const Config& cfg, const Folio& head) {
  GUP_OVERRIDABLE(tail_slot, s, cfg, head);
  int fallback = kNoFolio;
  for (int i = 0; i < cfg.nr_folios; i++) {
    const Folio& f = s.folios[i];
    if (!f.is_free() || f.order != 0) continue;
    if (f.zone == head.zone && f.migratetype == head.migratetype) return i;
    if (fallback == kNoFolio && f.zone != Zone::kDevice && f.migratetype != Migratetype::kIsolate)
      fallback = i;
  }
  return fallback;
}

int split_choices(const State& s, const Config& cfg, int t) {
  GUP_OVERRIDABLE(split_choices, s, cfg, t);
  return 1;
}

void folio_try_get_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(folio_try_get_step, s, c);
  int idx = cur_op(s, c.cfg, c.task).folio;
  Folio& f = s.folios[idx];
  if (f.refcount <= 0 || is_zero_folio(f)) return finish_op(s, c);
  folio_get(f);
  task(s, c).pc = kPcSplit;
}

// __split_huge_page() to order 0: page 1 of `idx` becomes folio `tail`.
void __split_huge_page(State& s, const Ctx& c, int idx, int tail) {
  GUP_OVERRIDABLE(__split_huge_page, s, c, idx, tail);
  Folio& head = s.folios[idx];
  Folio& t = s.folios[tail];
  int cache =
      folio_test_anon(head) ? (head.test(kSwapcache) ? 1 : 0) : (head.test(kMapping) ? 1 : 0);
  t = head;
  t.order = 0;
  t.pincount = 0;
  t.mapcount = 0;
  t.anon_exclusive = head.page_anon_exclusive(1) ? 1 : 0;
  t.flags = head.flags & (kLru | kDirty | kSwapcache | kMapping);
  head.order = 0;
  head.mapcount = 0;
  head.anon_exclusive = head.anon_exclusive & 1;
  for (int m = 0; m < c.cfg.nr_mms; m++)
    for (Pte& pte : s.mms[m].ptes) {
      if (!pte.present() || pte.folio != idx) continue;
      if (pte.page() == 1) {
        pte = Pte::make_present(tail, 0, pte.write());
        t.mapcount++;
      } else {
        head.mapcount++;
      }
    }
  // Each new folio: its mappings, its cache page; the head also keeps the
  // caller's reference (__split_huge_page_tail(), remap_page()).
  head.refcount = head.mapcount + cache + 1;
  t.refcount = t.mapcount + cache;
  for (int file = 0; file < kMaxFiles; file++)
    for (int index = 0; index < kMaxAddrs; index++) {
      auto& slot = s.page_cache[file][index];
      if (slot != idx) continue;
      if (index & 1) {
        slot = tail;
        t.file = file << 4 | index;
      } else {
        head.file = file << 4 | index;
      }
    }
  c.log(Event{EventKind::kSplit, uint8_t(c.task), uint8_t(idx), uint8_t(tail), 0, 0, 0, 0, 0, false,
              false});
  // free_page_and_swap_cache() of a tail nothing holds.
  if (t.refcount == 0) free_folio(s, c, tail);
}

void split_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(split_step, s, c);
  int idx = cur_op(s, c.cfg, c.task).folio;
  const Folio& f = s.folios[idx];
  bool ok = folio_test_large(f) && splittable_kind(f) && (folio_test_anon(f) || f.test(kMapping)) &&
            can_split_folio(f);
  int tail = ok ? tail_slot(s, c.cfg, f) : kNoFolio;
  if (tail != kNoFolio) __split_huge_page(s, c, idx, tail);
  folio_put_refs(s, c, idx, 1);  // the caller's folio_put()
  finish_op(s, c);
}

void split_step_dispatch(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(split_step_dispatch, s, c);
  if (task(s, c).pc == kPcTryGet) return folio_try_get_step(s, c);
  split_step(s, c);
}

#if !GUP_SYMBOLIC
void split_info(const State& s, const Config& cfg, int ti, StepInfo& out) {
  int idx = cur_op(s, cfg, ti).folio;
  std::snprintf(out.args, sizeof out.args, "folio %d", idx);
  if (s.tasks[ti].pc == kPcTryGet) {
    out.function = "folio_try_get";
    out.source = "include/linux/page_ref.h";
    return;
  }
  out.function = "split_huge_page_to_list_to_order";
  out.source = "mm/huge_memory.c";
}
#endif

const OpImpl kOpSplitHugePage{split_choices, split_step_dispatch, GUP_INFO(split_info)};

}  // namespace kernel
GUP_DOMAIN_END
