// bmc engine benchmark on `default`: the depth BMC reaches in 10 s and 60 s (no
// violation exists, so every query is UNSAT, the worst case), and the time
// to each variant's counterexample. Prints one JSON object.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <vector>

#include "checker/bmc/smt.h"
#include "checker/explore/explore.h"
#include "model/config_builder.h"

namespace {

using gup::EngineOptions;
using gup::EngineResult;

// BMC alone (no proof search) for `seconds`; `lemmas`: with the
// reachability lemmas of the reachable-state search (BmcOptions::reach_states).
nlohmann::json depth_in(const gup::Config& cfg, double seconds, bool accounting, bool lemmas) {
  std::vector<const gup::Property*> props = {gup::find_property("no-longterm-pin-in-movable"),
                                             gup::find_property("no-longterm-pin-on-fsdax")};
  if (accounting) props.push_back(gup::find_property("refcount-accounting"));
  EngineOptions opts;
  opts.time_limit = seconds;
  opts.max_depth = 1000;
  gup::smt::BmcOptions b;
  b.induction = false;
  b.query_timeout = seconds;
  b.reach_states = lemmas ? 20000 : 0;
  EngineResult r = gup::smt::run_bmc(cfg, props, opts, b);
  return {{"config", cfg.name},
          {"refcount_accounting", accounting},
          {"reach_lemmas", lemmas},
          {"budget_s", seconds},
          {"depth", r.bound},
          {"verdict", gup::verdict_name(r.verdict)},
          {"seconds", r.seconds},
          {"depth_times", r.stats.value("depth_times", nlohmann::json::array())},
          {"why", r.why}};
}

}  // namespace

int main() {
  nlohmann::json out;
  const gup::Variant& base = gup::base_variant();
  gup::Config def = gup::builtin_config("default", base);
  out["default_config"] = {{"supported", gup::smt::unsupported_reason(def).empty()},
                           {"why", gup::smt::unsupported_reason(def)}};
  out["depth_reached"] = {depth_in(def, 10, false, false), depth_in(def, 60, false, false),
                          depth_in(def, 10, true, false), depth_in(def, 10, false, true),
                          depth_in(def, 60, false, true)};
  // Every variant on `default`: bmc's verdict and depth next to explore's.
  const gup::Property* both[] = {gup::find_property("no-longterm-pin-in-movable"),
                                 gup::find_property("no-longterm-pin-on-fsdax")};
  for (const gup::Variant* v : gup::all_variants()) {
    gup::Config cfg = gup::builtin_config("default", *v);
    EngineOptions opts;
    opts.max_depth = 40;
    opts.time_limit = 120;
    EngineResult r = gup::smt::run_bmc(cfg, both, opts, gup::smt::BmcOptions{});
    EngineOptions eo;
    EngineResult ex = gup::run_explore(cfg, std::span<const gup::Property* const>(both), eo);
    out["default_variants"].push_back(
        {{"variant", v->name},
         {"bmc", gup::verdict_name(r.verdict)},
         {"bmc_depth", r.trace.steps.size()},
         {"bmc_seconds", r.seconds},
         {"how", r.stats.value("proof", r.stats.value("found_by", ""))},
         {"explore", gup::verdict_name(ex.verdict)},
         {"explore_depth", ex.trace.steps.size()}});
  }
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
  // Plain BMC (no reachable-state search) on the small built-ins.
  for (const Case& c : cases) {
    gup::Config cfg = gup::builtin_config(c.config, *gup::find_variant(c.variant));
    const gup::Property* props[] = {gup::find_property(c.property)};
    EngineOptions opts;
    opts.max_depth = 30;
    opts.time_limit = 120;
    gup::smt::BmcOptions b;
    b.induction = false;
    b.reach_states = 0;
    EngineResult r = gup::smt::run_bmc(cfg, props, opts, b);
    out["counterexamples"].push_back({{"variant", c.variant},
                                      {"config", c.config},
                                      {"violated", r.verdict == gup::Verdict::kViolated},
                                      {"depth", r.trace.steps.size()},
                                      {"seconds", r.seconds}});
  }
  for (const char* name : {"default", "fsdax", "gupfast-cma", "cma-demo"})
    for (size_t reach : {size_t(20000), size_t(0)}) {
      gup::Config cfg = gup::builtin_config(name, base);
      EngineOptions opts;
      opts.max_depth = 40;
      opts.time_limit = 120;
      gup::smt::BmcOptions b;
      b.reach_states = reach;
      EngineResult r = gup::smt::run_bmc(cfg, both, opts, b);
      out["proofs"].push_back({{"config", name},
                               {"reach_states", reach},
                               {"verdict", gup::verdict_name(r.verdict)},
                               {"depth", r.bound},
                               {"seconds", r.seconds},
                               {"how", r.stats.value("proof", r.why)}});
    }
  // Every property at once on `default` (base), with the engine's defaults:
  // the verdict and time a user gets from `gupcheck bmc` with all 13.
  {
    gup::Config cfg = gup::builtin_config("default", base);
    std::vector<const gup::Property*> all(gup::all_properties().begin(),
                                          gup::all_properties().end());
    EngineOptions opts;
    opts.max_depth = 40;
    opts.time_limit = 120;
    EngineResult r = gup::smt::run_bmc(cfg, all, opts, gup::smt::BmcOptions{});
    out["all_properties_default"] = {{"properties", all.size()},
                                     {"verdict", gup::verdict_name(r.verdict)},
                                     {"depth", r.bound},
                                     {"seconds", r.seconds},
                                     {"how", r.stats.value("proof", r.why)}};
  }
  std::cout << out.dump(2) << "\n";
}
