// Mirror of model/madvise.cc: madvise(MADV_DONTNEED) =
// mm/madvise.c madvise_dontneed_single_vma() -> mm/memory.c
// zap_page_range_single() -> zap_pte_range() -> zap_present_folio_ptes()
// (6.12; gup-semantics.md §8.3). Sections as in the model: mmap_read_lock,
// then one per present PTE of the range (no pin check); the task waits
// while the next PTE is a migration entry. Task::i (the offset into the
// range) is case-split; the VMAs are one of the mm's layouts.
#include "checker/smt_encode.h"

namespace gup::smt {

namespace {

enum MadvisePc : int { kPcLock, kPcZap, kNrMadvisePcs };

// model next_zap(): the first address of the range at offset >= from with
// a PTE to zap (a number), or kMaxAddrs (also at a VM_PFNMAP VMA).
expr next_zap(const Enc& e, const SState& s, const Op& op, const Mm& lay, int from) {
  std::vector<int> addrs;
  for (int a = op.start + from; a < op.start + op.nr && a < kMaxAddrs; a++) {
    const Vma* v = lay.find_vma(a);
    if (!v) continue;
    if (v->test(VM_PFNMAP)) break;
    addrs.push_back(a);
  }
  expr out = e.b8(kMaxAddrs);
  for (int i = int(addrs.size()) - 1; i >= 0; i--)
    out = z3::ite(!e.pte_none(s.m[op.mm].ptes[addrs[i]]), e.b8(addrs[i]), out);
  return out;
}

// model finish_if_done(): mmap_read_unlock and the end of the op once
// nothing is left to zap after offset `from`.
void finish_if_done(const Enc& e, SState& s, int task, const Op& op, const Mm& lay, int from) {
  e.branch(s, next_zap(e, s, op, lay, from) == e.b8(kMaxAddrs), [&](SState& x) {
    x.m[op.mm].mmap_lock = x.m[op.mm].mmap_lock - e.b8(1);
    x.t[task].locked = e.b8(0);
    e.finish_op(x, task);
  });
}

}  // namespace

// model madvise_choices(): 0 while a writer holds mmap_lock, or while the
// next PTE to zap is a migration entry (migration_entry_wait()).
expr Enc::madvise_choices(const SState& s, int task, const Op& op) const {
  const STask& t = s.t[task];
  expr waits = on_vmas(s, op.mm, [&](const Mm& lay) {
    expr w = ff();
    for (int i = 0; i <= op.nr; i++) {
      expr a = next_zap(*this, s, op, lay, i);
      for (int b = 0; b < kMaxAddrs; b++)
        w = w || (t.i == b8(i) && a == b8(b) && pte_migration(s.m[op.mm].ptes[b]));
    }
    return w;
  });
  return z3::ite(t.pc == b8(kPcLock), z3::ite(s.m[op.mm].mmap_lock < b8(0), b8(0), b8(1)),
                 z3::ite(waits, b8(0), b8(1)));
}

// model madvise_step().
void Enc::madvise_step(SState& s, int task, const Op& op) const {
  with_vmas(s, op.mm, [&](SState& x, const Mm& lay) {
    cases(x, x.t[task].pc, kNrMadvisePcs, [&](SState& y, int pc) {
      if (pc == kPcLock) {
        y.m[op.mm].mmap_lock = y.m[op.mm].mmap_lock + b8(1);  // mmap_read_lock()
        y.t[task].locked = b8(1);
        y.t[task].i = b8(0);
        y.t[task].pc = b8(kPcZap);
        return finish_if_done(*this, y, task, op, lay, 0);
      }
      cases(y, y.t[task].i, op.nr + 1, [&](SState& w, int from) {
        expr a = next_zap(*this, w, op, lay, from);
        for (int b = op.start + from; b < op.start + op.nr && b < kMaxAddrs; b++)
          branch(w, a == b8(b), [&](SState& u) {
            zap_pte(u, op.mm, b);  // zap_present_folio_ptes()
            u.t[task].i = b8(b - op.start + 1);
            finish_if_done(*this, u, task, op, lay, b - op.start + 1);
          });
        branch(w, a == b8(kMaxAddrs),
               [&](SState& u) { finish_if_done(*this, u, task, op, lay, from); });
      });
    });
  });
}

}  // namespace gup::smt
