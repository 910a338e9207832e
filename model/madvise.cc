// madvise(MADV_DONTNEED): mm/madvise.c: madvise_dontneed_single_vma() ->
// mm/memory.c: zap_page_range_single() -> zap_pte_range() ->
// zap_present_folio_ptes() (6.12).
//
// Contract: every present PTE of [start, start+nr) is cleared, the folio's
// mapcount and the mapping's reference dropped (the folio may be freed).
// There is no pin check: a pinned folio lives on its pins, keeps
// PageAnonExclusive, and a later fault maps a different page, so the pin is
// no longer coherent with the page table. A VM_PFNMAP VMA stops the walk
// (madvise_dontneed_free_valid_vma() -> -EINVAL); holes are skipped
// (-ENOMEM at the end, after the rest is zapped).
//
// Atomic sections: (1) mmap_read_lock (waits for a writer); (2) one per
// present PTE, under the PTL; the last also drops mmap_lock. Unlike the
// kernel, which zaps a migration entry too, the model waits while the next
// PTE is a migration entry (the migration finishes without any lock the
// task holds).
#include <cstdio>

#include "model/kernel_functions.h"
#include "model/racing.h"

GUP_DOMAIN_BEGIN
namespace kernel {

using namespace madvise_sections;

// The next address >= from of the range with a PTE to zap, or kMaxAddrs
// (also at a VM_PFNMAP VMA, where the walk stops).
int next_zap(const Mm& m, const Op& op, int from) {
  GUP_OVERRIDABLE(next_zap, m, op, from);
  for (int a = op.start + from; a < op.start + op.nr && a < kMaxAddrs; a++) {
    const Vma* v = m.find_vma(a);
    if (!v) continue;
    if (v->test(VM_PFNMAP)) return kMaxAddrs;
    if (!m.ptes[a].none()) return a;
  }
  return kMaxAddrs;
}

int madvise_choices(const State& s, const Config& cfg, int ti) {
  GUP_OVERRIDABLE(madvise_choices, s, cfg, ti);
  const Task& t = s.tasks[ti];
  const Op& op = cur_op(s, cfg, ti);
  const Mm& m = s.mms[op.mm];
  if (t.pc == kPcLock) return mmap_read_lock_blocked(m) ? 0 : 1;
  int a = next_zap(m, op, int(t.i));
  // migration_entry_wait() stands in for the kernel's zap of the entry.
  return a < kMaxAddrs && m.ptes[a].is_migration() ? 0 : 1;
}

void finish_if_done(State& s, const Ctx& c, const Op& op) {
  GUP_OVERRIDABLE(finish_if_done, s, c, op);
  Task& t = task(s, c);
  Mm& m = s.mms[op.mm];
  if (next_zap(m, op, int(t.i)) < kMaxAddrs) return;
  mmap_read_unlock(m, t);
  finish_op(s, c);
}

void madvise_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(madvise_step, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  Mm& m = s.mms[op.mm];
  if (t.pc == kPcLock) {
    mmap_read_lock(m, t);
    t.i = 0;
    t.pc = kPcZap;
    return finish_if_done(s, c, op);
  }
  int a = next_zap(m, op, int(t.i));
  if (a < kMaxAddrs) {
    zap_pte(s, c, op.mm, a);
    t.i = a - op.start + 1;
  }
  finish_if_done(s, c, op);
}

#if !GUP_SYMBOLIC
void madvise_info(const State& s, const Config& cfg, int ti, StepInfo& out) {
  const Task& t = s.tasks[ti];
  const Op& op = cur_op(s, cfg, ti);
  if (t.pc == kPcLock) {
    out.function = "madvise_dontneed_single_vma";
    out.source = "mm/madvise.c";
    std::snprintf(out.args, sizeof out.args, "mm%d start %d nr %d", op.mm, op.start, op.nr);
    return;
  }
  out.function = "zap_present_folio_ptes";
  out.source = "mm/memory.c";
  std::snprintf(out.args, sizeof out.args, "mm%d addr %d", op.mm, next_zap(s.mms[op.mm], op, t.i));
}
#endif

const OpImpl kOpMadviseDontneed{madvise_choices, madvise_step, GUP_INFO(madvise_info)};

}  // namespace kernel
GUP_DOMAIN_END
