// Zoo C5. Undoes df3a0a21b698 ("mm/gup: fix omission of check on
// FOLL_LONGTERM in gup fast path", v5.7): GUP-fast pinned CMA pages with
// FOLL_LONGTERM, since the zone check lived only in the slow path.
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::gupfast_longterm_cma {

// model/gup_fast.cc: try_grab_folio_fast(), then the PTE re-check and the folio checks.
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

}  // namespace kernel::gupfast_longterm_cma

GUP_VARIANT(gupfast_longterm_cma) {
  v.name = "gupfast-longterm-cma";
  v.zoo_id = "C5";
  v.commit = "undoes df3a0a21b698";
  v.summary = "GUP-fast takes FOLL_LONGTERM pins without checking the folio is pinnable";
  GUP_REPLACE(gup_fast_grab);
}
GUP_DOMAIN_END
