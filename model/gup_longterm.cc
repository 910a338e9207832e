// The long-term pin path (mm/gup.c, 6.12.117): __gup_longterm_locked()'s
// retry loop around check_and_migrate_movable_pages() ->
// collect_longterm_unpinnable_folios() and
// migrate_longterm_unpinnable_folios().
//
// Contract of check_and_migrate_movable_pages() (mm/gup.c comment):
//   0        every folio is pinned and long-term pinnable;
//   -EAGAIN  nothing of this round is pinned; the caller re-walks;
//   -errno   nothing of this round is pinned; the caller fails.
// The loop has no bound: a folio that is unpinnable and can never be
// isolated (e.g. a driver's CMA page never on the LRU) makes it spin
// (docs/model.md "The long-term loop").
#include "model/gup_internal.h"
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

void log_check_and_migrate(const Ctx& c, int rc) {
  GUP_OVERRIDABLE(log_check_and_migrate, c, rc);
  c.log(Event{EventKind::kCheckMigrateReturned, uint8_t(c.task), kNoFolio, kNoFolio, 0, 0, 0, 0,
              int8_t(rc), false, false});
}

// The pages[] range of this round: [nr_done, i).
int round_end(const Task& t) {
  GUP_OVERRIDABLE(round_end, t);
  return int(t.i);
}

// collect_longterm_unpinnable_folios() for the folio at pages[j]; consecutive
// entries of one folio are visited once (pofs_next_folio()).
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
  if (t.collected == 0) {
    log_check_and_migrate(c, 0);
    return gup_return(s, c, t.i - t.nr_done);
  }
  t.j = t.nr_done;
  t.pc = kPcUnpin;
}

// Every pin of this round is dropped (or handed over, for device-coherent
// folios) and its entry cleared; isolated folios live on their isolation
// reference.
void migrate_longterm_unpinnable_folios_unpin(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(migrate_longterm_unpinnable_folios_unpin, s, c);
  Task& t = task(s, c);
  PageRef& p = t.pages[t.j];
  if (!p.empty()) {
    int idx = int(p.folio());
    c.log(Event{EventKind::kRelease, uint8_t(c.task), uint8_t(idx), kNoFolio, uint8_t(p.page()),
                uint8_t(p.kind()), 0, 0, 0, false, true});
    p = PageRef::none();
    if (folio_is_device_coherent(s.folios[idx])) {
      // folio_get() + gup_put_folio(): the pin becomes a reference that
      // migrate_device_coherent_folio() consumes.
      gup_put_folio(s, c, idx, 1, FOLL_PIN);
      // migrate_device_unmap() -> migrate_vma_check_page(): any reference
      // beyond the mappings (another pin, a FOLL_GET, a transient one)
      // makes the migration fail before a target is allocated.
      bool busy = s.folios[idx].refcount > s.folios[idx].mapcount;
      int dst = c.choice == 1 || busy
                    ? kNoFolio
                    : alloc_folio(s, Gfp{false, int(s.folios[idx].order)}, FolioKind::kAnon);
      if (dst == kNoFolio) {
        // pofs_unpin() of the rest, putback, -EBUSY.
        for (int k = int(t.j) + 1; k < round_end(t); k++) {
          PageRef& q = t.pages[k];
          if (q.empty()) continue;
          c.log(Event{EventKind::kRelease, uint8_t(c.task), narrow<uint8_t>(q.folio()), kNoFolio,
                      uint8_t(q.page()), uint8_t(q.kind()), 0, 0, 0, false, true});
          gup_put_folio(s, c, int(q.folio()), 1, FOLL_PIN);
          q = PageRef::none();
        }
        putback_movable_pages(s, c);
        log_check_and_migrate(c, EBUSY_);
        return gup_return(s, c, EBUSY_);
      }
      folio_get(s.folios[dst]);
      s.folios[dst].set(kLru);
      move_folio_contents(s, c, idx, dst);
      folio_put_refs(s, c, dst, 1);
    } else {
      gup_put_folio(s, c, idx, 1, FOLL_PIN);  // unpin_folio()
    }
  }
  t.j++;
  if (t.j < round_end(t)) return;
  t.pc = next_folio_to_migrate(t) == kNoFolio ? kPcPutback : kPcMigrateUnmap;
}

// mm/migrate.c: migrate_pages_batch()'s first pass for one folio:
// migrate_folio_unmap().
void migrate_pages_batch_unmap(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(migrate_pages_batch_unmap, s, c);
  Task& t = task(s, c);
  int idx = next_folio_to_migrate(t);
  int err = migrate_folio_unmap(s, c, idx, MigrateReason::kLongtermPin);
  if (err == 0) {
    t.j = idx;
    t.pc = kPcMigrateMove;
    return;
  }
  if (next_folio_to_migrate(t) == kNoFolio) t.pc = kPcPutback;
}

// mm/migrate.c: migrate_pages_batch()'s second pass for that folio:
// migrate_folio_move().
void migrate_pages_batch_move(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(migrate_pages_batch_move, s, c);
  Task& t = task(s, c);
  migrate_folio_move(s, c, int(t.j));
  t.pc = next_folio_to_migrate(t) == kNoFolio ? kPcPutback : kPcMigrateUnmap;
}

// putback_movable_pages(), then the return of
// migrate_longterm_unpinnable_folios() and the loop in
// __gup_longterm_locked().
void check_and_migrate_movable_pages_return(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(check_and_migrate_movable_pages_return, s, c);
  Task& t = task(s, c);
  bool failed = t.failed != 0;
  putback_movable_pages(s, c);
  int rc = failed ? ENOMEM_ : EAGAIN_;  // any migrate_pages() failure reads -ENOMEM
  log_check_and_migrate(c, rc);
  if (failed) return gup_return(s, c, ENOMEM_);
  // -EAGAIN: re-walk. Ghost: count rounds that no other task disturbed.
  if (t.ghost & kGhostRoundInterfered)
    t.rounds = 0;
  else if (t.rounds < 3)
    t.rounds++;
  t.ghost &= uint8_t(~kGhostRoundInterfered);
  t.i = t.nr_done;
  t.j = 0;
  t.collected = t.drained = 0;
  t.pc = t.locked ? kPcFollow : kPcLock;
}

int gup_longterm_choices(const State& s, const Config& cfg, int ti) {
  GUP_OVERRIDABLE(gup_longterm_choices, s, cfg, ti);
  const Task& t = s.tasks[ti];
  switch (int(t.pc)) {
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

void gup_longterm_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(gup_longterm_step, s, c);
  switch (int(task(s, c).pc)) {
    case kPcCollect:
      return collect_longterm_unpinnable_folios(s, c);
    case kPcUnpin:
      return migrate_longterm_unpinnable_folios_unpin(s, c);
    case kPcMigrateUnmap:
      return migrate_pages_batch_unmap(s, c);
    case kPcMigrateMove:
      return migrate_pages_batch_move(s, c);
    default:
      return check_and_migrate_movable_pages_return(s, c);
  }
}

}  // namespace kernel
GUP_DOMAIN_END
