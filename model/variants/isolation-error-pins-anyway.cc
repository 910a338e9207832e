// Zoo C2. Before 6e7f34ebb8d2 ("mm/gup: check for isolation errors",
// v5.13), a folio that could not be isolated was not counted, so when no
// folio could be isolated the check returned success with CMA pages pinned.
#include "model/variants/variants.h"

namespace gup {

const Variant& variant_isolation_error_pins_anyway() {
  static const Variant v = [] {
    Variant x = base_variant();
    x.name = "isolation-error-pins-anyway";
    x.zoo_id = "C2";
    x.commit = "undoes 6e7f34ebb8d2";
    x.summary = "folios that fail isolation are not counted as collected";
    x.collect_counts_unisolated = false;
    return x;
  }();
  return v;
}

}  // namespace gup
