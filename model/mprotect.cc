// mprotect(): mm/mprotect.c: do_mprotect_pkey() -> mprotect_fixup() ->
// change_protection() -> change_pte_range() (6.12).
//
// Contract: the VMAs covering the range get VM_READ|VM_WRITE = op.flags,
// and each PTE the protection pte_modify() and can_change_pte_writable()
// give it:
//  - no VM_WRITE: read-only; PageAnonExclusive is kept;
//  - private mapping with VM_WRITE (MM_CP_TRY_CHANGE_WRITABLE): writable
//    only for an exclusive anon page, so a pinned exclusive page regains
//    write access without COW;
//  - shared mapping without write notification (shmem, hugetlbfs, devices):
//    vm_page_prot is writable, so every PTE is;
//  - shared mapping with write notification (dirty-tracked files): R/O
//    until the write fault (wp_page_shared()); the kernel also upgrades a
//    pte_dirty() PTE, which the model does not track;
//  - a writable migration entry becomes readable (readable-exclusive for
//    anon), whatever the new protection.
// Adding VM_WRITE to a VMA without VM_MAYWRITE fails with -EACCES there;
// a hole stops the walk with -ENOMEM (VMAs before it keep their change).
//
// Atomic sections: (1) mmap_write_lock (waits for every other holder) and
// the VMA flags; (2) one per PTE whose value changes, under the PTL; the
// last also unlocks. The model does not split VMAs: every VMA that meets
// the range changes as a whole.
#include <cstdio>

#include "model/kernel_functions.h"
#include "model/racing.h"

GUP_DOMAIN_BEGIN
namespace kernel {

using namespace mprotect_sections;

// vma_wants_writenotify() for a shared writable VMA.
bool wants_writenotify(const Vma& v) {
  GUP_OVERRIDABLE(wants_writenotify, v);
  return vma_needs_dirty_tracking(v);
}

// change_pte_range() on one entry of VMA v (its new flags already set).
Pte change_pte(const State& s, const Vma& v, Pte pte) {
  GUP_OVERRIDABLE(change_pte, s, v, pte);
  if (pte.is_migration()) {
    if (!pte.write()) return pte;
    bool anon = folio_test_anon(s.folios[pte.folio]);
    return Pte::make_migration(pte.folio, pte.page(), false, anon);
  }
  if (!pte.present()) return pte;
  bool write = false;
  if (v.test(VM_WRITE)) {
    if (v.test(VM_SHARED)) {
      write = !wants_writenotify(v);
    } else {
      // can_change_pte_writable(): vm_normal_page() && PageAnon && PAE.
      const Folio& f = s.folios[pte.folio];
      write = folio_test_anon(f) && f.page_anon_exclusive(pte.page());
    }
  }
  return Pte::make_present(pte.folio, pte.page(), write);
}

// The next address >= from in a changed VMA (bit i of Task::j: vmas[i])
// whose entry changes, or kMaxAddrs.
int next_change(const State& s, const Mm& m, uint8_t changed, int from) {
  GUP_OVERRIDABLE(next_change, s, m, changed, from);
  for (int a = from; a < kMaxAddrs; a++) {
    for (int i = 0; i < kMaxVmas; i++) {
      const Vma& v = m.vmas[i];
      if (!(changed >> i & 1) || !v.contains(a)) continue;
      if (!(change_pte(s, v, m.ptes[a]) == m.ptes[a])) return a;
    }
  }
  return kMaxAddrs;
}

int mprotect_choices(const State& s, const Config& cfg, int ti) {
  GUP_OVERRIDABLE(mprotect_choices, s, cfg, ti);
  const Op& op = cur_op(s, cfg, ti);
  if (s.tasks[ti].pc == kPcFixup) return mmap_write_lock_blocked(s.mms[op.mm]) ? 0 : 1;
  return 1;
}

void unlock_if_done(State& s, const Ctx& c, Mm& m) {
  GUP_OVERRIDABLE(unlock_if_done, s, c, m);
  Task& t = task(s, c);
  if (next_change(s, m, int(t.j), int(t.i)) < kMaxAddrs) return;
  mmap_write_unlock(m, t);
  finish_op(s, c);
}

// do_mprotect_pkey()'s loop over the VMAs in address order, each through
// mprotect_fixup() (newflags == oldflags: nothing to do).
void mprotect_fixup(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(mprotect_fixup, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  Mm& m = s.mms[op.mm];
  mmap_write_lock(m, t);
  uint8_t prot = uint8_t(op.flags & kProt);
  uint8_t changed = 0;
  for (int a = op.start; a < op.start + op.nr && a < kMaxAddrs;) {
    const Vma* found = m.find_vma(a);
    if (!found) break;  // -ENOMEM
    Vma& v = m.vmas[found - &m.vmas[0]];
    if ((prot & VM_WRITE) && !v.test(VM_MAYWRITE)) break;  // -EACCES
    Val<uint8_t> flags = (v.vm_flags & ~kProt) | prot;
    if (flags != v.vm_flags) {
      v.vm_flags = flags;
      changed = changed | 1u << (found - &m.vmas[0]);
    }
    a = int(v.end);
  }
  t.j = changed;
  t.i = 0;
  t.pc = kPcChangePte;
  unlock_if_done(s, c, m);
}

void change_pte_range(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(change_pte_range, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  Mm& m = s.mms[op.mm];
  int a = next_change(s, m, int(t.j), int(t.i));
  if (a < kMaxAddrs) {
    m.ptes[a] = change_pte(s, *m.find_vma(a), m.ptes[a]);
    t.i = a + 1;
  }
  unlock_if_done(s, c, m);
}

void mprotect_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(mprotect_step, s, c);
  if (task(s, c).pc == kPcFixup) return mprotect_fixup(s, c);
  change_pte_range(s, c);
}

#if !GUP_SYMBOLIC
void mprotect_info(const State& s, const Config& cfg, int ti, StepInfo& out) {
  const Task& t = s.tasks[ti];
  const Op& op = cur_op(s, cfg, ti);
  out.source = "mm/mprotect.c";
  if (t.pc == kPcFixup) {
    out.function = "mprotect_fixup";
    std::snprintf(out.args, sizeof out.args, "mm%d start %d nr %d %s%s", op.mm, op.start, op.nr,
                  op.flags & VM_READ ? "PROT_READ" : "PROT_NONE",
                  op.flags & VM_WRITE ? "|PROT_WRITE" : "");
    return;
  }
  out.function = "change_pte_range";
  std::snprintf(out.args, sizeof out.args, "mm%d addr %d", op.mm,
                next_change(s, s.mms[op.mm], t.j, t.i));
}
#endif

const OpImpl kOpMprotect{mprotect_choices, mprotect_step, GUP_INFO(mprotect_info)};

}  // namespace kernel
GUP_DOMAIN_END
