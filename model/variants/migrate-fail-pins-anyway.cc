// Zoo C1. Undoes f0f4463837da ("mm/gup: return an error on migration
// failure", v5.13). Before it, a migrate_pages() failure in the long-term
// path set migrate_allow = false and re-ran __get_user_pages_locked()
// without migration, so the CMA pages stayed long-term pinned. The model
// keeps "migration is off for this call" in the task's ghost bits.
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::migrate_fail_pins_anyway {

// model/gup_longterm.cc
void check_and_migrate_movable_pages_return(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(check_and_migrate_movable_pages_return, s, c);
  Task& t = task(s, c);
  bool failed = t.failed != 0;
  putback_movable_pages(s, c);
  int rc = failed ? ENOMEM_ : EAGAIN_;  // any migrate_pages() failure reads -ENOMEM
  log_check_and_migrate(c, rc);
  if (failed) t.ghost |= kGhostMigrateOff;  // migrate_allow = false; goto check_again
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

// model/gup.cc
void gup_walk_done(State& s, const Ctx& c, Val<int> result) {
  GUP_OVERRIDABLE(gup_walk_done, s, c, result);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  uint32_t flags = gup_flags_of(op);
  // gup_fast_fallback() calls with locked == 0: GUP took the lock and drops
  // it here; check_and_migrate_movable_pages() then runs without it.
  if (op_is_fast(op.kind) && t.locked) {
    s.mms[op.mm].mmap_lock--;
    t.locked = 0;
  }
  if (!(flags & FOLL_LONGTERM) || result <= 0 || (t.ghost & kGhostMigrateOff))
    return gup_return(s, c, result);
  t.j = t.nr_done;
  t.collected = t.drained = 0;
  t.isolated = t.failed = 0;
  t.pc = kPcCollect;
}

}  // namespace kernel::migrate_fail_pins_anyway

GUP_VARIANT(migrate_fail_pins_anyway) {
  v.name = "migrate-fail-pins-anyway";
  v.zoo_id = "C1";
  v.commit = "undoes f0f4463837da";
  v.summary = "a failed migration re-pins the range without migrating";
  GUP_REPLACE(check_and_migrate_movable_pages_return);
  GUP_REPLACE(gup_walk_done);
}
GUP_DOMAIN_END
