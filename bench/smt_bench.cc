// bmc engine benchmark: the depth BMC reaches in 10 s and 60 s (no
// violation exists, so every query is UNSAT, the worst case), and the time
// to each variant's counterexample. Prints one JSON object.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "checker/smt.h"
#include "model/config_builder.h"

namespace {

using gup::EngineOptions;
using gup::EngineResult;

nlohmann::json depth_in(const gup::Config& cfg, double seconds, bool accounting) {
  std::vector<const gup::Property*> props = {gup::find_property("no-longterm-pin-in-movable"),
                                             gup::find_property("no-longterm-pin-on-fsdax")};
  if (accounting) props.push_back(gup::find_property("refcount-accounting"));
  EngineOptions opts;
  opts.time_limit = seconds;
  opts.max_depth = 1000;
  gup::smt::BmcOptions b;
  b.induction = false;
  b.query_timeout = seconds;
  EngineResult r = gup::smt::run_bmc(cfg, props, opts, b);
  return {{"config", cfg.name}, {"refcount_accounting", accounting}, {"budget_s", seconds},
          {"depth", r.bound},   {"verdict", int(r.verdict)},         {"seconds", r.seconds},
          {"why", r.why}};
}

}  // namespace

int main() {
  nlohmann::json out;
  const gup::Variant& base = gup::base_variant();
  gup::Config def = gup::builtin_config("default", base);
  out["default_config"] = {{"supported", gup::smt::unsupported_reason(def).empty()},
                           {"why", gup::smt::unsupported_reason(def)}};
  // The largest built-in the encoding covers stands in for `default`.
  gup::Config stand_in = gup::builtin_config("cma-two-pinners", base);
  out["depth_reached"] = {depth_in(stand_in, 10, false), depth_in(stand_in, 60, false),
                          depth_in(stand_in, 10, true), depth_in(stand_in, 60, true)};
  struct Case {
    const char* variant;
    const char* config;
    const char* property;
  };
  const Case cases[] = {
      {"migrate-fail-pins-anyway", "cma-alloc-failure", "no-longterm-pin-in-movable"},
      {"isolation-error-pins-anyway", "driver-cma", "no-longterm-pin-in-movable"},
      {"gupfast-longterm-cma", "gupfast-cma", "no-longterm-pin-in-movable"},
      {"cma-pinned-when-off-lru", "cma-two-pinners", "no-longterm-pin-in-movable"},
      {"enomem-leaks-pins", "cma-alloc-failure", "no-longterm-pin-in-movable"},
      {"longterm-fsdax", "fsdax", "no-longterm-pin-on-fsdax"},
  };
  for (const Case& c : cases) {
    gup::Config cfg = gup::builtin_config(c.config, *gup::find_variant(c.variant));
    const gup::Property* props[] = {gup::find_property(c.property)};
    EngineOptions opts;
    opts.max_depth = 30;
    opts.time_limit = 120;
    gup::smt::BmcOptions b;
    b.induction = false;
    EngineResult r = gup::smt::run_bmc(cfg, props, opts, b);
    out["counterexamples"].push_back({{"variant", c.variant},
                                      {"config", c.config},
                                      {"violated", r.verdict == gup::Verdict::kViolated},
                                      {"depth", r.trace.steps.size()},
                                      {"seconds", r.seconds}});
  }
  for (const char* name : {"fsdax", "gupfast-cma", "cma-demo"}) {
    gup::Config cfg = gup::builtin_config(name, base);
    const gup::Property* props[] = {gup::find_property("no-longterm-pin-in-movable"),
                                    gup::find_property("no-longterm-pin-on-fsdax")};
    EngineOptions opts;
    opts.max_depth = 40;
    opts.time_limit = 120;
    EngineResult r = gup::smt::run_bmc(cfg, props, opts, gup::smt::BmcOptions{});
    out["proofs"].push_back({{"config", name},
                             {"proved", r.verdict == gup::Verdict::kProved},
                             {"depth", r.bound},
                             {"seconds", r.seconds},
                             {"how", r.stats.value("proof", "")}});
  }
  std::cout << out.dump(2) << "\n";
}
