// What userspace can observe of a kernel on one machine: every outcome of
// every interleaving, and every property a schedule breaks. `gupcheck
// diff` compares two kernels with it (checker/cli/cli_diff.cc).
//
// An outcome is text that names no folio index, so that two kernels that
// allocate differently can be compared:
//   - one line per finished call, in each task's order: the entry point,
//     its return value (GUP entry points), and for each page it returned
//     the zone and migratetype of the folio, pin or reference, and whether
//     it is the page mapped at that address when the call returned;
//   - the pins still held at the end, and the pin balance (pins the folios
//     count minus pins the tasks hold: nonzero is a leak or an underflow);
//   - "stuck" when no task can step but some have not finished.
//
// Invariants:
//  1. Breadth-first over (state, per-task history of observations): the
//     witness of each outcome and of each property's first violation is a
//     shortest schedule reaching it.
//  2. `complete` is false when max_states ended the search: the outcome
//     set may then lack outcomes (principle 7: never a verdict from it).
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "model/config.h"
#include "model/model.h"
#include "properties/property.h"

namespace gup {

struct Witness {
  std::vector<Step> steps;
  std::string why;  // for a violation: the property's explanation
};

struct OutcomeSet {
  std::map<std::string, Witness> outcomes;    // outcome text -> shortest schedule
  std::map<std::string, Witness> violations;  // property name -> shortest schedule
  size_t states = 0;
  bool complete = true;
};

OutcomeSet explore_outcomes(const Config& cfg, std::span<const Property* const> props,
                            size_t max_states);

// The outcome text of one schedule (it must be enabled throughout), or
// "" when it does not end the machine (some task not finished and a step
// still enabled).
std::string outcome_of(const Config& cfg, const std::vector<Step>& steps);

// The observation lines of the calls `step` finishes in `before` -> `after`.
std::vector<std::string> finished_calls(const State& before, const State& after, const Config& cfg,
                                        Step step);

}  // namespace gup
