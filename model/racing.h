// Internal to the racing-operation files (fork.cc, madvise.cc, mprotect.cc,
// user_fault.cc, vmscan.cc, huge_memory.cc, truncate.cc, compaction.cc,
// cma.cc, ...): mmap_lock, the folio lock as far as the model can see it,
// and the migrate_pages() stepping that compaction and alloc_contig_range()
// share.
#pragma once

#include "model/kernel.h"

GUP_DOMAIN_BEGIN
namespace kernel {

// include/linux/mmap_lock.h. The op's choices() blocks the task while the
// lock is unavailable; these only record the acquisition. Task::locked says
// what the task holds (1 read, 2 write) on the op's mm (model/task.h).
inline bool mmap_read_lock_blocked(const Mm& m) {
  return m.mmap_lock < 0;
}
inline bool mmap_write_lock_blocked(const Mm& m) {
  return m.mmap_lock != 0;
}
void mmap_read_lock(Mm& m, Task& t);
void mmap_read_unlock(Mm& m, Task& t);
void mmap_write_lock(Mm& m, Task& t);
void mmap_write_unlock(Mm& m, Task& t);

// PG_locked as the model infers it from the tasks (the state has no lock
// bit): a migration holds it from migrate_folio_unmap() to
// migrate_folio_move(), reclaim from isolation to putback or free.
// folio_lock() callers (truncate) wait while it is held.
bool folio_test_locked(const State& s, const Config& cfg, int folio);
// Whether task `t`, running kReclaim, holds the lock of `folio` (vmscan.cc).
bool shrink_folio_list_holds_lock(const State& s, const Config& cfg, int t, int folio);

// The first present PTE mapping `folio` at or after position `from` of an
// rmap walk over every mm (position mm * kMaxAddrs + addr), as (mm, addr);
// false if there is none.
bool find_folio_pte(const State& s, const Config& cfg, int folio, int from, int* mm, int* addr);

// migrate_pages() over Task::isolated, one atomic section per call:
// migrate_folio_unmap() of next_folio_to_migrate(), or, while Task::target
// is set, migrate_folio_move() of the folio it unmapped (Task::j). Returns
// true once no folio is left to migrate; failed folios stay isolated for
// putback_movable_pages().
bool migrate_pages_step(State& s, const Ctx& c, MigrateReason why);
int migrate_pages_choices(const State& s, const Config& cfg, int task);
void migrate_pages_info(const Task& t, StepInfo& out);

}  // namespace kernel
GUP_DOMAIN_END
