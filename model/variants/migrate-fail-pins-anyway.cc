// Zoo C1. Before f0f4463837da ("mm/gup: return an error on migration
// failure", v5.13), a migrate_pages() failure in the long-term path set
// migrate_allow = false and re-ran __get_user_pages_locked() without
// migration, so CMA pages stayed long-term pinned.
#include "model/variants/variants.h"

namespace gup {

const Variant& variant_migrate_fail_pins_anyway() {
  static const Variant v = [] {
    Variant x = base_variant();
    x.name = "migrate-fail-pins-anyway";
    x.zoo_id = "C1";
    x.commit = "undoes f0f4463837da";
    x.summary = "a failed migration re-pins the range without migrating";
    x.on_migrate_failure = MigrateFailure::kPinWithoutMigrating;
    return x;
  }();
  return v;
}

}  // namespace gup
