// Tasks: in-flight kernel operations with program counters.
//
// One model step advances one task by one atomic section; a section ends
// where the kernel drops a lock or reads locklessly (docs/model.md "Steps and
// concurrency").
// A task runs the operations of its script (Config) in turn.
//
// Invariants:
//  T1. pages[] holds exactly the references and pins the task holds through
//      GUP: the ghost ledger of FOLL_GET references and FOLL_PIN pins.
//  T2. A folio in `isolated` is off the LRU and holds one isolation reference.
#pragma once

#include <cstdint>

#include "model/constants.h"
#include "model/mm.h"
#include "model/value.h"

namespace gup {

// The operations a script can contain. Each names the kernel entry point.
enum class OpKind : uint8_t {
  kNone,
  kPinUserPages,      // pin_user_pages(): mmap_read_lock held by the caller
  kGetUserPages,      // get_user_pages()
  kPinUserPagesFast,  // pin_user_pages_fast()
  kGetUserPagesFast,  // get_user_pages_fast()
  kUnpinUserPages,    // unpin_user_pages() / put_page() of what the last call returned
  kFork,              // fork(): dup_mmap() of mm into the child mm
  kMadviseDontneed,   // madvise(MADV_DONTNEED): zap_pte_range()
  kWriteFault,        // a user store: handle_mm_fault(FAULT_FLAG_WRITE)
  kReadFault,         // a user load: handle_mm_fault()
  kMprotect,          // mprotect() to the op's protection
  kReclaim,           // shrink_folio_list() of the op's folio
  kSplitHugePage,     // split_huge_page() of the op's folio
  kTruncate,          // truncate_inode_folio(): hole punch of a file offset
  kLruAddDrainAll,    // lru_add_drain_all()
  kCompact,           // compaction: isolate_migratepages_block() + migrate_pages()
  kCmaAlloc,          // cma_alloc() -> alloc_contig_range() over the CMA pageblocks
  kTransientRef,      // folio_try_get() ... folio_put() by another subsystem
  kCount
};

// A pages[] entry: which page a GUP call returned and what it holds on it.
enum PageRefKind : uint8_t { kRefEmpty = 0, kRefGet = 1, kRefPin = 2 };
template <class V>
struct PageRefT {
  typename V::template Int<uint8_t> bits;  // folio (4 bits) | page (1 bit) | kind (2 bits)
  enum Kind : uint8_t { kEmpty = kRefEmpty, kGet = kRefGet, kPin = kRefPin };
  auto folio() const { return bits & 0xf; }
  int page() const { return int((bits >> 4) & 1); }
  Kind kind() const { return Kind(int((bits >> 5) & 3)); }
  bool empty() const { return ((bits >> 5) & 3) == 0; }
  template <class F>
  static PageRefT make(const F& folio, int page, Kind k) {
    PageRefT r;
    r.bits = folio | (page << 4) | (k << 5);
    return r;
  }
  static PageRefT none() { return PageRefT{kNoFolio}; }
};
using PageRef = PageRefT<Plain>;

// 24 bytes. Fields are the local variables of the kernel functions the task
// is inside; their meaning depends on `op` and `pc`.
template <class V>
struct TaskT {
  template <class T>
  using Int = typename V::template Int<T>;
  Int<uint8_t> script_pos;  // index of the current op in the script (== length: done)
  Int<uint8_t> pc;          // program counter inside the op (model/pc.h)
  Int<uint8_t> i;           // page index of the walk (__get_user_pages)
  Int<uint8_t> j;           // index of collect / unpin / migrate loops
  Int<int8_t> ret;          // result of the last call (count or -errno)
  Int<uint8_t> nr_done;     // pages done by the fast path (gup_fast_fallback)
  Int<uint8_t> drained;     // collect_longterm_unpinnable_folios(): drained
  Int<uint8_t> collected;   // collect_longterm_unpinnable_folios(): collected
  Int<uint16_t> isolated;   // movable_folio_list: folios this task isolated
  Int<uint16_t> failed;     // folios migrate_pages() could not migrate
  PteT<V> snap;             // GUP-fast: the PTE read by ptep_get_lockless()
  Int<uint8_t> seq;         // GUP-fast: write_protect_seq read at the start
  Int<uint8_t> target;      // migration target folio (or kNoFolio): holds 1 reference
                            // from migrate_folio_unmap() until migrate_folio_move()
  Int<uint8_t> ghost;       // ghost bits (kGhost*), never read by kernel code
  Int<uint8_t> rounds;      // ghost: -EAGAIN rounds of __gup_longterm_locked without interference
  Int<uint8_t> fault;       // faultin_page(): FAULT_FLAG_* of the pending fault
  Int<uint8_t> locked;      // this task holds its mm's mmap_lock for read (1) or write (2)
  typename V::template Array<PageRefT<V>, kMaxPages> pages;  // the caller's pages[]; T1
};
using Task = TaskT<Plain>;
static_assert(sizeof(Task) == 24);

enum TaskGhost : uint8_t {
  kGhostInterfered = 1u << 0,  // another task stepped, or a failure was injected, during this call
  kGhostReturned = 1u << 1,    // the GUP call returned; pages[] is held by its user
  kGhostMigrateOff = 1u << 2,  // variant state: migration disabled for this call (C1)
  kGhostRoundInterfered = 1u << 3,  // another task stepped during this __gup_longterm_locked round
  kGhostFollWriteOff = 1u << 4,     // variant state: FOLL_WRITE dropped for this page (A1)
};

// One operation of a task's script, with its arguments.
struct Op {
  OpKind kind = OpKind::kNone;
  uint8_t mm = 0;      // address space
  uint8_t start = 0;   // first address
  uint8_t nr = 1;      // number of pages
  uint32_t flags = 0;  // FOLL_* for GUP ops; VM_READ|VM_WRITE for mprotect
  uint8_t folio = 0;   // folio argument (reclaim, split, compact, transient ref)
  uint8_t child = 1;   // fork: the child mm
  uint8_t file = 0;    // truncate: file and offset
  uint8_t offset = 0;
};

const char* op_name(OpKind k);
bool op_is_gup(OpKind k);
inline bool op_is_fast(OpKind k) {
  return k == OpKind::kPinUserPagesFast || k == OpKind::kGetUserPagesFast;
}
inline bool op_is_pin(OpKind k) {
  return k == OpKind::kPinUserPages || k == OpKind::kPinUserPagesFast;
}
// Ops that run in the address space Op::mm (a task of that process, or
// fork() of it). The others act on folios, files or CPUs.
inline bool op_uses_mm(OpKind k) {
  return op_is_gup(k) || k == OpKind::kFork || k == OpKind::kMadviseDontneed ||
         k == OpKind::kWriteFault || k == OpKind::kReadFault || k == OpKind::kMprotect;
}

}  // namespace gup
