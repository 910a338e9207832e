// Random walks and their shrinking (checker/random/random.h).
#include <algorithm>
#include <random>

#include "checker/core/coverage.h"
#include "checker/random/random.h"

namespace gup {

namespace {

uint64_t splitmix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

const Property* first_violated(const Transition& tr, const Config& cfg,
                               std::span<const Property* const> props) {
  for (const Property* p : props)
    if (!p->holds(tr, cfg)) return p;
  return nullptr;
}

// Swarm testing (Groce et al., ISSTA 2012): each walk weighs tasks
// differently and injects failures at its own rate, so that the walks
// cover both fine interleavings and long runs of one task.
struct Swarm {
  uint32_t task_weight[kMaxTasks];
  uint32_t failure_weight;  // weight of choice 1 relative to choice 0
};

Swarm draw_swarm(std::mt19937_64& rng) {
  static constexpr uint32_t kWeights[] = {1, 1, 2, 4, 16};
  static constexpr uint32_t kFailure[] = {0, 1, 1, 4};
  Swarm w;
  for (uint32_t& x : w.task_weight) x = kWeights[rng() % std::size(kWeights)];
  w.failure_weight = kFailure[rng() % std::size(kFailure)];
  return w;
}

Step pick(const StepBuffer& buf, const Swarm& w, std::mt19937_64& rng) {
  uint32_t weights[kMaxTasks * kMaxChoices];
  uint64_t total = 0;
  for (int i = 0; i < buf.n; i++) {
    const Step& s = buf.steps[i];
    weights[i] = s.choice ? w.task_weight[s.task] * w.failure_weight : w.task_weight[s.task];
    total += weights[i];
  }
  uint64_t r = rng() % total;
  for (int i = 0; i < buf.n; i++) {
    if (r < weights[i]) return buf.steps[i];
    r -= weights[i];
  }
  return buf.steps[buf.n - 1];
}

bool is_enabled(const State& s, const Config& cfg, Step step) {
  if (step.task >= cfg.nr_tasks) return false;
  StepBuffer buf;
  enabled_steps(s, cfg, buf);
  return std::find(buf.begin(), buf.end(), step) != buf.end();
}

}  // namespace

uint64_t run_seed(uint64_t seed, uint64_t run) {
  return splitmix64(seed ^ splitmix64(run));
}

void random_walk(const Config& cfg, std::span<const Property* const> props, uint64_t seed,
                 int max_steps, Walk& out, const std::vector<Step>* prefix,
                 coverage::Map* coverage) {
  out.steps.clear();
  out.property = nullptr;
  out.steps_checked = 0;
  std::mt19937_64 rng(seed);
  Swarm w = draw_swarm(rng);
  State s = initial_state(cfg);
  if ((out.property = first_violated(Transition{nullptr, Step{}, nullptr, s}, cfg, props))) return;
  EventLog events;
  StepBuffer buf;
  // The prefix's steps are enabled by construction (coverage_guide.cc
  // checks them on the model).
  if (prefix)
    for (Step step : *prefix) {
      State before = s;
      apply(s, cfg, step, &events);
      if (coverage) coverage->record(before, cfg, step, s);
      out.steps.push_back(step);
      out.steps_checked++;
      if ((out.property = first_violated(Transition{&before, step, &events, s}, cfg, props)))
        return;
    }
  for (int k = 0; k < max_steps; k++) {
    enabled_steps(s, cfg, buf);
    if (buf.n == 0) return;
    // Steps of a task whose swarm weight is zero never occur: all weights
    // are at least 1 for choice 0, so `total` is never zero.
    Step step = pick(buf, w, rng);
    State before = s;
    apply(s, cfg, step, &events);
    if (coverage) coverage->record(before, cfg, step, s);
    out.steps.push_back(step);
    out.steps_checked++;
    if ((out.property = first_violated(Transition{&before, step, &events, s}, cfg, props))) return;
  }
}

const Property* replay_skipping(const Config& cfg, std::span<const Property* const> props,
                                const std::vector<Step>& steps, std::vector<Step>& taken) {
  taken.clear();
  State s = initial_state(cfg);
  if (const Property* p = first_violated(Transition{nullptr, Step{}, nullptr, s}, cfg, props))
    return p;
  EventLog events;
  for (Step step : steps) {
    if (!is_enabled(s, cfg, step)) continue;
    State before = s;
    apply(s, cfg, step, &events);
    taken.push_back(step);
    if (const Property* p = first_violated(Transition{&before, step, &events, s}, cfg, props))
      return p;
  }
  return nullptr;
}

std::vector<Step> shrink_trace(const Config& cfg, std::span<const Property* const> props,
                               std::vector<Step> steps, const Property* target, int max_evaluations,
                               int* evaluations) {
  int evals = 0;
  std::vector<Step> cand, taken;
  // Keeps `c` when it still violates `target` first; `cur` becomes the
  // enabled prefix up to the violation.
  auto try_candidate = [&](const std::vector<Step>& c, std::vector<Step>& cur) {
    if (evals >= max_evaluations) return false;
    evals++;
    if (replay_skipping(cfg, props, c, taken) != target) return false;
    cur.swap(taken);
    return true;
  };
  std::vector<Step> cur;
  if (!try_candidate(steps, cur)) {
    if (evaluations) *evaluations = evals;
    return steps;
  }
  bool changed = true;
  while (changed && evals < max_evaluations) {
    changed = false;
    // ddmin-style removal of chunks, halving the chunk size.
    for (size_t chunk = std::max<size_t>(cur.size() / 2, 1); chunk >= 1; chunk /= 2) {
      for (size_t start = 0; start < cur.size();) {
        cand.assign(cur.begin(), cur.begin() + long(start));
        cand.insert(cand.end(), cur.begin() + long(std::min(start + chunk, cur.size())), cur.end());
        if (try_candidate(cand, cur))
          changed = true;
        else
          start += chunk;
      }
      if (chunk == 1) break;
    }
    // An injected failure that is not needed becomes the ordinary outcome.
    for (size_t i = 0; i < cur.size(); i++) {
      if (!cur[i].choice) continue;
      cand = cur;
      cand[i].choice = 0;
      if (try_candidate(cand, cur)) changed = true;
    }
  }
  if (evaluations) *evaluations = evals;
  return cur;
}

}  // namespace gup
