// mm/page_alloc.c and reference counting (include/linux/mm.h, mm/swap.c).
#include <cassert>

#include "model/kernel.h"
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

// A free folio the gfp may take: never an ISOLATE pageblock (it serves
// nothing), never device memory; without __GFP_MOVABLE neither ZONE_MOVABLE
// nor a CMA pageblock (gfp_to_alloc_flags_cma(), current_gfp_context()).
bool gfp_allows(const Folio& f, Gfp gfp) {
  GUP_OVERRIDABLE(gfp_allows, f, gfp);
  if (!f.is_free() || f.order != gfp.order) return false;
  if (f.zone == Zone::kDevice || f.migratetype == Migratetype::kIsolate) return false;
  if (!gfp.movable && (f.zone == Zone::kMovable || f.migratetype == Migratetype::kCma))
    return false;
  if (gfp.nocma && f.migratetype == Migratetype::kCma) return false;
  return true;
}

bool can_alloc(const State& s, const Config& cfg, Gfp gfp) {
  GUP_OVERRIDABLE(can_alloc, s, cfg, gfp);
  for (int i = 0; i < cfg.nr_folios; i++)
    if (gfp_allows(s.folios[i], gfp)) return true;
  return false;
}

// The folio comes back with refcount 0: the caller gives it its references
// (mapping, page cache, LRU batch) in the same atomic section, as the
// allocation reference becomes the first of them in the kernel.
int alloc_folio(State& s, Gfp gfp, Val<FolioKind> kind) {
  GUP_OVERRIDABLE(alloc_folio, s, gfp, kind);
  for (int i = 0; i < kMaxFolios; i++) {
    Folio& f = s.folios[i];
    if (!gfp_allows(f, gfp)) continue;
    f.flags = 0;
    f.refcount = 0;
    f.mapcount = 0;
    f.pincount = 0;
    f.kind = kind;
    f.anon_exclusive = 0;
    f.file = 0xff;
    if (kind == FolioKind::kHugetlb) f.set(kHugetlbMigratable);
    return i;
  }
  return kNoFolio;
}

void free_folio(State& s, const Ctx& c, int idx) {
  GUP_OVERRIDABLE(free_folio, s, c, idx);
  Folio& f = s.folios[idx];
  GUP_ASSUME(f.refcount == 0, "free_folio: references remain");
  for (auto& file : s.page_cache)
    for (auto& slot : file) slot = select(slot == idx, kNoFolio, slot);
  f.flags = kFree;
  f.mapcount = 0;
  f.pincount = 0;
  f.kind = FolioKind::kAnon;
  f.anon_exclusive = 0;
  f.file = 0xff;
  c.log(Event{EventKind::kFreed, uint8_t(c.task), uint8_t(idx), kNoFolio, 0, 0, 0, 0, 0, false,
              false});
}

void folio_get(Folio& f, Val<int> refs) {
  GUP_OVERRIDABLE(folio_get, f, refs);
  f.refcount = f.refcount + refs;
}

// include/linux/mm.h: folio_put_refs(). The zero page is not special here:
// put_page() of a FOLL_GET reference on it drops that reference; its own
// reference keeps it from ever reaching zero (F5).
void folio_put_refs(State& s, const Ctx& c, int idx, Val<int> refs) {
  GUP_OVERRIDABLE(folio_put_refs, s, c, idx, refs);
  Folio& f = s.folios[idx];
  f.refcount = f.refcount - refs;
  if (f.refcount == 0) free_folio(s, c, idx);
}

}  // namespace kernel
GUP_DOMAIN_END
