// The exhaustive explicit-state engine ("explore"): every state reachable
// from the configuration's initial state, every selected property on every
// transition, the shortest trace to a violation (replayed before it is
// reported), and, when pin-loop-terminates is selected and the state graph
// is small, the never-ending __gup_longterm_locked() loop as a lasso.
// Design and measurements: docs/internals-explore.md.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "checker/core/engine.h"

namespace gup {

extern const Engine kExploreEngine;

EngineResult run_explore(const Config& cfg, std::span<const Property* const> props,
                         const EngineOptions& opts);

// Graphviz of the whole reachable state graph, or "" when it has more than
// `max_states` states.
std::string explore_graph_dot(const Config& cfg, uint64_t max_states = 5000);
// Graphviz of a trace (or lasso) with every state's other successors.
std::string explore_trace_dot(const Config& cfg, const Trace& trace);

}  // namespace gup
