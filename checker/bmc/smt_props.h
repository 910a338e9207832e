// Internal to the bmc engine: properties as symbolic predicates, mirroring
// properties/*.cc. A property has a state part (a predicate over one state)
// and/or a step part (over the state before a step, the step, the step's
// event summary, checker/smt_events.h, and the state after); the property
// is violated by a transition when either is.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "checker/bmc/smt_encode.h"
#include "properties/property.h"

namespace gup::smt {

// Whether the encoding has `p` (its state part, step part or both).
bool encoded(const Property& p);
bool has_step_part(const Property& p);
// The names of the encoded properties, in registry order.
std::vector<std::string> encoded_property_names();
// The parts of the event summary (Enc::ev_parts) the step parts of these
// properties read; 0 when none has a step part.
uint32_t event_parts(std::span<const Property* const> props);

// "The state part of `p` is violated in s", or nullopt when `p` has none.
std::optional<expr> violated(const Enc& e, const SState& s, const Property& p);
// "The step part of `p` is violated by the step from `before` under `st`
// into `after`", `ev` being the event summary of apply(before, st) (e's
// ev_parts must include event_parts({p})); nullopt when `p` has none.
std::optional<expr> violated_step(const Enc& e, const SState& before, const SStep& st,
                                  const std::vector<expr>& ev, const SState& after,
                                  const Property& p);

// properties/ledger.cc compute_ledger() for folio i: refs, pins, maps.
void ledger(const Enc& e, const SState& s, int i, expr& refs, expr& pins, expr& maps);
// State parts of pin-coherence and no-use-after-free (smt_relations.cc).
expr coherence_violated(const Enc& e, const SState& s);
expr freed_in_use(const Enc& e, const SState& s);

}  // namespace gup::smt
