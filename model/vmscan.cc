// Reclaim of one folio: mm/vmscan.c: isolate_lru_folios() ->
// shrink_folio_list() -> mm/rmap.c: try_to_unmap_one() -> mm/vmscan.c:
// __remove_mapping() (6.12).
//
// Contract: a folio is freed only if, once unmapped and isolated, nothing
// but its cache holds it: __remove_mapping() freezes the refcount at
// 1 + nr_pages (isolation + page or swap cache), so a pinned or otherwise
// referenced folio is put back. Otherwise it goes back to the LRU:
//  - anon, not in the swap cache: maybe pinned -> keep (before
//    add_to_swap()); otherwise add_to_swap() would allocate swap, which the
//    model does not have: keep as well;
//  - anon in the swap cache and mapped: try_to_unmap_one() refuses a maybe
//    pinned exclusive page; otherwise it would install swap entries, which
//    the model does not have: keep as well;
//  - file or shmem: try_to_unmap() walks the rmap once and
//    try_to_unmap_one() clears every PTE it meets (no pin check for non-anon
//    folios); a folio mapped again behind the walk is kept (activated); a
//    dirty one would be written back (pageout() is not modelled): keep; a
//    clean one goes to __remove_mapping().
// Only anon, page-cache and shmem folios are on the evictable LRU lists.
//
// Atomic sections: (1) folio_isolate_lru(); (2) one per mapping PTE
// (try_to_unmap_one() under its PTL), the anon decisions, or
// __remove_mapping(). The folio lock is held from (2) on (folio_test_locked()),
// but the model's faults do not wait for it, hence the re-mapping case.
#include <cstdio>

#include "model/kernel_functions.h"
#include "model/racing.h"

GUP_DOMAIN_BEGIN
namespace kernel {

using namespace reclaim_sections;

bool evictable(const Folio& f) {
  GUP_OVERRIDABLE(evictable, f);
  return f.kind == FolioKind::kAnon || f.kind == FolioKind::kPageCache ||
         f.kind == FolioKind::kShmem;
}

int reclaim_choices(const State& s, const Config& cfg, int t) {
  GUP_OVERRIDABLE(reclaim_choices, s, cfg, t);
  return 1;
}

// keep / activate_locked: back to the LRU.
void putback(State& s, const Ctx& c, int idx) {
  GUP_OVERRIDABLE(putback, s, c, idx);
  Task& t = task(s, c);
  t.isolated = t.isolated & ~(1u << idx);
  folio_putback_lru(s, c, idx);
  finish_op(s, c);
}

// __remove_mapping(): folio_ref_freeze(1 + nr_pages), then out of the page
// or swap cache, and free.
void __remove_mapping(State& s, const Ctx& c, int idx) {
  GUP_OVERRIDABLE(__remove_mapping, s, c, idx);
  Task& t = task(s, c);
  Folio& f = s.folios[idx];
  // shrink_folio_list(): a folio in no cache any more (truncated: no
  // folio->mapping) is kept, `if (!mapping || !__remove_mapping(...))`;
  // its last reference frees it.
  bool cached = folio_test_anon(f) ? f.test(kSwapcache) : f.test(kMapping);
  if (!cached || f.mapcount != 0 || f.refcount != 1 + f.nr_pages()) return putback(s, c, idx);
  f.refcount = 0;
  f.clear(kMapping);
  f.clear(kSwapcache);
  t.isolated = t.isolated & ~(1u << idx);
  c.log(Event{EventKind::kReclaimed, uint8_t(c.task), uint8_t(idx), kNoFolio, 0, 0, 0, 0, 0, false,
              false});
  free_folio(s, c, idx);  // also clears the page cache slot
  finish_op(s, c);
}

// Whether try_to_unmap_one() would refuse a mapping of this anon folio:
// folio_try_share_anon_rmap_pte() fails on a maybe-pinned exclusive page.
bool anon_unmap_refused(const State& s, const Config& cfg, int idx) {
  GUP_OVERRIDABLE(anon_unmap_refused, s, cfg, idx);
  const Folio& f = s.folios[idx];
  if (!folio_maybe_dma_pinned(f)) return false;
  for (int m = 0; m < cfg.nr_mms; m++)
    for (const Pte& pte : s.mms[m].ptes)
      if (pte.present() && pte.folio == idx && f.page_anon_exclusive(pte.page())) return true;
  return false;
}

void isolate_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(isolate_step, s, c);
  Task& t = task(s, c);
  int idx = cur_op(s, c.cfg, c.task).folio;
  if (!evictable(s.folios[idx]) || !folio_isolate_lru(s, idx)) return finish_op(s, c);
  t.isolated = t.isolated | 1u << idx;
  t.i = 0;
  t.pc = kPcShrink;
}

void shrink_folio_list(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(shrink_folio_list, s, c);
  Task& t = task(s, c);
  int idx = cur_op(s, c.cfg, c.task).folio;
  Folio& f = s.folios[idx];
  if (folio_test_anon(f)) {
    // No swap: an anon folio is freed only from the swap cache, unmapped.
    if (!f.test(kSwapcache) || f.mapcount > 0) return putback(s, c, idx);
  } else {
    // try_to_unmap(): one rmap walk, Task::i its position; each
    // try_to_unmap_one() clears a PTE (its dirty bit is already the folio's).
    int mm, addr;
    if (find_folio_pte(s, c.cfg, idx, int(t.i), &mm, &addr)) {
      zap_pte(s, c, mm, addr);
      t.i = mm * kMaxAddrs + addr + 1;
      return;
    }
    if (f.mapcount > 0) return putback(s, c, idx);  // mapped again behind the walk: activate
  }
  if (f.test(kDirty)) return putback(s, c, idx);  // pageout() not modelled
  __remove_mapping(s, c, idx);
}

void reclaim_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(reclaim_step, s, c);
  if (task(s, c).pc == kPcIsolate) return isolate_step(s, c);
  shrink_folio_list(s, c);
}

#if !GUP_SYMBOLIC
void reclaim_info(const State& s, const Config& cfg, int ti, StepInfo& out) {
  const Task& t = s.tasks[ti];
  int idx = cur_op(s, cfg, ti).folio;
  const Folio& f = s.folios[idx];
  out.source = "mm/vmscan.c";
  std::snprintf(out.args, sizeof out.args, "folio %d", idx);
  int mm, addr;
  if (t.pc == kPcIsolate) {
    out.function = "folio_isolate_lru";
  } else if (folio_test_anon(f) && (!f.test(kSwapcache) || f.mapcount > 0)) {
    bool refused = f.mapcount > 0 && anon_unmap_refused(s, cfg, idx);
    out.function = refused ? "try_to_unmap_one" : "shrink_folio_list";
    if (refused) out.source = "mm/rmap.c";
  } else if (find_folio_pte(s, cfg, idx, t.i, &mm, &addr)) {
    out.function = "try_to_unmap_one";
    out.source = "mm/rmap.c";
    std::snprintf(out.args, sizeof out.args, "folio %d mm%d addr %d", idx, mm, addr);
  } else {
    out.function = f.mapcount > 0 || f.test(kDirty) ? "shrink_folio_list" : "__remove_mapping";
  }
}
#endif

bool shrink_folio_list_holds_lock(const State& s, const Config& cfg, int t, int folio) {
  GUP_OVERRIDABLE(shrink_folio_list_holds_lock, s, cfg, t, folio);
  const Task& task = s.tasks[t];
  const Op& op = cfg.op(t, int(task.script_pos));
  return op.kind == OpKind::kReclaim && task.pc == kPcShrink && op.folio == folio;
}

const OpImpl kOpReclaim{reclaim_choices, reclaim_step, GUP_INFO(reclaim_info)};

}  // namespace kernel
GUP_DOMAIN_END
