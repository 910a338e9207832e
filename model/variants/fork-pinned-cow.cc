// Zoo B1. Undoes 70e806e4e645 ("mm: Do early cow for pinned pages during
// fork() for ptes", v5.9; with 008cfe4418b3, "mm: Introduce
// mm_struct.has_pinned"). Before it, copy_one_pte() shared every private
// anon page with the child read-only, pinned or not: there was no
// page_maybe_dma_pinned() check at fork and no copy_present_page(). Once
// do_wp_page() decides reuse by the refcount (09854ba94c6a), the parent's
// next write to its pinned page sees the pin's references and copies: the
// parent's PTE moves to the copy while the device keeps DMAing into the
// pinned page, which only the child still maps.
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::fork_pinned_cow {

// model/fork.cc: folio_try_dup_anon_rmap_pte() never fails with -EBUSY,
// so copy_present_page() is never used.
bool needs_copy_present_page(const State& s, const Mm& parent, int addr) {
  GUP_OVERRIDABLE(needs_copy_present_page, s, parent, addr);
  (void)s;
  (void)parent;
  (void)addr;
  return false;  // no folio_needs_cow_for_dma()
}

}  // namespace kernel::fork_pinned_cow

GUP_VARIANT(fork_pinned_cow) {
  v.name = "fork-pinned-cow";
  v.zoo_id = "B1";
  v.commit = "undoes 70e806e4e645";
  v.summary = "fork shares a pinned anon page with the child instead of copying it";
  GUP_REPLACE(needs_copy_present_page);
}
GUP_DOMAIN_END
