// Internal to the GUP transition files (gup.cc, gup_fast.cc,
// gup_longterm.cc): the program counter of a GUP task and the hand-offs
// between the walk, the fast path and the long-term loop.
#pragma once

#include "model/kernel.h"

GUP_DOMAIN_BEGIN
namespace kernel {

// Atomic sections of a GUP call, in the order a call meets them.
enum GupPc : uint8_t {
  kPcStart,         // is_valid_gup_args(); slow entry: mmap_read_lock
  kPcFastReadPte,   // gup_fast_pte_range(): ptep_get_lockless()
  kPcFastGrab,      // try_grab_folio_fast(), PTE re-check, gup_fast_folio_allowed()
  kPcFastDone,      // gup_fast(): read_seqcount_retry(), then gup_fast_fallback()
  kPcLock,          // __get_user_pages_locked(): mmap_read_lock (locked == 0)
  kPcFollow,        // __get_user_pages(): check_vma_flags(), follow_page_pte(), try_grab_folio()
  kPcFault,         // faultin_page() -> handle_mm_fault()
  kPcCollect,       // collect_longterm_unpinnable_folios(), one folio
  kPcUnpin,         // migrate_longterm_unpinnable_folios(): unpin one entry
  kPcMigrateUnmap,  // migrate_pages() -> migrate_folio_unmap()
  kPcMigrateMove,   // migrate_pages() -> migrate_folio_move()
  kPcPutback,       // putback_movable_pages(); check_and_migrate returns
};

// The FOLL_* flags the entry point passes down (is_valid_gup_args() to_set).
uint32_t gup_flags_of(const Op& op);

// __get_user_pages_locked() returned `result` (a count of the slow part or
// -errno): unlock if GUP took the lock, then check_and_migrate or return.
void gup_walk_done(State& s, const Ctx& c, Val<int> result);
// The entry point returns; `slow_result` is the slow part's result (or the
// fast count when there was no slow part).
void gup_return(State& s, const Ctx& c, Val<int> slow_result);

// Steps, choices and names of each part.
void gup_fast_step(State& s, const Ctx& c);
int gup_fast_choices(const State& s, const Config& cfg, int t);
void gup_longterm_step(State& s, const Ctx& c);
int gup_longterm_choices(const State& s, const Config& cfg, int t);

}  // namespace kernel
GUP_DOMAIN_END
