// Model throughput: the state's size and successors generated per second
// from random reachable states of the default configuration, single core.
//
//   model_bench [seconds]
//
// Prints JSON. Reachable states are sampled from random walks first; the
// timed loop then runs enabled_steps() and apply() (copy, step, no events)
// over every sampled state, as an explicit-state search would.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "model/config_builder.h"
#include "model/model.h"

namespace gup {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<State> sample_states(const Config& cfg, size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<State> out;
  while (out.size() < n) {
    State s = initial_state(cfg);
    StepBuffer buf;
    for (;;) {
      out.push_back(s);
      enabled_steps(s, cfg, buf);
      if (buf.n == 0 || out.size() >= n) break;
      apply(s, cfg, buf.steps[rng() % uint64_t(buf.n)]);
    }
  }
  return out;
}

}  // namespace
}  // namespace gup

int main(int argc, char** argv) {
  using namespace gup;
  double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  Config cfg = builtin_config("default", base_variant());
  std::vector<State> states = sample_states(cfg, 4096, 1);
  uint64_t successors = 0, expanded = 0, checksum = 0;
  auto t0 = Clock::now();
  double t = 0;
  while (t < seconds) {
    for (const State& s : states) {
      StepBuffer buf;
      enabled_steps(s, cfg, buf);
      for (const Step& step : buf) {
        State next = s;
        apply(next, cfg, step);
        checksum += next.folios[0].refcount;
        successors++;
      }
      expanded++;
    }
    t = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  nlohmann::json out = {
      {"config", cfg.name},
      {"state_bytes", sizeof(State)},
      {"sampled_states", states.size()},
      {"states_expanded", expanded},
      {"successors", successors},
      {"seconds", t},
      {"successors_per_second", double(successors) / t},
      {"checksum", checksum},
  };
  std::printf("%s\n", out.dump(2).c_str());
}
