// The event summary of one step (checker/smt_events.h): its layout and the
// Enc::log_* calls the mirrors make where the model calls c.log().
#include "checker/bmc/smt_events.h"

namespace gup::smt {

EvLayout::EvLayout(const Config& cfg, uint32_t parts_)
    : parts(parts_), nr_tasks(cfg.nr_tasks), nr_folios(cfg.nr_folios), nr_mms(cfg.nr_mms) {
  auto take = [&](uint32_t part, size_t& at, size_t n) {
    if (!(parts & part)) return;
    at = size;
    size += n;
  };
  take(kEvBalance, balance, size_t(nr_tasks * nr_folios * 6 + nr_tasks));
  take(kEvTouched, touched, 1);
  take(kEvPinsMoved, pins, size_t(2 * nr_folios));
  take(kEvWrites, writes, size_t(nr_mms * kMaxAddrs));
  take(kEvGrabs, grabs, size_t(nr_tasks));
  take(kEvReturns, returns, size_t(nr_tasks));
}

std::vector<expr> empty_event_summary(const Enc& e) {
  EvLayout l(e.cfg, e.ev_parts);
  std::vector<expr> ev(l.size, e.b8(0));
  if (l.parts & kEvBalance)
    for (int t = 0; t < l.nr_tasks; t++) {
      for (int f = 0; f < l.nr_folios; f++)
        for (int k = 0; k < 3; k++) ev[l.bal_least(t, f, k)] = e.b8(127);
      ev[l.bal_unheld(t)] = e.ff();
    }
  if (l.parts & kEvTouched) ev[l.touched] = e.b16(0);
  if (l.parts & kEvPinsMoved)
    for (int f = 0; f < l.nr_folios; f++) ev[l.pin_most(f)] = e.b8(0x80);
  if (l.parts & kEvWrites)
    for (int m = 0; m < l.nr_mms; m++)
      for (int a = 0; a < kMaxAddrs; a++) ev[l.written(m, a)] = e.z.bv_val(0, 32);
  if (l.parts & kEvGrabs)
    for (int t = 0; t < l.nr_tasks; t++) ev[l.grabbed(t)] = e.b16(0);
  return ev;
}

namespace {

expr folio_bit(const Enc& e, int f) {
  return e.b16(1 << f);
}

}  // namespace

// model: Event{kGrab, task, folio, page, kind, mm, addr, write, held}.
void Enc::log_grab(SState& s, int task, int folio, const expr& page, PageRef::Kind kind, int mm,
                   int addr, bool write) const {
  if (s.ev.empty() || folio >= cfg.nr_folios) return;
  EvLayout l(cfg, ev_parts);
  if (l.parts & kEvBalance) {
    expr& d = s.ev[l.bal_delta(task, folio, kind)];
    d = d + b8(1);
  }
  if (l.parts & kEvTouched) s.ev[l.touched] = s.ev[l.touched] | folio_bit(*this, folio);
  if ((l.parts & kEvPinsMoved) && kind == PageRef::kPin) {
    expr& d = s.ev[l.pin_delta(folio)];
    d = d + b8(1);
  }
  if ((l.parts & kEvWrites) && write && mm < cfg.nr_mms && addr < kMaxAddrs) {
    expr& w = s.ev[l.written(mm, addr)];
    w = w | z3::ite(page, z.bv_val(2u << (2 * folio), 32), z.bv_val(1u << (2 * folio), 32));
  }
  if (l.parts & kEvGrabs) s.ev[l.grabbed(task)] = s.ev[l.grabbed(task)] | folio_bit(*this, folio);
}

// model: Event{kRelease, task, folio, page, kind, held}. The balance check
// happens here, at this point of the step: the least count at a release.
void Enc::log_release(SState& s, int task, int folio, const expr& kind, bool held) const {
  if (s.ev.empty() || folio >= cfg.nr_folios) return;
  EvLayout l(cfg, ev_parts);
  if (l.parts & kEvBalance) {
    if (!held) s.ev[l.bal_unheld(task)] = tt();
    for (int k = 0; k < 3; k++) {
      expr mine = kind == z.bv_val(k, 2);
      expr& d = s.ev[l.bal_delta(task, folio, k)];
      expr& least = s.ev[l.bal_least(task, folio, k)];
      least = z3::ite(mine && d < least, d, least);  // signed
      d = z3::ite(mine, d - b8(1), d);
    }
  }
  if (l.parts & kEvTouched) s.ev[l.touched] = s.ev[l.touched] | folio_bit(*this, folio);
  if (l.parts & kEvPinsMoved) {
    expr& d = s.ev[l.pin_delta(folio)];
    d = z3::ite(kind == z.bv_val(PageRef::kPin, 2), d - b8(1), d);
  }
}

// model: Event{kUserWrite, task, folio, page, mm, addr, write = true}.
void Enc::log_user_write(SState& s, int, int folio, const expr& page, int mm, int addr) const {
  if (s.ev.empty() || folio >= cfg.nr_folios) return;
  EvLayout l(cfg, ev_parts);
  if ((l.parts & kEvWrites) && mm < cfg.nr_mms && addr < kMaxAddrs) {
    expr& w = s.ev[l.written(mm, addr)];
    w = w | z3::ite(page, z.bv_val(2u << (2 * folio), 32), z.bv_val(1u << (2 * folio), 32));
  }
}

// model: Event{kMigrated / kFreed / kSplit / kReclaimed, folio}: the pins
// on the folio at this point of the step.
void Enc::log_folio(SState& s, EventKind, int folio) const {
  if (s.ev.empty() || folio >= cfg.nr_folios) return;
  EvLayout l(cfg, ev_parts);
  if (l.parts & kEvPinsMoved) {
    const expr& d = s.ev[l.pin_delta(folio)];
    expr& most = s.ev[l.pin_most(folio)];
    most = z3::ite(d > most, d, most);  // signed
  }
}

// model: Event{kGupReturned / kCheckMigrateReturned, task, value}.
void Enc::log_return(SState& s, EventKind kind, int task, const expr& value) const {
  if (s.ev.empty() || !(ev_parts & kEvReturns)) return;
  EvLayout l(cfg, ev_parts);
  expr& r = s.ev[l.returned(task)];
  if (kind == EventKind::kCheckMigrateReturned) {
    r = r | z3::ite(value == b8(0), b8(1 << kEvCmrZero), b8(1 << kEvCmrError));
    return;
  }
  if (kind != EventKind::kGupReturned) return;
  expr bucket = b8(1 << kMaxPages);
  for (int b = kMaxPages - 1; b >= 1; b--) bucket = z3::ite(value == b8(b), b8(1 << b), bucket);
  bucket = z3::ite(value <= b8(0), b8(1), bucket);  // signed
  r = r | bucket | z3::ite(value < b8(0), b8(1 << kEvRetNegative), b8(0));
}

}  // namespace gup::smt
