// Mirror of model/mprotect.cc: mprotect() = mm/mprotect.c
// do_mprotect_pkey() -> mprotect_fixup() -> change_protection() ->
// change_pte_range() (6.12; gup-semantics.md §8.4).
//
// Sections as in the model: mprotect_fixup() (mmap_write_lock and the VMA
// flags), then one per PTE whose value changes; the last also unlocks.
// The VMAs are one of the mm's layouts (Enc::with_vmas); the fixup is
// computed concretely per layout (mprotect_layout(), which vma_layouts()
// also uses to give the mm every layout mprotect can make), so the new
// flags, and the changed-VMA mask the model keeps in Task::j, are numerals
// in each arm. The PTE walk reads Task::i and Task::j symbolically and
// case-splits the address it changes.
#include "checker/smt_encode.h"

namespace gup::smt {

namespace {

// model MprotectPc.
enum MprotectPc : int { kPcFixup, kPcChangePte, kNrMprotectPcs };

constexpr uint8_t kProt = VM_READ | VM_WRITE;

// model wants_writenotify() / vma_wants_writenotify() for a shared
// writable VMA.
bool wants_writenotify(const Vma& v) {
  return vma_needs_dirty_tracking(v);
}

// model change_pte() / change_pte_range() on one entry of VMA v (its new
// flags already set).
SPte change_pte(const Enc& e, const SState& s, const Vma& v, const SPte& pte) {
  expr anon = e.ff(), pae = e.ff();
  for (int k = 0; k < e.cfg.nr_folios; k++) {
    anon = anon || (pte.folio == e.b8(k) && e.folio_test_anon(s, k));
    pae = pae || (pte.folio == e.b8(k) && e.pae_bit(s, k, e.pte_page(pte)));
  }
  // A writable migration entry becomes readable (readable-exclusive for anon).
  SPte mig = e.make_migration(pte.folio, e.pte_page(pte), e.ff(), anon);
  expr write = e.ff();
  if (v.test(VM_WRITE)) {
    if (v.test(VM_SHARED))
      write = e.z.bool_val(!wants_writenotify(v));
    else
      write = anon && pae;  // can_change_pte_writable(): PageAnon && PAE
  }
  SPte present = e.make_present(pte.folio, e.pte_page(pte), write);
  expr to_mig = e.pte_migration(pte) && e.pte_write(pte);
  expr to_present = e.pte_present(pte);
  return SPte{z3::ite(to_mig, mig.folio, z3::ite(to_present, present.folio, pte.folio)),
              z3::ite(to_mig, mig.bits, z3::ite(to_present, present.bits, pte.bits))};
}

// model next_change(): the first address >= from in a changed VMA (bit i
// of `changed`: lay.vmas[i]) whose entry changes, or kMaxAddrs.
expr next_change(const Enc& e, const SState& s, int mm, const Mm& lay, const expr& changed,
                 const expr& from) {
  expr out = e.b8(kMaxAddrs);
  for (int a = kMaxAddrs - 1; a >= 0; a--) {
    const SPte& pte = s.m[mm].ptes[a];
    expr any = e.ff();
    for (int i = 0; i < kMaxVmas; i++) {
      const Vma& v = lay.vmas[i];
      if (!v.contains(a)) continue;
      SPte n = change_pte(e, s, v, pte);
      any = any || (e.bit(changed, i) && !(n.folio == pte.folio && n.bits == pte.bits));
    }
    out = z3::ite(z3::ule(from, e.b8(a)) && any, e.b8(a), out);
  }
  return out;
}

// model unlock_if_done(): mmap_write_unlock() and the end of the op once
// no entry is left to change.
void unlock_if_done(const Enc& e, SState& s, int task, const Op& op, const Mm& lay) {
  expr done = next_change(e, s, op.mm, lay, s.t[task].j, s.t[task].i) == e.b8(kMaxAddrs);
  e.branch(s, done, [&](SState& x) {
    x.m[op.mm].mmap_lock = e.b8(0);
    x.t[task].locked = e.b8(0);
    e.finish_op(x, task);
  });
}

}  // namespace

// model mprotect_fixup()'s loop over the VMAs, on a concrete layout:
// do_mprotect_pkey() walks the VMAs of the range in address order, each
// through mprotect_fixup(); a hole stops it (-ENOMEM), and so does adding
// VM_WRITE to a VMA without VM_MAYWRITE (-EACCES).
Mm mprotect_layout(const Mm& l, const Op& op, uint8_t* changed) {
  Mm m = l;
  uint8_t prot = uint8_t(op.flags & kProt);
  *changed = 0;
  for (int a = op.start; a < op.start + op.nr && a < kMaxAddrs;) {
    const Vma* found = m.find_vma(a);
    if (!found) break;  // -ENOMEM
    Vma& v = m.vmas[found - m.vmas];
    if ((prot & VM_WRITE) && !v.test(VM_MAYWRITE)) break;  // -EACCES
    uint8_t flags = uint8_t((v.vm_flags & ~kProt) | prot);
    if (flags != v.vm_flags) {
      v.vm_flags = flags;
      *changed = uint8_t(*changed | 1u << (found - m.vmas));
    }
    a = v.end;
  }
  return m;
}

// model mprotect_choices(): the fixup waits for mmap_write_lock.
expr Enc::mprotect_choices(const SState& s, int task, const Op& op) const {
  return z3::ite(s.t[task].pc == b8(kPcFixup) && s.m[op.mm].mmap_lock != b8(0), b8(0), b8(1));
}

// model mprotect_step(): mprotect_fixup() or change_pte_step().
void Enc::mprotect_step(SState& s, int task, const Op& op) const {
  with_vmas(s, op.mm, [&](SState& x, const Mm& lay) {
    cases(x, x.t[task].pc, kNrMprotectPcs, [&](SState& y, int pc) {
      if (pc == kPcFixup) {             // model mprotect_fixup()
        y.m[op.mm].mmap_lock = b8(-1);  // mmap_write_lock()
        y.t[task].locked = b8(2);
        uint8_t changed;
        Mm now = mprotect_layout(lay, op, &changed);
        set_vmas(y, op.mm, now);
        y.t[task].j = b8(changed);
        y.t[task].i = b8(0);
        y.t[task].pc = b8(kPcChangePte);
        return unlock_if_done(*this, y, task, op, now);
      }
      // model change_pte_step() / change_pte_range() under the PTL.
      expr a = next_change(*this, y, op.mm, lay, y.t[task].j, y.t[task].i);
      for (int b = 0; b < kMaxAddrs; b++) {
        const Vma* v = lay.find_vma(b);
        if (!v) continue;  // next_change() never stops here
        branch(y, a == b8(b), [&](SState& w) {
          w.m[op.mm].ptes[b] = change_pte(*this, w, *v, w.m[op.mm].ptes[b]);
          w.t[task].i = b8(b + 1);
        });
      }
      unlock_if_done(*this, y, task, op, lay);
    });
  });
}

}  // namespace gup::smt
