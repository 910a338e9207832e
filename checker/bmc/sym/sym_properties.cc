// Compiled in the symbolic domain (checker/bmc/sym/CMakeLists.txt): the entry
// point from the bmc engine into properties/ on z3 terms.
#include "checker/bmc/sym/sym_properties.h"

#include "properties/property.h"

namespace gup::sym {

int property_index(std::string_view name) {
  auto all = all_properties();
  for (size_t i = 0; i < all.size(); i++)
    if (name == all[i]->name) return int(i);
  return -1;
}

bool property_holds(int index, const State* before, Step step, const EventLog* events,
                    const State& after, const Config& cfg) {
  return all_properties()[size_t(index)]->holds(Transition{before, step, events, after}, cfg);
}

}  // namespace gup::sym
