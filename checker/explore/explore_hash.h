// Hashing for the explore engine's tables: a 64-bit finaliser for keys that
// are already well spread (tree roots, node pairs) and NH over whole packed
// states (fingerprints for hash compaction and symmetry).
#pragma once

#include <array>
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

// Keys of hash_words(), one per 64-bit word position (splitmix64 stream).
inline constexpr std::array<uint64_t, 64> kNhKeys = [] {
  std::array<uint64_t, 64> k{};
  uint64_t x = 0x243f6a8885a308d3ull;
  for (uint64_t& v : k) {
    x += 0x9e3779b97f4a7c15ull;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    v = z ^ (z >> 31);
  }
  return k;
}();

// Hash of `n` bytes, n a multiple of 8, used as a 64-bit fingerprint: NH
// (the UMAC inner hash, Black et al., CRYPTO 1999) over pairs of 64-bit
// words, whose 128-bit products are independent of each other (so they
// pipeline instead of forming one chain of multiplies), folded to 64 bits.
inline uint64_t hash_words(const uint8_t* p, size_t n, uint64_t seed) {
  const size_t words = n / 8;
  __uint128_t acc = 0;
  size_t i = 0;
  for (; i + 1 < words; i += 2) {
    uint64_t a, b;
    std::memcpy(&a, p + 8 * i, 8);
    std::memcpy(&b, p + 8 * i + 8, 8);
    acc += static_cast<__uint128_t>(a + kNhKeys[i & 63] + seed) * (b + kNhKeys[(i + 1) & 63]);
  }
  if (i < words) {
    uint64_t a;
    std::memcpy(&a, p + 8 * i, 8);
    acc += static_cast<__uint128_t>(a + kNhKeys[i & 63] + seed) * (kNhKeys[(i + 1) & 63] | 1);
  }
  return mix64(static_cast<uint64_t>(acc) ^ mix64(static_cast<uint64_t>(acc >> 64) ^ n));
}

// Seed of the fingerprints of packed states.
inline constexpr uint64_t kFingerprintSeed = 0x6a09e667f3bcc909ull;

}  // namespace gup::explore
