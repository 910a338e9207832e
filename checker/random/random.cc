// The randomized engine (checker/random/random.h): walks on `jobs` threads, the
// lowest-indexed failing walk shrunk and reported.
#include "checker/random/random.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include "checker/core/coverage.h"
#include "checker/core/guide.h"

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

  // The phase running: walk r is seeded with run_seed(walk_seed, r); in the
  // guided phase it continues prefixes[r / kGuidedWalksPerBranch].
  uint64_t walk_seed = 0;
  const std::vector<std::vector<Step>>* prefixes = nullptr;
  coverage::Map* coverage = nullptr;  // each worker's map merged in; guarded by mu
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

void walks(Search& s, int job, coverage::Map* cov) {
  Walk walk;
  double last = 0;
  for (;;) {
    int64_t r = s.next.fetch_add(1);
    if (r >= s.runs || r > s.best.load()) return;
    if (s.time_limit > 0 && seconds_since(s.t0) > s.time_limit) {
      s.timed_out = true;
      return;
    }
    const std::vector<Step>* prefix =
        s.prefixes ? &(*s.prefixes)[size_t(r) / kGuidedWalksPerBranch] : nullptr;
    random_walk(s.cfg, s.props, run_seed(s.walk_seed, uint64_t(r)), s.max_steps, walk, prefix, cov);
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

// One worker: its own branch map (C2 would allow sharing one, but the
// first hits of a shared map bounce cache lines between cores).
void worker(Search& s, int job) {
  std::unique_ptr<coverage::Map> cov;
  if (s.coverage) cov = std::make_unique<coverage::Map>();
  walks(s, job, cov.get());
  if (!cov) return;
  std::lock_guard<std::mutex> lock(s.mu);
  s.coverage->merge(*cov);
}

void run_phase(Search& s, int jobs) {
  s.next = 0;
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; j++) threads.emplace_back(worker, std::ref(s), j);
  worker(s, 0);
  for (std::thread& t : threads) t.join();
}

// "guided": the walk seeds of the guided phase differ from the first's.
constexpr uint64_t kGuideSeedSalt = 0x6775696465646421ull;

const char* reach_name(coverage::Reach r) {
  return r == coverage::Reach::kReached       ? "reached"
         : r == coverage::Reach::kUnreachable ? "unreachable"
                                              : "unknown";
}

// The guided phase: solver prefixes into the branches the walks missed,
// then kGuidedWalksPerBranch walks from each. Returns stats["guide"].
nlohmann::json guide(Search& s, const EngineOptions& opts, int jobs, const coverage::Map& seen,
                     coverage::Map* guided, coverage::GuideFn solver) {
  std::vector<coverage::Branch> targets;
  for (const coverage::Branch& b : coverage::candidate_branches(s.cfg))
    if (!seen.hit(b)) targets.push_back(b);
  coverage::GuideOptions g;
  g.max_depth = opts.max_depth > 0 ? opts.max_depth : kGuideDefaultDepth;
  if (s.time_limit > 0) g.total_seconds = std::max(0.0, s.time_limit - seconds_since(s.t0));
  g.rlimit = opts.solver_rlimit;
  if (s.progress)
    std::fprintf(stderr, "random: guiding %zu missed branches (depth %d)\n", targets.size(),
                 g.max_depth);
  coverage::GuideOutcome out = solver(s.cfg, targets, g);
  nlohmann::json j;
  j["targets"] = targets.size();
  j["depth"] = g.max_depth;
  j["solver_seconds"] = out.seconds;
  if (!out.refused.empty()) {
    j["refused"] = out.refused;
    return j;
  }
  std::vector<std::vector<Step>> prefixes;
  std::vector<coverage::Branch> aimed;
  std::map<std::string, int> counts;
  for (const coverage::Guided& t : out.targets) {
    counts[reach_name(t.reach)]++;
    if (t.reach != coverage::Reach::kReached) continue;
    prefixes.push_back(t.prefix.steps);
    aimed.push_back(t.branch);
  }
  for (const auto& [k, v] : counts) j[k] = v;
  s.walk_seed = s.seed ^ kGuideSeedSalt;
  s.prefixes = &prefixes;
  s.runs = int(prefixes.size()) * kGuidedWalksPerBranch;
  s.coverage = guided;
  int64_t before = s.done.load();
  run_phase(s, jobs);
  s.prefixes = nullptr;
  j["walks"] = s.done.load() - before;
  j["timed_out"] = s.timed_out.load();
  if (s.best_walk.property) {
    const coverage::Branch& b = aimed[size_t(s.best.load()) / kGuidedWalksPerBranch];
    j["violation_branch"] = {
        {"task", b.task}, {"script_pos", b.script_pos}, {"pc", b.pc}, {"choice", b.choice}};
    j["violation_prefix_length"] = prefixes[size_t(s.best.load()) / kGuidedWalksPerBranch].size();
  }
  return j;
}

uint64_t clock_seed() {
  std::random_device rd;
  uint64_t x = (uint64_t(rd()) << 32) ^ rd() ^ uint64_t(Clock::now().time_since_epoch().count());
  // At most 2^63-1, so that a spec can hold it as a TOML integer.
  x &= uint64_t(INT64_MAX);
  return x ? x : 1;
}

std::string reproduce_command(const Config& cfg, uint64_t seed, int max_steps,
                              std::span<const Property* const> props, bool guided) {
  std::string cmd = fmt::format("gupcheck random {}", cfg.name);
  if (cfg.variant && std::string_view(cfg.variant->name) != "base")
    cmd += fmt::format(" --variant {}", cfg.variant->name);
  if (props.size() < all_properties().size())
    for (const Property* p : props) cmd += fmt::format(" --property {}", p->name);
  if (max_steps != kRandomDefaultMaxSteps) cmd += fmt::format(" --max-steps {}", max_steps);
  if (guided) cmd += " --guide";
  return cmd + fmt::format(" --seed {}", seed);
}

}  // namespace

EngineResult random_search(const Config& cfg, std::span<const Property* const> props,
                           const EngineOptions& opts, const RandomCoverage& cov,
                           coverage::GuideFn solver) {
  if (opts.guide && !solver)
    throw std::invalid_argument("random_search: opts.guide needs a solver (checker/core/guide.h)");
  Search s(cfg, props, opts);
  if (!s.seed) s.seed = clock_seed();
  if (s.progress) std::fprintf(stderr, "random: seed %llu\n", (unsigned long long)s.seed);
  int jobs = std::clamp(opts.jobs, 1, 64);
  coverage::Map own;  // the walks' branches when guidance needs them and the caller does not
  s.walk_seed = s.seed;
  s.coverage = cov.walks ? cov.walks : (opts.guide || cov.guided) ? &own : nullptr;
  // --time alone with guidance: the walks get half of it, guidance the rest.
  const bool time_only = opts.runs <= 0 && opts.time_limit > 0;
  if (opts.guide && time_only) s.time_limit = opts.time_limit / 2;
  run_phase(s, jobs);
  s.time_limit = opts.time_limit;
  const int64_t unguided_walks = s.done.load();
  const bool unguided_timed_out = s.timed_out.load();
  s.timed_out = false;
  const int unguided_runs = s.runs;
  coverage::Map guided_own;
  coverage::Map* guided = cov.guided ? cov.guided : &guided_own;
  if (s.coverage) guided->merge(*s.coverage);
  nlohmann::json guide_stats = {
      {"skipped", s.best_walk.property ? "the walks found a violation" : "the time ran out"}};
  if (opts.guide && !s.best_walk.property && (!unguided_timed_out || time_only))
    guide_stats = guide(s, opts, jobs, *s.coverage, guided, solver);

  EngineResult res;
  res.engine = "random";
  res.config = cfg.name;
  res.variant = cfg.variant ? cfg.variant->name : "base";
  res.seed = s.seed;
  res.bound = s.max_steps;
  res.reproduce = reproduce_command(cfg, s.seed, s.max_steps, props, opts.guide);
  res.stats["walks"] = s.done.load();
  if (opts.guide) res.stats["guide"] = guide_stats;
  res.stats["steps"] = s.steps.load();
  res.stats["jobs"] = jobs;
  res.stats["timed_out"] = unguided_timed_out;
  if (s.best_walk.property) {
    int evaluations = 0;
    const Property* target = s.best_walk.property;
    res.trace.steps = shrink_trace(cfg, props, s.best_walk.steps, target, 20000, &evaluations);
    res.verdict = Verdict::kViolated;
    res.property = target->name;
    res.stats["walk"] = s.best.load();  // of the guided walks when stats.guided
    res.stats["guided"] = s.walk_seed != s.seed;
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
    bool complete = unguided_walks >= unguided_runs || opts.runs <= 0;
    res.verdict = complete ? Verdict::kBounded : Verdict::kIncomplete;
  }
  res.seconds = seconds_since(s.t0);
  double secs = std::max(res.seconds, 1e-9);
  res.stats["steps_per_second"] = double(s.steps.load()) / secs;
  return res;
}

}  // namespace gup
