// The engine registry: every engine the CLI and specs can name.
#include <algorithm>
#include <array>

#include "checker/engine.h"

namespace gup {

extern const Engine kRandomEngine;   // checker/random.cc
extern const Engine kExploreEngine;  // checker/explore*.cc
extern const Engine kBmcEngine;      // checker/smt*.cc

namespace {
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
