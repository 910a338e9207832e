// Must not compile (tests/boundaries/CMakeLists.txt): explore's search is
// the explore engine's own; the CLI runs it through checker/explore/explore.h.
#include "checker/explore/explore_search_impl.h"

namespace gup {

int boundaries_explore_internal() {
  return 0;
}

}  // namespace gup
