// The reachable states of the encoding (checker/smt_bmc.h
// reach_through_encoding()): breadth-first search whose successor function
// is the encoding's own transition terms, evaluated on concrete states
// (Agreement: choices() per task, apply() per enabled selector). The model's
// apply() is not used, so the set is the encoding's, and the proof built
// on it (smt_proof.cc) is a statement about the encoded relation.
#include <chrono>
#include <unordered_set>

#include "checker/smt.h"
#include "checker/smt_bmc.h"

namespace gup::smt {

Reach reach_through_encoding(const Config& cfg, const std::vector<const Property*>& props,
                             size_t max_states, double seconds) {
  auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  struct Hash {
    size_t operator()(const State& s) const { return s.hash(); }
  };
  Reach out;
  Agreement ag(cfg, props);
  std::unordered_set<State, Hash> seen{cfg.initial};
  std::vector<State> level{cfg.initial};
  out.states.push_back(cfg.initial);
  out.parent.push_back(-1);
  out.via.push_back(Step{});
  size_t base = 0;  // index of level[0] in out.states
  for (out.depth = 0; !level.empty(); out.depth++) {
    out.level_end.push_back(out.states.size());  // levels 0..depth are complete
    std::vector<State> next;
    // A violation ends the search with the path to it: to state `i`, then
    // `last` when it is a violating step out of it.
    auto found = [&](size_t i, const Step* last) {
      out.bad = true;
      if (last) out.trace.steps.push_back(*last);
      for (int j = int(i); out.parent[j] >= 0; j = out.parent[j])
        out.trace.steps.insert(out.trace.steps.begin(), out.via[j]);
      return out;
    };
    // Every state of this level before any step out of it, so that a
    // violating step (one longer) is reported only when no state of the
    // level violates anything.
    for (size_t li = 0; li < level.size(); li++)
      for (const Property* p : props)
        if (ag.violated(level[li], *p).value_or(false)) return found(base + li, nullptr);
    for (size_t li = 0; li < level.size(); li++) {
      const State& s = level[li];
      int n[kMaxTasks];
      ag.choices(s, n);
      for (int t = 0; t < cfg.nr_tasks; t++)
        for (int c = 0; c < n[t]; c++) {
          Step st{uint8_t(t), uint8_t(c)};
          State x = ag.apply(s, st);
          for (const Property* p : props)
            if (ag.violated_step(s, st, *p).value_or(false)) return found(base + li, &st);
          if (!seen.insert(x).second) continue;
          if (seen.size() > max_states || elapsed() > seconds) return out;  // incomplete
          next.push_back(x);
          out.states.push_back(x);
          out.parent.push_back(int(base + li));
          out.via.push_back(st);
        }
    }
    base += level.size();
    level = std::move(next);
  }
  out.depth--;  // the last level was empty
  out.complete = true;
  return out;
}

}  // namespace gup::smt
