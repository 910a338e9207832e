// Liveness: the __gup_longterm_locked() retry loop that never ends, found
// as a strongly connected component with Boost.Graph.
#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/strong_components.hpp>
#include <deque>
#include <unordered_map>

#include "checker/core/lasso.h"
#include "checker/explore/explore_graph.h"

namespace gup::explore {

namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

// An edge the stuck call may take: the task stays inside the same call and
// the call does not return on it.
bool stays_in_call(const StateGraph& g, const Config& cfg, const StateGraph::Edge& e, int t) {
  const State& a = g.states[e.from];
  const State& b = g.states[e.to];
  return in_longterm_call(a, cfg, t) && in_longterm_call(b, cfg, t) &&
         a.tasks[t].script_pos == b.tasks[t].script_pos && !(e.returned >> t & 1);
}

// Steps of a shortest path from `from` to `to` over edges in `edges`
// (indices into g.edges); empty if from == to.
std::vector<Step> path_within(const StateGraph& g, const std::vector<size_t>& edges, uint32_t from,
                              uint32_t to) {
  std::unordered_map<uint32_t, std::vector<size_t>> out;
  for (size_t e : edges) out[g.edges[e].from].push_back(e);
  std::unordered_map<uint32_t, size_t> via;  // state -> edge that reached it
  std::deque<uint32_t> q{from};
  via[from] = SIZE_MAX;
  while (!q.empty() && !via.count(to)) {
    uint32_t v = q.front();
    q.pop_front();
    for (size_t e : out[v])
      if (via.emplace(g.edges[e].to, e).second) q.push_back(g.edges[e].to);
  }
  std::vector<Step> steps;
  for (uint32_t v = to; v != from; v = g.edges[via.at(v)].from)
    steps.push_back(g.edges[via[v]].step);
  std::reverse(steps.begin(), steps.end());
  return steps;
}

}  // namespace

std::optional<Trace> find_stuck_gup_loop(const Config& cfg, const StateGraph& g, std::string* why) {
  const size_t n = g.states.size();
  std::vector<uint8_t> enabled(n, 0);  // tasks with a step out of each state
  for (const auto& e : g.edges) enabled[e.from] = uint8_t(enabled[e.from] | 1u << e.step.task);
  for (int t = 0; t < cfg.nr_tasks; t++) {
    std::vector<size_t> kept;
    Graph graph(n);
    for (size_t e = 0; e < g.edges.size(); e++) {
      if (!stays_in_call(g, cfg, g.edges[e], t)) continue;
      kept.push_back(e);
      boost::add_edge(g.edges[e].from, g.edges[e].to, graph);
    }
    if (kept.empty()) continue;
    std::vector<int> comp(n);
    int nr_comps = boost::strong_components(graph, comp.data());
    // Per component: its edges, the tasks stepping inside it and the tasks
    // enabled in every one of its states.
    std::vector<std::vector<size_t>> inside(nr_comps);
    std::vector<uint8_t> steps_in(nr_comps, 0), always(nr_comps, 0xff);
    for (size_t e : kept) {
      const auto& edge = g.edges[e];
      if (comp[edge.from] != comp[edge.to]) continue;
      inside[comp[edge.from]].push_back(e);
      steps_in[comp[edge.from]] |= uint8_t(1u << edge.step.task);
    }
    for (size_t v = 0; v < n; v++) always[comp[v]] &= enabled[v];
    // Weak fairness: a task enabled throughout the component must step in
    // it, or the loop is only a schedule that starves that task.
    int best = -1;
    for (int c = 0; c < nr_comps; c++) {
      if (!(steps_in[c] >> t & 1) || (always[c] & ~steps_in[c])) continue;
      if (best < 0 || inside[c].front() < inside[best].front()) best = c;
    }
    if (best < 0) continue;
    // The cycle: from the target of one of t's edges, through one edge of
    // every task that steps in the component, and back.
    std::vector<size_t> visit;
    for (size_t e : inside[best])
      if (g.edges[e].step.task == t) {
        visit.push_back(e);
        break;
      }
    for (int u = 0; u < cfg.nr_tasks; u++) {
      if (u == t || !(steps_in[best] >> u & 1)) continue;
      for (size_t e : inside[best])
        if (g.edges[e].step.task == u) {
          visit.push_back(e);
          break;
        }
    }
    const uint32_t start = g.edges[visit.front()].to;
    Trace trace;
    for (uint32_t v = start; v != 0; v = g.parent[v]) trace.steps.push_back(g.parent_step[v]);
    std::reverse(trace.steps.begin(), trace.steps.end());
    trace.loop_start = int(trace.steps.size());
    uint32_t at = start;
    for (size_t k = 1; k <= visit.size(); k++) {
      const auto& e = g.edges[visit[k % visit.size()]];
      std::vector<Step> go = path_within(g, inside[best], at, e.from);
      trace.steps.insert(trace.steps.end(), go.begin(), go.end());
      trace.steps.push_back(e.step);
      at = e.to;
    }
    std::vector<Step> back = path_within(g, inside[best], at, start);
    trace.steps.insert(trace.steps.end(), back.begin(), back.end());
    const Op& op = cfg.op(t, g.states[start].tasks[t].script_pos);
    if (why)
      *why = fmt::format(
          "T{} {} never returns: from step {} a cycle of {} steps, {} of them T{}'s own, leads "
          "back to the same state; the call stays inside __gup_longterm_locked() and keeps "
          "retrying, and every task that could run does run on the cycle (a component of {} "
          "states where the call makes no progress)",
          t, op_name(op.kind), trace.loop_start, trace.steps.size() - trace.loop_start,
          std::count_if(trace.steps.begin() + trace.loop_start, trace.steps.end(),
                        [&](Step s) { return s.task == t; }),
          t, std::count(comp.begin(), comp.end(), best));
    return trace;
  }
  return std::nullopt;
}

}  // namespace gup::explore
