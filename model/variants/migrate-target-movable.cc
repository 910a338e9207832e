// Zoo C4. The long-term pin path of v5.12, before c991ffef7bce ("mm/gup:
// don't pin migrated cma pages in movable zone"), 8e3560d963d2 ("mm: honor
// PF_MEMALLOC_PIN for all movable pages") and d1e153fea2a8 ("mm/gup:
// migrate pinned pages out of movable zone"), all v5.13. Then
// check_and_migrate_cma_pages() moved only CMA folios away, and
// new_non_cma_page() allocated the target with GFP_USER | __GFP_MOVABLE
// under PF_MEMALLOC_NOCMA, a scope that kept CMA out but not ZONE_MOVABLE.
// So a CMA folio migrated into ZONE_MOVABLE and the re-walk pinned it
// there for good: memory hot-unplug of that block can never succeed.
// Faults inside the long-term call keep 6.12's PF_MEMALLOC_PIN scope
// (handle_mm_fault() is not replaced).
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::migrate_target_movable {

// model/migrate.cc: the target of a long-term-pin migration keeps
// __GFP_MOVABLE; PF_MEMALLOC_NOCMA only withholds ALLOC_CMA.
Gfp migration_gfp(const Folio& src, MigrateReason why) {
  GUP_OVERRIDABLE(migration_gfp, src, why);
  if (why == MigrateReason::kLongtermPin) return Gfp{true, int(src.order), true};
  return Gfp{true, int(src.order)};
}

// model/gup_util.cc: is_pinnable_page() before d1e153fea2a8: only CMA
// (and isolated) pageblocks must be migrated away; ZONE_MOVABLE is not
// checked.
bool folio_is_longterm_pinnable(const Folio& folio) {
  GUP_OVERRIDABLE(folio_is_longterm_pinnable, folio);
  const auto& mt = folio.migratetype;  // folio_migratetype()
  // CMA pages may be unpinned, or migrated to a non-CMA region.
  if (mt == Migratetype::kCma || mt == Migratetype::kIsolate) return false;
  // The zero page can be "pinned" but gets special handling.
  if (is_zero_folio(folio)) return true;
  // Coherent device memory must always allow eviction.
  if (folio_is_device_coherent(folio)) return false;
  return true;
}

}  // namespace kernel::migrate_target_movable

GUP_VARIANT(migrate_target_movable) {
  v.name = "migrate-target-movable";
  v.zoo_id = "C4";
  v.commit = "undoes c991ffef7bce, 8e3560d963d2, d1e153fea2a8";
  v.summary = "a CMA folio is migrated into ZONE_MOVABLE and pinned there";
  GUP_REPLACE(migration_gfp);
  GUP_REPLACE(folio_is_longterm_pinnable);
}
GUP_DOMAIN_END
