// Hashing for the explore engine's tables: a 64-bit finaliser for keys that
// are already well spread (tree roots, node pairs) and a multiply-mix hash
// over whole packed states (fingerprints for hash compaction).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace gup::explore {

// splitmix64's finaliser: a bijection, so distinct keys keep distinct hashes.
inline uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// 128-bit multiply folded to 64 bits (wyhash's "mum").
inline uint64_t mum(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

// Hash of `n` bytes, n a multiple of 8. Used as a 64-bit fingerprint: every
// word passes through a full 64x64 multiply with its position mixed in.
inline uint64_t hash_words(const uint8_t* p, size_t n, uint64_t seed) {
  uint64_t h = seed ^ 0x9e3779b97f4a7c15ull;
  for (size_t i = 0; i < n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = mum(h ^ w ^ 0xa0761d6478bd642full, (i + 1) * 0xe7037ed1a0b428dbull | 1);
  }
  return mix64(h ^ n);
}

// Seed of the fingerprints of packed states.
inline constexpr uint64_t kFingerprintSeed = 0x6a09e667f3bcc909ull;

}  // namespace gup::explore
