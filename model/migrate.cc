// Migration core (mm/migrate.c, mm/rmap.c, 6.12.117): one folio at a time,
// migrate_folio_unmap() (allocate the target, try_to_migrate()) and
// migrate_folio_move() (__migrate_folio()'s expected-refcount check, move,
// remove_migration_ptes()). The kernel's retry passes (3 async + 7 sync)
// are folded into one attempt: a folio that fails once stays failed, which
// is what the passes amount to when the obstacle (a pin, a reference) does
// not go away on its own.
#include <cassert>

#include "model/kernel.h"
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

Gfp migration_gfp(const Folio& src, MigrateReason why) {
  GUP_OVERRIDABLE(migration_gfp, src, why);
  // alloc_migration_target() with GFP_USER under PF_MEMALLOC_PIN for a
  // long-term pin: never ZONE_MOVABLE or CMA (5.13, d1e153fea2a8).
  return Gfp{why != MigrateReason::kLongtermPin, int(src.order)};
}

void mark_failed(Task& t, int idx) {
  GUP_OVERRIDABLE(mark_failed, t, idx);
  t.failed = t.failed | 1u << idx;
}

// remove_migration_ptes(src, dst): every migration entry of src becomes a
// present PTE of dst; PageAnonExclusive comes back from the entry type.
void remove_migration_ptes(State& s, const Config& cfg, int src, int dst) {
  GUP_OVERRIDABLE(remove_migration_ptes, s, cfg, src, dst);
  for (int mm = 0; mm < cfg.nr_mms; mm++) {
    for (int a = 0; a < kMaxAddrs; a++) {
      join(s, static_cast<EventLog*>(nullptr), [&] {
        Pte& pte = s.mms[mm].ptes[a];
        if (!pte.is_migration() || pte.folio != src) return;
        Pte entry = pte;
        map_pte(s, mm, a, dst, entry.page(), entry.write());
        if (entry.exclusive()) s.folios[dst].set_page_anon_exclusive(entry.page());
      });
    }
  }
}

int next_folio_to_migrate(const Task& t) {
  GUP_OVERRIDABLE(next_folio_to_migrate, t);
  int bit = lowest_set_bit(t.isolated & ~t.failed);
  return bit < 0 ? kNoFolio : bit;
}

bool migrate_unmap_allocates(const State& s, int idx) {
  GUP_OVERRIDABLE(migrate_unmap_allocates, s, idx);
  return idx != kNoFolio && s.folios[idx].refcount != 1;
}

int migrate_folio_unmap(State& s, const Ctx& c, int idx, MigrateReason why) {
  GUP_OVERRIDABLE(migrate_folio_unmap, s, c, idx, why);
  Task& t = task(s, c);
  Folio& src = s.folios[idx];
  if (src.refcount == 1) {
    // Freed under us: only the isolation reference is left.
    t.isolated = t.isolated & ~(1u << idx);
    src.clear(kLru);
    folio_put_refs(s, c, idx, 1);
    return 1;
  }
  int dst = c.choice == 1 ? kNoFolio : alloc_folio(s, migration_gfp(src, why), src.kind);
  if (dst == kNoFolio) {
    mark_failed(t, idx);
    return ENOMEM_;
  }
  s.folios[dst].refcount = 1;  // held by this migration (Task::target)
  // try_to_migrate() -> try_to_migrate_one(): folio_try_share_anon_rmap_pte()
  // refuses a maybe-pinned exclusive anon page; the PTE is restored.
  for (int mm = 0; mm < c.cfg.nr_mms; mm++) {
    for (int a = 0; a < kMaxAddrs; a++) {
      const Pte& pte = s.mms[mm].ptes[a];
      if (!pte.present() || pte.folio != idx) continue;
      bool pae = src.page_anon_exclusive(pte.page());
      if (folio_test_anon(src) && pae && folio_maybe_dma_pinned(src)) {
        remove_migration_ptes(s, c.cfg, idx, idx);
        s.folios[dst].refcount = 0;
        free_folio(s, c, dst);
        mark_failed(t, idx);
        return EAGAIN_;
      }
    }
  }
  for (int mm = 0; mm < c.cfg.nr_mms; mm++) {
    for (int a = 0; a < kMaxAddrs; a++) {
      Pte& pte = s.mms[mm].ptes[a];
      if (!pte.present() || pte.folio != idx) continue;
      bool pae = folio_test_anon(src) && src.page_anon_exclusive(pte.page());
      pte = Pte::make_migration(idx, pte.page(), pte.write(), pae);
      src.clear_page_anon_exclusive(pte.page());
      src.mapcount--;
      folio_put_refs(s, c, idx, 1);
    }
  }
  t.target = dst;
  return 0;
}

void move_folio_contents(State& s, const Ctx& c, int src_idx, int dst_idx) {
  GUP_OVERRIDABLE(move_folio_contents, s, c, src_idx, dst_idx);
  Folio& src = s.folios[src_idx];
  Folio& dst = s.folios[dst_idx];
  // migrate_device_coherent_folio() copies into ordinary memory
  // (folio_alloc(GFP_USER)): the copy is an anon folio in system RAM, no
  // longer device memory (mm/migrate_device.c).
  dst.kind = folio_is_device_coherent(src) ? FolioKind::kAnon : src.kind;
  dst.file = src.file;
  Val<int> n = src.nr_pages();
  Val<uint8_t> moved = src.flags & (kDirty | kSwapcache | kMapping);
  dst.flags = (dst.flags & ~kFree) | moved;
  src.flags = src.flags & ~moved;
  // The page cache and swap cache references move with the contents
  // (__folio_migrate_mapping()).
  Val<int> cache_refs =
      select((moved & kSwapcache) != 0, n, 0) + select((moved & kMapping) != 0, n, 0);
  folio_get(dst, cache_refs);
  src.refcount = src.refcount - cache_refs;
  for (auto& file : s.page_cache)
    for (auto& slot : file) slot = select(slot == src_idx, dst_idx, slot);
  // Present PTEs (device-coherent folios are moved while mapped) and
  // migration entries both end up on dst.
  for (int mm = 0; mm < c.cfg.nr_mms; mm++) {
    for (int a = 0; a < kMaxAddrs; a++) {
      join(s, c.ev, [&] {
        Pte& pte = s.mms[mm].ptes[a];
        if (pte.folio != src_idx || pte.none()) return;
        if (pte.present()) {
          bool pae = src.page_anon_exclusive(pte.page());
          pte = Pte::make_migration(src_idx, pte.page(), pte.write(), pae);
          src.mapcount--;
          src.refcount--;
        }
      });
    }
  }
  src.anon_exclusive = 0;
  remove_migration_ptes(s, c.cfg, src_idx, dst_idx);
  c.log(Event{EventKind::kMigrated, uint8_t(c.task), uint8_t(src_idx), uint8_t(dst_idx), 0, 0, 0, 0,
              0, false, false});
  if (src.refcount == 0) free_folio(s, c, src_idx);
}

int migrate_folio_move(State& s, const Ctx& c, int idx) {
  GUP_OVERRIDABLE(migrate_folio_move, s, c, idx);
  Task& t = task(s, c);
  int dst = int(t.target);
  assert(dst != kNoFolio && "migrate_folio_move: no target");
  t.target = kNoFolio;
  Folio& src = s.folios[idx];
  // __migrate_folio(): folio_expected_ref_count() + 1 for the isolation.
  if (src.refcount != folio_expected_ref_count(src) + 1) {
    remove_migration_ptes(s, c.cfg, idx, idx);
    s.folios[dst].refcount = 0;
    free_folio(s, c, dst);
    mark_failed(t, idx);
    return EAGAIN_;
  }
  move_folio_contents(s, c, idx, dst);
  // The destination goes on the LRU (hugetlb: the active list); this
  // migration's reference on it is dropped.
  Folio& d = s.folios[dst];
  if (d.kind == FolioKind::kHugetlb)
    d.set(kHugetlbMigratable);
  else
    d.set(kLru);
  folio_put_refs(s, c, dst, 1);
  // The source is left with the isolation reference only: dropping it
  // frees the folio.
  t.isolated = t.isolated & ~(1u << idx);
  s.folios[idx].clear(kLru);
  folio_put_refs(s, c, idx, 1);
  return 0;
}

void putback_movable_pages(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(putback_movable_pages, s, c);
  Task& t = task(s, c);
  for (int idx = 0; idx < kMaxFolios; idx++) {
    join(s, c.ev, [&] {
      if (!(task(s, c).isolated >> idx & 1)) return;
      if (s.folios[idx].kind == FolioKind::kHugetlb)
        folio_putback_hugetlb(s, c, idx);
      else
        folio_putback_lru(s, c, idx);
    });
  }
  t.isolated = 0;
  t.failed = 0;
}

}  // namespace kernel
GUP_DOMAIN_END
