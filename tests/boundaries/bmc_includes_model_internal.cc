// Must not compile (tests/boundaries/CMakeLists.txt): model/gup_internal.h
// is the GUP transition files' own, not part of the model's interface.
#include "model/gup_internal.h"

namespace gup {

int boundaries_gup_pc() {
  return kernel::kPcPutback;
}

}  // namespace gup
