#include "checker/core/lasso.h"

#include <fmt/format.h>

#include <algorithm>

namespace gup {

bool in_longterm_call(const State& s, const Config& cfg, int t) {
  if (task_done(s, cfg, t)) return false;
  const Op& op = cfg.op(t, s.tasks[t].script_pos);
  return op_is_gup(op.kind) && (op.flags & FOLL_LONGTERM);
}

std::string lasso_problem(const Config& cfg, const Trace& trace) {
  const int n = int(trace.steps.size());
  if (trace.loop_start < 0 || trace.loop_start >= n) return "the trace has no loop";
  State s = initial_state(cfg), loop{};
  StepBuffer buf;
  EventLog events;
  // Over the loop's steps: tasks that step, tasks enabled in every state,
  // and the tasks for which L1 holds on every step so far.
  unsigned steps_in = 0, always = (1u << cfg.nr_tasks) - 1, stuck = always;
  for (int k = 0; k < n; k++) {
    Step step = trace.steps[k];
    if (k == trace.loop_start) loop = s;
    enabled_steps(s, cfg, buf);
    if (std::find(buf.begin(), buf.end(), step) == buf.end())
      return fmt::format("step {} (task {} choice {}) is not enabled", k + 1, step.task,
                         step.choice);
    State before = s;
    apply(s, cfg, step, &events);
    if (k < trace.loop_start) continue;
    unsigned enabled = 0;
    for (Step e : buf) enabled |= 1u << e.task;
    always &= enabled;
    steps_in |= 1u << step.task;
    for (int t = 0; t < cfg.nr_tasks; t++) {
      bool returned = std::any_of(events.begin(), events.end(), [&](const Event& e) {
        return e.kind == EventKind::kGupReturned && e.task == t;
      });
      if (!in_longterm_call(before, cfg, t) || !in_longterm_call(s, cfg, t) ||
          before.tasks[t].script_pos != s.tasks[t].script_pos || returned)
        stuck &= ~(1u << t);
    }
  }
  if (!(s == loop))
    return fmt::format(
        "the loop does not close: the state after step {} is not the state after "
        "step {}",
        n, trace.loop_start);
  if (!(stuck & steps_in))
    return "no task stays inside one long-term GUP call and retries on every step of the loop";
  if (always & ~steps_in)
    return fmt::format("the loop starves task {}: it is enabled throughout and never steps",
                       __builtin_ctz(always & ~steps_in));
  return "";
}

}  // namespace gup
