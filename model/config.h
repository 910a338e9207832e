// A machine configuration: the initial state, what each task does, the
// kernel variant and which environment failures may happen.
//
// Build one with ConfigBuilder (model/config_builder.h); specs/ and tests
// do. A Config is immutable while engines run.
#pragma once

#include <array>
#include <string>

#include "model/state.h"
#include "model/task.h"
#include "model/variant.h"

namespace gup {

struct Config {
  std::string name = "unnamed";
  int nr_folios = 0;
  int nr_mms = 1;
  int nr_files = 0;
  int nr_tasks = 0;
  State initial{};
  std::array<std::array<Op, kMaxScript>, kMaxTasks> scripts{};
  std::array<uint8_t, kMaxTasks> script_len{};
  const Variant* variant = nullptr;  // never null once built

  // Environment choices (each is an explicit nondeterministic branch):
  // an allocation (fault, COW copy, migration target) may fail.
  bool inject_alloc_failure = false;

  // pin-loop-terminates: rounds of __gup_longterm_locked() that return
  // -EAGAIN with no other task stepping, before the loop counts as stuck.
  // 1..3: Task::rounds saturates at 3.
  int max_quiet_rounds = 2;

  const Op& op(int task, int pos) const { return scripts[task][pos]; }
  // The CPU a task runs on (per-CPU LRU batches): tasks alternate CPUs.
  static int cpu_of(int task) { return task % 2; }
};

}  // namespace gup
