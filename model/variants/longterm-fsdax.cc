// Zoo E1. Before 2bb6d2837083 ("mm: introduce get_user_pages_longterm",
// v4.15) and 7af75561e171 (FOLL_LONGTERM in GUP-fast, v5.2), long-term
// pins of filesystem-DAX pages were allowed: truncate could free the
// blocks under a device's DMA.
#include "model/variants/variants.h"

namespace gup {

const Variant& variant_longterm_fsdax() {
  static const Variant v = [] {
    Variant x = base_variant();
    x.name = "longterm-fsdax";
    x.zoo_id = "E1";
    x.commit = "undoes 2bb6d2837083 and 7af75561e171";
    x.summary = "FOLL_LONGTERM pins of fsdax pages are allowed (slow and fast paths)";
    x.check_vma_flags_refuses_longterm_fsdax = false;
    x.gup_fast_refuses_devmap_longterm = false;
    return x;
  }();
  return v;
}

}  // namespace gup
