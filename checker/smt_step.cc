// The transition relation: mirrors of model/ops.cc (enabled_steps(),
// apply()) and of the simple racing ops the encoding covers
// (model/user_fault.cc, model/swap_ops.cc, model/transient_ref.cc).
#include <fmt/format.h>

#include "checker/smt_encode.h"
#include "checker/smt_events.h"

namespace gup::smt {

namespace {

bool covered(OpKind k) {
  switch (k) {
    case OpKind::kPinUserPages:
    case OpKind::kGetUserPages:
    case OpKind::kPinUserPagesFast:
    case OpKind::kGetUserPagesFast:
    case OpKind::kUnpinUserPages:
    case OpKind::kWriteFault:
    case OpKind::kReadFault:
    case OpKind::kLruAddDrainAll:
    case OpKind::kTransientRef:
    case OpKind::kFork:
    case OpKind::kMadviseDontneed:
    case OpKind::kCmaAlloc:
    case OpKind::kCompact:
    case OpKind::kSplitHugePage:
    case OpKind::kTruncate:
    case OpKind::kReclaim:
    case OpKind::kMprotect:
      return true;
    default:
      return false;
  }
}

// model access_error() (model/user_fault.cc) / arch/x86/mm/fault.c.
bool access_error(const Vma& v, bool write) {
  if (write) return !v.test(VM_WRITE);
  return !(v.test(VM_READ) || v.test(VM_WRITE));
}

}  // namespace

std::string unsupported_reason(const Config& cfg) {
  for (int t = 0; t < cfg.nr_tasks; t++)
    for (int p = 0; p < cfg.script_len[t]; p++) {
      const Op& op = cfg.op(t, p);
      if (!covered(op.kind))
        return fmt::format("the bmc encoding does not cover op '{}' (task {}, op {})",
                           op_name(op.kind), t, p);
      if (op_is_gup(op.kind) && op.start + op.nr > kMaxAddrs)
        return fmt::format("task {} op {} walks past the address space", t, p);
    }
  return "";
}

// model user_fault_choices() / user_fault_step(): a user store or load.
expr Enc::racing_choices(const SState& s, int task, const Op& op) const {
  switch (op.kind) {
    case OpKind::kWriteFault:
    case OpKind::kReadFault:
      return on_vmas(s, op.mm, [&](const Mm& fm) {
        bool write = op.kind == OpKind::kWriteFault;
        const SMm& m = s.m[op.mm];
        const SPte& pte = m.ptes[op.start];
        const Vma* v = fm.find_vma(op.start);
        expr blocked = m.mmap_lock < b8(0) || pte_migration(pte);
        if (!v || access_error(*v, write)) return z3::ite(blocked, b8(0), b8(1));
        expr needs = write ? !pte_present(pte) || !pte_write(pte) : !pte_present(pte);
        expr two = needs && z.bool_val(cfg.inject_alloc_failure) &&
                   fault_allocates(s, op.mm, op.start, write ? 1 : 0);
        return z3::ite(blocked, b8(0), z3::ite(two, b8(2), b8(1)));
      });
    case OpKind::kFork:
      return fork_choices(s, task, op);
    case OpKind::kMadviseDontneed:
      return madvise_choices(s, task, op);
    case OpKind::kCmaAlloc:
      return cma_choices(s, task);
    case OpKind::kCompact:
      return compact_choices(s, task);
    case OpKind::kTruncate:
      return truncate_choices(s, task, op);
    case OpKind::kMprotect:
      return mprotect_choices(s, task, op);
    default:
      return b8(1);  // lru_add_drain_all, transient_ref, split_huge_page, reclaim: always 1
  }
}

void Enc::racing_step(SState& s0, int task, const Op& op, const expr& choice) const {
  // model user_fault_step() with the mm's VMAs in layout fm.
  auto user_fault = [&](SState& s, const Mm& fm) {
    bool write = op.kind == OpKind::kWriteFault;
    const Vma* v = fm.find_vma(op.start);
    if (!v || access_error(*v, write)) return finish_op(s, task);  // SIGSEGV
    const SPte& pte = s.m[op.mm].ptes[op.start];
    expr needs = write ? !pte_present(pte) || !pte_write(pte) : !pte_present(pte);
    s.ret = b8(0);
    branch(s, needs, [&](SState& x) {
      handle_mm_fault_on(x, task, op.mm, fm, op.start, write ? 1 : 0, false, choice);
    });
    if (write) {
      SPte now = s.m[op.mm].ptes[op.start];
      branch(s, s.ret == b8(0) && pte_present(now) && pte_write(now), [&](SState& x) {
        cases(x, now.folio, cfg.nr_folios, [&](SState& y, int k) {
          set(y, k, kDirty);
          log_user_write(y, task, k, pte_page(now), op.mm, op.start);
        });
      });
    }
    finish_op(s, task);
  };
  SState& s = s0;
  switch (op.kind) {
    case OpKind::kWriteFault:
    case OpKind::kReadFault:
      return with_vmas(s, op.mm, user_fault);
    case OpKind::kFork:
      return fork_step(s, task, op, choice);
    case OpKind::kMadviseDontneed:
      return madvise_step(s, task, op);
    case OpKind::kCmaAlloc:
      return cma_step(s, task, choice);
    case OpKind::kCompact:
      return compact_step(s, task, op, choice);
    case OpKind::kSplitHugePage:
      return split_step(s, task, op);
    case OpKind::kTruncate:
      return truncate_step(s, task, op);
    case OpKind::kReclaim:
      return reclaim_step(s, task, op);
    case OpKind::kMprotect:
      return mprotect_step(s, task, op);
    case OpKind::kLruAddDrainAll:  // model drain_step()
      lru_add_drain_all(s);
      return finish_op(s, task);
    case OpKind::kTransientRef: {  // model transient_step()
      int k = op.folio;
      branch(
          s, s.t[task].pc == b8(1),
          [&](SState& x) {
            folio_put_refs(x, k, 1);
            finish_op(x, task);
          },
          [&](SState& x) {
            branch(
                x, x.f[k].refcount <= b16(0) || is_zero_folio(x, k),
                [&](SState& y) { finish_op(y, task); },
                [&](SState& y) {
                  folio_get(y, k);
                  y.t[task].pc = b8(1);
                });
          });
      return;
    }
    default:
      return;
  }
}

// model enabled_steps(): another task is inside fork()'s PTL window
// (in_fork_ptl_window()).
expr Enc::fork_ptl_window(const SState& s, int task) const {
  expr any = ff();
  for (int u = 0; u < cfg.nr_tasks; u++) {
    if (u == task) continue;
    for (int p = 0; p < cfg.script_len[u]; p++)
      for (int pc = 0; pc < 16; pc++)
        if (in_fork_ptl_window(cfg.op(u, p), pc))
          any = any || (s.t[u].script_pos == b8(p) && s.t[u].pc == b8(pc));
  }
  return any;
}

// model enabled_steps(): the choices of the task's current op.
expr Enc::choices(const SState& s, int task) const {
  expr window = fork_ptl_window(s, task);
  expr out = b8(0);  // done: no step
  for (int p = cfg.script_len[task] - 1; p >= 0; p--) {
    const Op& op = cfg.op(task, p);
    expr n = op_is_gup(op.kind)                   ? gup_choices(s, task, op)
             : op.kind == OpKind::kUnpinUserPages ? b8(1)
                                                  : racing_choices(s, task, op);
    // An op in an address space that is not live waits (model enabled_steps()).
    if (op_uses_mm(op.kind) && !(cfg.initial.mms[op.mm].flags & kMmLive))
      n = z3::ite((s.m[op.mm].flags & b8(kMmLive)) != b8(0), n, b8(0));
    // Inside another task's fork PTL window only PTL-free sections step.
    expr ptl_free = ff();
    for (int pc = 0; pc < 16; pc++)
      if (steps_without_ptl(op, pc)) ptl_free = ptl_free || s.t[task].pc == b8(pc);
    n = z3::ite(window && !ptl_free, b8(0), n);
    out = z3::ite(s.t[task].script_pos == b8(p), n, out);
  }
  return out;
}

expr Enc::enabled(const SState& s, const SStep& st) const {
  expr any = ff();
  for (int t = 0; t < cfg.nr_tasks; t++) {
    expr n = choices(s, t);
    any = any || (st.task == b8(t) && z3::ugt(n, z3::ite(st.choice, b8(1), b8(0))));
  }
  return any;
}

// model apply() for one task: the ghost interference bits, then the
// task's section.
SState Enc::apply_task(const SState& s0, int task, const expr& choice) const {
  constexpr uint8_t kBoth = kGhostInterfered | kGhostRoundInterfered;
  SState s = s0;
  s.ret = b8(0);
  s.idx = b8(kNoFolio);
  s.ok = ff();
  s.exited = ff();
  s.ev = ev_parts ? empty_event_summary(*this) : std::vector<expr>{};
  for (int u = 0; u < cfg.nr_tasks; u++)
    if (u != task) s.t[u].ghost = s.t[u].ghost | b8(kBoth);
  s.t[task].ghost = z3::ite(choice, s.t[task].ghost | b8(kBoth), s.t[task].ghost);
  cases(s, s.t[task].script_pos, cfg.script_len[task], [&](SState& x, int p) {
    const Op& op = cfg.op(task, p);
    if (op_is_gup(op.kind)) return gup_step(x, task, op, choice);
    if (op.kind == OpKind::kUnpinUserPages) return unpin_user_pages_step(x, task);
    racing_step(x, task, op, choice);
  });
  return s;
}

// model apply(): the selected task's section.
SState Enc::apply(const SState& s0, const SStep& st) const {
  SState out = apply_task(s0, cfg.nr_tasks - 1, st.choice);
  for (int task = cfg.nr_tasks - 2; task >= 0; task--)
    out = merge(st.task == b8(task), apply_task(s0, task, st.choice), out);
  return out;
}

}  // namespace gup::smt
