#include "checker/explore/explore_fpset.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace gup::explore {

namespace {
constexpr uint64_t kLowMask = (uint64_t{1} << 40) - 1;

uint64_t load_entry(const uint8_t* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, 5);
  return v;
}
}  // namespace

FingerprintSet::FingerprintSet(uint64_t bytes)
    : mem_(std::max<uint64_t>(bytes / sizeof(Bucket), 1) * sizeof(Bucket)),
      nbuckets_(std::max<uint64_t>(bytes / sizeof(Bucket), 1)) {}

FingerprintSet::Result FingerprintSet::insert(uint64_t h) {
  // 0 is never stored, so an entry of 0 bits reads as 1 (one more value
  // shared by two remainders; counted like any other comparison).
  uint64_t lo = h & kLowMask;
  if (lo == 0) lo = 1;
  Result r{false, 0};
  uint64_t b = home(h);
  for (uint64_t walked = 0; walked < nbuckets_; walked++) {
    Bucket& k = buckets()[b];
    std::atomic_ref<uint32_t> header(k.header);
    uint32_t seen = 0;  // entries of this bucket already compared
    for (;;) {
      uint32_t hd = header.load(std::memory_order_acquire);
      uint32_t n = hd & ~kLock;
      for (; seen < n; seen++) {
        r.compared++;
        if (load_entry(k.entry + seen * kEntryBytes) == lo) return r;
      }
      if (n == kEntries) break;  // full: on to the next bucket
      if (hd & kLock) {
        _mm_pause();
        continue;
      }
      if (!header.compare_exchange_weak(hd, hd | kLock, std::memory_order_acquire)) continue;
      std::memcpy(k.entry + n * kEntryBytes, &lo, kEntryBytes);
      header.store(n + 1, std::memory_order_release);
      r.fresh = true;
      return r;
    }
    b = b + 1 == nbuckets_ ? 0 : b + 1;
  }
  return r;  // unreachable under the caller's load limit
}

uint64_t FingerprintSet::headroom() const {
  uint64_t limit = uint64_t(kMaxLoad * double(capacity()));
  return limit > size_ ? limit - size_ : 0;
}

double FingerprintSet::omission_bound(uint64_t compared) {
  return std::min(1.0, double(compared) / std::ldexp(1.0, 40));
}

}  // namespace gup::explore
