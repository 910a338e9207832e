// no-false-refusal: an undisturbed GUP call on allowed targets succeeds.
#include "properties/common.h"

GUP_DOMAIN_BEGIN

namespace props {
namespace {

// Free folios an allocation of this order could take (mm/page_alloc.c):
// never an isolated pageblock or device memory; under PF_MEMALLOC_PIN (a
// long-term call) neither ZONE_MOVABLE nor CMA.
Val<int> free_folios(const State& s, const Config& cfg, int order, bool longterm) {
  Val<int> n = 0;
  for (int i = 0; i < cfg.nr_folios; i++)
    join(n, [&] {
      const Folio& f = s.folios[i];
      if (!f.is_free() || f.order != order || f.zone == Zone::kDevice) return;
      if (f.migratetype == Migratetype::kIsolate) return;
      if (longterm && (f.zone == Zone::kMovable || f.migratetype == Migratetype::kCma)) return;
      n++;
    });
  return n;
}

// Folio kinds GUP takes like memory (struct pages GUP may return without a
// special case that can fail on its own).
bool ordinary_kind(FolioKind k) {
  switch (k) {
    case FolioKind::kAnon:
    case FolioKind::kPageCache:
    case FolioKind::kShmem:
    case FolioKind::kHugetlb:
    case FolioKind::kDevdax:
    case FolioKind::kFsdax:
    case FolioKind::kZeroPage:
      return true;
    default:
      return false;
  }
}

// Whether the long-term path can migrate `f` right now: it can be isolated
// (on the LRU, in an lru_add batch that collect drains, or an active
// hugetlb folio), nothing but its mappings and caches holds it, and a
// pinnable target of its order is free (mm/gup.c:
// collect_longterm_unpinnable_folios(); mm/migrate.c: __migrate_folio()).
bool migratable_now(const State& s, const Config& cfg, const Ledger& l, int idx) {
  const Folio& f = s.folios[idx];
  const FolioLedger& fl = l.folios[idx];
  bool isolatable = false;
  if (f.kind == FolioKind::kHugetlb)
    isolatable = f.test(kHugetlbMigratable);
  else
    isolatable = f.test(kLru) || f.in_lru_batch();
  if (!isolatable || folio_is_device_coherent(f)) return false;
  if (fl.pin_refs != 0 || fl.get_refs != 0 || fl.isolations != 0 || fl.others != 0) return false;
  return free_folios(s, cfg, int(f.order), true) > 0;
}

// Whether page `addr` of a call with `flags` is an allowed target that
// nothing can legitimately refuse, judged on the state the call left: the
// VMA permits it (check_vma_flags() of 6.12), and whatever fault, unshare or
// migration it needs can get its memory.
bool allowed_target(const State& s, const Config& cfg, const Ledger& l, int mm, int addr,
                    uint32_t flags) {
  const Vma* vma = s.mms[mm].find_vma(addr);
  if (!vma || check_vma_flags_6_12(*vma, flags)) return false;
  bool longterm = flags & FOLL_LONGTERM;
  // A fault, COW or unshare allocates at most two folios (page cache and
  // anon copy: do_cow_fault()).
  bool memory = free_folios(s, cfg, 0, longterm) >= 2;
  const Pte& pte = s.mms[mm].ptes[addr];
  if (pte.none()) {
    bool faultable = vma->kind == VmaKind::kAnon || vma->kind == VmaKind::kFileShared ||
                     vma->kind == VmaKind::kFilePrivate || vma->kind == VmaKind::kShmemShared;
    return faultable && memory;
  }
  if (!pte.present()) return false;
  const Folio& f = s.folios[pte.folio];
  if (!ordinary_kind(FolioKind(int(f.kind)))) return false;
  bool pae = folio_test_anon(f) && (f.anon_exclusive >> pte.page() & 1);
  bool ro_pin = (flags & (FOLL_PIN | FOLL_WRITE)) == FOLL_PIN;
  bool needs_fault = ((flags & FOLL_WRITE) && !pte.write()) ||
                     (ro_pin && !pte.write() && !pae && (folio_test_anon(f) || longterm));
  if (needs_fault && !memory) return false;
  if (longterm && !folio_is_longterm_pinnable(f) && !migratable_now(s, cfg, l, int(pte.folio)))
    return false;
  return true;
}

bool find_refusal(const Transition& tr, const Config& cfg, Finding& out) {
  if (!tr.before || !tr.events) return false;
  for (const Event& e : *tr.events) {
    if (e.kind != EventKind::kGupReturned || e.task >= cfg.nr_tasks) continue;
    const Task& before = tr.before->tasks[e.task];
    // Ghost: another task stepped or the environment injected a failure
    // during the call (model.h: apply()).
    if ((before.ghost & kGhostInterfered) != 0 || tr.step.choice) continue;
    const Op* running = running_op(cfg, e.task, before);
    if (!running) continue;
    const Op& op = *running;
    if (e.value >= op.nr || op.start + op.nr > kMaxAddrs) continue;
    uint32_t flags = gup_flags_of_op(op);
    if ((flags & FOLL_LONGTERM) && !(flags & FOLL_PIN)) continue;  // is_valid_gup_args()
    Ledger l;
    compute_ledger(tr.after, cfg, l);
    bool all_allowed = true;
    for (int a = op.start; a < op.start + op.nr && all_allowed; a++)
      all_allowed = allowed_target(tr.after, cfg, l, op.mm, a, flags);
    if (!all_allowed) continue;
    out = Finding{.what = "an undisturbed GUP call on allowed targets did not take every page",
                  .task = e.task,
                  .mm = op.mm,
                  .addr = op.start,
                  .value = e.value,
                  .expected = op.nr,
                  .has_value = true};
    return true;
  }
  return false;
}

}  // namespace
}  // namespace props

const Property kNoFalseRefusal{
    "no-false-refusal",
    "GUP must not refuse what it is meant to give. When no other task runs during the call and "
    "the environment injects no failure, a call whose every page is an allowed target takes "
    "every page: the shared zero page, an anon page (also in the swap cache or shared after "
    "fork), a writable long-term pin of shmem or hugetlb, a CMA or ZONE_MOVABLE folio that can be "
    "isolated and has a free pinnable target. A page is allowed when check_vma_flags() of 6.12 "
    "accepts its VMA, its folio is ordinary memory, and any fault, unshare or migration it needs "
    "finds free memory.",
    "mm/gup.c: check_vma_flags(), gup_fast_folio_allowed(), __gup_longterm_locked(); "
    "034e5afad921 (zero page), a6e79df92e4a v9 (swap cache anon), 517f496e1e61",
    PropertyKind::kCallRelation,
    props::holds<props::find_refusal>,
    props::explain<props::find_refusal>,
};

GUP_DOMAIN_END
