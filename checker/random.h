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

#include "checker/engine.h"

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
void random_walk(const Config& cfg, std::span<const Property* const> props, uint64_t seed,
                 int max_steps, Walk& out);

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

EngineResult random_search(const Config& cfg, std::span<const Property* const> props,
                           const EngineOptions& opts);

extern const Engine kRandomEngine;

}  // namespace gup
