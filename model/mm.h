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
struct Vma {
  uint8_t start;
  uint8_t end;
  VmaKind kind;
  uint8_t vm_flags;  // VmFlag
  bool contains(int addr) const { return kind != VmaKind::kNone && addr >= start && addr < end; }
  bool test(VmFlag f) const { return vm_flags & f; }
};
static_assert(sizeof(Vma) == 4);

enum class PteKind : uint8_t { kNone, kPresent, kMigration };

// A page-table entry: 2 bytes.
struct Pte {
  uint8_t folio;  // folio index (kNoFolio when none)
  uint8_t bits;   // kind (2 bits) | write | page index | exclusive (migration entries)

  static constexpr uint8_t kKindMask = 0x3;
  static constexpr uint8_t kWrite = 1u << 2;
  static constexpr uint8_t kPage = 1u << 3;       // which page of a large folio
  static constexpr uint8_t kExclusive = 1u << 4;  // readable-exclusive migration entry

  PteKind kind() const { return PteKind(bits & kKindMask); }
  bool none() const { return kind() == PteKind::kNone; }
  bool present() const { return kind() == PteKind::kPresent; }
  bool is_migration() const { return kind() == PteKind::kMigration; }
  bool write() const { return bits & kWrite; }
  int page() const { return (bits & kPage) ? 1 : 0; }
  bool exclusive() const { return bits & kExclusive; }

  static Pte make_none() { return Pte{kNoFolio, 0}; }
  static Pte make_present(int folio, int page, bool write) {
    return Pte{uint8_t(folio),
               uint8_t(uint8_t(PteKind::kPresent) | (write ? kWrite : 0) | (page ? kPage : 0))};
  }
  static Pte make_migration(int folio, int page, bool write, bool exclusive) {
    return Pte{uint8_t(folio), uint8_t(uint8_t(PteKind::kMigration) | (write ? kWrite : 0) |
                                       (page ? kPage : 0) | (exclusive ? kExclusive : 0))};
  }
  bool operator==(const Pte&) const = default;
};
static_assert(sizeof(Pte) == 2);

enum MmFlag : uint8_t {
  kMmLive = 1u << 0,         // the address space exists (a fork child starts dead)
  MMF_HAS_PINNED = 1u << 1,  // include/linux/sched/coredump.h
};

// 24 bytes.
struct Mm {
  Vma vmas[kMaxVmas];
  Pte ptes[kMaxAddrs];
  uint8_t flags;              // MmFlag
  int8_t mmap_lock;           // readers (>0), a writer (-1), free (0)
  uint8_t write_protect_seq;  // odd while fork copies (seqcount)
  uint8_t file_of_vma;        // file of each VMA, 2 bits per VMA
  const Vma* find_vma(int addr) const {
    for (const Vma& v : vmas)
      if (v.contains(addr)) return &v;
    return nullptr;
  }
  int vma_file(const Vma* v) const { return (file_of_vma >> (2 * (v - vmas))) & 3; }
};
static_assert(sizeof(Mm) == 24);

// mm/internal.h / include/linux/mm.h helpers on VMAs.
inline bool is_cow_mapping(const Vma& v) {
  return !v.test(VM_SHARED) && v.test(VM_MAYWRITE);
}
inline bool vma_is_anonymous(const Vma& v) {
  return v.kind == VmaKind::kAnon;
}
// include/linux/fs.h: vma_is_fsdax().
inline bool vma_is_fsdax(const Vma& v) {
  return v.kind == VmaKind::kFsdax;
}
inline bool vma_is_secretmem(const Vma& v) {
  return v.kind == VmaKind::kSecretmem;
}
// mm/vma.c: vma_needs_dirty_tracking(): shared writable mapping of a file
// with page_mkwrite or writeback (ext4-like; not shmem, hugetlbfs).
inline bool vma_needs_dirty_tracking(const Vma& v) {
  if (!(v.test(VM_WRITE) && v.test(VM_SHARED))) return false;
  return v.kind == VmaKind::kFileShared || v.kind == VmaKind::kFsdax;
}

const char* vma_kind_name(VmaKind k);

}  // namespace gup
