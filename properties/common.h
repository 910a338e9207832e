// Internal to properties/: the shared shape of a property's check.
//
// Each property has a find function that looks for a violation and, when
// it finds one, fills a Finding: the task, folio, pages[] entry or address
// involved and a fixed sentence. holds() is "no finding" and allocates
// nothing; explain() formats the finding only after a violation.
//
// Property code is written once over the value domain (model/value.h):
// values read from the state are Val<T>, a loop that accumulates over
// entries whose conditions are independent wraps its body in
// join(acc, body) (R6), and a loop that looks for a violation returns at
// the first one, so that in the symbolic domain the paths grow with the
// number of checks, not exponentially.
#pragma once

#include <string>

#include "properties/ledger.h"
#include "properties/property.h"

GUP_DOMAIN_BEGIN
namespace props {

struct Finding {
  const char* what = "";  // a fixed sentence: what the contract forbids here
  int task = -1;
  Val<int> folio = -1;
  int entry = -1;  // index in pages[]
  int mm = -1;
  Val<int> addr = -1;
  Val<int> value = 0;  // a return value or count, when `what` mentions one
  Val<int> expected = 0;
  bool has_value = false;
};

using FindFn = bool (*)(const Transition& tr, const Config& cfg, Finding& out);

template <FindFn Find>
bool holds(const Transition& tr, const Config& cfg) {
  Finding f;
  return !Find(tr, cfg, f);
}

#if !GUP_SYMBOLIC
// "T1 folio 3 [anon, MIGRATE_CMA, ZONE_NORMAL] pages[0] mm0 addr 1: <what>".
std::string format_finding(const Transition& tr, const Config& cfg, const Finding& f);

template <FindFn Find>
std::string explain(const Transition& tr, const Config& cfg) {
  Finding f;
  if (!Find(tr, cfg, f)) return "the property holds on this transition";
  return format_finding(tr, cfg, f);
}
#else
// The symbolic domain only asks whether a property holds; a violation is
// explained on the concrete replay of the counterexample.
template <FindFn Find>
std::string explain(const Transition&, const Config&) {
  return "";
}
#endif

// The FOLL_* flags a GUP op passes down (is_valid_gup_args() to_set).
uint32_t gup_flags_of_op(const Op& op);

// Whether any event of the transition has this kind.
inline bool has_event(const Transition& tr, EventKind k) {
  if (!tr.events) return false;
  for (const Event& e : *tr.events)
    if (e.kind == k) return true;
  return false;
}

}  // namespace props

// Every property, defined one or a few per file and listed by
// properties/registry.cc.
extern const Property kNoLongtermPinOnFsdax;
extern const Property kNoLongtermPinInMovable;
extern const Property kLongtermPinContract;
extern const Property kRefcountsRestoredAfterFailedMigration;
extern const Property kRefcountAccounting;
extern const Property kPinUnpinBalance;
extern const Property kNoUseAfterFree;
extern const Property kPinnedNeverMigratedOrFreed;
extern const Property kPinCoherence;
extern const Property kNoWriteWithoutPermission;
extern const Property kCowIsolation;
extern const Property kFastPathSubset;
extern const Property kNoFalseRefusal;
extern const Property kPinLoopTerminates;
GUP_DOMAIN_END
