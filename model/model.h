// The model's interface for engines: the only header checker/ needs.
//
//   enabled_steps(state, config, out)  the steps possible now; allocates nothing
//   apply(state, config, step, events) advance one task by one atomic section
//   step_info(state, config, step)      task, kernel function, arguments
//
// A Step names a task and an environment choice (0: the ordinary outcome;
// 1: an injected failure, e.g. an allocation that fails). Steps are
// deterministic: the same state and step give the same successor.
#pragma once

#include <cstdint>
#include <string>

#include "model/config.h"
#include "model/events.h"
#include "model/state.h"

namespace gup {

struct Step {
  uint8_t task = 0;
  uint8_t choice = 0;
  bool operator==(const Step&) const = default;
};

struct StepBuffer {
  Step steps[kMaxTasks * kMaxChoices];
  int n = 0;
  void push(Step s) { steps[n++] = s; }
  const Step* begin() const { return steps; }
  const Step* end() const { return steps + n; }
};

// The initial state of a configuration.
inline const State& initial_state(const Config& cfg) {
  return cfg.initial;
}

void enabled_steps(const State& s, const Config& cfg, StepBuffer& out);

// Advance step.task by one atomic section. `events`, if given, receives
// what happened (grabs, releases, moves, frees, returns) for properties
// that relate a state to its successor. REQUIRES: step is enabled in s.
void apply(State& s, const Config& cfg, Step step, EventLog* events = nullptr);

// fork()'s copy_present_ptes() holds the PTLs of parent and child from
// folio_try_dup_anon_rmap_pte()'s pin check to __copy_present_ptes()'s
// write-protect; the model makes them two sections so that GUP-fast, which
// takes no PTL, can pin in between (model/fork.cc). Whether a task at `pc`
// of `op` is inside that window, and whether a task at `pc` of `op` may
// step while another is: only sections that take no PTL (GUP-fast, the
// long-term collect and putback, unpin, lru_add_drain_all, a transient
// reference). enabled_steps() holds back every other section meanwhile.
bool in_fork_ptl_window(const Op& op, int pc);
bool steps_without_ptl(const Op& op, int pc);

// True when every task has finished its script.
bool all_tasks_done(const State& s, const Config& cfg);
bool task_done(const State& s, const Config& cfg, int task);
// Number of choices of the task's next step (0: done or blocked).
int task_choices(const State& s, const Config& cfg, int task);

// Describes a step before it is applied: which kernel function the task
// executes now and with what arguments.
struct StepInfo {
  int task;
  const char* op;        // the entry point, e.g. "pin_user_pages"
  const char* function;  // the kernel function of this atomic section
  const char* source;    // kernel file of that function
  char args[64];         // e.g. "mm0 addr 1"
  const char* choice;    // "" or the injected failure, e.g. "allocation fails"
};
StepInfo step_info(const State& s, const Config& cfg, Step step);
std::string describe(const State& s, const Config& cfg, Step step);

// The changes that matter between two states, one line each, e.g.
// "folio 3 [anon, CMA] refcount 1 -> 1025".
std::string describe_changes(const State& before, const State& after, const Config& cfg);
// A readable dump of a whole state.
std::string describe_state(const State& s, const Config& cfg);

}  // namespace gup
