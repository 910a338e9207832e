// Test helper: drive a configuration to the end with a chosen schedule.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/config_builder.h"
#include "model/model.h"

namespace gup::testing {

// Picks the step to take among the enabled ones (never called with none).
using Chooser = std::function<Step(const State&, const StepBuffer&)>;

// Lowest task first, ordinary outcomes only.
inline Step first_ordinary(const State&, const StepBuffer& b) {
  for (const Step& s : b)
    if (s.choice == 0) return s;
  return b.steps[0];
}

// Runs the tasks in order (T0 to completion, then T1, ...), taking the
// injected failure at the steps whose kernel function is `fail_at`.
inline Chooser fail_at(const Config& cfg, std::string function) {
  return [&cfg, function](const State& s, const StepBuffer& b) {
    for (const Step& st : b)
      if (st.choice == 1 && function == step_info(s, cfg, st).function) return st;
    return first_ordinary(s, b);
  };
}

struct Run {
  State final_state;
  std::vector<std::string> functions;  // kernel function of every step taken
  int steps = 0;
  bool finished = false;  // every task finished its script
};

inline Run run(const Config& cfg, const Chooser& choose = first_ordinary, int max_steps = 200) {
  Run r;
  State s = cfg.initial;
  StepBuffer b;
  for (; r.steps < max_steps; r.steps++) {
    enabled_steps(s, cfg, b);
    if (b.n == 0) break;
    Step st = choose(s, b);
    r.functions.push_back(step_info(s, cfg, st).function);
    apply(s, cfg, st);
  }
  r.final_state = s;
  r.finished = all_tasks_done(s, cfg);
  return r;
}

// Runs task 0's first op only: stops once it returned (T0 script_pos 1).
inline Run run_first_call(const Config& cfg, const Chooser& choose = first_ordinary) {
  Run r;
  State s = cfg.initial;
  StepBuffer b;
  while (s.tasks[0].script_pos == 0 && r.steps < 200) {
    enabled_steps(s, cfg, b);
    if (b.n == 0) break;
    Step st = choose(s, b);
    r.functions.push_back(step_info(s, cfg, st).function);
    apply(s, cfg, st);
    r.steps++;
  }
  r.final_state = s;
  return r;
}

inline bool took(const Run& r, const std::string& function) {
  for (const std::string& f : r.functions)
    if (f == function) return true;
  return false;
}

}  // namespace gup::testing
