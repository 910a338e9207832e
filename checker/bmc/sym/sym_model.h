// The model's entry points in the symbolic domain: model/ops.cc compiled on
// checker/bmc/sym/sym_domain.h (the same functions model/model.h declares for
// the concrete domain). Run them inside Executor::explore().
#pragma once

#include "checker/bmc/sym/sym_value.h"
#include "model/config.h"
#include "model/events.h"
#include "model/model.h"
#include "model/state.h"

namespace gup::sym {

using State = StateT<SymV>;
using EventLog = EventLogT<SymV>;
using Event = EventT<SymV>;

void apply(State& s, const Config& cfg, Step step, EventLog* events);
int task_choices(const State& s, const Config& cfg, int task);

}  // namespace gup::sym
