// struct mm_struct, struct vm_area_struct and page-table entries as the
// model keeps them.
//
// Invariants:
//  M1. A present PTE points at an allocated folio; its page index is below
//      the folio's nr_pages.
//  M2. A writable present PTE in a private mapping of an anon folio implies
//      PageAnonExclusive of that page (mm/memory.c, 5.19+).
//  M3. mmap_lock is held for write by at most one task and then by no reader.
#pragma once

#include <cstdint>

#include "model/constants.h"
#include "model/value.h"

namespace gup {

// What kind of mapping a VMA is; determines vm_flags, vm_ops and the
// backing of its faults.
enum class VmaKind : uint8_t {
  kNone,         // no VMA (a hole)
  kAnon,         // MAP_PRIVATE|MAP_ANONYMOUS
  kFileShared,   // MAP_SHARED of a dirty-tracked file (page_mkwrite, writeback)
  kFilePrivate,  // MAP_PRIVATE of such a file (COW into anon)
  kShmemShared,  // MAP_SHARED of shmem/memfd
  kHugetlb,      // MAP_SHARED of hugetlbfs
  kFsdax,        // MAP_SHARED of a file on a DAX filesystem
  kDevdax,       // device-dax character device
  kSecretmem,    // memfd_secret
  kDriver,       // a driver's mmap whose ->fault inserts its own folio
  kCount
};

enum VmFlag : uint8_t {
  VM_READ = 1u << 0,
  VM_WRITE = 1u << 1,
  VM_SHARED = 1u << 2,
  VM_MAYWRITE = 1u << 3,
  VM_IO = 1u << 4,
  VM_PFNMAP = 1u << 5,
};

// 4 bytes. Covers addresses [start, end) of its mm.
template <class V>
struct VmaT {
  template <class T>
  using Int = typename V::template Int<T>;
  Int<uint8_t> start;
  Int<uint8_t> end;
  Int<VmaKind> kind;
  Int<uint8_t> vm_flags;  // VmFlag
  bool contains(int addr) const { return kind != VmaKind::kNone && addr >= start && addr < end; }
  bool test(VmFlag f) const { return (vm_flags & f) != 0; }
};
using Vma = VmaT<Plain>;
static_assert(sizeof(Vma) == 4);

enum class PteKind : uint8_t { kNone, kPresent, kMigration };

// A page-table entry: 2 bytes.
template <class V>
struct PteT {
  template <class T>
  using Int = typename V::template Int<T>;
  Int<uint8_t> folio;  // folio index (kNoFolio when none)
  Int<uint8_t> bits;   // kind (2 bits) | write | page index | exclusive (migration entries)

  static constexpr uint8_t kKindMask = 0x3;
  static constexpr uint8_t kWrite = 1u << 2;
  static constexpr uint8_t kPage = 1u << 3;       // which page of a large folio
  static constexpr uint8_t kExclusive = 1u << 4;  // readable-exclusive migration entry

  PteKind kind() const { return PteKind(int(bits & kKindMask)); }
  bool none() const { return (bits & kKindMask) == uint8_t(PteKind::kNone); }
  bool present() const { return (bits & kKindMask) == uint8_t(PteKind::kPresent); }
  bool is_migration() const { return (bits & kKindMask) == uint8_t(PteKind::kMigration); }
  bool write() const { return (bits & kWrite) != 0; }
  int page() const { return (bits & kPage) != 0 ? 1 : 0; }
  bool exclusive() const { return (bits & kExclusive) != 0; }

  static PteT make_none() { return PteT{kNoFolio, 0}; }
  template <class F>
  static PteT make_present(const F& folio, int page, bool write) {
    PteT p;
    p.folio = folio;
    p.bits = uint8_t(uint8_t(PteKind::kPresent) | (write ? kWrite : 0) | (page ? kPage : 0));
    return p;
  }
  template <class F>
  static PteT make_migration(const F& folio, int page, bool write, bool exclusive) {
    PteT p;
    p.folio = folio;
    p.bits = uint8_t(uint8_t(PteKind::kMigration) | (write ? kWrite : 0) | (page ? kPage : 0) |
                     (exclusive ? kExclusive : 0));
    return p;
  }
  bool operator==(const PteT& o) const { return folio == o.folio && bits == o.bits; }
};
using Pte = PteT<Plain>;
static_assert(sizeof(Pte) == 2);

enum MmFlag : uint8_t {
  kMmLive = 1u << 0,         // the address space exists (a fork child starts dead)
  MMF_HAS_PINNED = 1u << 1,  // include/linux/sched/coredump.h
};

// 24 bytes.
template <class V>
struct MmT {
  template <class T>
  using Int = typename V::template Int<T>;
  typename V::template Array<VmaT<V>, kMaxVmas> vmas;
  typename V::template Array<PteT<V>, kMaxAddrs> ptes;
  Int<uint8_t> flags;              // MmFlag
  Int<int8_t> mmap_lock;           // readers (>0), a writer (-1), free (0)
  Int<uint8_t> write_protect_seq;  // odd while fork copies (seqcount)
  Int<uint8_t> file_of_vma;        // file of each VMA, 2 bits per VMA
  const VmaT<V>* find_vma(int addr) const {
    for (const VmaT<V>& v : vmas)
      if (v.contains(addr)) return &v;
    return nullptr;
  }
  int vma_file(const VmaT<V>* v) const { return int((file_of_vma >> int(2 * (v - &vmas[0]))) & 3); }
};
using Mm = MmT<Plain>;
static_assert(sizeof(Mm) == 24);

// mm/internal.h / include/linux/mm.h helpers on VMAs.
template <class V>
bool is_cow_mapping(const VmaT<V>& v) {
  return !v.test(VM_SHARED) && v.test(VM_MAYWRITE);
}
template <class V>
bool vma_is_anonymous(const VmaT<V>& v) {
  return v.kind == VmaKind::kAnon;
}
// include/linux/fs.h: vma_is_fsdax().
template <class V>
bool vma_is_fsdax(const VmaT<V>& v) {
  return v.kind == VmaKind::kFsdax;
}
template <class V>
bool vma_is_secretmem(const VmaT<V>& v) {
  return v.kind == VmaKind::kSecretmem;
}
// mm/vma.c: vma_needs_dirty_tracking(): shared writable mapping of a file
// with page_mkwrite or writeback (ext4-like; not shmem, hugetlbfs).
template <class V>
bool vma_needs_dirty_tracking(const VmaT<V>& v) {
  if (!(v.test(VM_WRITE) && v.test(VM_SHARED))) return false;
  return v.kind == VmaKind::kFileShared || v.kind == VmaKind::kFsdax;
}

const char* vma_kind_name(VmaKind k);

}  // namespace gup
