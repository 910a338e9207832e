// Mirror of model/fork.cc: fork() = kernel/fork.c dup_mmap() ->
// mm/memory.c copy_page_range() -> copy_pte_range() -> copy_present_ptes()
// / copy_present_page() / copy_nonpresent_pte() (6.12; gup-semantics.md
// §8.1, §8.9).
//
// Sections as in the model: dup_mmap() (locks, VMAs), then one per copied
// PTE, two for an exclusive anon page that passes
// folio_try_dup_anon_rmap_pte()'s pin check (kPcCopyWp). The task's
// position Task::i is case-split into concrete addresses; the VMAs of the
// parent are one of its layouts (Enc::with_vmas), so vma_needs_copy(),
// is_cow_mapping() and the seqcount brackets are decided concretely. The
// child's VMAs become the parent's layout (set_vmas); write_protect_seq of
// both mms is symbolic (vma_layouts(), forks_touch()).
#include "checker/smt_encode.h"

namespace gup::smt {

namespace {

// model ForkPc.
enum ForkPc : int { kPcDupMmap, kPcCopy, kPcCopyWp, kNrForkPcs };

// model vma_needs_copy() / mm/memory.c vma_needs_copy().
bool vma_needs_copy(const Vma& v) {
  if (v.test(VM_PFNMAP) || v.kind == VmaKind::kDriver) return true;
  return !v.test(VM_SHARED);
}

// Whether copy_pte_range() copies the PTE at `a` (model next_copy()'s test).
expr copyable(const Enc& e, const SState& s, int p, const Mm& lay, int a) {
  const Vma* v = lay.find_vma(a);
  if (!v || !vma_needs_copy(*v)) return e.ff();
  return !e.pte_none(s.m[p].ptes[a]);
}

// model next_copy() == kMaxAddrs: nothing at or after `from` to copy.
expr nothing_from(const Enc& e, const SState& s, int p, const Mm& lay, int from) {
  expr none = e.tt();
  for (int a = from; a < kMaxAddrs; a++) none = none && !copyable(e, s, p, lay, a);
  return none;
}

// model needs_copy_present_page() / copy_present_ptes() ->
// folio_try_dup_anon_rmap_pte() fails: folio_needs_cow_for_dma() and
// PageAnonExclusive.
expr needs_copy_present_page(const Enc& e, const SState& s, int p, int a) {
  const SPte& pte = s.m[p].ptes[a];
  expr any = e.ff();
  for (int k = 0; k < e.cfg.nr_folios; k++)
    any = any || (pte.folio == e.b8(k) && e.folio_test_anon(s, k) &&
                  e.folio_maybe_dma_pinned(s, k) && e.pae_bit(s, k, e.pte_page(pte)));
  return e.pte_present(pte) && (s.m[p].flags & e.b8(MMF_HAS_PINNED)) != e.b8(0) && any;
}

// model dup_check_then_wrprotect(): an exclusive anon page that passes the
// pin check takes two sections.
expr dup_check_then_wrprotect(const Enc& e, const SState& s, int p, int a) {
  const SPte& pte = s.m[p].ptes[a];
  expr excl = e.ff();
  for (int k = 0; k < e.cfg.nr_folios; k++)
    excl = excl ||
           (pte.folio == e.b8(k) && e.folio_test_anon(s, k) && e.pae_bit(s, k, e.pte_page(pte)));
  return e.pte_present(pte) && !needs_copy_present_page(e, s, p, a) && excl;
}

// model seqcount_at() / copy_page_range(): raw_write_seqcount_begin() at a
// COW VMA's first address, raw_write_seqcount_end() at its last.
void seqcount_at(const Enc& e, SState& s, int p, const Mm& lay, int a, bool first) {
  const Vma* v = lay.find_vma(a);
  if (!v || !vma_needs_copy(*v) || !is_cow_mapping(*v)) return;
  expr& seq = s.m[p].write_protect_seq;
  expr odd = e.bit(seq, 0);
  if (first && a == v->start) seq = z3::ite(odd, seq, seq + e.b8(1));
  if (!first && a == v->end - 1) seq = z3::ite(odd, seq + e.b8(1), seq);
}

// model dup_mmap_done(): both mmap_locks dropped, the child live unless
// the fork failed, the op ends.
void dup_mmap_done(const Enc& e, SState& s, int task, const Op& op, bool live = true) {
  s.m[op.mm].mmap_lock = e.b8(0);  // mmap_write_unlock()
  s.t[task].locked = e.b8(0);
  s.m[op.child].mmap_lock = e.b8(0);
  if (live) s.m[op.child].flags = s.m[op.child].flags | e.b8(kMmLive);
  e.finish_op(s, task);
}

// model copy_rest_and_unlock().
void copy_rest_and_unlock(const Enc& e, SState& s, int task, const Op& op, const Mm& lay,
                          int from) {
  for (int a = from; a < kMaxAddrs; a++) {
    seqcount_at(e, s, op.mm, lay, a, true);
    seqcount_at(e, s, op.mm, lay, a, false);
  }
  dup_mmap_done(e, s, task, op);
}

// model dup_mmap_fail(): -ENOMEM; mmput() of the child zaps what was copied.
void dup_mmap_fail(const Enc& e, SState& s, int task, const Op& op) {
  expr& seq = s.m[op.mm].write_protect_seq;
  seq = z3::ite(e.bit(seq, 0), seq + e.b8(1), seq);
  for (int a = 0; a < kMaxAddrs; a++) e.zap_pte(s, op.child, a);  // none stays none
  e.set_vmas(s, op.child, Mm{});
  s.m[op.child].flags = e.b8(0);
  dup_mmap_done(e, s, task, op, false);
}

// model copy_present_page() / mm/memory.c copy_present_page(): a new
// exclusive anon folio (GFP_HIGHUSER_MOVABLE) for the child. s.ok: done.
void copy_present_page(const Enc& e, SState& s, int task, int child, int a, const Vma& v,
                       const expr& choice) {
  e.branch(
      s, choice, [&](SState& x) { x.ok = e.ff(); },
      [&](SState& x) {
        e.alloc_folio(
            x, true, 0, e.b8(int(FolioKind::kAnon)),
            [&](SState& y, int k) {
              y.f[k].anon_exclusive = e.b8(1);  // folio_add_new_anon_rmap(RMAP_EXCLUSIVE)
              e.set(y, k, kDirty);
              e.map_pte(y, child, a, k, e.ff(), e.z.bool_val(v.test(VM_WRITE)));
              e.folio_add_lru(y, k, Config::cpu_of(task));
              y.ok = e.tt();
            },
            [&](SState& y) { y.ok = e.ff(); });
      });
}

// model copy_pte() / copy_present_ptes(), copy_nonpresent_pte() for one
// PTE; `checked`: the pin check passed in an earlier section. s.ok false:
// copy_present_page() could not allocate.
void copy_pte(const Enc& e, SState& s, int task, const Op& op, const Mm& lay, int a,
              const expr& checked, const expr& choice) {
  const Vma& v = *lay.find_vma(a);
  bool cow = is_cow_mapping(v);
  SPte pte = s.m[op.mm].ptes[a];
  s.ok = e.tt();
  // copy_nonpresent_pte(): a migration entry is copied, read-only in a COW
  // mapping, in both; it holds no reference.
  e.branch(s, e.pte_migration(pte), [&](SState& x) {
    SPte m = pte;
    if (cow)
      m = SPte{pte.folio, z3::ite(e.pte_write(pte) || e.pte_exclusive(pte),
                                  e.make_migration(pte.folio, e.pte_page(pte), e.ff(), e.ff()).bits,
                                  pte.bits)};
    x.m[op.mm].ptes[a] = m;
    x.m[op.child].ptes[a] = m;
  });
  expr copy_page = !checked && needs_copy_present_page(e, s, op.mm, a);
  e.branch(s, e.pte_present(pte), [&](SState& x) {
    e.branch(
        x, copy_page, [&](SState& y) { copy_present_page(e, y, task, op.child, a, v, choice); },
        [&](SState& y) {
          e.cases(y, pte.folio, e.cfg.nr_folios, [&](SState& w, int k) {
            // folio_try_dup_anon_rmap_pte(): the page is now shared.
            e.branch(w, e.folio_test_anon(w, k), [&](SState& u) {
              u.f[k].anon_exclusive =
                  u.f[k].anon_exclusive & z3::ite(e.pte_page(pte), e.b8(~2), e.b8(~1));
            });
            // __copy_present_ptes(): a COW mapping write-protects both PTEs.
            expr write = e.pte_write(pte);
            if (cow) {
              e.branch(w, write, [&](SState& u) {
                u.m[op.mm].ptes[a] = e.make_present(pte.folio, e.pte_page(pte), e.ff());
              });
              write = e.ff();
            }
            e.map_pte(w, op.child, a, k, e.pte_page(pte), write);
          });
        });
  });
}

// model copy_done(): the VMA's seqcount section may end; unlock if nothing
// is left to copy.
void copy_done(const Enc& e, SState& s, int task, const Op& op, const Mm& lay, int a) {
  STask& t = s.t[task];
  seqcount_at(e, s, op.mm, lay, a, false);
  t.i = e.b8(a + 1);
  t.pc = e.b8(kPcCopy);
  t.snap = e.pte_none_val();
  e.branch(s, nothing_from(e, s, op.mm, lay, a + 1),
           [&](SState& x) { copy_rest_and_unlock(e, x, task, op, lay, a + 1); });
}

// copy_pte() then copy_done(), or dup_mmap_fail() if it could not allocate.
void copy_and_done(const Enc& e, SState& s, int task, const Op& op, const Mm& lay, int a,
                   const expr& checked, const expr& choice) {
  copy_pte(e, s, task, op, lay, a, checked, choice);
  e.branch(
      s, s.ok, [&](SState& x) { copy_done(e, x, task, op, lay, a); },
      [&](SState& x) { dup_mmap_fail(e, x, task, op); });
}

// model copy_step() from Task::i == `from`: the addresses with nothing to
// copy are passed over (their COW VMAs bracketed), the first copyable one
// is copied or only checked. At the end of the address space: unlock.
void copy_scan(const Enc& e, SState& s, int task, const Op& op, const Mm& lay, int a,
               const expr& choice) {
  if (a == kMaxAddrs) return dup_mmap_done(e, s, task, op);
  auto pass = [&](SState& x) {
    seqcount_at(e, x, op.mm, lay, a, true);
    seqcount_at(e, x, op.mm, lay, a, false);
    copy_scan(e, x, task, op, lay, a + 1, choice);
  };
  e.branch(
      s, copyable(e, s, op.mm, lay, a),
      [&](SState& x) {
        seqcount_at(e, x, op.mm, lay, a, true);
        e.branch(
            x, dup_check_then_wrprotect(e, x, op.mm, a),
            [&](SState& y) {
              y.t[task].i = e.b8(a);
              y.t[task].snap = y.m[op.mm].ptes[a];
              y.t[task].pc = e.b8(kPcCopyWp);
            },
            [&](SState& y) { copy_and_done(e, y, task, op, lay, a, e.ff(), choice); });
      },
      pass);
}

// model dup_mmap() / kernel/fork.c dup_mmap(): both mmap_locks, the child's
// VMAs; MMF_HAS_PINNED is not inherited (mmf_init_flags()).
void dup_mmap(const Enc& e, SState& s, int task, const Op& op, const Mm& lay) {
  SMm& parent = s.m[op.mm];
  SMm& child = s.m[op.child];
  parent.mmap_lock = e.b8(-1);  // mmap_write_lock()
  s.t[task].locked = e.b8(2);
  child.mmap_lock = e.b8(-1);  // mmap_write_lock_nested()
  child.flags = e.b8(0);       // live at dup_mmap_done()
  e.set_vmas(s, op.child, lay);
  child.write_protect_seq = e.b8(0);
  for (SPte& pte : child.ptes) pte = e.pte_none_val();
  s.t[task].i = e.b8(0);
  e.branch(
      s, nothing_from(e, s, op.mm, lay, 0),
      [&](SState& x) { copy_rest_and_unlock(e, x, task, op, lay, 0); },
      [&](SState& x) { x.t[task].pc = e.b8(kPcCopy); });
}

}  // namespace

// model fork_choices(): 0 while the parent's mmap_lock is held; 2 when the
// next section may call copy_present_page() and the allocation may fail.
expr Enc::fork_choices(const SState& s, int task, const Op& op) const {
  const STask& t = s.t[task];
  const SMm& parent = s.m[op.mm];
  expr allocs = on_vmas(s, op.mm, [&](const Mm& lay) {
    expr any = ff();
    for (int i = 0; i < kMaxAddrs; i++) {
      expr at_copy = t.pc == b8(kPcCopy) && t.i == b8(i);
      expr first = tt();  // model copy_addr(): a = next_copy(parent, t.i)
      for (int a = i; a < kMaxAddrs; a++) {
        expr c = copyable(*this, s, op.mm, lay, a);
        any = any || (at_copy && first && c && needs_copy_present_page(*this, s, op.mm, a));
        first = first && !c;
      }
      const SPte& pte = parent.ptes[i];
      expr checked = pte.folio == t.snap.folio && pte.bits == t.snap.bits;
      any = any || (t.pc == b8(kPcCopyWp) && t.i == b8(i) && !checked &&
                    needs_copy_present_page(*this, s, op.mm, i));
    }
    return any;
  });
  expr two = allocs && z.bool_val(cfg.inject_alloc_failure) && can_alloc(s, true, 0);
  return z3::ite(t.pc == b8(kPcDupMmap), z3::ite(parent.mmap_lock != b8(0), b8(0), b8(1)),
                 z3::ite(two, b8(2), b8(1)));
}

// model fork_step(): dup_mmap(), copy_step() or copy_wrprotect_step().
void Enc::fork_step(SState& s, int task, const Op& op, const expr& choice) const {
  with_vmas(s, op.mm, [&](SState& x, const Mm& lay) {
    cases(x, x.t[task].pc, kNrForkPcs, [&](SState& y, int pc) {
      if (pc == kPcDupMmap) return dup_mmap(*this, y, task, op, lay);
      cases(y, y.t[task].i, kMaxAddrs + 1, [&](SState& w, int i) {
        if (pc == kPcCopy) return copy_scan(*this, w, task, op, lay, i, choice);
        const Vma* v = i < kMaxAddrs ? lay.find_vma(i) : nullptr;
        if (!v || !vma_needs_copy(*v)) return;  // not reached: kPcCopyWp stops at a copied PTE
        // copy_wrprotect_step(): __copy_present_ptes() after a passed check;
        // a PTE changed meanwhile is copied afresh.
        const SPte& pte = w.m[op.mm].ptes[i];
        const SPte& snap = w.t[task].snap;
        copy_and_done(*this, w, task, op, lay, i, pte.folio == snap.folio && pte.bits == snap.bits,
                      choice);
      });
    });
  });
}

}  // namespace gup::smt
