// fork(): kernel/fork.c: dup_mmap() -> mm/memory.c: copy_page_range() ->
// copy_pte_range() -> copy_present_ptes() / copy_present_page() /
// copy_nonpresent_pte() (6.12).
//
// Contract: the child gets the parent's VMAs and, for VMAs that need a
// copy, its PTEs. A private anon page is shared read-only (COW) with its
// PageAnonExclusive cleared, unless the parent mm has MMF_HAS_PINNED and
// the folio may be pinned while the page is exclusive: then the child gets
// a copy at once and the parent PTE stays as it was, so a pinned page stays
// coherent with the parent's page table (B1, 70e806e4e645). If the copy
// cannot be allocated, fork fails with -ENOMEM and the child is torn down;
// what was already done to the parent (cleared PAE, write-protection)
// stays, as in the kernel.
//
// Atomic sections: (1) dup_mmap(): mmap_write_lock of parent and child, the
// VMAs; (2) one per PTE copied, under the PTL, except that an exclusive
// anon page that is not copied takes two: folio_try_dup_anon_rmap_pte()'s
// pin check, then __copy_present_ptes()'s write-protection (GUP-fast can
// pin in between, §8.9); the last section also ends the copy and unlocks.
// The kernel holds the PTLs of both mms across the two, so in between only
// sections that take no PTL run (model.h: in_fork_ptl_window()).
// write_protect_seq is odd while copy_page_range() works on a COW VMA
// (raw_write_seqcount_begin/end around each VMA), which makes a concurrent
// pin_user_pages_fast() give up (§4.2; 57efa1fe5957).
#include <cassert>
#include <cstdio>

#include "model/kernel_functions.h"
#include "model/racing.h"

GUP_DOMAIN_BEGIN
namespace kernel {

using namespace fork_sections;

// mm/memory.c: vma_needs_copy(). A private VMA stands for one with an
// anon_vma (the model does not track anon_vma: a private VMA that never
// faulted an anon page is copied too); a driver VMA is VM_MIXEDMAP
// (vm_insert_page()). Shared file, shmem, hugetlb and DAX VMAs are not
// copied: the child faults them in.
bool vma_needs_copy(const Vma& v) {
  GUP_OVERRIDABLE(vma_needs_copy, v);
  if (v.test(VM_PFNMAP) || v.kind == VmaKind::kDriver) return true;
  return !v.test(VM_SHARED);
}

// The first address >= from whose PTE copy_pte_range() copies, or kMaxAddrs.
int next_copy(const Mm& parent, int from) {
  GUP_OVERRIDABLE(next_copy, parent, from);
  for (int a = from; a < kMaxAddrs; a++) {
    const Vma* v = parent.find_vma(a);
    if (v && vma_needs_copy(*v) && !parent.ptes[a].none()) return a;
  }
  return kMaxAddrs;
}

// copy_present_ptes() -> folio_try_dup_anon_rmap_pte() fails with -EBUSY:
// the folio may be pinned and the page is exclusive, so the child needs its
// own copy (copy_present_page()).
bool needs_copy_present_page(const State& s, const Mm& parent, int addr) {
  GUP_OVERRIDABLE(needs_copy_present_page, s, parent, addr);
  const Pte& pte = parent.ptes[addr];
  if (!pte.present()) return false;
  const Folio& f = s.folios[pte.folio];
  if (!folio_test_anon(f)) return false;
  // folio_needs_cow_for_dma()
  bool maybe_pinned = (parent.flags & MMF_HAS_PINNED) && folio_maybe_dma_pinned(f);
  return maybe_pinned && f.page_anon_exclusive(pte.page());
}

// Whether copying this PTE takes two sections: an exclusive anon page that
// passes folio_try_dup_anon_rmap_pte()'s pin check is write-protected by
// __copy_present_ptes() after the check, with no barrier in between
// (include/linux/rmap.h: __folio_try_share_anon_rmap()): a GUP-fast pin can land in that window,
// which only write_protect_seq catches. PageAnonExclusive is cleared together with the
// write-protection: GUP-fast does not read it on a writable PTE.
bool dup_check_then_wrprotect(const State& s, const Mm& parent, int addr) {
  GUP_OVERRIDABLE(dup_check_then_wrprotect, s, parent, addr);
  const Pte& pte = parent.ptes[addr];
  if (!pte.present() || needs_copy_present_page(s, parent, addr)) return false;
  const Folio& f = s.folios[pte.folio];
  return folio_test_anon(f) && f.page_anon_exclusive(pte.page());
}

// copy_page_range(): raw_write_seqcount_begin()/end() bracket each COW VMA
// that needs a copy; `a` is an address being passed over.
void seqcount_at(Mm& parent, int a, bool first) {
  GUP_OVERRIDABLE(seqcount_at, parent, a, first);
  const Vma* v = parent.find_vma(a);
  if (!v || !vma_needs_copy(*v) || !is_cow_mapping(*v)) return;
  bool odd = (parent.write_protect_seq & 1) != 0;
  if (first && a == v->start && !odd) parent.write_protect_seq++;
  if (!first && a == v->end - 1 && odd) parent.write_protect_seq++;
}

// The end of dup_mmap(): both mmap_locks dropped. On success the child mm
// becomes live (kMmLive): only now can a task of the child process, or
// anyone who finds it by pid, run an op on it (copy_process() calls
// copy_mm() before alloc_pid() and wake_up_new_task()). rmap walkers
// (reclaim, migration) reach the child's PTEs earlier, through the
// anon_vma chain, whatever kMmLive says.
void dup_mmap_done(State& s, const Ctx& c, Mm& parent, Mm& child, bool live) {
  GUP_OVERRIDABLE(dup_mmap_done, s, c, parent, child, live);
  Task& t = task(s, c);
  mmap_write_unlock(parent, t);
  child.mmap_lock = 0;
  if (live) child.flags |= kMmLive;
  finish_op(s, c);
}

// Passes over addresses [from, kMaxAddrs) that have nothing to copy,
// bracketing their COW VMAs, then unlocks.
void copy_rest_and_unlock(State& s, const Ctx& c, Mm& parent, Mm& child, int from) {
  GUP_OVERRIDABLE(copy_rest_and_unlock, s, c, parent, child, from);
  for (int a = from; a < kMaxAddrs; a++) {
    seqcount_at(parent, a, true);
    seqcount_at(parent, a, false);
  }
  dup_mmap_done(s, c, parent, child, true);
}

// dup_mmap() failed (-ENOMEM): mmput() of the child -> exit_mmap() zaps
// what was copied; the child mm never becomes live, so ops on it never run.
void dup_mmap_fail(State& s, const Ctx& c, Mm& parent, Mm& child) {
  GUP_OVERRIDABLE(dup_mmap_fail, s, c, parent, child);
  if (parent.write_protect_seq & 1) parent.write_protect_seq++;  // copy_page_range()'s end
  int child_idx = int(&child - &s.mms[0]);
  for (int a = 0; a < kMaxAddrs; a++)
    if (!child.ptes[a].none()) zap_pte(s, c, child_idx, a);
  for (Vma& v : child.vmas) v = Vma{};
  child.file_of_vma = 0;
  child.flags = 0;
  dup_mmap_done(s, c, parent, child, false);
}

// mm/memory.c: copy_present_page(): a new exclusive anon folio for the
// child, dirty, writable if the VMA is; the parent PTE is left alone. The
// prealloc is folio_prealloc(): GFP_HIGHUSER_MOVABLE.
bool copy_present_page(State& s, const Ctx& c, int child_idx, int addr, const Vma& v) {
  GUP_OVERRIDABLE(copy_present_page, s, c, child_idx, addr, v);
  int idx = c.choice == 1 ? kNoFolio : alloc_folio(s, Gfp{true, 0}, FolioKind::kAnon);
  if (idx == kNoFolio) return false;
  Folio& f = s.folios[idx];
  f.anon_exclusive = 1;  // folio_add_new_anon_rmap(RMAP_EXCLUSIVE)
  f.set(kDirty);
  map_pte(s, child_idx, addr, idx, 0, v.test(VM_WRITE));
  folio_add_lru(s, idx, Config::cpu_of(c.task));  // folio_add_lru_vma()
  return true;
}

// copy_nonpresent_pte() for a migration entry: in a COW mapping a writable
// or readable-exclusive entry becomes readable in both. The entry holds no
// reference; remove_migration_ptes() later maps both.
void copy_migration_entry(Mm& parent, Mm& child, int addr, const Vma& v) {
  GUP_OVERRIDABLE(copy_migration_entry, parent, child, addr, v);
  Pte pte = parent.ptes[addr];
  if ((pte.write() || pte.exclusive()) && is_cow_mapping(v))
    pte = Pte::make_migration(pte.folio, pte.page(), false, false);
  parent.ptes[addr] = pte;
  child.ptes[addr] = pte;
}

// copy_present_ptes() for one PTE; `checked`: folio_try_dup_anon_rmap_pte()
// already passed in an earlier section. Returns false if
// copy_present_page() could not allocate.
bool copy_pte(State& s, const Ctx& c, int parent_idx, int child_idx, int addr, bool checked) {
  GUP_OVERRIDABLE(copy_pte, s, c, parent_idx, child_idx, addr, checked);
  Mm& parent = s.mms[parent_idx];
  Mm& child = s.mms[child_idx];
  const Vma& v = *parent.find_vma(addr);
  Pte pte = parent.ptes[addr];
  if (pte.is_migration()) {
    copy_migration_entry(parent, child, addr, v);
    return true;
  }
  if (pte.none()) return true;
  if (!checked && needs_copy_present_page(s, parent, addr))
    return copy_present_page(s, c, child_idx, addr, v);
  Folio& f = s.folios[pte.folio];
  // folio_try_dup_anon_rmap_pte(): the page is now shared.
  if (folio_test_anon(f)) f.clear_page_anon_exclusive(pte.page());
  // __copy_present_ptes(): a COW mapping write-protects both PTEs.
  bool write = pte.write();
  if (is_cow_mapping(v) && write) {
    write = false;
    parent.ptes[addr] = Pte::make_present(pte.folio, pte.page(), false);
  }
  map_pte(s, child_idx, addr, int(pte.folio), pte.page(), write);  // the zero page: special
  return true;
}

// The address the next copy section works on, and whether it may call
// copy_present_page() (so that the allocation can fail).
int copy_addr(const State& s, const Task& t, const Mm& parent, bool* allocates) {
  GUP_OVERRIDABLE(copy_addr, s, t, parent, allocates);
  int a = t.pc == kPcCopyWp ? int(t.i) : next_copy(parent, int(t.i));
  bool checked = t.pc == kPcCopyWp && parent.ptes[a] == t.snap;
  *allocates = a < kMaxAddrs && !checked && needs_copy_present_page(s, parent, a);
  return a;
}

int fork_choices(const State& s, const Config& cfg, int ti) {
  GUP_OVERRIDABLE(fork_choices, s, cfg, ti);
  const Task& t = s.tasks[ti];
  const Op& op = cur_op(s, cfg, ti);
  const Mm& parent = s.mms[op.mm];
  if (t.pc == kPcDupMmap) return mmap_write_lock_blocked(parent) ? 0 : 1;
  bool allocates;
  copy_addr(s, t, parent, &allocates);
  return allocates && cfg.inject_alloc_failure && can_alloc(s, cfg, Gfp{true, 0}) ? 2 : 1;
}

void dup_mmap(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(dup_mmap, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  Mm& parent = s.mms[op.mm];
  Mm& child = s.mms[op.child];
  assert(!(child.flags & kMmLive) && op.child != op.mm && "fork: the child mm is in use");
  mmap_write_lock(parent, t);
  child.mmap_lock = -1;  // mmap_write_lock_nested() of the new mm
  // mmf_init_flags(): MMF_HAS_PINNED is not inherited. The child is not
  // live until dup_mmap_done().
  child.flags = 0;
  for (int i = 0; i < kMaxVmas; i++) child.vmas[i] = parent.vmas[i];
  child.file_of_vma = parent.file_of_vma;
  child.write_protect_seq = 0;
  for (Pte& pte : child.ptes) pte = Pte::make_none();
  t.i = 0;
  if (next_copy(parent, 0) == kMaxAddrs) return copy_rest_and_unlock(s, c, parent, child, 0);
  t.pc = kPcCopy;
}

// The PTE at `a` is done: its VMA's seqcount section ends if `a` is the
// VMA's last address; unlock if nothing is left to copy.
void copy_done(State& s, const Ctx& c, Mm& parent, Mm& child, int a) {
  GUP_OVERRIDABLE(copy_done, s, c, parent, child, a);
  Task& t = task(s, c);
  seqcount_at(parent, a, false);
  t.i = a + 1;
  t.pc = kPcCopy;
  t.snap = Pte::make_none();
  if (next_copy(parent, int(t.i)) == kMaxAddrs) copy_rest_and_unlock(s, c, parent, child, int(t.i));
}

// The next PTE: the addresses before it are passed over (their COW VMAs
// bracketed), then it is copied, or only checked (dup_check_then_wrprotect()).
void copy_pte_range(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(copy_pte_range, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  Mm& parent = s.mms[op.mm];
  Mm& child = s.mms[op.child];
  int from = int(t.i);
  int a = next_copy(parent, from);
  if (a == kMaxAddrs) return copy_rest_and_unlock(s, c, parent, child, from);
  for (int b = from; b < a; b++) {
    seqcount_at(parent, b, true);
    seqcount_at(parent, b, false);
  }
  seqcount_at(parent, a, true);
  if (dup_check_then_wrprotect(s, parent, a)) {
    t.i = a;
    t.snap = parent.ptes[a];
    t.pc = kPcCopyWp;
    return;
  }
  if (!copy_pte(s, c, op.mm, op.child, a, false)) return dup_mmap_fail(s, c, parent, child);
  copy_done(s, c, parent, child, a);
}

// __copy_present_ptes() after a passed check. The kernel holds the PTL
// across both sections; should another task have changed the PTE anyway,
// it is copied afresh.
void copy_present_ptes_wrprotect(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(copy_present_ptes_wrprotect, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  Mm& parent = s.mms[op.mm];
  Mm& child = s.mms[op.child];
  int a = int(t.i);
  bool checked = parent.ptes[a] == t.snap;
  if (!copy_pte(s, c, op.mm, op.child, a, checked)) return dup_mmap_fail(s, c, parent, child);
  copy_done(s, c, parent, child, a);
}

void fork_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(fork_step, s, c);
  switch (int(task(s, c).pc)) {
    case kPcDupMmap:
      return dup_mmap(s, c);
    case kPcCopy:
      return copy_pte_range(s, c);
    default:
      return copy_present_ptes_wrprotect(s, c);
  }
}

#if !GUP_SYMBOLIC
void fork_info(const State& s, const Config& cfg, int ti, StepInfo& out) {
  const Task& t = s.tasks[ti];
  const Op& op = cur_op(s, cfg, ti);
  const Mm& parent = s.mms[op.mm];
  out.source = "kernel/fork.c";
  if (t.pc == kPcDupMmap) {
    out.function = "dup_mmap";
    std::snprintf(out.args, sizeof out.args, "mm%d -> mm%d", op.mm, op.child);
    return;
  }
  bool allocates;
  int a = copy_addr(s, t, parent, &allocates);
  out.source = "mm/memory.c";
  if (a == kMaxAddrs) {
    out.function = "copy_page_range";
    std::snprintf(out.args, sizeof out.args, "mm%d -> mm%d done", op.mm, op.child);
    return;
  }
  std::snprintf(out.args, sizeof out.args, "mm%d -> mm%d addr %d", op.mm, op.child, a);
  if (parent.ptes[a].is_migration()) {
    out.function = "copy_nonpresent_pte";
  } else if (allocates) {
    out.function = "copy_present_page";
    out.choice = "allocation fails";
  } else if (t.pc == kPcCopyWp) {
    out.function = "__copy_present_ptes";
  } else if (dup_check_then_wrprotect(s, parent, a)) {
    out.function = "folio_try_dup_anon_rmap_pte";
    out.source = "include/linux/rmap.h";
  } else {
    out.function = "copy_present_ptes";
  }
}
#endif

const OpImpl kOpFork{fork_choices, fork_step, GUP_INFO(fork_info)};

bool fork_in_ptl_window(const Task& t, const Op& op) {
  GUP_OVERRIDABLE(fork_in_ptl_window, t, op);
  return op.kind == OpKind::kFork && t.pc == kPcCopyWp;
}

}  // namespace kernel
GUP_DOMAIN_END

#if !GUP_SYMBOLIC
namespace gup {

bool in_fork_ptl_window(const Op& op, int pc) {
  return op.kind == OpKind::kFork && pc == kernel::fork_sections::kPcCopyWp;
}

}  // namespace gup
#endif
