// Mirrors of model/migrate.cc (mm/migrate.c, mm/rmap.c, 6.12.117):
// migrate_folio_unmap(), migrate_folio_move(), move_folio_contents(),
// remove_migration_ptes(), putback_movable_pages().
#include "checker/smt_encode.h"

namespace gup::smt {

namespace {

// model mark_failed().
void mark_failed(const Enc& e, SState& s, int task, int k) {
  s.t[task].failed = s.t[task].failed | e.b16(1 << k);
}

// model remove_migration_ptes(src, dst).
void remove_migration_ptes(const Enc& e, SState& s, int src, int dst) {
  for (int mm = 0; mm < e.cfg.nr_mms; mm++)
    for (int a = 0; a < kMaxAddrs; a++) {
      SPte entry = s.m[mm].ptes[a];
      e.branch(s, e.pte_migration(entry) && entry.folio == e.b8(src), [&](SState& x) {
        e.map_pte(x, mm, a, dst, e.pte_page(entry), e.pte_write(entry));
        expr b = z3::ite(e.pte_page(entry), e.b8(2), e.b8(1));
        x.f[dst].anon_exclusive =
            z3::ite(e.pte_exclusive(entry), x.f[dst].anon_exclusive | b, x.f[dst].anon_exclusive);
      });
    }
}

}  // namespace

// model next_folio_to_migrate(): lowest bit of isolated & ~failed.
expr Enc::next_folio_to_migrate(const SState& s, int task) const {
  expr todo = s.t[task].isolated & ~s.t[task].failed;
  expr out = b8(kNoFolio);
  for (int k = cfg.nr_folios - 1; k >= 0; k--) out = z3::ite(bit(todo, k), b8(k), out);
  return out;
}

// model migrate_unmap_allocates().
expr Enc::migrate_unmap_allocates(const SState& s, const expr& idx) const {
  return idx != b8(kNoFolio) && folio_field(s, idx, &SFolio::refcount, b16(1)) != b16(1);
}

// model migrate_folio_unmap() / mm/migrate.c migrate_folio_unmap() +
// try_to_migrate(). Result in s.ret (1, 0 or -errno).
void Enc::migrate_folio_unmap(SState& s, int task, int k, bool longterm, const expr& choice) const {
  branch(
      s, s.f[k].refcount == b16(1),
      [&](SState& x) {
        x.t[task].isolated = x.t[task].isolated & b16(uint16_t(~(1u << k)));
        clear(x, k, kLru);
        folio_put_refs(x, k, 1);
        x.ret = b8(1);
      },
      [&](SState& x) {
        auto fail = [&](SState& y) {
          mark_failed(*this, y, task, k);
          y.ret = b8(ENOMEM_);
        };
        auto ok = [&](SState& y, int d) {
          y.f[d].refcount = b16(1);
          expr pinned_hit = ff();
          for (int mm = 0; mm < cfg.nr_mms; mm++)
            for (int a = 0; a < kMaxAddrs; a++) {
              const SPte& pte = y.m[mm].ptes[a];
              pinned_hit =
                  pinned_hit || (pte_present(pte) && pte.folio == b8(k) && folio_test_anon(y, k) &&
                                 pae_bit(y, k, pte_page(pte)) && folio_maybe_dma_pinned(y, k));
            }
          branch(
              y, pinned_hit,
              [&](SState& w) {
                remove_migration_ptes(*this, w, k, k);
                w.f[d].refcount = b16(0);
                free_folio(w, d);
                mark_failed(*this, w, task, k);
                w.ret = b8(EAGAIN_);
              },
              [&](SState& w) {
                for (int mm = 0; mm < cfg.nr_mms; mm++)
                  for (int a = 0; a < kMaxAddrs; a++) {
                    SPte pte = w.m[mm].ptes[a];
                    branch(w, pte_present(pte) && pte.folio == b8(k), [&](SState& u) {
                      expr pae = folio_test_anon(u, k) && pae_bit(u, k, pte_page(pte));
                      u.m[mm].ptes[a] = make_migration(b8(k), pte_page(pte), pte_write(pte), pae);
                      u.f[k].anon_exclusive =
                          u.f[k].anon_exclusive & z3::ite(pte_page(pte), b8(0xfd), b8(0xfe));
                      u.f[k].mapcount = u.f[k].mapcount - b8(1);
                      folio_put_refs(u, k, 1);
                    });
                  }
                w.t[task].target = b8(d);
                w.ret = b8(0);
              });
        };
        // migration_gfp(): a long-term pin's target avoids MOVABLE and CMA.
        branch(x, choice, fail, [&](SState& y) {
          cases(y, y.f[k].order, 2, [&](SState& w, int order) {
            alloc_folio(w, !longterm, order, w.f[k].kind, ok, fail);
          });
        });
      });
}

// model move_folio_contents(): what maps or caches src moves to dst.
void Enc::move_folio_contents(SState& s, int src, int dst) const {
  expr n = nr_pages(s, src);
  s.f[dst].kind = z3::ite(is_kind(s, src, FolioKind::kDeviceCoherent), b8(int(FolioKind::kAnon)),
                          s.f[src].kind);  // model move_folio_contents()
  s.f[dst].file = s.f[src].file;
  expr moved = s.f[src].flags & b8(kDirty | kSwapcache | kMapping);
  s.f[dst].flags = (s.f[dst].flags & b8(uint8_t(~kFree))) | moved;
  s.f[src].flags = s.f[src].flags & ~moved;
  expr cache_refs = z3::ite(bit(moved, 5), n, b16(0)) + z3::ite(bit(moved, 6), n, b16(0));
  s.f[dst].refcount = s.f[dst].refcount + cache_refs;
  s.f[src].refcount = s.f[src].refcount - cache_refs;
  for (expr& slot : s.page_cache) slot = z3::ite(slot == b8(src), b8(dst), slot);
  for (int mm = 0; mm < cfg.nr_mms; mm++)
    for (int a = 0; a < kMaxAddrs; a++) {
      SPte pte = s.m[mm].ptes[a];
      branch(s, pte.folio == b8(src) && pte_present(pte), [&](SState& x) {
        expr pae = pae_bit(x, src, pte_page(pte));
        x.m[mm].ptes[a] = make_migration(b8(src), pte_page(pte), pte_write(pte), pae);
        x.f[src].mapcount = x.f[src].mapcount - b8(1);
        x.f[src].refcount = x.f[src].refcount - b16(1);
      });
    }
  s.f[src].anon_exclusive = b8(0);
  remove_migration_ptes(*this, s, src, dst);
  log_folio(s, EventKind::kMigrated, src);
  branch(s, s.f[src].refcount == b16(0), [&](SState& x) { free_folio(x, src); });
}

// model migrate_folio_move() / __migrate_folio()'s refcount check, the
// move, remove_migration_ptes(). Result in s.ret.
void Enc::migrate_folio_move(SState& s, int task, int k) const {
  expr target = s.t[task].target;
  s.t[task].target = b8(kNoFolio);
  cases(s, target, cfg.nr_folios, [&](SState& x, int d) {
    branch(
        x, x.f[k].refcount != folio_expected_ref_count(x, k) + b16(1),
        [&](SState& y) {
          remove_migration_ptes(*this, y, k, k);
          y.f[d].refcount = b16(0);
          free_folio(y, d);
          mark_failed(*this, y, task, k);
          y.ret = b8(EAGAIN_);
        },
        [&](SState& y) {
          move_folio_contents(y, k, d);
          branch(
              y, is_kind(y, d, FolioKind::kHugetlb),
              [&](SState& w) { set(w, d, kHugetlbMigratable); },
              [&](SState& w) { set(w, d, kLru); });
          folio_put_refs(y, d, 1);
          y.t[task].isolated = y.t[task].isolated & b16(uint16_t(~(1u << k)));
          clear(y, k, kLru);
          folio_put_refs(y, k, 1);
          y.ret = b8(0);
        });
  });
}

// model putback_movable_pages() / mm/migrate.c putback_movable_pages().
void Enc::putback_movable_pages(SState& s, int task) const {
  expr isolated = s.t[task].isolated;
  for (int k = 0; k < cfg.nr_folios; k++)
    branch(s, bit(isolated, k), [&](SState& x) {
      branch(
          x, is_kind(x, k, FolioKind::kHugetlb), [&](SState& y) { folio_putback_hugetlb(y, k); },
          [&](SState& y) { folio_putback_lru(y, k); });
    });
  s.t[task].isolated = b16(0);
  s.t[task].failed = b16(0);
}

}  // namespace gup::smt
