// Randomized engine throughput and time to the first violation per variant.
//
//   random_bench [seconds]
//
// Prints JSON: model steps per second on the default configuration with
// every property checked after every step (and with none, for the cost of
// the properties), single core; then, for each variant, the seconds and
// walks until the first violating walk (before shrinking) and the length
// of the shrunk trace.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "checker/random/random.h"
#include "model/config_builder.h"

namespace gup {
namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Walks from the default configuration for `seconds`; returns steps/s.
nlohmann::json throughput(const Config& cfg, std::span<const Property* const> props,
                          double seconds) {
  Walk walk;
  uint64_t steps = 0, walks = 0;
  auto t0 = Clock::now();
  while (since(t0) < seconds) {
    for (int i = 0; i < 256; i++, walks++) {
      random_walk(cfg, props, run_seed(1, walks), kRandomDefaultMaxSteps, walk);
      steps += walk.steps_checked;
    }
  }
  double t = since(t0);
  return {{"properties", props.size()},
          {"walks", walks},
          {"steps", steps},
          {"seconds", t},
          {"steps_per_second", double(steps) / t}};
}

// The configuration each variant is checked on (tests/random_test.cc).
const char* config_for(const Variant& v) {
  std::string n = v.name;
  if (n == "migrate-fail-pins-anyway" || n == "enomem-leaks-pins") return "cma-alloc-failure";
  if (n == "isolation-error-pins-anyway" || n == "cma-pinned-when-off-lru") return "cma-off-lru";
  if (n == "gupfast-longterm-cma") return "gupfast-cma";
  if (n == "longterm-fsdax") return "fsdax";
  return "driver-cma";  // base: the 6.12 long-term loop
}

nlohmann::json first_violation(const Variant& v) {
  Config cfg = builtin_config(config_for(v), v);
  Walk walk;
  auto t0 = Clock::now();
  uint64_t r = 0;
  for (; r < uint64_t(kRandomDefaultRuns); r++) {
    random_walk(cfg, all_properties(), run_seed(1, r), kRandomDefaultMaxSteps, walk);
    if (walk.property) break;
  }
  double found = since(t0);
  nlohmann::json j = {{"variant", v.name},
                      {"config", cfg.name},
                      {"walks", r + 1},
                      {"seconds_to_first_violation", found}};
  if (!walk.property) {
    j["property"] = nullptr;
    return j;
  }
  std::vector<Step> shrunk = shrink_trace(cfg, all_properties(), walk.steps, walk.property);
  j["property"] = walk.property->name;
  j["walk_length"] = walk.steps.size();
  j["shrunk_length"] = shrunk.size();
  j["seconds_with_shrinking"] = since(t0);
  return j;
}

}  // namespace
}  // namespace gup

int main(int argc, char** argv) {
  using namespace gup;
  double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  Config cfg = builtin_config("default", base_variant());
  nlohmann::json out;
  out["config"] = cfg.name;
  out["max_steps"] = kRandomDefaultMaxSteps;
  out["all_properties"] = throughput(cfg, all_properties(), seconds);
  out["no_properties"] = throughput(cfg, {}, seconds);
  nlohmann::json per = nlohmann::json::array();
  for (const Variant* v : all_variants()) per.push_back(first_violation(*v));
  out["first_violation"] = per;
  std::printf("%s\n", out.dump(2).c_str());
}
