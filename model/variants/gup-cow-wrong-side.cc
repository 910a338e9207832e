// Zoo A3, "COW can break either way" (CVE-2020-29374). Undoes
// 09854ba94c6a ("mm: do_wp_page() simplification", v5.9), the fix that
// stuck after the GUP-side workaround 17839856fd58 was reverted
// (a308c71bf1e6). Before it, do_wp_page() reused an anon page in place when
// reuse_swap_page() found it mapped only once (page_mapcount() plus its
// swap count), whatever other references it had. A child that took a
// read-only GUP reference (vmsplice() into a pipe) on a page it shared COW
// with its parent, and then unmapped it, left the page mapped once: the
// parent's next write went into the page the child's pipe still holds, so
// the child read the parent's new data. 6.12's do_wp_page() reuses a page
// that is not PageAnonExclusive only when wp_can_reuse_anon_folio() sees no
// reference beyond the mapping. The model has no swap entries, so the swap
// count is 0; large folios keep 6.12's refusal (their instance of the bug
// was fixed separately, 3bff7e3f1f16).
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::gup_cow_wrong_side {

// model/memory.c: wp_can_reuse_anon_folio() as reuse_swap_page() decided.
bool wp_can_reuse_anon_folio(const Folio& f, int cpu, bool* drain) {
  GUP_OVERRIDABLE(wp_can_reuse_anon_folio, f, cpu, drain);
  (void)cpu;
  *drain = false;  // no lru_add_drain(): the refcount is not looked at
  if (folio_test_large(f)) return false;
  return f.mapcount <= 1;  // page_mapcount() + swap count <= 1
}

}  // namespace kernel::gup_cow_wrong_side

GUP_VARIANT(gup_cow_wrong_side) {
  v.name = "gup-cow-wrong-side";
  v.zoo_id = "A3";
  v.commit = "undoes 09854ba94c6a";
  v.summary = "a write fault reuses an anon page mapped once, though another mm's GUP holds it";
  GUP_REPLACE(wp_can_reuse_anon_folio);
}
GUP_DOMAIN_END
