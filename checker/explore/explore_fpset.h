// The seen set of hash compaction (--compact without sleep sets): a
// fixed-size table of 64-byte buckets, each one cache line holding twelve
// 40-bit fingerprint remainders, after Stern & Dill's hash compaction with
// the bucket index taken from the high bits of the 64-bit fingerprint.
//
// A state's fingerprint h picks its home bucket from its high bits and
// stores its low 40 bits. When the home bucket is full the entry goes to
// the next bucket that is not (buckets fill and never empty, so a lookup
// that walks on from a full bucket meets every entry stored for its home).
// A new state is lost only when an entry it is compared with has the same
// 40 bits: probability 2^-40 per comparison, so the sum of comparisons
// over the search bounds the probability that any state was missed.
//
// The table never grows: growing would need the fingerprint bits that were
// not stored. The caller keeps the load under kMaxLoad between rounds and
// stops the search ("incomplete") when a round would not fit.
//
// Thread safety: insert() from any number of threads. A bucket's header
// (count, lock bit) is the only atomic; an entry is written under the lock
// before the count that exposes it is released.
#pragma once

#include <atomic>
#include <cstdint>

#include "checker/explore/explore_mem.h"

namespace gup::explore {

class FingerprintSet {
 public:
  static constexpr int kEntries = 12;      // per bucket
  static constexpr int kEntryBytes = 5;    // 40 bits
  static constexpr double kMaxLoad = 0.9;  // of all entries

  // A table of `bytes` (rounded down to whole buckets, at least one).
  explicit FingerprintSet(uint64_t bytes);

  struct Result {
    bool fresh;
    uint32_t compared;  // stored entries compared with h's 40 bits
  };
  // Inserts h unless an equal entry is found. REQUIRES: size() stays under
  // capacity() (the caller's headroom check).
  Result insert(uint64_t h);
  void prefetch(uint64_t h) const { __builtin_prefetch(&buckets()[home(h)], 1); }

  void add(uint64_t n) { size_ += n; }
  uint64_t size() const { return size_; }
  uint64_t capacity() const { return nbuckets_ * kEntries; }
  uint64_t bytes() const { return nbuckets_ * sizeof(Bucket); }
  // States that still fit under kMaxLoad.
  uint64_t headroom() const;
  // The probability bound for `compared` comparisons in all.
  static double omission_bound(uint64_t compared);

 private:
  struct alignas(64) Bucket {
    uint32_t header;  // kLock | count; accessed through atomic_ref
    uint8_t entry[kEntries * kEntryBytes];
  };
  static_assert(sizeof(Bucket) == 64);
  static constexpr uint32_t kLock = 1u << 31;

  Bucket* buckets() const { return static_cast<Bucket*>(mem_.data()); }
  // The high bits of h scaled to the bucket count (Lemire's multiply-shift),
  // independent of the stored low 40 bits while nbuckets_ <= 2^24.
  uint64_t home(uint64_t h) const {
    return uint64_t((static_cast<__uint128_t>(h) * nbuckets_) >> 64);
  }

  ZeroedBytes mem_;
  uint64_t nbuckets_;
  uint64_t size_ = 0;
};

}  // namespace gup::explore
