// Zoo C2. Undoes 6e7f34ebb8d2 ("mm/gup: check for isolation errors",
// v5.13). Before it, a folio that could not be isolated was not counted, so
// when no folio could be isolated the check returned success with the CMA
// pages pinned.
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::isolation_error_pins_anyway {

// model/gup_longterm.cc
void collect_longterm_unpinnable_folios(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(collect_longterm_unpinnable_folios, s, c);
  Task& t = task(s, c);
  int idx = int(t.pages[t.j].folio());
  do t.j++;
  while (t.j < round_end(t) && t.pages[t.j].folio() == idx);
  Folio& f = s.folios[idx];
  if (!folio_is_longterm_pinnable(f)) {
    t.collected++;
    int pin_refs = folio_has_pincount(f) ? 1 : kGupPinCountingBias;
    if (f.kind == FolioKind::kHugetlb) {
      if (isolate_hugetlb(s, idx))
        t.isolated = t.isolated | 1u << idx;
      else
        t.collected--;  // an isolation failure is not an error
    } else if (!folio_is_device_coherent(f)) {
      int cpu = Config::cpu_of(c.task);
      if (t.drained == 0 && folio_may_be_lru_cached(f) &&
          f.refcount != folio_expected_ref_count(f) + pin_refs) {
        lru_add_drain_cpu(s, c, cpu);
        t.drained = 1;
      }
      if (t.drained == 1 && folio_may_be_lru_cached(f) &&
          f.refcount != folio_expected_ref_count(f) + pin_refs) {
        lru_add_drain_all(s, c);
        t.drained = 2;
      }
      if (folio_isolate_lru(s, idx))
        t.isolated = t.isolated | 1u << idx;
      else
        t.collected--;  // an isolation failure is not an error
    }
  }
  if (t.j < round_end(t)) return;
  if (t.collected == 0) {
    log_check_and_migrate(c, 0);
    return gup_return(s, c, t.i - t.nr_done);
  }
  t.j = t.nr_done;
  t.pc = kPcUnpin;
}

}  // namespace kernel::isolation_error_pins_anyway

GUP_VARIANT(isolation_error_pins_anyway) {
  v.name = "isolation-error-pins-anyway";
  v.zoo_id = "C2";
  v.commit = "undoes 6e7f34ebb8d2";
  v.summary = "a folio that fails isolation is not counted, so the range stays pinned";
  GUP_REPLACE(collect_longterm_unpinnable_folios);
}
GUP_DOMAIN_END
