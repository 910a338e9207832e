// The bmc engine: the model's transition relation for one configuration as
// Z3 constraints, produced by running the model's own kernel code on z3
// terms (checker/bmc/sym/, checker/bmc/smt_sym.cc); bounded model checking with one
// incremental solver, k-induction with simple-path constraints, and a
// proof from the reachable states.
//
// A configuration that uses an op the encoding does not cover is refused:
// the engine returns Verdict::kIncomplete with `why` naming the op (see
// unsupported_reason()); nothing is checked. docs/internals-smt.md lists
// what is covered.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "checker/core/engine.h"

namespace gup {

extern const Engine kBmcEngine;

namespace smt {

// Why the configuration is outside the encoding, or "".
std::string unsupported_reason(const Config& cfg);

// The bmc engine's relation on concrete states (checker/bmc/smt_agree.cc): the
// model's code and the properties' code run by the symbolic executor on
// numerals; the test compares each with the concrete model and
// Property::holds(), a test of the executor itself.
class Agreement {
 public:
  // Every step judges `props`.
  explicit Agreement(const Config& cfg, std::span<const Property* const> props = all_properties());
  ~Agreement();
  // Choices of every task in `s` (model: enabled_steps()).
  void choices(const State& s, int out[kMaxTasks]);
  // The encoding's successor of `s` under `step`.
  State apply(const State& s, Step step);
  // The symbolic verdict of `p` on a transition (before null: the initial
  // state `after`; else the step from `before` under `step`, judged on the
  // encoding's own successor and events); nullopt when `p` is not among
  // `props`.
  std::optional<bool> violated(const State* before, Step step, const State& after,
                               const Property& p);
  // "" if a == b, else the first differing field, e.g. "refcount[2]: 1 vs 1025".
  std::string diff(const State& a, const State& b) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Knobs of the bmc engine beyond EngineOptions.
struct BmcOptions {
  int max_depth = 40;         // default when EngineOptions::max_depth is 0
  double query_timeout = 30;  // seconds per solver query
  bool induction = true;      // look for a proof (simple paths, k-induction)
  // Reachability lemmas (checker/bmc/smt_reach.cc): up to this many states
  // reachable through the encoding are enumerated first; each depth k of
  // BMC is constrained to the states within distance k (sound: a k-step
  // path ends within distance k), and a complete set without a violation
  // is the invariant of a 1-induction proof. 0: plain BMC.
  size_t reach_states = 20000;
};
EngineResult run_bmc(const Config& cfg, std::span<const Property* const> props,
                     const EngineOptions& opts, const BmcOptions& bopts);

// Guidance (checker/bmc/smt_guide.cc): a shortest trace, checked on the
// concrete model, after which `task` is at section `pc` of the op at
// `script_pos` (the GUP pcs are model/gup_internal.h GupPc). Hands random
// search a prefix into a branch it has not reached. Nullopt when the
// target is unreachable within max_depth, the solver gives up within
// `seconds` per query, or the configuration is not covered.
struct GuideTarget {
  int task = 0;
  int script_pos = 0;
  int pc = 0;
};
// `rlimit`: a Z3 resource limit per query instead of `seconds`
// (checker/bmc/solver_limit.h).
std::optional<Trace> guide_to(const Config& cfg, const GuideTarget& target, int max_depth,
                              double seconds, unsigned rlimit = 0);

}  // namespace smt
}  // namespace gup
