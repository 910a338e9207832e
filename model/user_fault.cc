// A user store or load at one address: the architecture's page-fault entry
// (arch/x86/mm/fault.c: do_user_addr_fault(): mmap_read_lock, access_error(),
// mm/memory.c: handle_mm_fault()), then the access itself.
//
// Contract: a store lands in the folio a present writable PTE maps after
// the fault; it is logged as kUserWrite and marks the folio dirty (the PTE
// dirty bit, which the model folds into PG_dirty: try_to_unmap_one() and
// zap move it there). A load needs only a present PTE. An access outside a
// VMA, or against its protection, is SIGSEGV: nothing happens. A failed
// fault (-ENOMEM: allocation fails) is VM_FAULT_OOM: nothing happens.
//
// Atomic sections: one. The fault (under mmap_read_lock, which waits for a
// writer) and the access are folded: any interleaving in which another
// task changes the PTE between them is, in the kernel, followed by a second
// fault, and the access lands where that second fault leaves it. The task
// waits while the PTE is a migration entry (migration_entry_wait()).
#include <cstdio>

#include "model/kernel_functions.h"
#include "model/racing.h"

GUP_DOMAIN_BEGIN
namespace kernel {

bool is_write(const Op& op) {
  GUP_OVERRIDABLE(is_write, op);
  return op.kind == OpKind::kWriteFault;
}

// arch/x86/mm/fault.c: access_error(): a store needs VM_WRITE; a load any
// of VM_READ|VM_WRITE (VM_EXEC is not modelled).
bool access_error(const Vma& v, bool write) {
  GUP_OVERRIDABLE(access_error, v, write);
  if (write) return !v.test(VM_WRITE);
  return !(v.test(VM_READ) || v.test(VM_WRITE));
}

// Whether the access needs handle_mm_fault() at all.
bool needs_fault(const Pte& pte, bool write) {
  GUP_OVERRIDABLE(needs_fault, pte, write);
  if (!pte.present()) return true;
  return write && !pte.write();
}

int user_fault_choices(const State& s, const Config& cfg, int ti) {
  GUP_OVERRIDABLE(user_fault_choices, s, cfg, ti);
  const Op& op = cur_op(s, cfg, ti);
  const Mm& m = s.mms[op.mm];
  if (mmap_read_lock_blocked(m)) return 0;
  const Pte& pte = m.ptes[op.start];
  if (pte.is_migration()) return 0;
  const Vma* v = m.find_vma(op.start);
  if (!v || access_error(*v, is_write(op)) || !needs_fault(pte, is_write(op))) return 1;
  uint8_t flags = is_write(op) ? FAULT_FLAG_WRITE : 0;
  return cfg.inject_alloc_failure && fault_allocates(s, cfg, op.mm, op.start, flags) ? 2 : 1;
}

void user_fault_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(user_fault_step, s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  Mm& m = s.mms[op.mm];
  int addr = op.start;
  bool write = is_write(op);
  const Vma* v = m.find_vma(addr);
  if (!v || access_error(*v, write)) return finish_op(s, c);  // SIGSEGV
  if (needs_fault(m.ptes[addr], write) &&
      handle_mm_fault(s, c, op.mm, addr, write ? FAULT_FLAG_WRITE : 0, false) != 0)
    return finish_op(s, c);  // VM_FAULT_OOM / SIGBUS
  const Pte pte = m.ptes[addr];
  if (write && pte.present() && pte.write()) {
    s.folios[pte.folio].set(kDirty);
    c.log(Event{EventKind::kUserWrite, uint8_t(c.task), pte.folio, kNoFolio, uint8_t(pte.page()), 0,
                op.mm, uint8_t(addr), 0, true, false});
  }
  finish_op(s, c);
}

#if !GUP_SYMBOLIC
void user_fault_info(const State& s, const Config& cfg, int ti, StepInfo& out) {
  const Op& op = cur_op(s, cfg, ti);
  const Mm& m = s.mms[op.mm];
  bool write = is_write(op);
  const Vma* v = m.find_vma(op.start);
  out.source = "mm/memory.c";
  out.function = write ? "user store" : "user load";
  if (v && !access_error(*v, write) && needs_fault(m.ptes[op.start], write)) {
    out.function = "handle_mm_fault";
    out.choice = "allocation fails";
  }
  std::snprintf(out.args, sizeof out.args, "mm%d addr %d%s", op.mm, op.start,
                write ? " FAULT_FLAG_WRITE" : "");
}
#endif

const OpImpl kOpWriteFault{user_fault_choices, user_fault_step, GUP_INFO(user_fault_info)};
const OpImpl kOpReadFault{user_fault_choices, user_fault_step, GUP_INFO(user_fault_info)};

}  // namespace kernel
GUP_DOMAIN_END
