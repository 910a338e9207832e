#include "model/state.h"

namespace gup {

// 64-bit FNV-1a over 8-byte words with a final avalanche (splitmix64): the
// state has no padding, so equal states hash equally.
template <>
uint64_t State::hash() const {
  const auto* p = reinterpret_cast<const unsigned char*>(this);
  uint64_t h = 0xcbf29ce484222325ull;
  size_t n = sizeof(State), i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 29;
  }
  for (; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  return h ^ (h >> 31);
}

}  // namespace gup
