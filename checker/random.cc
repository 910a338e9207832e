// The randomized engine (checker/random.h): walks on `jobs` threads, the
// lowest-indexed failing walk shrunk and reported.
#include "checker/random.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <random>
#include <thread>

namespace gup {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// State shared by the worker threads. Walk indices are handed out in
// increasing order, and a worker stops once its next index is above the
// lowest failing one, so every walk below the reported one has run.
struct Search {
  Search(const Config& c, std::span<const Property* const> p, const EngineOptions& o)
      : cfg(c),
        props(p),
        seed(o.seed),
        // --time alone runs walks until the time is up.
        runs(o.runs > 0         ? o.runs
             : o.time_limit > 0 ? INT32_MAX
                                : kRandomDefaultRuns),
        max_steps(o.max_steps > 0 ? o.max_steps : kRandomDefaultMaxSteps),
        time_limit(o.time_limit),
        progress(o.progress) {}

  const Config& cfg;
  std::span<const Property* const> props;
  uint64_t seed;
  int runs;
  int max_steps;
  double time_limit;
  bool progress;
  Clock::time_point t0 = Clock::now();

  std::atomic<int64_t> next{0};
  std::atomic<int64_t> best{INT64_MAX};  // lowest failing walk index
  std::atomic<int64_t> done{0};
  std::atomic<uint64_t> steps{0};
  std::atomic<bool> timed_out{false};
  std::mutex mu;
  Walk best_walk;  // guarded by mu
};

void report_progress(Search& s, double& last) {
  double now = seconds_since(s.t0);
  if (now - last < 1.0) return;
  last = now;
  uint64_t steps = s.steps.load();
  std::fprintf(stderr, "random: %.0fs, %lld of %d walks, %llu steps (%.2fM steps/s)\n", now,
               static_cast<long long>(s.done.load()), s.runs,
               static_cast<unsigned long long>(steps), double(steps) / now / 1e6);
}

void worker(Search& s, int job) {
  Walk walk;
  double last = 0;
  for (;;) {
    int64_t r = s.next.fetch_add(1);
    if (r >= s.runs || r > s.best.load()) return;
    if (s.time_limit > 0 && seconds_since(s.t0) > s.time_limit) {
      s.timed_out = true;
      return;
    }
    random_walk(s.cfg, s.props, run_seed(s.seed, uint64_t(r)), s.max_steps, walk);
    s.steps += walk.steps_checked;
    s.done++;
    if (walk.property) {
      std::lock_guard<std::mutex> lock(s.mu);
      if (r < s.best.load()) {
        s.best = r;
        std::swap(s.best_walk, walk);
      }
    }
    if (s.progress && job == 0) report_progress(s, last);
  }
}

uint64_t clock_seed() {
  std::random_device rd;
  uint64_t x = (uint64_t(rd()) << 32) ^ rd() ^ uint64_t(Clock::now().time_since_epoch().count());
  return x ? x : 1;
}

std::string reproduce_command(const Config& cfg, uint64_t seed, int max_steps,
                              std::span<const Property* const> props) {
  std::string cmd = fmt::format("gupcheck random {}", cfg.name);
  if (cfg.variant && std::string_view(cfg.variant->name) != "base")
    cmd += fmt::format(" --variant {}", cfg.variant->name);
  if (props.size() < all_properties().size())
    for (const Property* p : props) cmd += fmt::format(" --property {}", p->name);
  if (max_steps != kRandomDefaultMaxSteps) cmd += fmt::format(" --max-steps {}", max_steps);
  return cmd + fmt::format(" --seed {}", seed);
}

}  // namespace

EngineResult random_search(const Config& cfg, std::span<const Property* const> props,
                           const EngineOptions& opts) {
  Search s(cfg, props, opts);
  if (!s.seed) s.seed = clock_seed();
  if (s.progress) std::fprintf(stderr, "random: seed %llu\n", (unsigned long long)s.seed);
  int jobs = std::clamp(opts.jobs, 1, 64);
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; j++) threads.emplace_back(worker, std::ref(s), j);
  worker(s, 0);
  for (std::thread& t : threads) t.join();

  EngineResult res;
  res.engine = "random";
  res.config = cfg.name;
  res.variant = cfg.variant ? cfg.variant->name : "base";
  res.seed = s.seed;
  res.bound = s.max_steps;
  res.reproduce = reproduce_command(cfg, s.seed, s.max_steps, props);
  res.stats["walks"] = s.done.load();
  res.stats["steps"] = s.steps.load();
  res.stats["jobs"] = jobs;
  res.stats["timed_out"] = s.timed_out.load();
  if (s.best_walk.property) {
    int evaluations = 0;
    const Property* target = s.best_walk.property;
    res.trace.steps = shrink_trace(cfg, props, s.best_walk.steps, target, 20000, &evaluations);
    res.verdict = Verdict::kViolated;
    res.property = target->name;
    res.stats["walk"] = s.best.load();
    res.stats["walk_length"] = s.best_walk.steps.size();
    res.stats["shrunk_length"] = res.trace.steps.size();
    res.stats["shrink_replays"] = evaluations;
    // Explain the violation on the shrunk trace's last transition.
    State st = initial_state(cfg), before = st;
    EventLog events;
    for (Step step : res.trace.steps) {
      before = st;
      apply(st, cfg, step, &events);
    }
    Transition tr = res.trace.steps.empty()
                        ? Transition{nullptr, Step{}, nullptr, st}
                        : Transition{&before, res.trace.steps.back(), &events, st};
    res.why = target->explain(tr, cfg);
  } else {
    // A time budget is the question when no walk count was asked for;
    // otherwise stopping early leaves the asked-for walks unanswered.
    bool complete = s.done.load() >= s.runs || opts.runs <= 0;
    res.verdict = complete ? Verdict::kBounded : Verdict::kIncomplete;
  }
  res.seconds = seconds_since(s.t0);
  double secs = std::max(res.seconds, 1e-9);
  res.stats["steps_per_second"] = double(s.steps.load()) / secs;
  return res;
}

const Engine kRandomEngine{
    "random",
    "random walks over the enabled steps, every property after every step, shrunk "
    "counterexamples (seeded, reproducible with --seed)",
    random_search,
};

}  // namespace gup
