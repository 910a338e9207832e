// Boundaries control (tests/boundaries/CMakeLists.txt): a file of the CLI
// sees every engine's public header, spec loading and reports.
#include "checker/bmc/smt.h"
#include "checker/cli/engines.h"
#include "checker/explore/explore.h"
#include "checker/random/random.h"
#include "checker/report/report.h"
#include "checker/spec/spec.h"

namespace gup {

int boundaries_cli_public() {
  return int(all_engines().size()) + kRandomDefaultRuns;
}

}  // namespace gup
