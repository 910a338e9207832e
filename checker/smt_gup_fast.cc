// Mirrors of model/gup_fast.cc (mm/gup.c, 6.12.117): gup_fast_pte_range(),
// try_grab_folio_fast(), gup_fast_folio_allowed(), gup_fast() and
// gup_fast_fallback()'s hand-off to the slow path.
#include "checker/smt_encode.h"
#include "model/gup_internal.h"

namespace gup::smt {

namespace {

// model folio_is_devmap().
expr folio_is_devmap(const Enc& e, const SState& s, int k) {
  return e.is_kind(s, k, FolioKind::kFsdax) || e.is_kind(s, k, FolioKind::kDevdax);
}

// model gup_fast_folio_allowed() / mm/gup.c gup_fast_folio_allowed().
expr gup_fast_folio_allowed(const Enc& e, const SState& s, int k, uint32_t flags) {
  bool reject_file =
      (flags & (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE)) == (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE);
  expr check_secretmem = e.fold(!e.folio_large(s, k));
  if (!reject_file && check_secretmem.is_false()) return e.tt();
  expr file_ok = reject_file ? e.is_kind(s, k, FolioKind::kShmem) : e.tt();
  expr checked = z3::ite(e.is_kind(s, k, FolioKind::kHugetlb) || e.folio_test_anon(s, k), e.tt(),
                         z3::ite(!e.test(s, k, kMapping), e.ff(),
                                 z3::ite(e.is_kind(s, k, FolioKind::kSecretmem), e.ff(), file_ok)));
  return reject_file ? checked : e.pick(check_secretmem, checked, e.tt());
}

// model gup_fast_stop(): the rest goes to the slow path.
void gup_fast_stop(const Enc& e, SState& s, int task, int i) {
  s.t[task].nr_done = e.b8(i);
  s.t[task].pc = e.b8(kernel::kPcFastDone);
}

// model gup_fast_read_pte() / gup_fast_pte_range(): ptep_get_lockless().
void gup_fast_read_pte(const Enc& e, SState& s, int task, const Op& op, int i) {
  uint32_t flags = kernel::gup_flags_of(op);
  SPte snap = s.m[op.mm].ptes[op.start + i];
  s.t[task].snap = snap;
  expr stop = !e.pte_present(snap);
  if (flags & FOLL_WRITE) stop = stop || !e.pte_write(snap);
  e.branch(
      s, stop, [&](SState& x) { gup_fast_stop(e, x, task, i); },
      [&](SState& x) {
        e.cases(x, snap.folio, e.cfg.nr_folios, [&](SState& y, int k) {
          expr bad = e.is_zero_folio(y, k);
          if ((flags & FOLL_LONGTERM) && e.v.gup_fast_refuses_devmap_longterm)
            bad = bad || folio_is_devmap(e, y, k);
          e.branch(
              y, bad, [&](SState& w) { gup_fast_stop(e, w, task, i); },
              [&](SState& w) { w.t[task].pc = e.b8(kernel::kPcFastGrab); });
        });
      });
}

// model gup_fast_grab() / try_grab_folio_fast(), the PTE re-check,
// gup_fast_folio_allowed() and gup_must_unshare().
void gup_fast_grab(const Enc& e, SState& s, int task, const Op& op, int i) {
  uint32_t flags = kernel::gup_flags_of(op);
  int addr = op.start + i;
  SPte snap = s.t[task].snap;
  e.cases(s, snap.folio, e.cfg.nr_folios, [&](SState& x, int k) {
    expr refuse = x.f[k].refcount <= e.b16(0);
    if ((flags & FOLL_LONGTERM) && e.v.try_grab_folio_fast_checks_pinnable)
      refuse = refuse || !e.folio_is_longterm_pinnable(x, k);
    e.branch(
        x, refuse, [&](SState& y) { gup_fast_stop(e, y, task, i); },
        [&](SState& y) {
          e.try_grab_folio(y, k, flags);
          const SPte& now = y.m[op.mm].ptes[addr];
          expr ok =
              now.folio == snap.folio && now.bits == snap.bits &&
              gup_fast_folio_allowed(e, y, k, flags) &&
              !(!e.pte_write(snap) && e.gup_must_unshare(nullptr, flags, y, k, e.pte_page(snap)));
          e.branch(
              y, ok,
              [&](SState& w) {
                PageRef::Kind kind = (flags & FOLL_PIN) ? PageRef::kPin : PageRef::kGet;
                w.t[task].pages[i] = e.make_ref(k, e.pte_page(snap), kind);
                e.log_grab(w, task, k, e.pte_page(snap), kind, op.mm, addr, flags & FOLL_WRITE);
                w.t[task].i = e.b8(i + 1);
                if (i + 1 == op.nr) {
                  w.t[task].nr_done = e.b8(i + 1);
                  w.t[task].pc = e.b8(kernel::kPcFastDone);
                } else {
                  w.t[task].pc = e.b8(kernel::kPcFastReadPte);
                }
              },
              [&](SState& w) {
                e.gup_put_folio(w, k, flags);
                gup_fast_stop(e, w, task, i);
              });
        });
  });
}

// model gup_fast_done() / gup_fast(): a PIN that raced with fork drops what
// it took (gup_fast_unpin_user_pages()); gup_fast_fallback() then sends
// the rest to the slow path.
void gup_fast_done(const Enc& e, SState& s, int task, const Op& op) {
  uint32_t flags = kernel::gup_flags_of(op);
  if (flags & FOLL_PIN) {
    e.branch(s, s.m[op.mm].write_protect_seq != s.t[task].seq, [&](SState& x) {
      expr nr_done = x.t[task].nr_done;
      for (int i = 0; i < op.nr; i++) {
        expr p = x.t[task].pages[i];
        e.branch(x, z3::ult(e.b8(i), nr_done), [&](SState& y) {
          e.cases(y, e.ref_folio(p), e.cfg.nr_folios, [&](SState& w, int k) {
            e.log_release(w, task, k, e.ref_kind(p));
            e.gup_put_folio(w, k, flags);
          });
          y.t[task].pages[i] = e.b8(PageRef::none().bits);
        });
      }
      x.t[task].nr_done = e.b8(0);
    });
  }
  s.t[task].snap = e.pte_none_val();
  e.branch(
      s, s.t[task].nr_done == e.b8(op.nr), [&](SState& x) { e.gup_return(x, task, op, e.b8(0)); },
      [&](SState& x) {
        x.t[task].i = x.t[task].nr_done;
        x.t[task].pc = e.b8(kernel::kPcLock);
      });
}

}  // namespace

// model gup_fast_step().
void Enc::gup_fast_step(SState& s, int task, const Op& op, int pc) const {
  if (pc == kernel::kPcFastDone) return gup_fast_done(*this, s, task, op);
  cases(s, s.t[task].i, op.nr, [&](SState& x, int i) {
    if (pc == kernel::kPcFastReadPte) return gup_fast_read_pte(*this, x, task, op, i);
    gup_fast_grab(*this, x, task, op, i);
  });
}

}  // namespace gup::smt
