// GUP entry points and the slow walk (mm/gup.c, 6.12.117):
// get_user_pages(), pin_user_pages(), the slow part of
// gup_fast_fallback(), __get_user_pages_locked(), __get_user_pages(),
// follow_page_pte(), faultin_page(); and unpin_user_pages() / put_page().
//
// Contract of __gup_longterm_locked(): returns the number of pages taken
// (a partial count is positive) or -errno with nothing taken. With
// FOLL_LONGTERM every page it returns is long-term pinnable.
#include <cstdio>

#include "model/gup_internal.h"
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

uint32_t gup_flags_of(const Op& op) {
  GUP_OVERRIDABLE(gup_flags_of, op);
  switch (op.kind) {
    case OpKind::kGetUserPages:
      return op.flags | FOLL_GET | FOLL_TOUCH;
    case OpKind::kGetUserPagesFast:
      return op.flags | FOLL_GET;
    case OpKind::kPinUserPages:
    case OpKind::kPinUserPagesFast:
      return op.flags | FOLL_PIN;
    default:
      return op.flags;
  }
}

int addr_of(const Op& op, const Task& t) {
  GUP_OVERRIDABLE(addr_of, op, t);
  return op.start + int(t.i);
}

// mm/gup.c: is_valid_gup_args(): GET with PIN, LONGTERM without PIN.
bool is_valid_gup_args(uint32_t flags) {
  GUP_OVERRIDABLE(is_valid_gup_args, flags);
  if ((flags & FOLL_GET) && (flags & FOLL_PIN)) return false;
  if ((flags & FOLL_LONGTERM) && !(flags & FOLL_PIN)) return false;
  return true;
}

bool mmap_read_trylock(Mm& m, Task& t) {
  GUP_OVERRIDABLE(mmap_read_trylock, m, t);
  if (m.mmap_lock < 0) return false;
  m.mmap_lock++;
  t.locked = 1;
  return true;
}

void start_fault(Task& t, uint8_t flags) {
  GUP_OVERRIDABLE(start_fault, t, flags);
  t.fault = flags;
  t.pc = kPcFault;
}

// One atomic section of __get_user_pages() for address start + i: the VMA
// check, then follow_page_pte() under the PTL and try_grab_folio().
void follow_page_pte_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(follow_page_pte_step, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  uint32_t flags = gup_flags_of(op);
  // gup_fast_fallback(): the slow path of the *_fast() entry points runs
  // __gup_longterm_locked() with gup_flags | FOLL_TOUCH | FOLL_UNLOCKABLE.
  if (op_is_fast(op.kind)) flags |= FOLL_TOUCH;
  int addr = addr_of(op, t);
  Mm& m = s.mms[op.mm];
  const Vma* vma = m.find_vma(addr);
  if (!vma) return gup_walk_done(s, c, select(t.i > t.nr_done, t.i - t.nr_done, EFAULT_));
  if (int err = check_vma_flags(*vma, flags))
    return gup_walk_done(s, c, select(t.i > t.nr_done, t.i - t.nr_done, err));
  const Pte pte = m.ptes[addr];
  if (pte.none()) return start_fault(t, (flags & FOLL_WRITE) ? FAULT_FLAG_WRITE : 0);
  const Folio& f = s.folios[pte.folio];
  if ((flags & FOLL_WRITE) && !can_follow_write_pte(pte, *vma, flags, f))
    return start_fault(t, FAULT_FLAG_WRITE);
  if (!pte.write() && gup_must_unshare(vma, flags, f, pte.page()))
    return start_fault(t, FAULT_FLAG_UNSHARE);  // -EMLINK
  if (int err = try_grab_folio(s, c, int(pte.folio), 1, flags))
    return gup_walk_done(s, c, select(t.i > t.nr_done, t.i - t.nr_done, err));
  PageRef::Kind kind = (flags & FOLL_PIN) ? PageRef::kPin : PageRef::kGet;
  t.pages[t.i] = PageRef::make(pte.folio, pte.page(), kind);
  // The event's write bit is the caller's: it writes to the pages it asked
  // FOLL_WRITE for (access_remote_vm(), a DMA target), whatever flags the
  // walk used for this page.
  bool caller_writes = gup_flags_of(op) & FOLL_WRITE;
  c.log(Event{EventKind::kGrab, uint8_t(c.task), pte.folio, kNoFolio, uint8_t(pte.page()),
              uint8_t(kind), op.mm, uint8_t(addr), 0, caller_writes, true});
  // FOLL_TOUCH: a write marks the page dirty (set_page_dirty()).
  if ((flags & FOLL_TOUCH) && (flags & FOLL_WRITE) && !is_zero_folio(f))
    s.folios[pte.folio].set(kDirty);
  t.i++;
  if (t.i == op.nr) gup_walk_done(s, c, t.i - t.nr_done);
}

// faultin_page(): the fault's result decides between a retry of the
// lookup (0) and the end of the walk (-EFAULT, -ENOMEM).
void faultin_page_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(faultin_page_step, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  bool memalloc_pin = gup_flags_of(op) & FOLL_LONGTERM;
  int err = handle_mm_fault(s, c, op.mm, addr_of(op, t), uint8_t(int(t.fault)), memalloc_pin);
  t.fault = 0;
  if (err) return gup_walk_done(s, c, select(t.i > t.nr_done, t.i - t.nr_done, err));
  t.pc = kPcFollow;
}

void gup_start_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(gup_start_step, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  uint32_t flags = gup_flags_of(op);
  t.ghost = 0;  // a new call: its ledger starts empty
  t.ret = 0;
  t.target = kNoFolio;
  if (!is_valid_gup_args(flags)) {
    // pin_user_pages*() returns 0 for bad arguments; the others -EINVAL.
    t.ret = op_is_pin(op.kind) && !op_is_fast(op.kind) ? 0 : EINVAL_;
    c.log(Event{EventKind::kGupReturned, uint8_t(c.task), kNoFolio, kNoFolio, 0, 0, op.mm, 0, t.ret,
                false, false});
    t.ghost |= kGhostReturned;
    return finish_op(s, c);
  }
  Mm& m = s.mms[op.mm];
  if (flags & FOLL_PIN) m.flags |= MMF_HAS_PINNED;  // mm_set_has_pinned_flag()
  if (op_is_fast(op.kind)) {
    // gup_fast(): a PIN reads write_protect_seq and gives up while odd.
    t.seq = m.write_protect_seq;
    t.pc = ((flags & FOLL_PIN) && (t.seq & 1)) ? kPcFastDone : kPcFastReadPte;
    return;
  }
  // pin_user_pages()/get_user_pages(): the caller's mmap_read_lock.
  mmap_read_trylock(m, t);
  t.pc = kPcFollow;
}

void gup_lock_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(gup_lock_step, s, c);
  Task& t = task(s, c);
  mmap_read_trylock(s.mms[cur_op(s, c.cfg, c.task).mm], t);
  t.pc = kPcFollow;
}

bool pte_is_migration(const State& s, const Config& cfg, int task_idx) {
  GUP_OVERRIDABLE(pte_is_migration, s, cfg, task_idx);
  const Op& op = cur_op(s, cfg, task_idx);
  return s.mms[op.mm].ptes[op.start + s.tasks[task_idx].i].is_migration();
}

int gup_choices(const State& s, const Config& cfg, int ti) {
  GUP_OVERRIDABLE(gup_choices, s, cfg, ti);
  const Task& t = s.tasks[ti];
  const Op& op = cur_op(s, cfg, ti);
  switch (int(t.pc)) {
    case kPcStart:
      return (!op_is_fast(op.kind) && s.mms[op.mm].mmap_lock < 0) ? 0 : 1;
    case kPcLock:
      return s.mms[op.mm].mmap_lock < 0 ? 0 : 1;
    case kPcFollow:
      // A migration entry: faultin_page() -> migration_entry_wait() sleeps
      // until the migration ends.
      return pte_is_migration(s, cfg, ti) ? 0 : 1;
    case kPcFault:
      if (pte_is_migration(s, cfg, ti)) return 0;
      return cfg.inject_alloc_failure &&
                     fault_allocates(s, cfg, op.mm, op.start + int(t.i), uint8_t(int(t.fault)))
                 ? 2
                 : 1;
    case kPcFastReadPte:
    case kPcFastGrab:
    case kPcFastDone:
      return gup_fast_choices(s, cfg, ti);
    default:
      return gup_longterm_choices(s, cfg, ti);
  }
}

void gup_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(gup_step, s, c);
  switch (int(task(s, c).pc)) {
    case kPcStart:
      return gup_start_step(s, c);
    case kPcLock:
      return gup_lock_step(s, c);
    case kPcFollow:
      return follow_page_pte_step(s, c);
    case kPcFault:
      return faultin_page_step(s, c);
    case kPcFastReadPte:
    case kPcFastGrab:
    case kPcFastDone:
      return gup_fast_step(s, c);
    default:
      return gup_longterm_step(s, c);
  }
}

#if !GUP_SYMBOLIC
void gup_info(const State& s, const Config& cfg, int ti, StepInfo& out) {
  const Task& t = s.tasks[ti];
  const Op& op = cur_op(s, cfg, ti);
  out.source = "mm/gup.c";
  int addr = op.start + t.i;
  std::snprintf(out.args, sizeof out.args, "mm%d addr %d", op.mm, addr);
  switch (int(t.pc)) {
    case kPcStart:
      out.function = op_is_fast(op.kind) ? "gup_fast" : "__get_user_pages_locked";
      std::snprintf(out.args, sizeof out.args, "mm%d start %d nr %d", op.mm, op.start, op.nr);
      break;
    case kPcFastReadPte:
      out.function = "gup_fast_pte_range";
      break;
    case kPcFastGrab:
      out.function = "try_grab_folio_fast";
      break;
    case kPcFastDone:
      out.function = "gup_fast_fallback";
      std::snprintf(out.args, sizeof out.args, "mm%d fast %d of %d", op.mm, t.nr_done, op.nr);
      break;
    case kPcLock:
      out.function = "__get_user_pages_locked";
      break;
    case kPcFollow:
      out.function = "follow_page_pte";
      break;
    case kPcFault:
      out.function = "faultin_page";
      out.source = "mm/gup.c, mm/memory.c";
      std::snprintf(out.args, sizeof out.args, "mm%d addr %d%s", op.mm, addr,
                    t.fault & FAULT_FLAG_WRITE     ? " FAULT_FLAG_WRITE"
                    : t.fault & FAULT_FLAG_UNSHARE ? " FAULT_FLAG_UNSHARE"
                                                   : "");
      out.choice = "allocation fails";
      break;
    case kPcCollect:
      out.function = "collect_longterm_unpinnable_folios";
      std::snprintf(out.args, sizeof out.args, "folio %d", t.pages[t.j].folio());
      out.choice = "kmalloc fails";
      break;
    case kPcUnpin:
      out.function = "migrate_longterm_unpinnable_folios";
      std::snprintf(out.args, sizeof out.args, "unpin folio %d", t.pages[t.j].folio());
      out.choice = "allocation fails";
      break;
    case kPcMigrateUnmap:
      out.function = "migrate_folio_unmap";
      out.source = "mm/migrate.c";
      std::snprintf(out.args, sizeof out.args, "folio %d", next_folio_to_migrate(t));
      out.choice = "target allocation fails";
      break;
    case kPcMigrateMove:
      out.function = "migrate_folio_move";
      out.source = "mm/migrate.c";
      std::snprintf(out.args, sizeof out.args, "folio %d -> folio %d", t.j, t.target);
      break;
    case kPcPutback:
      out.function = "putback_movable_pages";
      out.source = "mm/migrate.c";
      std::snprintf(out.args, sizeof out.args, "%d failed", __builtin_popcount(t.failed));
      break;
    default:
      out.function = "?";
  }
}
#endif

void gup_walk_done(State& s, const Ctx& c, Val<int> result) {
  GUP_OVERRIDABLE(gup_walk_done, s, c, result);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  uint32_t flags = gup_flags_of(op);
  // gup_fast_fallback() calls with locked == 0: GUP took the lock and drops
  // it here; check_and_migrate_movable_pages() then runs without it.
  if (op_is_fast(op.kind) && t.locked) {
    s.mms[op.mm].mmap_lock--;
    t.locked = 0;
  }
  if (!(flags & FOLL_LONGTERM) || result <= 0) return gup_return(s, c, result);
  t.j = t.nr_done;
  t.collected = t.drained = 0;
  t.isolated = t.failed = 0;
  t.pc = kPcCollect;
}

void gup_return(State& s, const Ctx& c, Val<int> slow_result) {
  GUP_OVERRIDABLE(gup_return, s, c, slow_result);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  Val<int> ret = slow_result;
  // gup_fast_fallback(): a slow failure after k > 0 fast pages returns k.
  if (op_is_fast(op.kind))
    ret =
        slow_result < 0 ? select(t.nr_done != 0, t.nr_done, slow_result) : t.nr_done + slow_result;
  if (t.locked) {
    s.mms[op.mm].mmap_lock--;
    t.locked = 0;
  }
  t.ret = ret;
  t.ghost |= kGhostReturned;
  c.log(Event{EventKind::kGupReturned, uint8_t(c.task), kNoFolio, kNoFolio, 0, 0, op.mm, 0,
              narrow<int8_t>(ret), false, false});
  finish_op(s, c);
}

const OpImpl kOpGup{gup_choices, gup_step, GUP_INFO(gup_info)};

// ---- unpin_user_pages() / put_page() of what the last call returned ----

int unpin_choices(const State& s, const Config& cfg, int t) {
  GUP_OVERRIDABLE(unpin_choices, s, cfg, t);
  return 1;
}

// One pages[] entry per step: unpin_user_page() for a pin, put_page() for
// a FOLL_GET reference (mm/gup.c: gup_put_folio()).
void unpin_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(unpin_step, s, c);
  Task& t = task(s, c);
  for (PageRef& p : t.pages) {
    if (p.empty()) continue;
    uint32_t flags = p.kind() == PageRef::kPin ? FOLL_PIN : FOLL_GET;
    c.log(Event{EventKind::kRelease, uint8_t(c.task), narrow<uint8_t>(p.folio()), kNoFolio,
                uint8_t(p.page()), uint8_t(p.kind()), 0, 0, 0, false, true});
    gup_put_folio(s, c, int(p.folio()), 1, flags);
    p = PageRef::none();
    break;
  }
  for (const PageRef& p : t.pages)
    if (!p.empty()) return;
  t.ghost = 0;
  t.ret = 0;
  finish_op(s, c);
}

#if !GUP_SYMBOLIC
void unpin_info(const State& s, const Config&, int ti, StepInfo& out) {
  const Task& t = s.tasks[ti];
  out.function = "unpin_user_pages";
  out.source = "mm/gup.c";
  for (const PageRef& p : t.pages) {
    if (p.empty()) continue;
    if (p.kind() == PageRef::kGet) out.function = "put_page";
    std::snprintf(out.args, sizeof out.args, "folio %d", p.folio());
    return;
  }
  std::snprintf(out.args, sizeof out.args, "nothing held");
}
#endif

const OpImpl kOpUnpinUserPages{unpin_choices, unpin_step, GUP_INFO(unpin_info)};

}  // namespace kernel
GUP_DOMAIN_END
