// The step interface: which steps are enabled, applying one, describing
// one. Dispatches on the op each task is running (model/kernel.h OpImpl).
#include <fmt/format.h>

#include <cassert>

#include "model/gup_internal.h"
#include "model/kernel.h"
#include "model/kernel_functions.h"
#include "model/model.h"

#if !GUP_SYMBOLIC
namespace gup {
bool steps_without_ptl(const Op& op, int pc) {
  using namespace gup::kernel;
  switch (op.kind) {
    case OpKind::kUnpinUserPages:  // unpin_user_pages(), put_page()
    case OpKind::kLruAddDrainAll:
    case OpKind::kTransientRef:  // folio_try_get(), folio_put()
      return true;
    case OpKind::kPinUserPages:
    case OpKind::kGetUserPages:
    case OpKind::kPinUserPagesFast:
    case OpKind::kGetUserPagesFast:
      // gup_fast() runs with IRQs off and no lock; collect and putback
      // work on the LRU. The slow walk needs mmap_lock (which fork holds
      // for write anyway); migration and the device-coherent move in
      // kPcUnpin take PTLs (try_to_migrate(), migrate_device_unmap()).
      return pc == kPcStart || pc == kPcFastReadPte || pc == kPcFastGrab || pc == kPcFastDone ||
             pc == kPcCollect || pc == kPcPutback;
    default:
      // fork, madvise, faults and mprotect need mmap_lock and the PTL;
      // reclaim, split, truncate, compaction and cma_alloc unmap under the
      // PTL. Their PTL-free sections (isolation, freeing, pageblock
      // isolation) touch no PTE and commute with __copy_present_ptes().
      return false;
  }
}

}  // namespace gup
#endif

GUP_DOMAIN_BEGIN
namespace kernel {

const OpImpl& op_impl(OpKind k) {
  switch (k) {
    case OpKind::kPinUserPages:
    case OpKind::kGetUserPages:
    case OpKind::kPinUserPagesFast:
    case OpKind::kGetUserPagesFast:
      return kOpGup;
    case OpKind::kUnpinUserPages:
      return kOpUnpinUserPages;
    case OpKind::kFork:
      return kOpFork;
    case OpKind::kMadviseDontneed:
      return kOpMadviseDontneed;
    case OpKind::kWriteFault:
      return kOpWriteFault;
    case OpKind::kReadFault:
      return kOpReadFault;
    case OpKind::kMprotect:
      return kOpMprotect;
    case OpKind::kReclaim:
      return kOpReclaim;
    case OpKind::kSplitHugePage:
      return kOpSplitHugePage;
    case OpKind::kTruncate:
      return kOpTruncate;
    case OpKind::kLruAddDrainAll:
      return kOpLruAddDrainAll;
    case OpKind::kCompact:
      return kOpCompact;
    case OpKind::kCmaAlloc:
      return kOpCmaAlloc;
    case OpKind::kTransientRef:
      return kOpTransientRef;
    case OpKind::kNone:
    case OpKind::kCount:
      break;
  }
  GUP_ASSUME(false, "op_impl: no op");
  return kOpGup;
}

void finish_op(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(finish_op, s, c);
  Task& t = task(s, c);
  t.script_pos++;
  t.pc = 0;
  t.i = t.j = 0;
  t.nr_done = t.drained = t.collected = 0;
  t.isolated = t.failed = 0;
  t.snap = Pte::make_none();
  t.seq = 0;
  t.target = kNoFolio;
  t.rounds = 0;
  // ret, pages[] and kGhostReturned survive: they are what the call gave
  // its user, released by a later unpin_user_pages op.
  t.ghost &= kGhostReturned;
}

}  // namespace kernel

using kernel::Ctx;
using kernel::op_impl;

bool task_done(const State& s, const Config& cfg, int t) {
  return s.tasks[t].script_pos >= cfg.script_len[t];
}

// The task in fork's PTL window (in_fork_ptl_window()), or -1.
int fork_ptl_window(const State& s, const Config& cfg) {
  int window = -1;
  for (int t = 0; t < cfg.nr_tasks; t++)
    if (!task_done(s, cfg, t) && kernel::fork_in_ptl_window(s.tasks[t], kernel::cur_op(s, cfg, t)))
      window = t;
  return window;
}

// task_choices() with fork's PTL window already found.
int task_choices_in(const State& s, const Config& cfg, int t, int window) {
  if (task_done(s, cfg, t)) return 0;
  const Op& op = kernel::cur_op(s, cfg, t);
  if (window >= 0 && t != window && !steps_without_ptl(op, int(s.tasks[t].pc))) return 0;
  // An op in an address space that does not exist waits: a fork child's
  // tasks cannot run before dup_mmap() has finished (kernel/fork.c:
  // copy_process() wakes the child after copy_mm()), and after a failed
  // fork they never run. Such a task has no step, which no property
  // reads as a stuck call (explore_lasso.cc needs the call to step).
  if (op_uses_mm(op.kind) && !(s.mms[op.mm].flags & kMmLive)) return 0;
  return op_impl(op.kind).choices(s, cfg, t);
}

int task_choices(const State& s, const Config& cfg, int t) {
  kernel::ActiveKernel k(kernel::kernel_of(*cfg.variant));
  return task_choices_in(s, cfg, t, fork_ptl_window(s, cfg));
}

bool all_tasks_done(const State& s, const Config& cfg) {
  for (int t = 0; t < cfg.nr_tasks; t++)
    if (!task_done(s, cfg, t)) return false;
  return true;
}

void enabled_steps(const State& s, const Config& cfg, StepBuffer& out) {
  kernel::ActiveKernel k(kernel::kernel_of(*cfg.variant));
  out.n = 0;
  int window = fork_ptl_window(s, cfg);
  for (int t = 0; t < cfg.nr_tasks; t++) {
    int n = task_choices_in(s, cfg, t, window);
    for (int ch = 0; ch < n; ch++) out.push(Step{uint8_t(t), uint8_t(ch)});
  }
}

void apply(State& s, const Config& cfg, Step step, EventLog* events) {
  GUP_ASSUME(!task_done(s, cfg, step.task), "apply: the task has finished its script");
  if (events) events->clear();
  // Ghost: every other task's GUP call sees interference from this step
  // (no-false-refusal and pin-loop-terminates are judged without it).
  for (int t = 0; t < cfg.nr_tasks; t++)
    if (t != step.task)
      s.tasks[t].ghost = s.tasks[t].ghost | kGhostInterfered | kGhostRoundInterfered;
  if (step.choice)
    s.tasks[step.task].ghost = s.tasks[step.task].ghost | kGhostInterfered | kGhostRoundInterfered;
  kernel::ActiveKernel k(kernel::kernel_of(*cfg.variant));
  Ctx c{cfg, events, step.task, step.choice};
  op_impl(kernel::cur_op(s, cfg, step.task).kind).step(s, c);
}

#if !GUP_SYMBOLIC
StepInfo step_info(const State& s, const Config& cfg, Step step) {
  kernel::ActiveKernel k(kernel::kernel_of(*cfg.variant));
  StepInfo info{};
  info.task = step.task;
  info.function = "";
  info.source = "";
  info.choice = "";
  const Op& op = kernel::cur_op(s, cfg, step.task);
  info.op = op_name(op.kind);
  op_impl(op.kind).info(s, cfg, step.task, info);
  if (!step.choice)
    info.choice = "";
  else if (!*info.choice)
    info.choice = "injected failure";
  return info;
}

std::string describe(const State& s, const Config& cfg, Step step) {
  StepInfo i = step_info(s, cfg, step);
  std::string out = fmt::format("T{} {}: {}({})", i.task, i.op, i.function, i.args);
  if (*i.choice) out += fmt::format(" [{}]", i.choice);
  return out;
}

#endif

GUP_DOMAIN_END
