// The explore engine: runs the search, rebuilds and replays the trace,
// checks for the stuck long-term loop, and reports numbers.
#include "checker/explore/explore.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string_view>

#include "checker/core/lasso.h"
#include "checker/core/replay.h"
#include "checker/explore/explore_fpset.h"
#include "checker/explore/explore_graph.h"
#include "checker/explore/explore_mem.h"
#include "checker/explore/explore_pack.h"
#include "checker/explore/explore_search.h"
#include "checker/explore/explore_trace.h"
#include "model/symmetry.h"

namespace gup {

namespace {

using explore::SearchOutcome;
using explore::Stop;

// States of the graph the liveness check builds at most (about 300 bytes
// each plus edges).
constexpr uint64_t kGraphMaxStates = 300000;

nlohmann::json search_stats(const Config& cfg, const SearchOutcome& o, const EngineOptions& opts) {
  nlohmann::json j;
  double secs = std::max(o.seconds, 1e-9);
  uint64_t stored = o.set_bytes + o.node_bytes + o.arena.bytes();
  double n = double(std::max<uint64_t>(o.states, 1));
  j["states"] = o.states;
  j["transitions"] = o.transitions;
  j["depth"] = o.depth;
  j["seconds"] = o.seconds;
  j["states_per_second"] = double(o.states) / secs;
  j["transitions_per_second"] = double(o.transitions) / secs;
  j["jobs"] = std::max(1, opts.jobs);
  j["rounds"] = o.rounds;
  j["storage"] = opts.compact ? "fingerprints (hash compaction)" : "tree compression";
  j["state_bytes"] = sizeof(State);
  j["packed_state_bytes"] = explore::Packer(cfg).size();
  j["bytes_per_state"] = double(stored) / n;
  j["seen_set_bytes_per_state"] = double(o.set_bytes + o.node_bytes) / n;
  j["seen_set_bytes"] = o.set_bytes;
  j["node_table_bytes"] = o.node_bytes;
  j["tree_nodes"] = o.nodes;
  j["parent_link_bytes"] = o.arena.bytes();
  j["parent_link_file_bytes"] = o.arena.spilled_bytes();
  j["frontier_peak_bytes"] = o.frontier_bytes;
  j["peak_memory_bytes"] = explore::peak_resident_bytes();
  if (opts.compact && o.table_capacity) {
    // explore_fpset.h: each comparison with a stored 40-bit entry loses a
    // new state with probability 2^-40.
    j["omission_probability"] = explore::FingerprintSet::omission_bound(o.compared);
    j["fingerprint_table_load"] = double(o.states) / double(o.table_capacity);
  } else if (opts.compact) {
    // 64-bit fingerprints (with sleep sets): a new state is lost when its
    // fingerprint equals one of the k already stored, probability k / 2^64;
    // summed over all states (Stern & Dill).
    j["omission_probability"] = std::min(1.0, n * (n - 1) / std::ldexp(1.0, 65));
  }
  if (opts.symmetry) {
    Symmetry sym(cfg);
    j["symmetry"] = {{"classes", sym.describe()}, {"canonical_moved", o.canonical_moved}};
  }
  if (opts.por)
    j["por"] = {{"sleep_skipped_transitions", o.sleep_skipped}, {"reexpanded", o.reexpanded}};
  if (o.stop == Stop::kBudget) j["budget"] = o.budget;
  return j;
}

// The lasso must be a real one: every step enabled in turn, and the loop
// ends in the state where it started.
void check_lasso(const Config& cfg, const Trace& t) {
  State s = cfg.initial, loop{};
  StepBuffer steps;
  for (size_t k = 0; k < t.steps.size(); k++) {
    if (int(k) == t.loop_start) loop = s;
    enabled_steps(s, cfg, steps);
    if (std::find(steps.begin(), steps.end(), t.steps[k]) == steps.end())
      throw std::logic_error(
          fmt::format("explore: internal error: lasso step {} is not enabled", k + 1));
    apply(s, cfg, t.steps[k]);
  }
  if (t.loop_start < 0 || !(s == loop))
    throw std::logic_error("explore: internal error: the lasso's loop does not close");
}

// Checks the trace on the concrete model; a counterexample that does not
// reproduce is a bug of this engine, never a result.
void check_replay(const Config& cfg, const Trace& t, std::span<const Property* const> props,
                  const std::string& property, EngineResult& r) {
  ReplayOutcome rep = replay(cfg, t, props);
  if (!rep.ok || !rep.violated || rep.violation_step != int(t.steps.size()) ||
      rep.property != property)
    throw std::logic_error(fmt::format(
        "explore: internal error: the {}-step trace for '{}' does not replay ({})", t.steps.size(),
        property,
        !rep.ok        ? rep.error
        : rep.violated ? fmt::format("'{}' at step {}", rep.property, rep.violation_step)
                       : std::string("no violation")));
  r.why = rep.why;
}

// pin-loop-terminates as liveness: a lasso, when the graph is small.
void check_liveness(const Config& cfg, EngineResult& r) {
  auto graph = explore::build_graph(cfg, kGraphMaxStates);
  if (!graph) {
    r.stats["liveness"] = {{"checked", false},
                           {"reason", fmt::format("more than {} states", kGraphMaxStates)}};
    return;
  }
  std::string why;
  auto lasso = explore::find_stuck_gup_loop(cfg, *graph, &why);
  r.stats["liveness"] = {{"checked", true},
                         {"graph_states", graph->states.size()},
                         {"graph_edges", graph->edges.size()},
                         {"lasso", bool(lasso)}};
  if (!lasso) return;
  check_lasso(cfg, *lasso);
  r.verdict = Verdict::kViolated;
  r.property = std::string(kLoopProperty);
  r.why = why;
  r.trace = *lasso;
  r.bound = int(lasso->steps.size());
}

}  // namespace

EngineResult run_explore(const Config& cfg, std::span<const Property* const> props,
                         const EngineOptions& opts) {
  EngineResult r;
  r.engine = "explore";
  r.config = cfg.name;
  r.variant = cfg.variant ? cfg.variant->name : "";
  SearchOutcome o = explore::search(cfg, props, opts);
  r.seconds = o.seconds;
  r.stats = search_stats(cfg, o, opts);
  switch (o.stop) {
    case Stop::kViolation:
      r.verdict = Verdict::kViolated;
      r.property = props[o.property]->name;
      r.trace = explore::build_trace(cfg, props, o, opts.symmetry);
      r.bound = int(r.trace.steps.size());
      check_replay(cfg, r.trace, props, r.property, r);
      break;
    case Stop::kBudget:
      r.verdict = Verdict::kIncomplete;
      r.bound = o.depth;
      r.why = fmt::format("stopped by {} after {} states, depth {}", o.budget, o.states, o.depth);
      break;
    case Stop::kExhausted:
      r.verdict = Verdict::kExhausted;
      r.bound = o.depth;
      break;
  }
  bool loop_selected = std::any_of(props.begin(), props.end(), [](const Property* p) {
    return std::string_view(p->name) == kLoopProperty;
  });
  if (loop_selected && (o.stop == Stop::kExhausted || r.property == kLoopProperty))
    check_liveness(cfg, r);
  r.seconds = std::max(r.seconds, 0.0);
  return r;
}

std::string explore_graph_dot(const Config& cfg, uint64_t max_states) {
  auto g = explore::build_graph(cfg, max_states);
  return g ? explore::graph_dot(cfg, *g) : std::string();
}

std::string explore_trace_dot(const Config& cfg, const Trace& trace) {
  return explore::trace_neighbourhood_dot(cfg, trace);
}

const Engine kExploreEngine{
    "explore",
    "exhaustive breadth-first search: every reachable state, shortest traces, lassos",
    run_explore,
};

}  // namespace gup
