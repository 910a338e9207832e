// The properties of properties/ in the symbolic domain: the same source,
// compiled on checker/bmc/sym/sym_domain.h (properties/property.h), called by
// the bmc engine inside Executor::explore() to judge a transition on z3
// terms.
//
// Invariants:
//  P1. Both domains list the properties in the same order (one registry,
//      properties/registry.cc), so an index names the same property.
//  P2. property_holds() decides on the current path like kernel code: the
//      caller runs it inside an explore and merges the answers.
#pragma once

#include <string_view>

#include "checker/bmc/sym/sym_model.h"

namespace gup::sym {

// Index of the property named `name` (P1), or -1.
int property_index(std::string_view name);

// properties/ holds() of property `index` on the transition.
bool property_holds(int index, const State* before, Step step, const EventLog* events,
                    const State& after, const Config& cfg);

}  // namespace gup::sym
