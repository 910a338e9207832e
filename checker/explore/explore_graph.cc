#include "checker/explore/explore_graph.h"

#include <unordered_map>

namespace gup::explore {

namespace {
struct StateHash {
  size_t operator()(const State& s) const { return s.hash(); }
};
}  // namespace

std::optional<StateGraph> build_graph(const Config& cfg, uint64_t max_states) {
  StateGraph g;
  std::unordered_map<State, uint32_t, StateHash> ids;
  g.states.push_back(cfg.initial);
  g.parent.push_back(UINT32_MAX);
  g.parent_step.push_back(Step{});
  ids.emplace(cfg.initial, 0);
  StepBuffer steps;
  EventLog ev;
  for (uint32_t i = 0; i < g.states.size(); i++) {
    const State s = g.states[i];
    enabled_steps(s, cfg, steps);
    for (Step step : steps) {
      State t = s;
      apply(t, cfg, step, &ev);
      uint8_t returned = 0;
      for (const Event& e : ev)
        if (e.kind == EventKind::kGupReturned) returned = uint8_t(returned | 1u << e.task);
      auto [it, fresh] = ids.emplace(t, uint32_t(g.states.size()));
      if (fresh) {
        if (g.states.size() >= max_states) return std::nullopt;
        g.states.push_back(t);
        g.parent.push_back(i);
        g.parent_step.push_back(step);
      }
      g.edges.push_back(StateGraph::Edge{i, it->second, step, returned});
    }
  }
  return g;
}

}  // namespace gup::explore
