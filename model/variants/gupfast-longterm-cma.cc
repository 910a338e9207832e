// Zoo C5. Before df3a0a21b698 ("mm/gup: fix omission of check on
// FOLL_LONGTERM in gup fast path", v5.7), GUP-fast pinned CMA pages with
// FOLL_LONGTERM: the zone check lived only in the slow path.
#include "model/variants/variants.h"

namespace gup {

const Variant& variant_gupfast_longterm_cma() {
  static const Variant v = [] {
    Variant x = base_variant();
    x.name = "gupfast-longterm-cma";
    x.zoo_id = "C5";
    x.commit = "undoes df3a0a21b698";
    x.summary = "try_grab_folio_fast() skips folio_is_longterm_pinnable()";
    x.try_grab_folio_fast_checks_pinnable = false;
    return x;
  }();
  return v;
}

}  // namespace gup
