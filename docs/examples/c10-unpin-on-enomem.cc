// The worked example of docs/patches.md: John Hubbard's fix of a pin leak
// ("mm/gup: stop leaking pinned pages in low memory conditions", v3),
// written against the kernel it fixes. That kernel is the variant
// enomem-leaks-pins (model/variants/enomem-leaks-pins.cc): its
// check_and_migrate_movable_pages() allocates the folio array first and,
// when the allocation fails, returns -ENOMEM with the range still pinned.
// v3 unpins the range inside check_and_migrate_movable_pages(), so that
// every -errno it returns means "nothing is pinned".
//
//   gupcheck check specs/zoo/enomem-leaks-pins.toml --variant-file
//   docs/examples/c10-unpin-on-enomem.cc gupcheck diff --base enomem-leaks-pins --patched-file
//   docs/examples/c10-unpin-on-enomem.cc specs/zoo/enomem-leaks-pins.toml
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::c10_unpin_on_enomem {

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
    // The fix: unpin_user_pages() of the range before returning -ENOMEM.
    for (int k = int(t.nr_done); k < round_end(t); k++) {
      PageRef& q = t.pages[k];
      if (q.empty()) continue;
      c.log(Event{EventKind::kRelease, uint8_t(c.task), narrow<uint8_t>(q.folio()), kNoFolio,
                  uint8_t(q.page()), uint8_t(q.kind()), 0, 0, 0, false, true});
      gup_put_folio(s, c, int(q.folio()), 1, FOLL_PIN);
      q = PageRef::none();
    }
    log_check_and_migrate(c, ENOMEM_);
    return gup_return(s, c, ENOMEM_);
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

}  // namespace kernel::c10_unpin_on_enomem

GUP_VARIANT(c10_unpin_on_enomem) {
  v.name = "c10-unpin-on-enomem";
  v.commit = "John Hubbard, \"mm/gup: stop leaking pinned pages in low memory conditions\" v3";
  v.summary = "a failed folio-array allocation unpins the range before returning -ENOMEM";
  GUP_REPLACE(gup_longterm_choices);
  GUP_REPLACE(collect_longterm_unpinnable_folios);
}
GUP_DOMAIN_END
