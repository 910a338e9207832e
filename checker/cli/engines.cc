// The engine registry (checker/cli/engines.h).
#include "checker/cli/engines.h"

#include <algorithm>
#include <array>

#include "checker/bmc/coverage_guide.h"
#include "checker/bmc/smt.h"
#include "checker/explore/explore.h"
#include "checker/random/random.h"

namespace gup {

namespace {

// random --guide asks the bmc engine's solver for prefixes
// (checker/bmc/coverage_guide.h); the random target does not link it, so
// the registry hands it over.
const Engine kRandomEngine{
    "random",
    kRandomSummary,
    [](const Config& cfg, std::span<const Property* const> props, const EngineOptions& opts) {
      return random_search(cfg, props, opts, {}, coverage::guide_to_branches);
    },
};

const std::array<const Engine*, 3> kEngines = {&kRandomEngine, &kExploreEngine, &kBmcEngine};

}  // namespace

std::span<const Engine* const> all_engines() {
  return kEngines;
}

const Engine* find_engine(std::string_view name) {
  auto it = std::find_if(kEngines.begin(), kEngines.end(),
                         [&](const Engine* e) { return name == e->name; });
  return it == kEngines.end() ? nullptr : *it;
}

}  // namespace gup
