// The ghost ledger: what each folio's counts should be, from its holders.
//
// The kernel keeps only the sums (folio->_refcount, folio->_pincount,
// folio_mapcount()); the model also knows who holds what, so the ledger
// recomputes the sums from the holders and properties compare. Holders of a
// folio (mm/gup.c: try_grab_folio(), include/linux/mm.h: GUP_PIN_COUNTING_BIAS;
// model/folio.h F2, model/task.h T1-T2):
//  - each present PTE of an in-use mm that maps a page of it: 1 ref, 1 map
//    (mm/rmap.c: folio_add_*_rmap_pte() plus the mapping's folio_get());
//  - the page cache (kMapping) and the swap cache (kSwapcache): nr_pages
//    each (mm/filemap.c: __filemap_add_folio(), mm/swap_state.c);
//  - a per-CPU lru_add batch slot: 1 (mm/swap.c: folio_batch_add_and_move());
//  - isolation by a task (a bit of Task::isolated): 1
//    (mm/vmscan.c: folio_isolate_lru(), mm/hugetlb.c: isolate_hugetlb());
//  - a migration target a task has allocated and not yet handed over
//    (Task::target): 1 (mm/migrate.c: alloc_migration_target());
//  - a transient reference: a kTransientRef task at pc 1 holds 1 on its
//    folio (folio_try_get() ... folio_put()); so does a kSplitHugePage task
//    at pc 1 (the caller's reference, mm/huge_memory.c: deferred_split_scan());
//  - a driver folio's own reference (vm_insert_page() callers keep one): 1;
//  - each pages[] entry of each task: FOLL_GET 1; FOLL_PIN on a small folio
//    GUP_PIN_COUNTING_BIAS, on a large one 1 plus 1 pincount
//    (mm/gup.c: try_grab_folio()).
// The shared zero page (F5): its own reference and FOLL_GET references
// only; its mappings are pte_special and pins skip it (try_grab_folio()).
#pragma once

#include <tuple>

#include "model/config.h"
#include "model/state.h"
#include "model/variant.h"

GUP_DOMAIN_BEGIN

struct FolioLedger {
  Val<int> refs = 0;        // what folio->_refcount should be
  Val<int> pins = 0;        // what folio->_pincount should be (large folios)
  Val<int> maps = 0;        // present PTEs mapping a page of it: folio_mapcount()
  Val<int> pin_refs = 0;    // pages[] FOLL_PIN entries on it, of any task
  Val<int> get_refs = 0;    // pages[] FOLL_GET entries on it, of any task
  Val<int> isolations = 0;  // tasks that have it isolated
  Val<int> others = 0;      // transient, target and driver references
  auto tie() { return std::tie(refs, pins, maps, pin_refs, get_refs, isolations, others); }
};

struct Ledger {
  Array<FolioLedger, kMaxFolios> folios;
  auto tie() { return std::tie(folios); }
};

// Recomputes the ledger of every folio in use. Allocates nothing.
void compute_ledger(const State& s, const Config& cfg, Ledger& out);

// The op task `t` is running, or null when its script is done.
inline const Op* running_op(const Config& cfg, int t, const Task& task) {
  if (task.script_pos >= cfg.script_len[t]) return nullptr;
  int pos = int(task.script_pos);
  GUP_ASSUME(pos < cfg.script_len[t], "script_pos is within the script");
  return &cfg.op(t, pos);
}

// Whether task `t`, running `op`, holds a reference on op.folio between the
// op's sections (transient reference, split_huge_page()'s caller).
bool holds_op_reference(const Op& op, const Task& t);

// The refcount and pincount one pages[] entry accounts for on `f`
// (mm/gup.c: try_grab_folio(); zero page: none).
int entry_refs(const Folio& f, PageRef::Kind kind);
int entry_pins(const Folio& f, PageRef::Kind kind);

// The GUP call whose result task `t`'s pages[] holds, or null when the task
// holds nothing from GUP: the op running now while the call is in flight,
// or, once kGhostReturned is set, the last GUP op before the current one.
// `pos_out` (optional) receives that op's script position.
const Op* pages_call(const State& s, const Config& cfg, int t, int* pos_out = nullptr);

// Whether the pages[] of task `t` are held by the caller of a call that has
// returned (kGhostReturned), as opposed to a call still in flight.
inline bool pages_returned(const Task& t) {
  return (t.ghost & kGhostReturned) != 0;
}

// folio_is_longterm_pinnable() with an isolated pageblock judged by its
// type before start_isolate_page_range() (mm/page_isolation.c).
bool pinnable_before_isolation(const Folio& f);

// Whether the folio is memory that must stay migratable, so that no
// long-term pin may stay on it (mm/page_alloc.c, mm/memory_hotplug.c: the
// ZONE_MOVABLE and CMA guarantees; include/linux/mm.h:
// folio_is_longterm_pinnable()): ZONE_MOVABLE, a CMA pageblock (also while
// alloc_contig_range() has it MIGRATE_ISOLATE), device-coherent memory. The
// zero page is exempt.
bool must_stay_migratable(const Folio& f);

GUP_DOMAIN_END
