// The full state graph of a small configuration, for liveness (strongly
// connected components with Boost.Graph) and DOT export. Built by its own
// plain breadth-first search with no reduction; the fast search in
// explore_search.h never keeps edges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "checker/core/result.h"
#include "model/model.h"

namespace gup::explore {

struct StateGraph {
  struct Edge {
    uint32_t from, to;
    Step step;
    uint8_t returned;  // bit t: task t's GUP call returned on this edge (kGupReturned)
  };
  std::vector<State> states;     // by id, in BFS order; 0 is cfg.initial
  std::vector<uint32_t> parent;  // BFS tree: a shortest path to each state
  std::vector<Step> parent_step;
  std::vector<Edge> edges;
};

// The reachable graph, or nullopt if it has more than `max_states` states.
std::optional<StateGraph> build_graph(const Config& cfg, uint64_t max_states);

// A cycle that a task stuck in a long-term GUP call never leaves, as a
// lasso: the shortest path to a state of the cycle, then the cycle, on
// which the task keeps stepping inside the same call and no step returns
// from it (an SCC of that task's "in the call, not returning" edges with
// one of its own steps inside). The cycle is weakly fair: every task
// enabled in all of the component's states steps on it, so a loop that
// merely starves another task (which holds the folio isolated, say) is not
// reported. `why` describes it.
std::optional<Trace> find_stuck_gup_loop(const Config& cfg, const StateGraph& g, std::string* why);

// Graphviz: the whole graph (states numbered in BFS order, edges labelled
// with their step), and a trace with its neighbourhood (every state on
// the trace and each of their other successors, dashed).
std::string graph_dot(const Config& cfg, const StateGraph& g);
std::string trace_neighbourhood_dot(const Config& cfg, const Trace& t);

}  // namespace gup::explore
