// Zoo D1. Undoes 034e5afad921 ("mm: re-allow pinning of zero pfns", v5.19)
// and its repeat, "mm: re-allow pinning of zero pfns (again)" (v6.0). Both
// regressions folded the zero-page exemption into the negated test of
// is_longterm_pinnable_page() (include/linux/mm.h), as
//   return !(is_device_coherent_page(page) || is_zone_movable_page(page) ||
//            is_zero_pfn(page_to_pfn(page)));
// so the shared zero page reads as not long-term pinnable. A FOLL_LONGTERM
// pin of never-written anon memory (VFIO) then sends the zero page to
// collect_longterm_unpinnable_folios(); it is never on the LRU, so it is
// never isolated and never migrated, and __gup_longterm_locked() retries
// with -EAGAIN for ever.
//
// In 6.12 a read-only long-term pin never reaches the zero page: since
// 84209e87c696 ("mm/gup: reliable R/O long-term pinning in COW mappings",
// v6.2) gup_must_unshare() unshares any non-anon page, the zero page
// included, in a COW mapping, so the pin lands on a fresh anon copy. The
// regressed kernels did not have it: their gup_must_unshare() returned
// false for every non-anon page. The variant takes both functions as they
// were then.
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::zero_pfn_unpinnable {

// model/gup_util.cc
bool folio_is_longterm_pinnable(const Folio& folio) {
  GUP_OVERRIDABLE(folio_is_longterm_pinnable, folio);
  const auto& mt = folio.migratetype;  // folio_migratetype()
  // CMA pages may be unpinned, or migrated to a non-CMA region.
  if (mt == Migratetype::kCma || mt == Migratetype::kIsolate) return false;
  // The zero page, coherent device memory and ZONE_MOVABLE in one negated
  // test: the zero page's exemption is inverted.
  return !(folio_is_device_coherent(folio) || folio.zone == Zone::kMovable || is_zero_folio(folio));
}

// model/gup_util.cc: gup_must_unshare() as before 84209e87c696.
bool gup_must_unshare(const Vma* vma, uint32_t gup_flags, const Folio& f, int page) {
  GUP_OVERRIDABLE(gup_must_unshare, vma, gup_flags, f, page);
  (void)vma;
  if ((gup_flags & (FOLL_WRITE | FOLL_PIN)) != FOLL_PIN) return false;
  if (!folio_test_anon(f)) return false;
  return !f.page_anon_exclusive(page);
}

}  // namespace kernel::zero_pfn_unpinnable

GUP_VARIANT(zero_pfn_unpinnable) {
  v.name = "zero-pfn-unpinnable";
  v.zoo_id = "D1";
  v.commit = "undoes 034e5afad921 (and its v6.0 repeat), before 84209e87c696";
  v.summary = "the shared zero page is judged not long-term pinnable";
  GUP_REPLACE(folio_is_longterm_pinnable);
  GUP_REPLACE(gup_must_unshare);
}
GUP_DOMAIN_END
