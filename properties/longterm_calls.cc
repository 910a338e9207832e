// Contracts of the long-term call as a whole: longterm-pin-contract,
// refcounts-restored-after-failed-migration, pin-loop-terminates.
#include "properties/common.h"

GUP_DOMAIN_BEGIN

namespace props {
namespace {

// check_and_migrate_movable_pages() returned `rc` for the round
// [nr_done, i) of pages[] (read in the state before the step: the same
// step may return from the call, which resets the walk indices).
bool check_round(const Transition& tr, const Config& cfg, const Event& e, Finding& out) {
  const Task& before = tr.before->tasks[e.task];
  const Task& after = tr.after.tasks[e.task];
  for (int k = int(before.nr_done); k < kMaxPages && k < before.i; k++) {
    const PageRef& p = after.pages[k];
    if (e.value != 0) {
      if (p.empty()) continue;
      out = Finding{.what =
                        "check_and_migrate_movable_pages() failed or asked for a retry but "
                        "a pin it was given remains",
                    .task = e.task,
                    .folio = p.folio(),
                    .entry = k,
                    .value = e.value,
                    .has_value = false};
      return true;
    }
    if (p.empty() || p.kind() != PageRef::kPin) {
      out = Finding{.what =
                        "check_and_migrate_movable_pages() returned 0 but a page it was "
                        "given is no longer pinned",
                    .task = e.task,
                    .entry = k};
      return true;
    }
    if (p.folio() < cfg.nr_folios && !pinnable_before_isolation(tr.after.folios[p.folio()])) {
      out = Finding{.what =
                        "check_and_migrate_movable_pages() returned 0 with a folio that is "
                        "not long-term pinnable",
                    .task = e.task,
                    .folio = p.folio(),
                    .entry = k};
      return true;
    }
  }
  return false;
}

// The entry point returned `n`: exactly pages[0, n) are held, each with the
// kind of reference the call takes; n <= 0 holds nothing.
bool check_return(const Transition& tr, const Config& cfg, const Event& e, Finding& out) {
  const Task& before = tr.before->tasks[e.task];
  const Op* running = running_op(cfg, e.task, before);
  if (!running) return false;
  const Op& op = *running;
  PageRef::Kind kind = op_is_pin(op.kind) ? PageRef::kPin : PageRef::kGet;
  const Task& after = tr.after.tasks[e.task];
  for (int k = 0; k < kMaxPages; k++) {
    const PageRef& p = after.pages[k];
    bool should_hold = k < e.value;
    if (should_hold && (p.empty() || p.kind() != kind)) {
      out = Finding{.what = "the GUP call returned a count but does not hold one of those pages",
                    .task = e.task,
                    .entry = k,
                    .value = e.value,
                    .expected = k + 1,
                    .has_value = true};
      return true;
    }
    if (!should_hold && !p.empty()) {
      out = Finding{.what = "the GUP call returned, but holds a page beyond its return value",
                    .task = e.task,
                    .folio = p.folio(),
                    .entry = k,
                    .value = e.value,
                    .expected = k,
                    .has_value = true};
      return true;
    }
  }
  return false;
}

bool find_contract(const Transition& tr, const Config& cfg, Finding& out) {
  if (!tr.before || !tr.events) return false;
  for (const Event& e : *tr.events) {
    if (e.task >= cfg.nr_tasks) continue;
    if (e.kind == EventKind::kCheckMigrateReturned && check_round(tr, cfg, e, out)) return true;
    if (e.kind == EventKind::kGupReturned && check_return(tr, cfg, e, out)) return true;
  }
  return false;
}

// Whether a folio that task `t` had isolated is back where isolation took
// it from: freed (migrated away), on the LRU, or an active hugetlb folio.
bool put_back(const Folio& f) {
  if (f.is_free()) return true;
  if (f.kind == FolioKind::kHugetlb) return f.test(kHugetlbMigratable);
  return f.test(kLru);
}

bool find_restored(const Transition& tr, const Config& cfg, Finding& out) {
  if (!tr.before || !tr.events) return false;
  for (const Event& e : *tr.events) {
    if (e.kind != EventKind::kGupReturned || e.value >= 0 || e.task >= cfg.nr_tasks) continue;
    const Task& before = tr.before->tasks[e.task];
    const Op* running = running_op(cfg, e.task, before);
    if (!running || !(running->flags & FOLL_LONGTERM)) continue;
    const Task& after = tr.after.tasks[e.task];
    for (int k = 0; k < kMaxPages; k++) {
      if (after.pages[k].empty()) continue;
      out = Finding{.what = "a failed long-term GUP call still holds a pin or reference",
                    .task = e.task,
                    .folio = after.pages[k].folio(),
                    .entry = k};
      return true;
    }
    auto isolated = before.isolated | after.isolated;
    for (int f = 0; f < cfg.nr_folios; f++) {
      if ((isolated >> f & 1) == 0) continue;
      if ((after.isolated >> f & 1) != 0 || !put_back(tr.after.folios[f])) {
        out = Finding{.what = "a failed long-term GUP call left a folio it isolated off the LRU",
                      .task = e.task,
                      .folio = f};
        return true;
      }
    }
    if (after.target < cfg.nr_folios) {
      out = Finding{.what = "a failed long-term GUP call still holds its migration target",
                    .task = e.task,
                    .folio = after.target};
      return true;
    }
    Ledger l;
    compute_ledger(tr.after, cfg, l);
    for (int f = 0; f < cfg.nr_folios; f++) {
      const Folio& fo = tr.after.folios[f];
      if (fo.is_free() || is_zero_folio(fo) || fo.refcount == l.folios[f].refs) continue;
      out = Finding{.what =
                        "after a failed long-term GUP call a refcount differs from what its "
                        "remaining holders explain",
                    .task = e.task,
                    .folio = f,
                    .value = fo.refcount,
                    .expected = l.folios[f].refs,
                    .has_value = true};
      return true;
    }
  }
  return false;
}

// Whether task `u` holds something that keeps a folio off the LRU or
// referenced: an isolation, a migration target, a transient reference.
bool holds_folio_state(const State& s, const Config& cfg, int u) {
  const Task& t = s.tasks[u];
  if (t.isolated != 0 || t.target < cfg.nr_folios) return true;
  const Op* running = running_op(cfg, u, t);
  return running && holds_op_reference(*running, t);
}

// Judged on the step that ends a quiet round: the rounds counter only
// grows while no other task steps, so what the others hold now is what
// they held during every one of those rounds.
bool find_loop(const Transition& tr, const Config& cfg, Finding& out) {
  if (!tr.before) return false;
  int t = tr.step.task;
  if (t >= cfg.nr_tasks) return false;
  Val<int> rounds = tr.after.tasks[t].rounds;
  if (rounds <= cfg.max_quiet_rounds || rounds <= tr.before->tasks[t].rounds) return false;
  for (int u = 0; u < cfg.nr_tasks; u++)
    if (u != t && holds_folio_state(tr.after, cfg, u)) return false;
  out = Finding{.what =
                    "__gup_longterm_locked() keeps returning -EAGAIN and re-pinning with no "
                    "other task or transient reference in its way",
                .task = t,
                .value = rounds,
                .expected = cfg.max_quiet_rounds,
                .has_value = true};
  return true;
}

}  // namespace
}  // namespace props

const Property kLongtermPinContract{
    "longterm-pin-contract",
    "check_and_migrate_movable_pages() has a three-valued contract its caller relies on: 0 means "
    "every folio it was given is still pinned and long-term pinnable (an isolated pageblock "
    "judged by its type before isolation); -EAGAIN or any other -errno means none of the pins it "
    "was given remain, because __gup_longterm_locked() re-walks or returns without unpinning. "
    "Likewise a GUP entry point returning n > 0 holds exactly pages[0..n), and a return of zero "
    "or -errno holds nothing.",
    "mm/gup.c: check_and_migrate_movable_pages() comment, __gup_longterm_locked(), "
    "__get_user_pages(); 24a95998e9ba, 7674952a4a59",
    PropertyKind::kCallRelation,
    props::holds<props::find_contract>,
    props::explain<props::find_contract>,
};

const Property kRefcountsRestoredAfterFailedMigration{
    "refcounts-restored-after-failed-migration",
    "When a long-term GUP call fails (isolation, migration or allocation failure, or a later page "
    "of the range) it must leave nothing behind: no pin or reference of the call remains, every "
    "folio it isolated is back on the LRU (or freed by a migration that completed), it holds no "
    "migration target, and every refcount equals what the remaining holders explain. Migrations "
    "that completed before the failure are legitimate.",
    "mm/gup.c: migrate_longterm_unpinnable_folios() (err: pofs_unpin(), putback), "
    "__gup_longterm_locked(); mm/migrate.c: putback_movable_pages(); f0f4463837da, "
    "7674952a4a59",
    PropertyKind::kCallRelation,
    props::holds<props::find_restored>,
    props::explain<props::find_restored>,
};

const Property kPinLoopTerminates{
    "pin-loop-terminates",
    "__gup_longterm_locked() loops while check_and_migrate_movable_pages() returns -EAGAIN. Each "
    "round unpins, migrates and re-pins; if no other task and no transient reference stands in "
    "the way, a second round must find nothing left to migrate. A folio that is unpinnable and can "
    "never be isolated (a driver's CMA page never on the LRU, a hugetlb folio that is not "
    "migratable) makes every round unpin everything, migrate nothing and ask for a retry "
    "forever. Violated when a call ends more than Config::max_quiet_rounds consecutive rounds "
    "in -EAGAIN during which no other task stepped and no other task held an isolation, a "
    "migration target or a transient reference.",
    "mm/gup.c: __gup_longterm_locked(), collect_longterm_unpinnable_folios(); 1aaf8c122918, "
    "517f496e1e61",
    PropertyKind::kCallRelation,
    props::holds<props::find_loop>,
    props::explain<props::find_loop>,
};

GUP_DOMAIN_END
