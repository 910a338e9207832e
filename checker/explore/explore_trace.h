// Rebuilding a concrete trace from the search's parent links.
#pragma once

#include <span>

#include "checker/core/result.h"
#include "checker/explore/explore_search.h"

namespace gup::explore {

// The steps from cfg.initial to the violating transition of `o` (which
// must have stopped with kViolation). With symmetry the stored states are
// canonical images, so each stored step is matched to the concrete step
// whose successor has the stored state's fingerprint. Throws
// std::logic_error if no step matches (an unsound reduction).
Trace build_trace(const Config& cfg, std::span<const Property* const> props, const SearchOutcome& o,
                  bool symmetry);

}  // namespace gup::explore
