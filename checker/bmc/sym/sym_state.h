// The machine state in the symbolic domain: conversion from and to the
// concrete State (model/state_fields.h lists the fields once), the merge
// of two states under a condition, and one model step run on every path.
//
// REQUIRES: an Executor is alive on this thread (sym_value.h V1).
#pragma once

#include <z3++.h>

#include <functional>
#include <optional>
#include <string>

#include "checker/bmc/sym/executor.h"
#include "checker/bmc/sym/sym_model.h"

namespace gup::sym {

// Every field a numeral of `s`.
State numerals(const gup::State& s);
// Every field a fresh constant named `prefix` + the field's name, except
// where `keep(name)` says to keep the numeral of `s`.
State fresh(const gup::State& s, const std::string& prefix,
            const std::function<bool(const std::string&)>& keep);
// The concrete state: each field evaluated in `m` (or simplified to a
// numeral when m is null; a field that is not one throws).
gup::State concrete(const State& s, const z3::model* m = nullptr);
// Field-wise ite(c, a, b); fields equal in a and b stay as they are.
State merge(const z3::expr& c, const State& a, const State& b);

// One step of `task` with `choice` on every path from `s`: the successor
// (merged) and the condition under which some path completed.
struct StepResult {
  State next;
  z3::expr valid;
  size_t paths;
};
std::optional<StepResult> apply_all_paths(Executor& ex, const State& s, const Config& cfg,
                                          Step step);
// task_choices() on every path: an 8-bit expression.
z3::expr choices_all_paths(Executor& ex, const State& s, const Config& cfg, int task);

}  // namespace gup::sym
