// Zoo C10. Between 24a95998e9ba (v6.1) and 7674952a4a59 (v6.12-rc),
// check_and_migrate_movable_pages() allocated its folio array and, when
// that failed, returned -ENOMEM without unpinning: the caller assumes any
// -errno means "already unpinned", so the pins leaked.
#include "model/variants/variants.h"

namespace gup {

const Variant& variant_enomem_leaks_pins() {
  static const Variant v = [] {
    Variant x = base_variant();
    x.name = "enomem-leaks-pins";
    x.zoo_id = "C10";
    x.commit = "undoes 7674952a4a59";
    x.summary = "a failed kmalloc in check_and_migrate_movable_pages() returns with pins held";
    x.check_and_migrate_kmalloc_leaks_pins = true;
    return x;
  }();
  return v;
}

}  // namespace gup
