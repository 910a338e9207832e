// Printable names of the model's enums, as the kernel spells them.
#include <cstddef>

#include "model/constants.h"
#include "model/folio.h"
#include "model/mm.h"
#include "model/task.h"

namespace gup {

const char* errno_name(int err) {
  switch (err) {
    case kOk:
      return "0";
    case EINTR_:
      return "-EINTR";
    case ENOMEM_:
      return "-ENOMEM";
    case EAGAIN_:
      return "-EAGAIN";
    case EFAULT_:
      return "-EFAULT";
    case EBUSY_:
      return "-EBUSY";
    case EINVAL_:
      return "-EINVAL";
    case EOPNOTSUPP_:
      return "-EOPNOTSUPP";
    default:
      return "?";
  }
}

const char* folio_kind_name(FolioKind k) {
  static const char* const names[] = {"anon",      "pagecache", "shmem",           "hugetlb",
                                      "fsdax",     "devdax",    "device-coherent", "secretmem",
                                      "zero-page", "driver"};
  return k < FolioKind::kCount ? names[int(k)] : "?";
}

const char* zone_name(Zone z) {
  static const char* const names[] = {"ZONE_NORMAL", "ZONE_MOVABLE", "ZONE_DEVICE"};
  return z < Zone::kCount ? names[int(z)] : "?";
}

const char* migratetype_name(Migratetype m) {
  static const char* const names[] = {"MIGRATE_UNMOVABLE", "MIGRATE_MOVABLE", "MIGRATE_CMA",
                                      "MIGRATE_ISOLATE"};
  return m < Migratetype::kCount ? names[int(m)] : "?";
}

const char* vma_kind_name(VmaKind k) {
  static const char* const names[] = {"none",    "anon",  "file-shared", "file-private", "shmem",
                                      "hugetlb", "fsdax", "devdax",      "secretmem",    "driver"};
  return k < VmaKind::kCount ? names[int(k)] : "?";
}

const char* op_name(OpKind k) {
  static const char* const names[] = {"none",
                                      "pin_user_pages",
                                      "get_user_pages",
                                      "pin_user_pages_fast",
                                      "get_user_pages_fast",
                                      "unpin_user_pages",
                                      "fork",
                                      "madvise_dontneed",
                                      "write_fault",
                                      "read_fault",
                                      "mprotect",
                                      "reclaim",
                                      "split_huge_page",
                                      "truncate",
                                      "lru_add_drain_all",
                                      "compact",
                                      "cma_alloc",
                                      "transient_ref"};
  static_assert(sizeof(names) / sizeof(names[0]) == std::size_t(OpKind::kCount));
  return k < OpKind::kCount ? names[int(k)] : "?";
}

bool op_is_gup(OpKind k) {
  return k == OpKind::kPinUserPages || k == OpKind::kGetUserPages ||
         k == OpKind::kPinUserPagesFast || k == OpKind::kGetUserPagesFast;
}

}  // namespace gup
