// An engine: answers "does any reachable behaviour of this configuration
// violate one of these properties?" Engines register in checker/cli/engines.cc;
// the CLI finds them by name (checker/cli/engines.h), specs check the name
// against kEngineNames without linking any engine.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "checker/core/result.h"
#include "properties/property.h"

namespace gup {

namespace coverage {
class Map;
}

// Budgets and knobs shared by the engines; each reads what it uses and
// ignores the rest. Zero means "no limit" for limits.
struct EngineOptions {
  uint64_t seed = 0;         // random: 0 = derive from the clock (printed)
  int jobs = 1;              // worker threads
  double time_limit = 0;     // seconds
  int runs = 0;              // random: sequences to try (0: engine default)
  int max_steps = 0;         // random: steps per sequence (0: engine default)
  uint64_t max_states = 0;   // explore
  uint64_t max_memory = 0;   // explore: bytes
  int max_depth = 0;         // explore / bmc
  bool compact = false;      // explore: hash compaction
  uint64_t table_bytes = 0;  // explore --compact: fixed 40-bit table (0: growing 64-bit)
  bool symmetry = false;     // explore: symmetry reduction
  bool por = false;          // explore: partial-order reduction
  bool guide = false;        // random: solver prefixes into branches the walks missed
  bool progress = false;     // progress lines on stderr
  // bmc, random --guide: a Z3 resource limit per solver query instead of
  // the wall-clock ones (checker/bmc/solver_limit.h); 0: wall-clock limits.
  unsigned solver_rlimit = 0;
  // explore: records the branch of every transition (gupcheck coverage).
  coverage::Map* coverage = nullptr;
};

struct Engine {
  const char* name;     // "random", "explore", ...
  const char* summary;  // one line for `gupcheck list engines`
  EngineResult (*run)(const Config& cfg, std::span<const Property* const> props,
                      const EngineOptions& opts);
};

// The engines' names, in the order `gupcheck list engines` shows them: the
// registry (checker/cli/engines.cc) has one Engine per name, in this order.
inline constexpr std::array<const char*, 3> kEngineNames = {"random", "explore", "bmc"};

}  // namespace gup
