// Where a long-term pin may rest: no-longterm-pin-on-fsdax,
// no-longterm-pin-in-movable, fast-path-subset.
#include "properties/common.h"

GUP_DOMAIN_BEGIN

namespace props {
namespace {

// Calls back `visit(t, entry, folio)` for every pages[] entry of a
// FOLL_LONGTERM call that has returned; stops when it returns true.
template <typename Visit>
bool any_returned_longterm_entry(const State& s, const Config& cfg, Visit visit) {
  for (int t = 0; t < cfg.nr_tasks; t++) {
    const Task& task = s.tasks[t];
    if (!pages_returned(task)) continue;
    const Op* call = pages_call(s, cfg, t);
    if (!call || !(call->flags & FOLL_LONGTERM)) continue;
    for (int k = 0; k < kMaxPages; k++) {
      const PageRef& e = task.pages[k];
      if (e.empty() || e.folio() >= cfg.nr_folios) continue;
      if (visit(t, k, int(e.folio()))) return true;
    }
  }
  return false;
}

bool find_fsdax(const Transition& tr, const Config& cfg, Finding& out) {
  return any_returned_longterm_entry(tr.after, cfg, [&](int t, int k, int f) {
    if (!folio_is_fsdax(tr.after.folios[f])) return false;
    out = Finding{.what = "a long-term pin on an fsdax folio outlives its GUP call",
                  .task = t,
                  .folio = f,
                  .entry = k};
    return true;
  });
}

bool find_movable(const Transition& tr, const Config& cfg, Finding& out) {
  return any_returned_longterm_entry(tr.after, cfg, [&](int t, int k, int f) {
    if (!must_stay_migratable(tr.after.folios[f])) return false;
    out = Finding{.what =
                      "a long-term pin on ZONE_MOVABLE, CMA or device-coherent memory "
                      "outlives its GUP call",
                  .task = t,
                  .folio = f,
                  .entry = k};
    return true;
  });
}

// What the slow path's rules forbid a pin of these flags to rest on,
// judged on the folio alone (mm/gup.c: check_vma_flags(),
// check_and_migrate_movable_pages(); include/linux/mm.h:
// folio_is_longterm_pinnable()).
const char* slow_path_forbids(const Folio& f, uint32_t flags) {
  bool longterm = flags & FOLL_LONGTERM;
  if (f.kind == FolioKind::kSecretmem) return "GUP-fast took a secretmem folio";
  if (longterm && folio_is_fsdax(f)) return "GUP-fast took a long-term pin on an fsdax folio";
  if (longterm && !folio_is_longterm_pinnable(f))
    return "GUP-fast took a long-term pin on a folio that is not long-term pinnable";
  bool writable_longterm_pin =
      (flags & (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE)) == (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE);
  if (writable_longterm_pin && f.kind == FolioKind::kPageCache)
    return "GUP-fast took a writable long-term pin on a dirty-tracked file folio";
  return nullptr;
}

// A grab by GUP-fast is one made while the task holds the PTE it read
// locklessly (Task::snap); the slow walk never has one.
bool find_fast_subset(const Transition& tr, const Config& cfg, Finding& out) {
  if (!tr.before || !tr.events) return false;
  for (const Event& e : *tr.events) {
    if (e.kind != EventKind::kGrab || e.task >= cfg.nr_tasks || e.folio >= cfg.nr_folios) continue;
    const Task& t = tr.before->tasks[e.task];
    const Op* running = running_op(cfg, e.task, t);
    if (!t.snap.present() || !running || !op_is_fast(running->kind)) continue;
    const Op& op = *running;
    if (const char* why = slow_path_forbids(tr.after.folios[e.folio], gup_flags_of_op(op))) {
      out = Finding{.what = why, .task = e.task, .folio = e.folio, .mm = e.mm, .addr = e.addr};
      return true;
    }
  }
  return false;
}

}  // namespace
}  // namespace props

const Property kNoLongtermPinOnFsdax{
    "no-longterm-pin-on-fsdax",
    "A filesystem-DAX page is storage, not memory: truncate or hole punch hands its block back "
    "to the filesystem while a device may still DMA to it, so GUP refuses FOLL_LONGTERM on a DAX "
    "mapping (-EOPNOTSUPP from the slow path; GUP-fast falls back for any devmap page). No fsdax "
    "folio may carry a long-term pin once the GUP call that took it has returned.",
    "mm/gup.c: check_vma_flags() (vma_is_fsdax), gup_fast_pte_range(); 2bb6d2837083, "
    "7af75561e171",
    PropertyKind::kStateInvariant,
    props::holds<props::find_fsdax>,
    props::explain<props::find_fsdax>,
};

const Property kNoLongtermPinInMovable{
    "no-longterm-pin-in-movable",
    "ZONE_MOVABLE and CMA pageblocks promise that their memory can always be migrated away "
    "(memory hot-unplug, cma_alloc()), and device-coherent memory must be handed back to the "
    "device. A FOLL_LONGTERM pin would break that promise for as long as a driver holds it, so "
    "__gup_longterm_locked() migrates such folios before pinning and GUP-fast refuses them. No "
    "folio in ZONE_MOVABLE, in a CMA pageblock (also while alloc_contig_range() has it "
    "MIGRATE_ISOLATE) or in device-coherent memory carries a long-term pin whose call has "
    "returned; the shared zero page is exempt, and a non-CMA pageblock isolated after the pin "
    "was taken is legitimate.",
    "include/linux/mm.h: folio_is_longterm_pinnable(); mm/gup.c: "
    "check_and_migrate_movable_pages(), try_grab_folio_fast()",
    PropertyKind::kStateInvariant,
    props::holds<props::find_movable>,
    props::explain<props::find_movable>,
};

const Property kFastPathSubset{
    "fast-path-subset",
    "GUP-fast runs without the VMA and without check_and_migrate_movable_pages(), so it must "
    "enforce the slow path's rules on the folio itself or fall back: it never keeps a pin or "
    "reference that the slow path would refuse for the same flags (a long-term pin on a folio "
    "that is not long-term pinnable or on an fsdax folio, any grab of a secretmem folio, a "
    "writable long-term pin on a dirty-tracked file folio). Judged on each folio GUP-fast keeps "
    "after its PTE re-check, not on return values.",
    "mm/gup.c: try_grab_folio_fast(), gup_fast_folio_allowed(), gup_fast_pte_range(); "
    "df3a0a21b698, a6e79df92e4a",
    PropertyKind::kStepRelation,
    props::holds<props::find_fast_subset>,
    props::explain<props::find_fast_subset>,
};

GUP_DOMAIN_END
