// Zoo C10. Between 24a95998e9ba (v6.1) and 7674952a4a59 (v6.12-rc),
// check_and_migrate_movable_pages() allocated its folio array and, when
// that failed, returned -ENOMEM without unpinning: the caller assumes any
// -errno means "already unpinned", so the pins leaked. The allocation is
// the first collect step of a round; it may fail when the configuration
// injects allocation failures.
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::enomem_leaks_pins {

// model/gup_longterm.cc
int gup_longterm_choices(const State& s, const Config& cfg, int ti) {
  GUP_OVERRIDABLE(gup_longterm_choices, s, cfg, ti);
  const Task& t = s.tasks[ti];
  switch (int(t.pc)) {
    case kPcCollect:
      return (cfg.inject_alloc_failure && t.j == t.nr_done) ? 2 : 1;
    case kPcUnpin:
      return (cfg.inject_alloc_failure && !t.pages[t.j].empty() &&
              folio_is_device_coherent(s.folios[t.pages[t.j].folio()]))
                 ? 2
                 : 1;
    case kPcMigrateUnmap:
      return (cfg.inject_alloc_failure && migrate_unmap_allocates(s, next_folio_to_migrate(t))) ? 2
                                                                                                : 1;
    default:
      return 1;
  }
}

// model/gup_longterm.cc
void collect_longterm_unpinnable_folios(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(collect_longterm_unpinnable_folios, s, c);
  Task& t = task(s, c);
  // check_and_migrate_movable_pages(): folios = kmalloc_array(nr_pages, ...)
  if (t.j == t.nr_done && c.choice == 1) {
    log_check_and_migrate(c, ENOMEM_);
    return gup_return(s, c, ENOMEM_);  // the pins of pages[] are not released
  }
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
  if (t.collected == 0) {
    log_check_and_migrate(c, 0);
    return gup_return(s, c, t.i - t.nr_done);
  }
  t.j = t.nr_done;
  t.pc = kPcUnpin;
}

}  // namespace kernel::enomem_leaks_pins

GUP_VARIANT(enomem_leaks_pins) {
  v.name = "enomem-leaks-pins";
  v.zoo_id = "C10";
  v.commit = "undoes 7674952a4a59";
  v.summary = "a failed folio-array allocation returns -ENOMEM with the pages still pinned";
  GUP_REPLACE(gup_longterm_choices);
  GUP_REPLACE(collect_longterm_unpinnable_folios);
}
GUP_DOMAIN_END
