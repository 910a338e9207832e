// Internal to the bmc engine: the symbolic event summary of one step.
//
// The model writes an EventLog during apply() (model/events.h, c.log());
// step and call relations read it. The encoding keeps, instead of the log,
// a fixed-size summary in the scratch register SState::ev, written by the
// mirrors at the same points (Enc::log_*, smt_events.cc) and merged by
// Enc::merge like every scratch register. It is not part of the state:
// visit_slots(), states_equal() and the state count never see it.
//
// Each part is what some relation reads (checker/smt_relations.cc), and it
// is only built when a selected property needs it (Enc::ev_parts); with no
// part, SState::ev is empty and the log_* calls do nothing. Summaries that
// must keep the order of events keep it exactly: a release checks the
// count at that point of the step (the least count seen at a release), a
// migration or free the pins at that point (the most seen at such an
// event), both relative to the state before the step.
#pragma once

#include <cstdint>
#include <vector>

#include "checker/bmc/smt_encode.h"

namespace gup::smt {

enum EvPart : uint32_t {
  // pin-unpin-balance: per task, folio and reference kind, grabs minus
  // releases so far (8 bits) and its least value at a release (8 bits,
  // 127 when none); per task, a release the ledger did not hold (bool).
  kEvBalance = 1u << 0,
  // no-use-after-free: the folios grabbed or released by any task (16 bits).
  kEvTouched = 1u << 1,
  // pinned-never-migrated-or-freed: per folio, FOLL_PIN grabs minus
  // releases so far (8 bits) and its greatest value at a migration, free,
  // split or reclaim of that folio (8 bits, -128 when none).
  kEvPinsMoved = 1u << 2,
  // no-write-without-permission: per mm and address, the (folio, page)
  // pairs written there through GUP or a user store (bit 2 * folio + page).
  kEvWrites = 1u << 3,
  // fast-path-subset: per task, the folios it grabbed (16 bits).
  kEvGrabs = 1u << 4,
  // longterm-pin-contract, refcounts-restored-after-failed-migration,
  // no-false-refusal: per task (8 bits), bit b <= kMaxPages for a GUP
  // return of min(max(value, 0), kMaxPages), kEvRetNegative for a
  // negative return, kEvCmrZero / kEvCmrError for a
  // check_and_migrate_movable_pages() return of 0 / nonzero.
  kEvReturns = 1u << 5,
};

inline constexpr int kEvRetNegative = kMaxPages + 1;
inline constexpr int kEvCmrZero = kMaxPages + 2;
inline constexpr int kEvCmrError = kMaxPages + 3;
static_assert(kEvCmrError < 8);

// Where each part lives in SState::ev for one configuration and set of
// parts (fields of absent parts are never read).
struct EvLayout {
  EvLayout(const Config& cfg, uint32_t parts);
  uint32_t parts;
  int nr_tasks, nr_folios, nr_mms;
  size_t size = 0;
  size_t balance = 0, touched = 0, pins = 0, writes = 0, grabs = 0, returns = 0;
  size_t bal_delta(int t, int f, int kind) const {
    return balance + (t * nr_folios + f) * 3 + kind;
  }
  size_t bal_least(int t, int f, int kind) const {
    return bal_delta(t, f, kind) + size_t(nr_tasks * nr_folios * 3);
  }
  size_t bal_unheld(int t) const { return balance + size_t(nr_tasks * nr_folios * 6) + t; }
  size_t pin_delta(int f) const { return pins + f; }
  size_t pin_most(int f) const { return pins + nr_folios + f; }
  size_t written(int mm, int addr) const { return writes + mm * kMaxAddrs + addr; }
  size_t grabbed(int t) const { return grabs + t; }
  size_t returned(int t) const { return returns + t; }
};

// The empty summary of a step (every part at its initial value).
std::vector<expr> empty_event_summary(const Enc& e);

}  // namespace gup::smt
