// Compile-time maxima, GUP flags and errno values of the model.
//
// The state is a fixed-size value: every array below is sized by one of
// these maxima and a Config says how many entries are in use.
#pragma once

#include <cstdint>

namespace gup {

inline constexpr int kMaxFolios = 12;        // folios, including free ones (targets)
inline constexpr int kMaxMms = 2;            // address spaces (a parent and a fork child)
inline constexpr int kMaxAddrs = 4;          // virtual pages per address space
inline constexpr int kMaxVmas = 3;           // VMAs per address space
inline constexpr int kMaxFiles = 2;          // files (inodes) with page caches
inline constexpr int kMaxTasks = 4;          // concurrently running operations
inline constexpr int kMaxScript = 4;         // operations one task performs in turn
inline constexpr int kMaxPages = kMaxAddrs;  // entries of a GUP call's pages[]
inline constexpr int kNoFolio = 0xf;         // "no folio" in 4-bit folio fields
inline constexpr int kMaxChoices = 2;        // environment choices of one step

// include/linux/mm.h: GUP_PIN_COUNTING_BIAS.
inline constexpr int kGupPinCountingBias = 1024;

// Public and internal FOLL_* flags (include/linux/mm_types.h, mm/internal.h,
// 6.12). Values are the kernel's so that a trace reads like the source.
enum GupFlag : uint32_t {
  FOLL_WRITE = 1u << 0,
  FOLL_GET = 1u << 1,
  FOLL_FORCE = 1u << 3,
  FOLL_LONGTERM = 1u << 8,
  FOLL_TOUCH = 1u << 16,
  FOLL_PIN = 1u << 19,
};

// errno values returned by the modelled kernel functions (negated, as in
// the kernel). They fit an int8_t.
enum Errno : int8_t {
  kOk = 0,
  EINTR_ = -4,
  ENOMEM_ = -12,
  EAGAIN_ = -11,
  EFAULT_ = -14,
  EBUSY_ = -16,
  EINVAL_ = -22,
  EOPNOTSUPP_ = -95,
};

const char* errno_name(int err);

}  // namespace gup
