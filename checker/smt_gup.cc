// Mirrors of model/gup_util.cc and model/gup.cc (mm/gup.c, 6.12.117):
// try_grab_folio(), gup_put_folio(), gup_must_unshare(),
// can_follow_write_pte(), the slow walk (follow_page_pte(),
// faultin_page()), __get_user_pages_locked()'s entry and return, and
// unpin_user_pages(). The op is concrete (the script position is split),
// and so are its flags, mm and the walk's address (Task::i is split).
#include "checker/smt_encode.h"
#include "model/gup_internal.h"

namespace gup::smt {

using kernel::GupPc;

// model try_grab_folio() / mm/gup.c try_grab_folio(). s.ret: 0 or -ENOMEM.
void Enc::try_grab_folio(SState& s, int k, uint32_t flags) const {
  expr dead = s.f[k].refcount <= b16(0);
  s.ret = z3::ite(dead, b8(ENOMEM_), b8(0));
  branch(s, !dead, [&](SState& x) {
    if (flags & FOLL_GET) return folio_get(x, k, 1);
    if (!(flags & FOLL_PIN)) return;
    branch(x, !is_zero_folio(x, k), [&](SState& y) {
      branch(
          y, folio_large(y, k),
          [&](SState& w) {
            folio_get(w, k, 1);
            w.f[k].pincount = w.f[k].pincount + b8(1);
          },
          [&](SState& w) { folio_get(w, k, kGupPinCountingBias); });
    });
  });
}

// model gup_put_folio() / mm/gup.c gup_put_folio().
void Enc::gup_put_folio(SState& s, int k, uint32_t flags) const {
  if (!(flags & FOLL_PIN)) return folio_put_refs(s, k, 1);
  branch(s, !is_zero_folio(s, k), [&](SState& x) {
    branch(
        x, folio_large(x, k),
        [&](SState& y) {
          y.f[k].pincount = y.f[k].pincount - b8(1);
          folio_put_refs(y, k, 1);
        },
        [&](SState& y) { folio_put_refs(y, k, kGupPinCountingBias); });
  });
}

// model gup_must_unshare() / mm/internal.h gup_must_unshare().
expr Enc::gup_must_unshare(const Vma* vma, uint32_t flags, const SState& s, int k,
                           const expr& page) const {
  if ((flags & (FOLL_WRITE | FOLL_PIN)) != FOLL_PIN) return ff();
  bool file_result = !(flags & FOLL_LONGTERM) ? false : !vma ? true : is_cow_mapping(*vma);
  return z3::ite(folio_test_anon(s, k), !pae_bit(s, k, page), z.bool_val(file_result));
}

// model can_follow_write_pte() / mm/gup.c can_follow_write_pte().
expr Enc::can_follow_write_pte(const SPte& pte, const Vma& vma, uint32_t flags, const SState& s,
                               int k) const {
  bool vma_ok =
      (flags & FOLL_FORCE) && !vma.test(VM_SHARED) && vma.test(VM_MAYWRITE) && !vma.test(VM_WRITE);
  if (!vma_ok) return pte_write(pte);
  return pte_write(pte) || (folio_test_anon(s, k) && pae_bit(s, k, pte_page(pte)));
}

// model finish_op() (model/ops.cc).
void Enc::finish_op(SState& s, int task) const {
  STask& t = s.t[task];
  t.script_pos = t.script_pos + b8(1);
  t.pc = t.i = t.j = b8(0);
  t.nr_done = t.drained = t.collected = b8(0);
  t.isolated = t.failed = b16(0);
  t.snap = pte_none_val();
  t.seq = b8(0);
  t.target = b8(kNoFolio);
  t.rounds = b8(0);
  t.ghost = t.ghost & b8(kGhostReturned);
}

// model gup_walk_done() / the end of __get_user_pages_locked() and the
// hand-off to check_and_migrate_movable_pages().
void Enc::gup_walk_done(SState& s, int task, const Op& op, const expr& result) const {
  uint32_t flags = kernel::gup_flags_of(op);
  if (op_is_fast(op.kind))
    branch(s, s.t[task].locked != b8(0), [&](SState& x) {
      x.m[op.mm].mmap_lock = x.m[op.mm].mmap_lock - b8(1);
      x.t[task].locked = b8(0);
    });
  if (!(flags & FOLL_LONGTERM)) return gup_return(s, task, op, result);
  branch(
      s, result <= b8(0) || bit(s.t[task].ghost, 2),
      [&](SState& x) { gup_return(x, task, op, result); },
      [&](SState& x) {
        STask& t = x.t[task];
        t.j = t.nr_done;
        t.collected = t.drained = b8(0);
        t.isolated = t.failed = b16(0);
        t.pc = b8(kernel::kPcCollect);
      });
}

// model gup_return(): the entry point returns.
void Enc::gup_return(SState& s, int task, const Op& op, const expr& slow_result) const {
  expr ret = slow_result;
  const expr& nr_done = s.t[task].nr_done;
  if (op_is_fast(op.kind))
    ret = z3::ite(slow_result < b8(0), z3::ite(nr_done != b8(0), nr_done, slow_result),
                  nr_done + slow_result);
  branch(s, s.t[task].locked != b8(0), [&](SState& x) {
    x.m[op.mm].mmap_lock = x.m[op.mm].mmap_lock - b8(1);
    x.t[task].locked = b8(0);
  });
  s.t[task].ret = ret;
  s.t[task].ghost = s.t[task].ghost | b8(kGhostReturned);
  log_return(s, EventKind::kGupReturned, task, ret);
  finish_op(s, task);
  s.exited = tt();
}

namespace {

// model mmap_read_trylock().
void mmap_read_trylock(const Enc& e, SState& s, int task, int mm) {
  e.branch(s, !(s.m[mm].mmap_lock < e.b8(0)), [&](SState& x) {
    x.m[mm].mmap_lock = x.m[mm].mmap_lock + e.b8(1);
    x.t[task].locked = e.b8(1);
  });
}

// model start_fault().
void start_fault(const Enc& e, SState& s, int task, int flags) {
  s.t[task].fault = e.b8(flags);
  s.t[task].pc = e.b8(kernel::kPcFault);
}

// i > nr_done ? i - nr_done : err, for a walk that stops at page i.
expr partial(const Enc& e, const SState& s, int task, int i, const expr& err) {
  const expr& nd = s.t[task].nr_done;
  return z3::ite(z3::ugt(e.b8(i), nd), e.b8(i) - nd, err);
}

// model follow_page_pte_step() / __get_user_pages() -> check_vma_flags(),
// follow_page_pte(), try_grab_folio() for address start + i.
void follow_page_pte_step(const Enc& e, SState& s, int task, const Op& op, int i, const Mm& fm) {
  uint32_t flags = kernel::gup_flags_of(op);
  if (op_is_fast(op.kind)) flags |= FOLL_TOUCH;  // gup_fast_fallback()'s slow path
  int addr = op.start + i;
  const Vma* vma = fm.find_vma(addr);
  if (!vma) return e.gup_walk_done(s, task, op, partial(e, s, task, i, e.b8(EFAULT_)));
  if (int err = check_vma_flags_6_12(
          *vma, vma_is_fsdax(*vma) && !e.v.check_vma_flags_refuses_longterm_fsdax
                    ? flags & ~uint32_t(FOLL_LONGTERM)
                    : flags))
    return e.gup_walk_done(s, task, op, partial(e, s, task, i, e.b8(err)));
  SPte pte = s.m[op.mm].ptes[addr];
  e.branch(
      s, e.pte_none(pte), [&](SState& x) { start_fault(e, x, task, (flags & FOLL_WRITE) ? 1 : 0); },
      [&](SState& x) {
        e.cases(x, pte.folio, e.cfg.nr_folios, [&](SState& y, int k) {
          expr need_write =
              (flags & FOLL_WRITE) ? !e.can_follow_write_pte(pte, *vma, flags, y, k) : e.ff();
          expr unshare = !e.pte_write(pte) && e.gup_must_unshare(vma, flags, y, k, e.pte_page(pte));
          e.branch(
              y, need_write, [&](SState& w) { start_fault(e, w, task, 1); },
              [&](SState& w) {
                e.branch(
                    w, unshare, [&](SState& u) { start_fault(e, u, task, 2); },
                    [&](SState& u) {
                      e.try_grab_folio(u, k, flags);
                      e.branch(
                          u, u.ret != e.b8(0),
                          [&](SState& g) {
                            e.gup_walk_done(g, task, op, partial(e, g, task, i, g.ret));
                          },
                          [&](SState& g) {
                            PageRef::Kind kind = (flags & FOLL_PIN) ? PageRef::kPin : PageRef::kGet;
                            g.t[task].pages[i] = e.make_ref(k, e.pte_page(pte), kind);
                            e.log_grab(g, task, k, e.pte_page(pte), kind, op.mm, addr,
                                       flags & FOLL_WRITE);
                            if ((flags & FOLL_TOUCH) && (flags & FOLL_WRITE))
                              e.branch(g, !e.is_zero_folio(g, k),
                                       [&](SState& h) { e.set(h, k, kDirty); });
                            g.t[task].i = e.b8(i + 1);
                            if (i + 1 == op.nr)
                              e.gup_walk_done(g, task, op, e.b8(i + 1) - g.t[task].nr_done);
                          });
                    });
              });
        });
      });
}

// model faultin_page_step() / faultin_page() -> handle_mm_fault().
void faultin_page_step(const Enc& e, SState& s, int task, const Op& op, int i, const expr& choice) {
  bool memalloc_pin = kernel::gup_flags_of(op) & FOLL_LONGTERM;
  e.cases(s, s.t[task].fault, 3, [&](SState& x, int fault) {
    e.handle_mm_fault(x, task, op.mm, op.start + i, fault, memalloc_pin, choice);
  });
  expr err = s.ret;
  s.t[task].fault = e.b8(0);
  e.branch(
      s, err != e.b8(0),
      [&](SState& x) { e.gup_walk_done(x, task, op, partial(e, x, task, i, err)); },
      [&](SState& x) { x.t[task].pc = e.b8(kernel::kPcFollow); });
}

// model is_valid_gup_args().
bool is_valid_gup_args(uint32_t flags) {
  if ((flags & FOLL_GET) && (flags & FOLL_PIN)) return false;
  if ((flags & FOLL_LONGTERM) && !(flags & FOLL_PIN)) return false;
  return true;
}

// model gup_start_step() / is_valid_gup_args(), mm_set_has_pinned_flag(),
// gup_fast()'s seqcount read or the caller's mmap_read_lock.
void gup_start_step(const Enc& e, SState& s, int task, const Op& op) {
  uint32_t flags = kernel::gup_flags_of(op);
  STask& t = s.t[task];
  t.ghost = e.b8(0);
  t.ret = e.b8(0);
  t.target = e.b8(kNoFolio);
  if (!is_valid_gup_args(flags)) {
    t.ret = e.b8(op_is_pin(op.kind) && !op_is_fast(op.kind) ? 0 : EINVAL_);
    e.log_return(s, EventKind::kGupReturned, task, s.t[task].ret);
    t.ghost = t.ghost | e.b8(kGhostReturned);
    return e.finish_op(s, task);
  }
  SMm& m = s.m[op.mm];
  if (flags & FOLL_PIN) m.flags = m.flags | e.b8(MMF_HAS_PINNED);
  if (op_is_fast(op.kind)) {
    t.seq = m.write_protect_seq;
    expr odd = (flags & FOLL_PIN) ? e.bit(t.seq, 0) : e.ff();
    t.pc = z3::ite(odd, e.b8(kernel::kPcFastDone), e.b8(kernel::kPcFastReadPte));
    return;
  }
  mmap_read_trylock(e, s, task, op.mm);
  s.t[task].pc = e.b8(kernel::kPcFollow);
}

// model gup_lock_step() / __get_user_pages_locked(): mmap_read_lock.
void gup_lock_step(const Enc& e, SState& s, int task, const Op& op) {
  mmap_read_trylock(e, s, task, op.mm);
  s.t[task].pc = e.b8(kernel::kPcFollow);
}

}  // namespace

// model gup_step(): one atomic section of a GUP call at a concrete pc.
void Enc::gup_step(SState& s, int task, const Op& op, const expr& choice) const {
  cases(s, s.t[task].pc, kernel::kPcPutback + 1, [&](SState& x, int pc) {
    switch (GupPc(pc)) {
      case kernel::kPcStart:
        return gup_start_step(*this, x, task, op);
      case kernel::kPcLock:
        return gup_lock_step(*this, x, task, op);
      case kernel::kPcFollow:
        return with_vmas(x, op.mm, [&](SState& w, const Mm& fm) {
          cases(w, w.t[task].i, op.nr,
                [&](SState& y, int i) { follow_page_pte_step(*this, y, task, op, i, fm); });
        });
      case kernel::kPcFault:
        return cases(x, x.t[task].i, op.nr,
                     [&](SState& y, int i) { faultin_page_step(*this, y, task, op, i, choice); });
      case kernel::kPcFastReadPte:
      case kernel::kPcFastGrab:
      case kernel::kPcFastDone:
        return gup_fast_step(x, task, op, pc);
      default:
        return gup_longterm_step(x, task, op, pc, choice);
    }
  });
}

// model gup_choices(): how many choices the task's next GUP section has.
expr Enc::gup_choices(const SState& s, int task, const Op& op) const {
  const STask& t = s.t[task];
  const SMm& m = s.m[op.mm];
  expr blocked = m.mmap_lock < b8(0);
  std::vector<expr> migration, allocs;
  for (int i = 0; i < kMaxAddrs; i++) {
    int addr = op.start + i;
    if (addr >= kMaxAddrs || i >= op.nr) break;
    migration.push_back(pte_migration(m.ptes[addr]));
    expr a = ff();
    for (int fault = 2; fault >= 0; fault--)
      a = z3::ite(t.fault == b8(fault), fault_allocates(s, op.mm, addr, fault), a);
    allocs.push_back(a);
  }
  expr mig = select(migration, t.i, ff());
  expr out = b8(1);
  for (int pc = kernel::kPcPutback; pc >= 0; pc--) {
    expr n = b8(1);
    switch (GupPc(pc)) {
      case kernel::kPcStart:
        n = op_is_fast(op.kind) ? b8(1) : z3::ite(blocked, b8(0), b8(1));
        break;
      case kernel::kPcLock:
        n = z3::ite(blocked, b8(0), b8(1));
        break;
      case kernel::kPcFollow:
        n = z3::ite(mig, b8(0), b8(1));
        break;
      case kernel::kPcFault:
        n = z3::ite(mig, b8(0),
                    z3::ite(z.bool_val(cfg.inject_alloc_failure) && select(allocs, t.i, ff()),
                            b8(2), b8(1)));
        break;
      case kernel::kPcFastReadPte:
      case kernel::kPcFastGrab:
      case kernel::kPcFastDone:
        n = b8(1);
        break;
      default:
        n = gup_longterm_choices(s, task, pc);
    }
    out = z3::ite(t.pc == b8(pc), n, out);
  }
  return out;
}

// model unpin_step() / unpin_user_pages() and put_page(): the first held
// pages[] entry per step; the op ends when none is left.
void Enc::unpin_user_pages_step(SState& s, int task) const {
  std::vector<expr> orig = s.t[task].pages;
  expr earlier_held = ff();
  for (int p = 0; p < kMaxPages; p++) {
    expr first = !ref_empty(orig[p]) && !earlier_held;
    earlier_held = earlier_held || !ref_empty(orig[p]);
    branch(s, first, [&](SState& x) {
      cases(x, ref_folio(orig[p]), cfg.nr_folios, [&](SState& y, int k) {
        log_release(y, task, k, ref_kind(orig[p]));
        branch(
            y, ref_kind(orig[p]) == z.bv_val(PageRef::kPin, 2),
            [&](SState& w) { gup_put_folio(w, k, FOLL_PIN); },
            [&](SState& w) { gup_put_folio(w, k, FOLL_GET); });
      });
      x.t[task].pages[p] = b8(PageRef::none().bits);
    });
  }
  expr all_empty = tt();
  for (const expr& p : s.t[task].pages) all_empty = all_empty && ref_empty(p);
  branch(s, all_empty, [&](SState& x) {
    x.t[task].ghost = b8(0);
    x.t[task].ret = b8(0);
    finish_op(x, task);
  });
}

}  // namespace gup::smt
