// LRU and per-CPU lru_add batches (mm/swap.c, mm/vmscan.c) and hugetlb
// isolation (mm/hugetlb.c). PG_lru, batch membership and isolation are
// three separate facts (docs/model.md "Why these distinctions").
#include "model/kernel.h"
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

FolioFlag batch_flag(int cpu) {
  GUP_OVERRIDABLE(batch_flag, cpu);
  return cpu == 0 ? kLruBatch0 : kLruBatch1;
}

// mm/swap.c: folio_add_lru(): the batch holds a reference until drained;
// large folios skip the batch (folio_may_be_lru_cached()).
void folio_add_lru(State& s, int idx, int cpu) {
  GUP_OVERRIDABLE(folio_add_lru, s, idx, cpu);
  Folio& f = s.folios[idx];
  if (!folio_may_be_lru_cached(f)) {
    f.set(kLru);
    return;
  }
  f.set(batch_flag(cpu));
  folio_get(f);
}

// mm/vmscan.c: folio_isolate_lru(): succeeds only if PG_lru was set.
bool folio_isolate_lru(State& s, int idx) {
  GUP_OVERRIDABLE(folio_isolate_lru, s, idx);
  Folio& f = s.folios[idx];
  if (!f.test(kLru) || f.refcount <= 0) return false;
  f.clear(kLru);
  folio_get(f);
  return true;
}

// mm/vmscan.c: folio_putback_lru(). The model puts the folio straight
// back on the LRU (the kernel goes through the lru_add batch).
void folio_putback_lru(State& s, const Ctx& c, int idx) {
  GUP_OVERRIDABLE(folio_putback_lru, s, c, idx);
  s.folios[idx].set(kLru);
  folio_put_refs(s, c, idx, 1);
}

// mm/swap.c: lru_add_drain() for one CPU's lru_add batch.
void lru_add_drain_cpu(State& s, const Ctx& c, int cpu) {
  GUP_OVERRIDABLE(lru_add_drain_cpu, s, c, cpu);
  for (int i = 0; i < c.cfg.nr_folios; i++) {
    join(s, c.ev, [&] {
      Folio& f = s.folios[i];
      if (!f.test(batch_flag(cpu))) return;
      f.clear(batch_flag(cpu));
      f.set(kLru);
      folio_put_refs(s, c, i, 1);
    });
  }
}

// mm/swap.c: lru_add_drain_all(): every CPU's batches, waited for.
void lru_add_drain_all(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(lru_add_drain_all, s, c);
  lru_add_drain_cpu(s, c, 0);
  lru_add_drain_cpu(s, c, 1);
}

// mm/hugetlb.c: isolate_hugetlb(): needs an active, migratable folio and
// folio_try_get(); clears the migratable flag.
bool isolate_hugetlb(State& s, int idx) {
  GUP_OVERRIDABLE(isolate_hugetlb, s, idx);
  Folio& f = s.folios[idx];
  if (f.kind != FolioKind::kHugetlb || !f.test(kHugetlbMigratable) || f.refcount <= 0) return false;
  f.clear(kHugetlbMigratable);
  folio_get(f);
  return true;
}

// mm/hugetlb.c: folio_putback_active_hugetlb().
void folio_putback_hugetlb(State& s, const Ctx& c, int idx) {
  GUP_OVERRIDABLE(folio_putback_hugetlb, s, c, idx);
  s.folios[idx].set(kHugetlbMigratable);
  folio_put_refs(s, c, idx, 1);
}

}  // namespace kernel
GUP_DOMAIN_END
