// Graphviz export of state graphs and of a trace's neighbourhood.
#include <fmt/format.h>

#include "checker/explore/explore_graph.h"

namespace gup::explore {

namespace {

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string step_label(Step s) {
  return s.choice ? fmt::format("T{}!", s.task) : fmt::format("T{}", s.task);
}

}  // namespace

std::string graph_dot(const Config& cfg, const StateGraph& g) {
  std::string out =
      fmt::format("digraph \"{}\" {{\n  node [shape=circle fontsize=9];\n", esc(cfg.name));
  for (size_t i = 0; i < g.states.size(); i++) {
    bool done = all_tasks_done(g.states[i], cfg);
    out += fmt::format("  s{} [label=\"{}\"{}];\n", i, i,
                       i == 0 ? " shape=doublecircle"
                       : done ? " style=filled"
                              : "");
  }
  for (const auto& e : g.edges)
    out += fmt::format("  s{} -> s{} [label=\"{}\"{}];\n", e.from, e.to, step_label(e.step),
                       e.returned ? " color=blue" : "");
  return out + "}\n";
}

// The trace's states are p0..pN (solid, bold edges); every other successor
// of a trace state is a dashed neighbour. A lasso's last state is the
// state at loop_start, so its closing edge points back there.
std::string trace_neighbourhood_dot(const Config& cfg, const Trace& t) {
  std::string out = fmt::format(
      "digraph \"{} trace\" {{\n  rankdir=LR;\n  node [shape=box fontsize=9];\n", esc(cfg.name));
  std::vector<State> path{cfg.initial};
  for (Step s : t.steps) {
    State n = path.back();
    apply(n, cfg, s);
    path.push_back(n);
  }
  size_t last = path.size() - 1;
  auto name = [&](size_t k) {
    return t.loop_start >= 0 && k == last ? fmt::format("p{}", t.loop_start)
                                          : fmt::format("p{}", k);
  };
  for (size_t k = 0; k < path.size(); k++) {
    if (t.loop_start >= 0 && k == last) break;
    out += fmt::format("  p{} [label=\"{}\"{}];\n", k, k,
                       k == 0                   ? " shape=doublecircle"
                       : k == last              ? " color=red penwidth=2"
                       : int(k) == t.loop_start ? " color=blue penwidth=2"
                                                : "");
  }
  StepBuffer steps;
  int neighbour = 0;
  for (size_t k = 0; k < t.steps.size(); k++) {
    out += fmt::format("  {} -> {} [label=\"{}\" penwidth=2];\n", name(k), name(k + 1),
                       esc(describe(path[k], cfg, t.steps[k])));
    enabled_steps(path[k], cfg, steps);
    for (Step s : steps) {
      if (s == t.steps[k]) continue;
      out += fmt::format("  n{} [label=\"\" shape=point];\n", neighbour);
      out += fmt::format("  {} -> n{} [label=\"{}\" style=dashed fontcolor=gray];\n", name(k),
                         neighbour++, esc(describe(path[k], cfg, s)));
    }
  }
  return out + "}\n";
}

}  // namespace gup::explore
