// `gupcheck demo`: a long-term pin of a CMA folio, step by step. The
// builtin config "cma-demo" runs on the base model with a fixed schedule:
// always the first enabled step, until every task is done.
#include <fmt/format.h>

#include <iostream>
#include <sstream>

#include "checker/cli/cli.h"
#include "checker/core/replay.h"
#include "checker/report/report.h"
#include "model/config_builder.h"

namespace gup::cli {

namespace {
constexpr int kMaxDemoSteps = 200;  // the demo's schedule ends far sooner
}  // namespace

int run_demo(Options&) {
  Config cfg = builtin_config("cma-demo", base_variant());
  std::cout << "A long-term pin of a CMA folio (Linux 6.12, mm/gup.c):\n"
            << wrap(
                   "pin_user_pages(FOLL_LONGTERM) finds the folio in a CMA pageblock, which "
                   "folio_is_longterm_pinnable() refuses. check_and_migrate_movable_pages() "
                   "isolates it, unpins it, migrates it to a folio outside CMA and "
                   "ZONE_MOVABLE and returns -EAGAIN; __gup_longterm_locked() retries and "
                   "pins the copy.",
                   80, "  ")
            << "\nInitial state:\n"
            << describe_state(initial_state(cfg), cfg) << "\n";
  State s = initial_state(cfg);
  Trace trace;
  StepBuffer buf;
  for (int n = 1; !all_tasks_done(s, cfg) && n <= kMaxDemoSteps; n++) {
    enabled_steps(s, cfg, buf);
    if (buf.n == 0) {
      std::cout << "No task can step: the tasks are blocked.\n";
      break;
    }
    Step step = buf.steps[0];
    State next = s;
    apply(next, cfg, step);
    std::cout << fmt::format("{:3}. {}\n", n, describe(s, cfg, step));
    std::string changes = describe_changes(s, next, cfg);
    std::istringstream lines(changes);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) std::cout << "       " << line << "\n";
    trace.steps.push_back(step);
    s = next;
  }
  std::cout << "\nFinal state:\n" << describe_state(s, cfg);
  ReplayOutcome out = replay(cfg, trace, all_properties());
  if (out.violated) {
    std::cout << fmt::format("\nViolated: {} after step {}: {}\n", out.property, out.violation_step,
                             out.why);
    return kExitViolated;
  }
  std::cout << fmt::format("\nEvery property holds in each of the {} states.\n",
                           trace.steps.size() + 1);
  return kExitClean;
}

}  // namespace gup::cli
