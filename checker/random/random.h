// The randomized engine: random walks over the enabled steps of a
// configuration, every property checked after every step, and a failing
// walk shrunk to a short trace that violates the same property.
//
// Why not rc::check(): RapidCheck 0~1033 keeps its implicit parameters
// (generation size, random source, test listener) in process-global stacks
// (rapidcheck/detail/ImplicitParam.hpp: `static StackT m_stack`, not
// thread_local), so two rc::check() calls cannot run on two threads. The
// engine therefore draws its own walks from std::mt19937_64 and shrinks by
// delta debugging; tests/random_test.cc drives the model with RapidCheck
// generators as an independent check.
//
// Reproducibility: walk r of seed S uses run_seed(S, r) alone, and the
// reported walk is the failing one with the lowest index, so the same seed
// gives the same trace with any number of jobs.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "checker/core/engine.h"
#include "checker/core/guide.h"

namespace gup {

inline constexpr int kRandomDefaultRuns = 20000;
inline constexpr int kRandomDefaultMaxSteps = 200;

// The seed of walk `run` under the engine seed `seed` (splitmix64).
uint64_t run_seed(uint64_t seed, uint64_t run);

struct Walk {
  std::vector<Step> steps;             // the steps taken, up to and including the violating one
  const Property* property = nullptr;  // the first property violated, or null
  uint64_t steps_checked = 0;
};

// One random walk of at most `max_steps` steps from the initial state.
// Each walk draws per-task weights and a rate for injected failures from
// its seed (swarm testing), so that some walks let one task run long.
// `steps` receives the walk (cleared first; reused to avoid reallocation).
// With `prefix` (enabled steps from the initial state, e.g. a solver trace
// into a rare branch), the walk takes the prefix first, checking every
// property, and then up to `max_steps` random steps. `coverage`, if given,
// records the branch of every step (checker/core/coverage.h).
void random_walk(const Config& cfg, std::span<const Property* const> props, uint64_t seed,
                 int max_steps, Walk& out, const std::vector<Step>* prefix = nullptr,
                 coverage::Map* coverage = nullptr);

// Replays `steps` from the initial state, skipping steps that are not
// enabled, until a property fails. Returns the first violated property
// and leaves in `taken` the enabled steps up to the violation.
const Property* replay_skipping(const Config& cfg, std::span<const Property* const> props,
                                const std::vector<Step>& steps, std::vector<Step>& taken);

// Shrinks a trace that violates `target` first: removes chunks of steps and
// turns injected failures into ordinary outcomes while the result still
// violates `target` first (delta debugging). Deterministic. `evaluations`
// (optional) receives the number of replays.
std::vector<Step> shrink_trace(const Config& cfg, std::span<const Property* const> props,
                               std::vector<Step> steps, const Property* target,
                               int max_evaluations = 20000, int* evaluations = nullptr);

// Walks guided per target branch (EngineOptions::guide), and the solver's
// depth for their prefixes when EngineOptions::max_depth is 0.
inline constexpr int kGuidedWalksPerBranch = 200;
inline constexpr int kGuideDefaultDepth = 12;

// Branch coverage outputs of random_search() (checker/core/coverage.h); each
// worker records into its own map, merged when the walks end.
struct RandomCoverage {
  coverage::Map* walks = nullptr;   // the unguided walks
  coverage::Map* guided = nullptr;  // every walk, the guided ones included
};

// With opts.guide: after the walks, if none failed, the branches of
// coverage::candidate_branches() they missed are handed to `solver`
// (checker/core/guide.h), and kGuidedWalksPerBranch walks continue
// from each prefix found. A violation found there is reported like any
// other: its trace is prefix + continuation, shrunk. stats["guide"] says
// what the solver answered.
//
// The random target does not link a solver: a caller that sets opts.guide
// passes the bmc engine's coverage::guide_to_branches()
// (checker/bmc/coverage_guide.h), as the engine registry does
// (checker/cli/engines.cc). opts.guide without a solver throws
// std::invalid_argument.
EngineResult random_search(const Config& cfg, std::span<const Property* const> props,
                           const EngineOptions& opts, const RandomCoverage& cov = {},
                           coverage::GuideFn solver = nullptr);

// The engine's line in `gupcheck list engines`; its Engine is in the
// registry (checker/cli/engines.cc), which gives it the solver.
inline constexpr const char* kRandomSummary =
    "random walks over the enabled steps, every property after every step, shrunk "
    "counterexamples (seeded, reproducible with --seed)";

}  // namespace gup
