// struct folio as the model keeps it, and the kernel predicates on it.
//
// Invariants of a reachable state (properties/ checks them, numbered so
// that properties can cite them):
//  F1. A free folio (kFree) has refcount 0, mapcount 0, pincount 0, no flags.
//  F2. refcount equals what the ghost ledger says holds the folio
//      (mappings, page cache, swap cache, LRU batch, isolation, GET refs,
//      pins times the bias or 1, transient references).
//  F3. pincount is nonzero only on large folios and equals their pins.
//  F4. kLru, a per-CPU LRU batch and isolation exclude one another.
//  F5. The shared zero page holds its own reference plus one per FOLL_GET
//      reference on it (try_grab_folio() takes them, put_page() drops them:
//      no leak, no underflow); pins, mappings (pte_special) and its
//      mapcount and pincount never count.
#pragma once

#include <cstdint>

#include "model/constants.h"
#include "model/value.h"

namespace gup {

// What backs the folio. Each kind is distinct because GUP treats it
// differently (docs/model.md "Why these distinctions").
enum class FolioKind : uint8_t {
  kAnon,            // anonymous memory
  kPageCache,       // page cache of a dirty-tracked filesystem (ext4-like)
  kShmem,           // shmem / memfd page cache
  kHugetlb,         // hugetlbfs (pool folio)
  kFsdax,           // filesystem DAX (ZONE_DEVICE, FS_DAX)
  kDevdax,          // device DAX (ZONE_DEVICE, GENERIC)
  kDeviceCoherent,  // ZONE_DEVICE, MEMORY_DEVICE_COHERENT
  kSecretmem,       // memfd_secret page cache
  kZeroPage,        // the shared zero page (is_zero_folio)
  kDriver,          // inserted by a driver's ->fault with vm_insert_page; never on the LRU
  kCount
};

enum class Zone : uint8_t { kNormal, kMovable, kDevice, kCount };

// Pageblock migratetype (include/linux/mmzone.h), reduced to what matters.
enum class Migratetype : uint8_t { kUnmovable, kMovable, kCma, kIsolate, kCount };

enum FolioFlag : uint8_t {
  kFree = 1u << 0,               // in the buddy allocator
  kLru = 1u << 1,                // PG_lru
  kLruBatch0 = 1u << 2,          // queued in CPU 0's lru_add batch (+1 ref, PG_lru clear)
  kLruBatch1 = 1u << 3,          // queued in CPU 1's lru_add batch
  kDirty = 1u << 4,              // PG_dirty
  kSwapcache = 1u << 5,          // PG_swapcache (anon): +n refs
  kMapping = 1u << 6,            // in a file's page cache (non-anon): +n refs
  kHugetlbMigratable = 1u << 7,  // hugetlb: active and migratable (isolate_hugetlb)
};

// 12 bytes in the concrete domain, no padding: equality and hashing work
// on the bytes.
template <class V>
struct FolioT {
  template <class T>
  using Int = typename V::template Int<T>;
  using Bool = typename V::Bool;

  Int<int16_t> refcount;  // folio->_refcount
  Int<int8_t> mapcount;   // folio_mapcount(): present PTEs that map a page of it
  Int<int8_t> pincount;   // folio->_pincount (large folios only)
  Int<FolioKind> kind;
  Int<Zone> zone;
  Int<Migratetype> migratetype;  // pageblock type now
  Int<Migratetype> saved_mt;     // type before start_isolate_page_range()
  Int<uint8_t> order;            // 0 small, 1 large (THP / hugetlb of 2 pages)
  Int<uint8_t> flags;            // FolioFlag
  Int<uint8_t> anon_exclusive;   // PageAnonExclusive, one bit per page
  Int<uint8_t> file;             // file and offset for page cache folios: (file<<4)|index

  auto nr_pages() const { return select(order > 0, Int<int>(2), Int<int>(1)); }
  Bool test(FolioFlag f) const { return (flags & f) != 0; }
  void set(FolioFlag f) { flags = flags | f; }
  void clear(FolioFlag f) { flags = flags & uint8_t(~f); }
  Bool is_free() const { return test(kFree); }
  // include/linux/page-flags.h: PageAnonExclusive() of page `page` and its
  // setters.
  bool page_anon_exclusive(int page) const { return ((anon_exclusive >> page) & 1) != 0; }
  void set_page_anon_exclusive(int page) { anon_exclusive = anon_exclusive | (1u << page); }
  void clear_page_anon_exclusive(int page) { anon_exclusive = anon_exclusive & ~(1u << page); }
  Bool in_lru_batch() const { return (flags & (kLruBatch0 | kLruBatch1)) != 0; }
};
using Folio = FolioT<Plain>;
static_assert(sizeof(Folio) == 12);

// include/linux/page-flags.h: folio_test_anon(): PAGE_MAPPING_ANON in
// folio->mapping. Device-coherent memory is anon memory in ZONE_DEVICE
// (mm/migrate_device.c migrates only anon pages into it, and
// migrate_vma_insert_page() maps it with folio_add_new_anon_rmap()); the
// zero page is not anon.
template <class V>
bool folio_test_anon(const FolioT<V>& f) {
  return f.kind == FolioKind::kAnon || f.kind == FolioKind::kDeviceCoherent;
}
template <class V>
bool folio_test_large(const FolioT<V>& f) {
  return f.order > 0;
}
// include/linux/mm.h: folio_has_pincount(): large folios keep _pincount.
template <class V>
bool folio_has_pincount(const FolioT<V>& f) {
  return folio_test_large(f);
}
template <class V>
bool is_zero_folio(const FolioT<V>& f) {
  return f.kind == FolioKind::kZeroPage;
}
template <class V>
bool folio_is_device_coherent(const FolioT<V>& f) {
  return f.kind == FolioKind::kDeviceCoherent;
}
template <class V>
bool folio_is_fsdax(const FolioT<V>& f) {
  return f.kind == FolioKind::kFsdax;
}

// include/linux/mm.h: folio_maybe_dma_pinned(). Exact for large folios; for
// small ones a false positive at >= 1024 ordinary references.
template <class V>
bool folio_maybe_dma_pinned(const FolioT<V>& f) {
  if (folio_has_pincount(f)) return f.pincount > 0;
  return f.refcount < 0 || f.refcount >= kGupPinCountingBias;  // as uint16_t
}

// include/linux/mm.h: folio_is_longterm_pinnable() with CONFIG_CMA and
// CONFIG_MIGRATION, in the kernel's order.
template <class V>
bool folio_is_longterm_pinnable(const FolioT<V>& f) {
  if (f.migratetype == Migratetype::kCma || f.migratetype == Migratetype::kIsolate) return false;
  if (is_zero_folio(f)) return true;
  if (folio_is_device_coherent(f)) return false;
  return f.zone != Zone::kMovable;
}

// mm/swap.c: folio_may_be_lru_cached(): only small folios linger in batches.
template <class V>
bool folio_may_be_lru_cached(const FolioT<V>& f) {
  return !folio_test_large(f);
}

// include/linux/mm.h: folio_expected_ref_count() (6.12.117):
// swap cache + page cache (+private, not modelled) + mapcount.
template <class V>
auto folio_expected_ref_count(const FolioT<V>& f) {
  using I = typename V::template Int<int>;
  I n = f.nr_pages();
  I refs = select(f.test(kSwapcache), n, I(0));
  if (!folio_test_anon(f)) refs = refs + select(f.test(kMapping), n, I(0));
  return refs + f.mapcount;
}

const char* folio_kind_name(FolioKind k);
const char* zone_name(Zone z);
const char* migratetype_name(Migratetype m);

}  // namespace gup
