// GUP-fast (mm/gup.c, 6.12.117): gup_fast(), gup_fast_pte_range(),
// try_grab_folio_fast(), gup_fast_folio_allowed(), gup_fast_fallback().
//
// The walk runs without mmap_lock and with IRQs off. Per page it reads the
// PTE locklessly (one atomic section), then grabs the folio with
// add-unless-zero and re-reads the PTE (the next section): between the two,
// any other task may zap, migrate, fork or split. A PIN also re-checks
// fork's write_protect_seq at the end (mm/gup.c: gup_fast(),
// gup_fast_fallback(); include/linux/rmap.h: __folio_try_share_anon_rmap()).
#include "model/gup_internal.h"
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

bool folio_is_devmap(const Folio& f) {
  GUP_OVERRIDABLE(folio_is_devmap, f);
  return f.kind == FolioKind::kFsdax || f.kind == FolioKind::kDevdax;
}

// mm/gup.c: gup_fast_folio_allowed(): without a VMA, decide from the folio
// whether a long-term writable pin (or a pin of a small folio, for
// secretmem) is allowed; when unsure, fall back to the slow path.
bool gup_fast_folio_allowed(const Folio& f, uint32_t flags) {
  GUP_OVERRIDABLE(gup_fast_folio_allowed, f, flags);
  bool reject_file =
      (flags & (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE)) == (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE);
  bool check_secretmem = !folio_test_large(f);
  if (!reject_file && !check_secretmem) return true;
  if (f.kind == FolioKind::kHugetlb) return true;
  if (folio_test_anon(f)) return true;  // PAGE_MAPPING_ANON (anon, KSM)
  if (!f.test(kMapping)) return false;  // truncated, or no mapping (driver pages)
  if (f.kind == FolioKind::kSecretmem) return false;
  return !reject_file || f.kind == FolioKind::kShmem;
}

// The walk stops at page i: the rest goes to the slow path.
void gup_fast_stop(Task& t) {
  GUP_OVERRIDABLE(gup_fast_stop, t);
  t.nr_done = t.i;
  t.pc = kPcFastDone;
}

// gup_fast_pte_range(): ptep_get_lockless() and the checks on the entry.
void gup_fast_read_pte(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(gup_fast_read_pte, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  uint32_t flags = gup_flags_of(op);
  t.snap = s.mms[op.mm].ptes[op.start + t.i];
  if (!t.snap.present()) return gup_fast_stop(t);  // none, swap or migration entry
  if ((flags & FOLL_WRITE) && !t.snap.write()) return gup_fast_stop(t);  // !pte_access_permitted
  const Folio& f = s.folios[t.snap.folio];
  if (is_zero_folio(f)) return gup_fast_stop(t);  // pte_special()
  if (folio_is_devmap(f) && (flags & FOLL_LONGTERM)) return gup_fast_stop(t);
  t.pc = kPcFastGrab;
}

// try_grab_folio_fast(), then the PTE re-check and the folio checks.
void gup_fast_grab(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(gup_fast_grab, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  uint32_t flags = gup_flags_of(op);
  int addr = op.start + int(t.i);
  int idx = int(t.snap.folio);
  Folio& f = s.folios[idx];
  // folio_ref_try_add(): add-unless-zero fails on a freed or frozen folio.
  if (f.refcount <= 0) return gup_fast_stop(t);
  if ((flags & FOLL_LONGTERM) && !folio_is_longterm_pinnable(f)) return gup_fast_stop(t);
  try_grab_folio(s, c, idx, 1, flags);
  bool ok = s.mms[op.mm].ptes[addr] == t.snap && gup_fast_folio_allowed(f, flags) &&
            !(!t.snap.write() && gup_must_unshare(nullptr, flags, f, t.snap.page()));
  if (!ok) {
    gup_put_folio(s, c, idx, 1, flags);
    return gup_fast_stop(t);
  }
  PageRef::Kind kind = (flags & FOLL_PIN) ? PageRef::kPin : PageRef::kGet;
  t.pages[t.i] = PageRef::make(idx, t.snap.page(), kind);
  c.log(Event{EventKind::kGrab, uint8_t(c.task), uint8_t(idx), kNoFolio, uint8_t(t.snap.page()),
              uint8_t(kind), op.mm, uint8_t(addr), 0, bool(flags & FOLL_WRITE), true});
  t.i++;
  if (t.i == op.nr) {
    t.nr_done = t.i;
    t.pc = kPcFastDone;
  } else {
    t.pc = kPcFastReadPte;
  }
}

// gup_fast(): after the walk, a PIN that raced with fork (the seqcount
// moved) drops everything it took (gup_fast_unpin_user_pages()); then
// gup_fast_fallback() sends the rest to __gup_longterm_locked(locked = 0).
void gup_fast_done(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(gup_fast_done, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  uint32_t flags = gup_flags_of(op);
  if ((flags & FOLL_PIN) && s.mms[op.mm].write_protect_seq != t.seq) {
    for (int i = 0; i < t.nr_done; i++) {
      PageRef& p = t.pages[i];
      c.log(Event{EventKind::kRelease, uint8_t(c.task), narrow<uint8_t>(p.folio()), kNoFolio,
                  uint8_t(p.page()), uint8_t(p.kind()), 0, 0, 0, false, true});
      gup_put_folio(s, c, int(p.folio()), 1, flags);
      p = PageRef::none();
    }
    t.nr_done = 0;
  }
  t.snap = Pte::make_none();
  if (t.nr_done == op.nr) return gup_return(s, c, 0);
  t.i = t.nr_done;
  t.pc = kPcLock;
}

int gup_fast_choices(const State& s, const Config& cfg, int t) {
  GUP_OVERRIDABLE(gup_fast_choices, s, cfg, t);
  return 1;
}

void gup_fast_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(gup_fast_step, s, c);
  switch (int(task(s, c).pc)) {
    case kPcFastReadPte:
      return gup_fast_read_pte(s, c);
    case kPcFastGrab:
      return gup_fast_grab(s, c);
    default:
      return gup_fast_done(s, c);
  }
}

}  // namespace kernel
GUP_DOMAIN_END
