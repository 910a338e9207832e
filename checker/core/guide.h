// Guidance (docs/coverage.md): for each target branch (or outcome), a
// shortest trace from the initial state whose last step takes it, found by the
// bmc engine's encoding and checked on the concrete model. The random engine
// continues walks from these prefixes; the coverage report's bmc column is
// "solver-reachable within the depth".
//
// This header is the question and the answer only: the solver that answers
// is the bmc engine's coverage::guide_to_branches()
// (checker/bmc/coverage_guide.h), which random and the reports do not link;
// the CLI hands it to them as a GuideFn.
#pragma once

#include <string>
#include <vector>

#include "checker/core/coverage.h"
#include "checker/core/result.h"

namespace gup::coverage {

struct GuideOptions {
  int max_depth = 12;         // steps of a prefix, the branch's own step included
  double query_seconds = 5;   // per solver query
  double total_seconds = 30;  // for all targets together
  // A Z3 resource limit per query instead of both time limits (0: none;
  // checker/bmc/solver_limit.h): the answer then does not depend on the
  // machine's speed.
  unsigned rlimit = 0;
};

enum class Reach : uint8_t {
  kReached,      // `prefix` takes the branch at its last step
  kUnreachable,  // no trace of at most max_depth steps takes it
  kUnknown,      // the solver gave up, or the time ran out, first
};

struct Guided {
  Branch branch;
  Reach reach = Reach::kUnknown;
  Trace prefix;
};

struct GuideOutcome {
  std::string refused;          // smt::unsupported_reason(): nothing was asked
  std::vector<Guided> targets;  // in the order given
  int depth = 0;                // the last depth every pending target was asked at
  double seconds = 0;
};

// A solver for guidance: the prefix into each of `targets`, in their order.
using GuideFn = GuideOutcome (*)(const Config& cfg, const std::vector<Branch>& targets,
                                 const GuideOptions& opts);

}  // namespace gup::coverage
