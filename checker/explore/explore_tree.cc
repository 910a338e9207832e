#include "checker/explore/explore_tree.h"

#include <cassert>
#include <cstring>

namespace gup::explore {

TreeEncoder::TreeEncoder(int words) : words_(words) {
  assert(words >= 2 && words % 2 == 0 && "TreeEncoder: an even number of words");
  int n = words, at = 0;
  offset_.push_back(0);
  count_.push_back(n);
  while (n > 2) {
    at += n;
    n = (n + 1) / 2;
    offset_.push_back(at);
    count_.push_back(n);
  }
}

// Level k+1 node i combines entries 2i and 2i+1 of level k; an odd last
// entry passes through. With `prev`, a node whose children are unchanged
// keeps its previous id without touching the table.
uint64_t TreeEncoder::fold(const uint32_t* prev, NodeTable& table, IdBlock& ids,
                           uint32_t* vals) const {
  for (size_t k = 0; k + 1 < offset_.size(); k++) {
    const uint32_t* in = vals + offset_[k];
    const uint32_t* old = prev ? prev + offset_[k] : nullptr;
    uint32_t* out = vals + offset_[k + 1];
    int n = count_[k];
    // The changed nodes of a level are independent: start all their table
    // loads before the first intern waits for one.
    for (int i = 0; 2 * i + 1 < n; i++)
      if (!old || in[2 * i] != old[2 * i] || in[2 * i + 1] != old[2 * i + 1])
        table.prefetch(uint64_t{in[2 * i]} << 32 | in[2 * i + 1]);
    for (int i = 0; 2 * i < n; i++) {
      if (2 * i + 1 == n) {
        out[i] = in[2 * i];
      } else if (old && in[2 * i] == old[2 * i] && in[2 * i + 1] == old[2 * i + 1]) {
        out[i] = prev[offset_[k + 1] + i];
      } else {
        out[i] = table.intern(uint64_t{in[2 * i]} << 32 | in[2 * i + 1], ids);
      }
    }
  }
  const uint32_t* top = vals + offset_.back();
  return uint64_t{top[0]} << 32 | top[1];
}

uint64_t TreeEncoder::encode(const uint32_t* w, NodeTable& table, IdBlock& ids,
                             uint32_t* vals) const {
  std::memcpy(vals, w, sizeof(uint32_t) * words_);
  return fold(nullptr, table, ids, vals);
}

uint64_t TreeEncoder::encode_from(const uint32_t* w, const uint32_t* prev, NodeTable& table,
                                  IdBlock& ids, uint32_t* vals) const {
  std::memcpy(vals, w, sizeof(uint32_t) * words_);
  return fold(prev, table, ids, vals);
}

}  // namespace gup::explore
