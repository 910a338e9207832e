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
//  F5. The shared zero page's counts never change.
#pragma once

#include <cstdint>

#include "model/constants.h"

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

// 12 bytes, no padding: equality and hashing work on the bytes.
struct Folio {
  int16_t refcount;  // folio->_refcount
  int8_t mapcount;   // folio_mapcount(): present PTEs that map a page of it
  int8_t pincount;   // folio->_pincount (large folios only)
  FolioKind kind;
  Zone zone;
  Migratetype migratetype;  // pageblock type now
  Migratetype saved_mt;     // type before start_isolate_page_range()
  uint8_t order;            // 0 small, 1 large (THP / hugetlb of 2 pages)
  uint8_t flags;            // FolioFlag
  uint8_t anon_exclusive;   // PageAnonExclusive, one bit per page
  uint8_t file;             // file and offset for page cache folios: (file<<4)|index

  int nr_pages() const { return 1 << order; }
  bool test(FolioFlag f) const { return flags & f; }
  void set(FolioFlag f) { flags = uint8_t(flags | f); }
  void clear(FolioFlag f) { flags = uint8_t(flags & ~f); }
  bool is_free() const { return test(kFree); }
  bool in_lru_batch() const { return flags & (kLruBatch0 | kLruBatch1); }
};
static_assert(sizeof(Folio) == 12);

// include/linux/mm.h: folio_test_anon() (the zero page is not anon).
inline bool folio_test_anon(const Folio& f) {
  return f.kind == FolioKind::kAnon;
}
inline bool folio_test_large(const Folio& f) {
  return f.order > 0;
}
// include/linux/mm.h: folio_has_pincount(): large folios keep _pincount.
inline bool folio_has_pincount(const Folio& f) {
  return folio_test_large(f);
}
inline bool is_zero_folio(const Folio& f) {
  return f.kind == FolioKind::kZeroPage;
}
inline bool folio_is_device_coherent(const Folio& f) {
  return f.kind == FolioKind::kDeviceCoherent;
}
inline bool folio_is_fsdax(const Folio& f) {
  return f.kind == FolioKind::kFsdax;
}

// include/linux/mm.h: folio_maybe_dma_pinned(). Exact for large folios; for
// small ones a false positive at >= 1024 ordinary references.
inline bool folio_maybe_dma_pinned(const Folio& f) {
  if (folio_has_pincount(f)) return f.pincount > 0;
  return uint16_t(f.refcount) >= kGupPinCountingBias;
}

// include/linux/mm.h: folio_is_longterm_pinnable() with CONFIG_CMA and
// CONFIG_MIGRATION, in the kernel's order.
inline bool folio_is_longterm_pinnable(const Folio& f) {
  if (f.migratetype == Migratetype::kCma || f.migratetype == Migratetype::kIsolate) return false;
  if (is_zero_folio(f)) return true;
  if (folio_is_device_coherent(f)) return false;
  return f.zone != Zone::kMovable;
}

// mm/swap.c: folio_may_be_lru_cached(): only small folios linger in batches.
inline bool folio_may_be_lru_cached(const Folio& f) {
  return !folio_test_large(f);
}

// include/linux/mm.h: folio_expected_ref_count() (6.12.117):
// swap cache + page cache (+private, not modelled) + mapcount.
inline int folio_expected_ref_count(const Folio& f) {
  int n = f.nr_pages();
  int refs = f.test(kSwapcache) ? n : 0;
  if (!folio_test_anon(f)) refs += f.test(kMapping) ? n : 0;
  return refs + f.mapcount;
}

const char* folio_kind_name(FolioKind k);
const char* zone_name(Zone z);
const char* migratetype_name(Migratetype m);

}  // namespace gup
