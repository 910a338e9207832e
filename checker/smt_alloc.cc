// Mirrors of model/page_alloc.cc (mm/page_alloc.c, include/linux/mm.h
// reference counting) and model/swap.cc (mm/swap.c, mm/vmscan.c,
// mm/hugetlb.c LRU and isolation).
#include "checker/smt_encode.h"

namespace gup::smt {

namespace {
uint8_t batch_flag(int cpu) {
  return cpu == 0 ? kLruBatch0 : kLruBatch1;
}
}  // namespace

// model gfp_allows() / mm/page_alloc.c: which free folio a gfp may take.
// Zone, pageblock type and order fold to constants while frozen.
expr Enc::gfp_allows(const SState& s, int k, bool movable, int order) const {
  const SFolio& f = s.f[k];
  expr c = f.order == b8(order) && f.zone != b8(int(Zone::kDevice)) &&
           f.migratetype != b8(int(Migratetype::kIsolate));
  if (!movable)
    c = c && f.zone != b8(int(Zone::kMovable)) && f.migratetype != b8(int(Migratetype::kCma));
  expr cf = fold(c);
  if (cf.is_false()) return ff();
  if (cf.is_true()) return test(s, k, kFree);
  return cf && test(s, k, kFree);
}

// model can_alloc().
expr Enc::can_alloc(const SState& s, bool movable, int order) const {
  expr any = ff();
  for (int k = 0; k < cfg.nr_folios; k++) any = any || gfp_allows(s, k, movable, order);
  return any;
}

// model alloc_folio(): the lowest-indexed folio the gfp allows, reset;
// `ok` continues with its index, `fail` when there is none.
void Enc::alloc_folio(SState& s, bool movable, int order, expr kind,
                      const std::function<void(SState&, int)>& ok, const Body& fail) const {
  SState base = s;
  if (fail) fail(s);
  for (int k = cfg.nr_folios - 1; k >= 0; k--) {
    expr c = gfp_allows(base, k, movable, order).simplify();
    if (c.is_false()) continue;
    SState arm = base;
    SFolio& f = arm.f[k];
    f.flags = z3::ite(kind == b8(int(FolioKind::kHugetlb)), b8(kHugetlbMigratable), b8(0));
    f.refcount = b16(0);
    f.mapcount = b8(0);
    f.pincount = b8(0);
    f.kind = kind;
    f.anon_exclusive = b8(0);
    f.file = b8(0xff);
    ok(arm, k);
    s = merge(c, arm, s);
  }
}

// model free_folio() / free_unref_folios().
void Enc::free_folio(SState& s, int k) const {
  for (expr& slot : s.page_cache) slot = z3::ite(slot == b8(k), b8(kNoFolio), slot);
  SFolio& f = s.f[k];
  f.flags = b8(kFree);
  f.mapcount = b8(0);
  f.pincount = b8(0);
  f.kind = b8(int(FolioKind::kAnon));
  f.anon_exclusive = b8(0);
  f.file = b8(0xff);
  log_folio(s, EventKind::kFreed, k);
}

// model folio_get().
void Enc::folio_get(SState& s, int k, int refs) const {
  s.f[k].refcount = s.f[k].refcount + b16(refs);
}

// model folio_put_refs() / include/linux/mm.h folio_put_refs(); the zero
// page too (its own reference keeps it above zero).
void Enc::folio_put_refs(SState& s, int k, int refs) const {
  s.f[k].refcount = s.f[k].refcount - b16(refs);
  branch(s, s.f[k].refcount == b16(0), [&](SState& x) { free_folio(x, k); });
}

// model folio_add_lru() / mm/swap.c folio_add_lru().
void Enc::folio_add_lru(SState& s, int k, int cpu) const {
  branch(
      s, folio_large(s, k), [&](SState& x) { set(x, k, kLru); },
      [&](SState& x) {
        set(x, k, batch_flag(cpu));
        folio_get(x, k);
      });
}

// model folio_isolate_lru() / mm/vmscan.c folio_isolate_lru().
void Enc::folio_isolate_lru(SState& s, int k) const {
  expr ok = test(s, k, kLru) && s.f[k].refcount > b16(0);
  s.ok = ok;
  branch(s, ok, [&](SState& x) {
    clear(x, k, kLru);
    folio_get(x, k);
  });
}

// model folio_putback_lru() / mm/vmscan.c folio_putback_lru().
void Enc::folio_putback_lru(SState& s, int k) const {
  set(s, k, kLru);
  folio_put_refs(s, k, 1);
}

// model lru_add_drain_cpu() / mm/swap.c lru_add_drain().
void Enc::lru_add_drain_cpu(SState& s, int cpu) const {
  for (int k = 0; k < cfg.nr_folios; k++)
    branch(s, test(s, k, batch_flag(cpu)), [&](SState& x) {
      clear(x, k, batch_flag(cpu));
      set(x, k, kLru);
      folio_put_refs(x, k, 1);
    });
}

// model lru_add_drain_all() / mm/swap.c lru_add_drain_all().
void Enc::lru_add_drain_all(SState& s) const {
  lru_add_drain_cpu(s, 0);
  lru_add_drain_cpu(s, 1);
}

// model isolate_hugetlb() / mm/hugetlb.c isolate_hugetlb().
void Enc::isolate_hugetlb(SState& s, int k) const {
  expr ok = is_kind(s, k, FolioKind::kHugetlb) && test(s, k, kHugetlbMigratable) &&
            s.f[k].refcount > b16(0);
  s.ok = ok;
  branch(s, ok, [&](SState& x) {
    clear(x, k, kHugetlbMigratable);
    folio_get(x, k);
  });
}

// model folio_putback_hugetlb() / mm/hugetlb.c folio_putback_active_hugetlb().
void Enc::folio_putback_hugetlb(SState& s, int k) const {
  set(s, k, kHugetlbMigratable);
  folio_put_refs(s, k, 1);
}

}  // namespace gup::smt
