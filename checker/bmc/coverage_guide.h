// The bmc engine's answer to guidance (checker/core/guide.h, docs/coverage.md):
// solver prefixes into branches, checked on the concrete model.
#pragma once

#include <vector>

#include "checker/core/guide.h"

namespace gup::coverage {

// One unrolling and one incremental solver for all targets: depth by depth,
// each target not yet answered is asked with an assumption literal, so the
// first trace found for a target is a shortest one. Deterministic for the
// same inputs unless a query times out (never with GuideOptions::rlimit).
// A coverage::GuideFn.
GuideOutcome guide_to_branches(const Config& cfg, const std::vector<Branch>& targets,
                               const GuideOptions& opts);

}  // namespace gup::coverage
