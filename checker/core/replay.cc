// Replays a trace on the concrete model (checker/core/replay.h): the referee for
// every engine's counterexample.
#include "checker/core/replay.h"

#include <fmt/format.h>

#include <algorithm>

namespace gup {

namespace {

// The first property in `props` that the transition breaks, or null.
const Property* first_violated(const Transition& tr, const Config& cfg,
                               std::span<const Property* const> props) {
  for (const Property* p : props)
    if (!p->holds(tr, cfg)) return p;
  return nullptr;
}

bool enabled(const State& s, const Config& cfg, Step step) {
  StepBuffer buf;
  enabled_steps(s, cfg, buf);
  return std::find(buf.begin(), buf.end(), step) != buf.end();
}

void record(ReplayOutcome& out, const Property* p, const Transition& tr, const Config& cfg,
            int step) {
  out.violated = true;
  out.violation_step = step;
  out.property = p->name;
  out.why = p->explain(tr, cfg);
}

}  // namespace

ReplayOutcome replay(const Config& cfg, const Trace& trace,
                     std::span<const Property* const> props) {
  ReplayOutcome out;
  State s = initial_state(cfg);
  Transition init{nullptr, Step{}, nullptr, s};
  if (const Property* p = first_violated(init, cfg, props)) {
    record(out, p, init, cfg, 0);
    out.ok = true;
    out.final_state = s;
    return out;
  }
  EventLog events;
  for (size_t k = 0; k < trace.steps.size(); k++) {
    Step step = trace.steps[k];
    if (step.task >= cfg.nr_tasks || !enabled(s, cfg, step)) {
      out.error =
          fmt::format("step {}: task {} choice {} is not enabled", k + 1, step.task, step.choice);
      out.final_state = s;
      return out;
    }
    State before = s;
    apply(s, cfg, step, &events);
    Transition tr{&before, step, &events, s};
    if (const Property* p = first_violated(tr, cfg, props)) {
      record(out, p, tr, cfg, int(k + 1));
      break;
    }
  }
  out.ok = true;
  out.final_state = s;
  return out;
}

}  // namespace gup
