// A property: a kernel contract checked on every transition an engine takes.
//
// Every property is judged on a Transition: the state before (null for the
// initial state), the step, what the step did (events) and the state after.
// State invariants read only `after`; step relations compare before and
// after; call relations read the ghost fields a GUP call leaves in its task
// (model/task.h). A property states a contract of the kernel in general; it
// never recognises a particular bug or variant.
//
// A property is code written once over the model's value domain
// (model/value.h R1-R6): the concrete engines run it on plain integers,
// and the bmc engine runs the same source on z3 terms (checker/bmc/sym/), so
// bmc checks exactly what explore and random check.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "model/model.h"

namespace gup {
enum class PropertyKind { kStateInvariant, kStepRelation, kCallRelation };
const char* property_kind_name(PropertyKind k);
}  // namespace gup

GUP_DOMAIN_BEGIN

struct Transition {
  const State* before;     // null for the initial state
  Step step;               // meaningless when before is null
  const EventLog* events;  // null for the initial state
  const State& after;
};

struct Property {
  const char* name;       // kebab-case, e.g. "no-longterm-pin-on-fsdax"
  const char* rationale;  // one paragraph: the contract and why it matters
  const char* source;     // kernel source it comes from, e.g. "mm/gup.c: check_vma_flags()"
  PropertyKind kind;
  // True when the transition keeps the contract. Allocates nothing.
  bool (*holds)(const Transition& tr, const Config& cfg);
  // Why the transition breaks it, for reports (called only on violation).
  std::string (*explain)(const Transition& tr, const Config& cfg);
};

std::span<const Property* const> all_properties();
const Property* find_property(std::string_view name);

GUP_DOMAIN_END
