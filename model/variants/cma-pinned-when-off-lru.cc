// Zoo C7. Applies 1aaf8c122918 ("mm: gup: fix infinite loop within
// __get_longterm_locked", v6.14) to 6.12: check_and_migrate returns 0 when
// nothing could be isolated, ending the loop on never-LRU CMA pages but
// long-term pinning CMA folios that were only transiently off the LRU.
// Reverted by 517f496e1e61.
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::cma_pinned_when_off_lru {

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
      if (isolate_hugetlb(s, idx)) t.isolated = t.isolated | 1u << idx;
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
      if (folio_isolate_lru(s, idx)) t.isolated = t.isolated | 1u << idx;
    }
  }
  if (t.j < round_end(t)) return;
  if (t.isolated == 0) {  // list_empty(&movable_folio_list)
    log_check_and_migrate(c, 0);
    return gup_return(s, c, t.i - t.nr_done);
  }
  t.j = t.nr_done;
  t.pc = kPcUnpin;
}

}  // namespace kernel::cma_pinned_when_off_lru

GUP_VARIANT(cma_pinned_when_off_lru) {
  v.name = "cma-pinned-when-off-lru";
  v.zoo_id = "C7";
  v.commit = "applies 1aaf8c122918 (reverted by 517f496e1e61)";
  v.summary = "check_and_migrate returns 0 when nothing could be isolated";
  GUP_REPLACE(collect_longterm_unpinnable_folios);
}
GUP_DOMAIN_END
