// Boundaries control (tests/boundaries/CMakeLists.txt): a file of the bmc
// engine sees the model's and core's public headers, and its own folder.
#include "checker/bmc/smt.h"
#include "checker/bmc/smt_bmc.h"
#include "checker/core/replay.h"
#include "model/model.h"
#include "properties/property.h"

namespace gup {

int boundaries_bmc_public(const Config& cfg) {
  return int(smt::unsupported_reason(cfg).size()) + int(all_properties().size());
}

}  // namespace gup
