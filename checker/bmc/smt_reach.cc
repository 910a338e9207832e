// The reachable states (checker/bmc/smt_bmc.h reach_through_encoding()):
// breadth-first search with the model's enabled_steps() and apply() (the
// same kernel code the symbolic relation runs, in the concrete domain),
// judged by the properties' own holds(). The proof built on the set
// (smt_proof.cc) checks it against the symbolic relation.
#include <chrono>
#include <unordered_set>

#include "checker/bmc/smt.h"
#include "checker/bmc/smt_bmc.h"

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
  std::unordered_set<State, Hash> seen{cfg.initial};
  std::vector<State> level{cfg.initial};
  out.states.push_back(cfg.initial);
  out.parent.push_back(-1);
  out.via.push_back(Step{});
  size_t base = 0;  // index of level[0] in out.states
  {
    Transition tr{nullptr, Step{}, nullptr, cfg.initial};
    for (const Property* p : props)
      if (!p->holds(tr, cfg)) {
        out.bad = true;
        return out;
      }
  }
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
    for (size_t li = 0; li < level.size(); li++) {
      const State& s = level[li];
      StepBuffer buf;
      enabled_steps(s, cfg, buf);
      for (const Step& st : buf) {
        State x = s;
        EventLog ev;
        apply(x, cfg, st, &ev);
        Transition tr{&s, st, &ev, x};
        for (const Property* p : props)
          if (!p->holds(tr, cfg)) return found(base + li, &st);
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
