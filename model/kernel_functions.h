// The kernel function table: every function of the model's kernel code,
// overridable as a whole by a variant (model/variant.h, model/variants/).
//
// Contract:
//  1. GUP_KERNEL_FUNCTIONS lists every function defined in the model's
//     kernel sources (GUPMODEL_KERNEL_SOURCES) except the engines' entry
//     points of model/model.h and the concrete-only step descriptions
//     (*_info, #if !GUP_SYMBOLIC); tests/kernel_table_test.cc holds this.
//  2. Each listed function opens with GUP_OVERRIDABLE(name, args...): when
//     the running variant's table holds another function for `name`, that
//     function runs instead, with the same arguments. So a variant replaces
//     a whole kernel function, and every caller (base or variant code) gets
//     the replacement.
//  3. The running table is per thread and per domain (active()): the
//     entry points of model/ops.cc install the configuration's variant for
//     the duration of the call (ActiveKernel) and restore the previous one,
//     so code outside the model (properties, engines) always runs with the
//     6.12 base table.
//  4. kernel_6_12() is the table of the base functions; a variant's table
//     is a copy of it with some entries replaced (VariantDef).
#pragma once

#include "model/kernel.h"
#include "model/racing.h"
#include "model/sections.h"

GUP_DOMAIN_BEGIN
namespace kernel {

// X(return type, name, (parameters)), in the order of the source files.
#define GUP_KERNEL_FUNCTIONS(X)                                                                    \
  /* model/cma.cc */                                                                               \
  X(bool, in_range, (const Folio& f))                                                              \
  X(int, next_in_use, (const State& s, const Config& cfg, int from))                               \
  X(bool, isolate_for_contig, (State & s, int idx))                                                \
  X(void, start_isolate_page_range, (State & s, const Ctx& c))                                     \
  X(void, test_and_undo, (State & s, const Ctx& c))                                                \
  X(int, cma_choices, (const State& s, const Config& cfg, int ti))                                 \
  X(void, cma_step, (State & s, const Ctx& c))                                                     \
  /* model/compaction.cc */                                                                        \
  X(bool, isolate_migratepages_block, (State & s, int idx))                                        \
  X(int, compact_choices, (const State& s, const Config& cfg, int ti))                             \
  X(void, after_migrate, (State & s, const Ctx& c))                                                \
  X(void, compact_step, (State & s, const Ctx& c))                                                 \
  /* model/fork.cc */                                                                              \
  X(bool, vma_needs_copy, (const Vma& v))                                                          \
  X(int, next_copy, (const Mm& parent, int from))                                                  \
  X(bool, needs_copy_present_page, (const State& s, const Mm& parent, int addr))                   \
  X(bool, dup_check_then_wrprotect, (const State& s, const Mm& parent, int addr))                  \
  X(void, seqcount_at, (Mm & parent, int a, bool first))                                           \
  X(void, dup_mmap_done, (State & s, const Ctx& c, Mm& parent, Mm& child, bool live))              \
  X(void, copy_rest_and_unlock, (State & s, const Ctx& c, Mm& parent, Mm& child, int from))        \
  X(void, dup_mmap_fail, (State & s, const Ctx& c, Mm& parent, Mm& child))                         \
  X(bool, copy_present_page, (State & s, const Ctx& c, int child_idx, int addr, const Vma& v))     \
  X(void, copy_migration_entry, (Mm & parent, Mm & child, int addr, const Vma& v))                 \
  X(bool, copy_pte,                                                                                \
    (State & s, const Ctx& c, int parent_idx, int child_idx, int addr, bool checked))              \
  X(int, copy_addr, (const State& s, const Task& t, const Mm& parent, bool* allocates))            \
  X(int, fork_choices, (const State& s, const Config& cfg, int ti))                                \
  X(void, dup_mmap, (State & s, const Ctx& c))                                                     \
  X(void, copy_done, (State & s, const Ctx& c, Mm& parent, Mm& child, int a))                      \
  X(void, copy_pte_range, (State & s, const Ctx& c))                                               \
  X(void, copy_present_ptes_wrprotect, (State & s, const Ctx& c))                                  \
  X(void, fork_step, (State & s, const Ctx& c))                                                    \
  X(bool, fork_in_ptl_window, (const Task& t, const Op& op))                                       \
  /* model/gup.cc */                                                                               \
  X(uint32_t, gup_flags_of, (const Op& op))                                                        \
  X(int, addr_of, (const Op& op, const Task& t))                                                   \
  X(bool, is_valid_gup_args, (uint32_t flags))                                                     \
  X(bool, mmap_read_trylock, (Mm & m, Task & t))                                                   \
  X(void, start_fault, (Task & t, uint8_t flags))                                                  \
  X(void, follow_page_pte_step, (State & s, const Ctx& c))                                         \
  X(void, faultin_page_step, (State & s, const Ctx& c))                                            \
  X(void, gup_start_step, (State & s, const Ctx& c))                                               \
  X(void, gup_lock_step, (State & s, const Ctx& c))                                                \
  X(bool, pte_is_migration, (const State& s, const Config& cfg, int task_idx))                     \
  X(int, gup_choices, (const State& s, const Config& cfg, int ti))                                 \
  X(void, gup_step, (State & s, const Ctx& c))                                                     \
  X(void, gup_walk_done, (State & s, const Ctx& c, Val<int> result))                               \
  X(void, gup_return, (State & s, const Ctx& c, Val<int> slow_result))                             \
  X(int, unpin_choices, (const State& s, const Config& cfg, int t))                                \
  X(void, unpin_step, (State & s, const Ctx& c))                                                   \
  /* model/gup_fast.cc */                                                                          \
  X(bool, folio_is_devmap, (const Folio& f))                                                       \
  X(bool, gup_fast_folio_allowed, (const Folio& f, uint32_t flags))                                \
  X(void, gup_fast_stop, (Task & t))                                                               \
  X(void, gup_fast_read_pte, (State & s, const Ctx& c))                                            \
  X(void, gup_fast_grab, (State & s, const Ctx& c))                                                \
  X(void, gup_fast_done, (State & s, const Ctx& c))                                                \
  X(int, gup_fast_choices, (const State& s, const Config& cfg, int t))                             \
  X(void, gup_fast_step, (State & s, const Ctx& c))                                                \
  /* model/gup_longterm.cc */                                                                      \
  X(void, log_check_and_migrate, (const Ctx& c, int rc))                                           \
  X(int, round_end, (const Task& t))                                                               \
  X(void, collect_longterm_unpinnable_folios, (State & s, const Ctx& c))                           \
  X(void, migrate_longterm_unpinnable_folios_unpin, (State & s, const Ctx& c))                     \
  X(void, migrate_pages_batch_unmap, (State & s, const Ctx& c))                                    \
  X(void, migrate_pages_batch_move, (State & s, const Ctx& c))                                     \
  X(void, check_and_migrate_movable_pages_return, (State & s, const Ctx& c))                       \
  X(int, gup_longterm_choices, (const State& s, const Config& cfg, int ti))                        \
  X(void, gup_longterm_step, (State & s, const Ctx& c))                                            \
  /* model/gup_util.cc */                                                                          \
  X(int, check_vma_flags, (const Vma& vma, uint32_t gup_flags))                                    \
  X(bool, folio_is_longterm_pinnable, (const Folio& folio))                                        \
  X(int, try_grab_folio, (State & s, const Ctx& c, int idx, int refs, uint32_t gup_flags))         \
  X(void, gup_put_folio, (State & s, const Ctx& c, int idx, int refs, uint32_t gup_flags))         \
  X(bool, gup_must_unshare, (const Vma* vma, uint32_t gup_flags, const Folio& f, int page))        \
  X(bool, can_follow_write_pte,                                                                    \
    (const Pte& pte, const Vma& vma, uint32_t gup_flags, const Folio& f))                          \
  /* model/huge_memory.cc */                                                                       \
  X(bool, splittable_kind, (const Folio& f))                                                       \
  X(bool, can_split_folio, (const Folio& f))                                                       \
  X(int, tail_slot, (const State& s, const Config& cfg, const Folio& head))                        \
  X(int, split_choices, (const State& s, const Config& cfg, int t))                                \
  X(void, folio_try_get_step, (State & s, const Ctx& c))                                           \
  X(void, __split_huge_page, (State & s, const Ctx& c, int idx, int tail))                         \
  X(void, split_step, (State & s, const Ctx& c))                                                   \
  X(void, split_step_dispatch, (State & s, const Ctx& c))                                          \
  /* model/madvise.cc */                                                                           \
  X(int, next_zap, (const Mm& m, const Op& op, int from))                                          \
  X(int, madvise_choices, (const State& s, const Config& cfg, int ti))                             \
  X(void, finish_if_done, (State & s, const Ctx& c, const Op& op))                                 \
  X(void, madvise_step, (State & s, const Ctx& c))                                                 \
  /* model/memory.cc */                                                                            \
  X(void, map_pte, (State & s, int mm, int addr, int idx, int page, bool write))                   \
  X(void, zap_pte, (State & s, const Ctx& c, int mm, int addr))                                    \
  X(int, page_cache_folio, (const State& s, const Mm& m, const Vma& v, int addr))                  \
  X(bool, vma_allocates_page_cache, (const Vma& v))                                                \
  X(bool, shared_read_maps_writable, (const Vma& v))                                               \
  X(bool, wp_can_reuse_anon_folio, (const Folio& f, int cpu, bool* drain))                         \
  X(FaultPlan, plan_fault, (const State& s, int mm, int addr, uint8_t flags, int cpu))             \
  X(int, new_anon_folio, (State & s, const Ctx& c, int mm, int addr, bool writable, bool movable)) \
  X(int, new_page_cache_folio,                                                                     \
    (State & s, const Ctx& c, const Mm& m, const Vma& v, int addr, bool movable))                  \
  X(bool, fault_allocates, (const State& s, const Config& cfg, int mm, int addr, uint8_t flags))   \
  X(int, handle_mm_fault,                                                                          \
    (State & s, const Ctx& c, int mm, int addr, uint8_t flags, bool memalloc_pin))                 \
  /* model/migrate.cc */                                                                           \
  X(Gfp, migration_gfp, (const Folio& src, MigrateReason why))                                     \
  X(void, mark_failed, (Task & t, int idx))                                                        \
  X(void, remove_migration_ptes, (State & s, const Config& cfg, int src, int dst))                 \
  X(int, next_folio_to_migrate, (const Task& t))                                                   \
  X(bool, migrate_unmap_allocates, (const State& s, int idx))                                      \
  X(int, migrate_folio_unmap, (State & s, const Ctx& c, int idx, MigrateReason why))               \
  X(void, move_folio_contents, (State & s, const Ctx& c, int src_idx, int dst_idx))                \
  X(int, migrate_folio_move, (State & s, const Ctx& c, int idx))                                   \
  X(void, putback_movable_pages, (State & s, const Ctx& c))                                        \
  /* model/mprotect.cc */                                                                          \
  X(bool, wants_writenotify, (const Vma& v))                                                       \
  X(Pte, change_pte, (const State& s, const Vma& v, Pte pte))                                      \
  X(int, next_change, (const State& s, const Mm& m, uint8_t changed, int from))                    \
  X(int, mprotect_choices, (const State& s, const Config& cfg, int ti))                            \
  X(void, unlock_if_done, (State & s, const Ctx& c, Mm& m))                                        \
  X(void, mprotect_fixup, (State & s, const Ctx& c))                                               \
  X(void, change_pte_range, (State & s, const Ctx& c))                                             \
  X(void, mprotect_step, (State & s, const Ctx& c))                                                \
  /* model/ops.cc */                                                                               \
  X(void, finish_op, (State & s, const Ctx& c))                                                    \
  /* model/page_alloc.cc */                                                                        \
  X(bool, gfp_allows, (const Folio& f, Gfp gfp))                                                   \
  X(bool, can_alloc, (const State& s, const Config& cfg, Gfp gfp))                                 \
  X(int, alloc_folio, (State & s, Gfp gfp, Val<FolioKind> kind))                                   \
  X(void, free_folio, (State & s, const Ctx& c, int idx))                                          \
  X(void, folio_get, (Folio & f, Val<int> refs))                                                   \
  X(void, folio_put_refs, (State & s, const Ctx& c, int idx, Val<int> refs))                       \
  /* model/racing.cc */                                                                            \
  X(void, mmap_read_lock, (Mm & m, Task & t))                                                      \
  X(void, mmap_read_unlock, (Mm & m, Task & t))                                                    \
  X(void, mmap_write_lock, (Mm & m, Task & t))                                                     \
  X(void, mmap_write_unlock, (Mm & m, Task & t))                                                   \
  X(bool, folio_test_locked, (const State& s, const Config& cfg, int folio))                       \
  X(bool, find_folio_pte,                                                                          \
    (const State& s, const Config& cfg, int folio, int from, int* mm, int* addr))                  \
  X(bool, migrate_pages_step, (State & s, const Ctx& c, MigrateReason why))                        \
  X(int, migrate_pages_choices, (const State& s, const Config& cfg, int ti))                       \
  /* model/swap.cc */                                                                              \
  X(FolioFlag, batch_flag, (int cpu))                                                              \
  X(void, folio_add_lru, (State & s, int idx, int cpu))                                            \
  X(bool, folio_isolate_lru, (State & s, int idx))                                                 \
  X(void, folio_putback_lru, (State & s, const Ctx& c, int idx))                                   \
  X(void, lru_add_drain_cpu, (State & s, const Ctx& c, int cpu))                                   \
  X(void, lru_add_drain_all, (State & s, const Ctx& c))                                            \
  X(bool, isolate_hugetlb, (State & s, int idx))                                                   \
  X(void, folio_putback_hugetlb, (State & s, const Ctx& c, int idx))                               \
  /* model/swap_ops.cc */                                                                          \
  X(int, drain_choices, (const State& s, const Config& cfg, int t))                                \
  X(void, drain_step, (State & s, const Ctx& c))                                                   \
  /* model/transient_ref.cc */                                                                     \
  X(int, transient_choices, (const State& s, const Config& cfg, int t))                            \
  X(void, transient_step, (State & s, const Ctx& c))                                               \
  /* model/truncate.cc */                                                                          \
  X(int, folio_at, (const State& s, const Op& op))                                                 \
  X(int, truncate_choices, (const State& s, const Config& cfg, int ti))                            \
  X(void, truncate_inode_folio, (State & s, const Ctx& c))                                         \
  /* model/user_fault.cc */                                                                        \
  X(bool, is_write, (const Op& op))                                                                \
  X(bool, access_error, (const Vma& v, bool write))                                                \
  X(bool, needs_fault, (const Pte& pte, bool write))                                               \
  X(int, user_fault_choices, (const State& s, const Config& cfg, int ti))                          \
  X(void, user_fault_step, (State & s, const Ctx& c))                                              \
  /* model/vmscan.cc */                                                                            \
  X(bool, evictable, (const Folio& f))                                                             \
  X(int, reclaim_choices, (const State& s, const Config& cfg, int t))                              \
  X(void, putback, (State & s, const Ctx& c, int idx))                                             \
  X(void, __remove_mapping, (State & s, const Ctx& c, int idx))                                    \
  X(bool, anon_unmap_refused, (const State& s, const Config& cfg, int idx))                        \
  X(void, isolate_step, (State & s, const Ctx& c))                                                 \
  X(void, shrink_folio_list, (State & s, const Ctx& c))                                            \
  X(void, reclaim_step, (State & s, const Ctx& c))                                                 \
  X(bool, shrink_folio_list_holds_lock, (const State& s, const Config& cfg, int t, int folio))     \
  /* end */

#define GUP_KERNEL_DECLARE_(ret, name, params) ret name params;
GUP_KERNEL_FUNCTIONS(GUP_KERNEL_DECLARE_)
#undef GUP_KERNEL_DECLARE_

struct Kernel {
#define GUP_KERNEL_SLOT_(ret, name, params) ret(*name) params;
  GUP_KERNEL_FUNCTIONS(GUP_KERNEL_SLOT_)
#undef GUP_KERNEL_SLOT_
};

// The 6.12.117 functions (model/kernel_table.cc).
extern constinit const Kernel kernel_6_12_table;
inline const Kernel& kernel_6_12() {
  return kernel_6_12_table;
}

// The table the current thread runs (invariant 3).
extern thread_local constinit const Kernel* active_kernel;
inline const Kernel& active() {
  return *active_kernel;
}

// Installs `k` as the running table for its lifetime.
class ActiveKernel {
 public:
  explicit ActiveKernel(const Kernel& k) : saved_(active_kernel) { active_kernel = &k; }
  ~ActiveKernel() { active_kernel = saved_; }
  ActiveKernel(const ActiveKernel&) = delete;
  ActiveKernel& operator=(const ActiveKernel&) = delete;

 private:
  const Kernel* saved_;
};

// The table of `v` in this domain (model/variants/registry.cc for the
// concrete one, checker/bmc/sym/sym_variants.cc for the symbolic one).
const Kernel& kernel_of(const Variant& v);

// The entry of `slot` in the running table when it is not `self`.
// The base running is the common case: one comparison.
template <class F>
inline F overridden(F Kernel::*slot, F self) {
  if (active_kernel == &kernel_6_12_table) [[likely]]
    return nullptr;
  F f = active().*slot;
  return f == self ? nullptr : f;
}

}  // namespace kernel
GUP_DOMAIN_END

// Invariant 2. In a variant's replacement of `name` the entry is the
// replacement itself, so its copy of this line does nothing.
#define GUP_OVERRIDABLE(name, ...)                                                              \
  do {                                                                                          \
    if (auto gup_replacement_ =                                                                 \
            ::GUP_DOMAIN_NS::kernel::overridden(&::GUP_DOMAIN_NS::kernel::Kernel::name, &name)) \
      return gup_replacement_(__VA_ARGS__);                                                     \
  } while (0)
