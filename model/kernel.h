// Internal to model/: helpers shared by the transition files, named after
// the kernel functions they model. Engines never include this header.
#pragma once

#include <cstdint>

#include "model/config.h"
#include "model/events.h"
#include "model/model.h"
#include "model/state.h"

GUP_DOMAIN_BEGIN
namespace kernel {

// What a transition needs besides the state: the configuration, where to
// log events, which task steps and the environment choice of this step (0
// ordinary, 1 injected failure). The variant is not here: it is the table
// of kernel functions that runs (model/kernel_functions.h).
struct Ctx {
  const Config& cfg;
  EventLog* ev;
  int task;
  int choice;
  void log(const Event& e) const {
    if (ev) ev->add(e);
  }
};

inline Task& task(State& s, const Ctx& c) {
  return s.tasks[c.task];
}
inline const Op& cur_op(const State& s, const Config& cfg, int t) {
  return cfg.op(t, int(s.tasks[t].script_pos));
}

// ---- page allocator (mm/page_alloc.c) ----
// Where an allocation may come from. A user page without PF_MEMALLOC_PIN
// is GFP_HIGHUSER_MOVABLE: ZONE_MOVABLE and CMA pageblocks allowed.
// memalloc_pin_save() (long-term GUP) strips __GFP_MOVABLE, so neither.
struct Gfp {
  bool movable;  // __GFP_MOVABLE survives current_gfp_context()
  int order;
  // No ALLOC_CMA although __GFP_MOVABLE survives: the PF_MEMALLOC_NOCMA
  // scope of kernels before 8e3560d963d2 ("mm: honor PF_MEMALLOC_PIN for
  // all movable pages", v5.13), which kept only CMA out. 6.12 never sets
  // it (variants of older kernels do).
  bool nocma = false;
};
// Lowest-indexed free folio that the gfp allows (never an ISOLATE
// pageblock, never ZONE_DEVICE), or kNoFolio. Counts are reset; refcount 1.
int alloc_folio(State& s, Gfp gfp, Val<FolioKind> kind);
bool can_alloc(const State& s, const Config& cfg, Gfp gfp);
// free_unref_folios(): back to the buddy; page cache slot cleared.
void free_folio(State& s, const Ctx& c, int folio);

// ---- references (include/linux/mm.h, mm/swap.c) ----
void folio_get(Folio& f, Val<int> refs = 1);
// folio_put_refs(): frees the folio when the count reaches zero.
void folio_put_refs(State& s, const Ctx& c, int folio, Val<int> refs = 1);

// ---- rmap and PTEs (mm/rmap.c, mm/memory.c) ----
// Installs a present PTE: folio_add_{new_anon,file}_rmap_pte() + the
// mapping's reference. The zero page is mapped "special": no counts.
void map_pte(State& s, int mm, int addr, int folio, int page, bool write);
// zap_present_folio_ptes(): clears the PTE, drops mapcount and the
// mapping's reference (may free). PAE is left alone.
void zap_pte(State& s, const Ctx& c, int mm, int addr);

// ---- LRU (mm/swap.c, mm/vmscan.c) ----
// folio_add_lru(): a small folio waits in `cpu`'s lru_add batch holding a
// reference; a large one goes straight to the LRU.
void folio_add_lru(State& s, int folio, int cpu);
bool folio_isolate_lru(State& s, int folio);
void folio_putback_lru(State& s, const Ctx& c, int folio);
void lru_add_drain_cpu(State& s, const Ctx& c, int cpu);  // lru_add_drain()
void lru_add_drain_all(State& s, const Ctx& c);
// mm/hugetlb.c: isolate_hugetlb() / folio_putback_active_hugetlb().
bool isolate_hugetlb(State& s, int folio);
void folio_putback_hugetlb(State& s, const Ctx& c, int folio);

// ---- faults (mm/memory.c) ----
enum FaultFlag : uint8_t { FAULT_FLAG_WRITE = 1, FAULT_FLAG_UNSHARE = 2 };
// handle_mm_fault() as one atomic section. `memalloc_pin`: the faulting
// task is inside memalloc_pin_save(). Returns 0 or -errno (-ENOMEM when
// the allocation fails: choice 1, or no free folio).
int handle_mm_fault(State& s, const Ctx& c, int mm, int addr, uint8_t fault_flags,
                    bool memalloc_pin);
// What handle_mm_fault() will do, decided before anything changes so that
// the allocation-failure choice exists only where the kernel allocates.
enum class FaultAction : uint8_t {
  kNothing,   // nothing to do (spurious, or an unshare already satisfied)
  kError,     // VM_FAULT_SIGBUS/SIGSEGV -> -EFAULT
  kAnonZero,  // do_anonymous_page(): read fault maps the shared zero page
  kAnonNew,   // do_anonymous_page(): a new exclusive anon folio
  kFileMap,   // do_read_fault()/do_shared_fault(): map the page-cache folio
  kFileNew,   // __do_fault(): allocate the page-cache folio, then map it
  kCowNew,    // do_cow_fault(): private write, copy the file page into anon
  kWpShared,  // wp_page_shared(): page_mkwrite, make the PTE writable
  kWpReuse,   // do_wp_page(): reuse the exclusive anon folio
  kWpCopy,    // wp_page_copy(): COW into a new exclusive anon folio
};

struct FaultPlan {
  FaultAction action = FaultAction::kNothing;
  int allocations = 0;
  bool drain_first = false;  // wp_can_reuse_anon_folio(): lru_add_drain()
};
// Whether handle_mm_fault() would allocate a folio (so that the failure
// choice exists).
bool fault_allocates(const State& s, const Config& cfg, int mm, int addr, uint8_t fault_flags);

// ---- GUP accounting (mm/gup.c) ----
// check_vma_flags() -> 0 or -errno.
int check_vma_flags(const Vma& vma, uint32_t gup_flags);
int try_grab_folio(State& s, const Ctx& c, int folio, int refs, uint32_t gup_flags);
void gup_put_folio(State& s, const Ctx& c, int folio, int refs, uint32_t gup_flags);
bool gup_must_unshare(const Vma* vma, uint32_t gup_flags, const Folio& f, int page);
bool can_follow_write_pte(const Pte& pte, const Vma& vma, uint32_t gup_flags, const Folio& f);

// ---- migration core (mm/migrate.c) ----
// Why a migration runs; decides where the target may come from.
enum class MigrateReason : uint8_t { kLongtermPin, kCompaction, kContigRange };
// migrate_folio_unmap(): allocate the target (task.target), then
// try_to_migrate() every mapping. Returns 0 (target in task.target, the
// folio unmapped behind migration entries) or -errno (nothing changed but
// the folio is marked failed in task.failed).
int migrate_folio_unmap(State& s, const Ctx& c, int folio, MigrateReason why);
// migrate_folio_move(): the expected-refcount check, then the move, or
// remove_migration_ptes() back to the source. Returns 0 or -EAGAIN.
int migrate_folio_move(State& s, const Ctx& c, int folio);
// Whether migrate_folio_unmap() will allocate (failure choice exists).
bool migrate_unmap_allocates(const State& s, int folio);
// Moves what maps or caches `src` to `dst` (remove_migration_ptes(),
// page-cache replacement); used by migration and device-coherent moves.
void move_folio_contents(State& s, const Ctx& c, int src, int dst);
// putback_movable_pages() of every folio still on task.isolated.
void putback_movable_pages(State& s, const Ctx& c);
// Index of the next folio on task.isolated to migrate, or kNoFolio.
int next_folio_to_migrate(const Task& t);

// ---- per-op transitions (one file each) ----
// Number of choices the task's next step has (0: blocked), the step, and
// its description.
struct OpImpl {
  int (*choices)(const State& s, const Config& cfg, int task);
  void (*step)(State& s, const Ctx& c);
  // Concrete domain only (null in the symbolic one): reports, not semantics.
  void (*info)(const State& s, const Config& cfg, int task, StepInfo& out);
};
#if GUP_SYMBOLIC
#define GUP_INFO(fn) nullptr
#else
#define GUP_INFO(fn) fn
#endif
const OpImpl& op_impl(OpKind k);
// Defined by the transition files, one per op (declared here so that the
// definitions have external linkage).
extern const OpImpl kOpGup;  // every GUP entry point (model/gup.cc)
extern const OpImpl kOpUnpinUserPages;
extern const OpImpl kOpFork;
extern const OpImpl kOpMadviseDontneed;
extern const OpImpl kOpWriteFault;
extern const OpImpl kOpReadFault;
extern const OpImpl kOpMprotect;
extern const OpImpl kOpReclaim;
extern const OpImpl kOpSplitHugePage;
extern const OpImpl kOpTruncate;
extern const OpImpl kOpLruAddDrainAll;
extern const OpImpl kOpCompact;
extern const OpImpl kOpCmaAlloc;
extern const OpImpl kOpTransientRef;

// Whether task `t`, running `op`, is a fork between its pin check and its
// write-protect (model/fork.cc; model.h in_fork_ptl_window()).
bool fork_in_ptl_window(const Task& t, const Op& op);

// Ends the task's current op and moves to the next op of its script.
void finish_op(State& s, const Ctx& c);

}  // namespace kernel
GUP_DOMAIN_END
