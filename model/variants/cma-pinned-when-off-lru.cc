// Zoo C7. 1aaf8c122918 ("mm: gup: fix infinite loop within
// __get_longterm_locked", v6.14) returned 0 when nothing could be
// isolated, ending the loop on never-LRU CMA pages but long-term pinning
// CMA folios that were only transiently off the LRU. Reverted by
// 517f496e1e61; this variant applies it to the 6.12 base.
#include "model/variants/variants.h"

namespace gup {

const Variant& variant_cma_pinned_when_off_lru() {
  static const Variant v = [] {
    Variant x = base_variant();
    x.name = "cma-pinned-when-off-lru";
    x.zoo_id = "C7";
    x.commit = "applies 1aaf8c122918 (reverted by 517f496e1e61)";
    x.summary = "check_and_migrate_movable_pages() returns 0 when the isolated list is empty";
    x.check_and_migrate_returns_0_on_empty_list = true;
    return x;
  }();
  return v;
}

}  // namespace gup
