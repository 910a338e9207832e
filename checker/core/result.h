// What an engine reports: a verdict, and for a violation the trace.
//
// Verdicts are honest: kIncomplete whenever a budget stopped the run before
// its question was answered, never kClean or kProved.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/model.h"

namespace gup {

enum class Verdict {
  kViolated,    // a property failed; `trace` reaches the violation
  kProved,      // holds for all depths in this configuration (SMT)
  kExhausted,   // every reachable state checked, no violation (explore)
  kBounded,     // no violation up to depth `bound` (BMC) or within the runs (random)
  kIncomplete,  // a budget ended the run first
};
const char* verdict_name(Verdict v);
// Exit status of the CLI for a verdict: 0 clean, 1 violation, 3 incomplete.
int verdict_exit_code(Verdict v);

struct Trace {
  std::vector<Step> steps;
  // For a lasso (a cycle no GUP call leaves): steps[loop_start..] repeat.
  int loop_start = -1;
};

struct EngineResult {
  std::string engine;   // "random", "explore", "bmc", ...
  std::string config;   // configuration name
  std::string variant;  // variant name
  Verdict verdict = Verdict::kIncomplete;
  std::string property;  // the violated property, if any
  std::string why;       // Property::explain() of the violation
  Trace trace;
  uint64_t seed = 0;  // random engines: the seed that reproduces it
  int bound = 0;      // depth reached or bounded to
  double seconds = 0;
  nlohmann::json stats = nlohmann::json::object();  // engine-specific numbers
  std::string reproduce;                            // a command line that reproduces the result
};

}  // namespace gup
