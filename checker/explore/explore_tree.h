// Tree compression (after Laarman, van de Pol and Weber, SPIN 2011): a
// packed state of W 32-bit words is folded pairwise into a binary tree whose
// nodes are interned in a NodeTable; the two ids at the top form the
// state's 64-bit root, which is what the seen set stores. Interning is
// injective, so two states are equal exactly when their roots are.
//
// Successors differ from their parent in a few words, so encode_from()
// re-interns only the nodes above changed words and reuses the parent's ids
// for the rest.
#pragma once

#include <cstdint>
#include <vector>

#include "checker/explore/explore_seen.h"

namespace gup::explore {

class TreeEncoder {
 public:
  // `words`: an even number >= 2.
  explicit TreeEncoder(int words);
  // Values of every level (words first, then node ids): vals_size() entries.
  int vals_size() const { return offset_.back() + 2; }
  // Nodes a state occupies at most (for table headroom).
  int nodes() const { return vals_size() - words_ - 2; }
  uint64_t encode(const uint32_t* w, NodeTable& table, IdBlock& ids, uint32_t* vals) const;
  uint64_t encode_from(const uint32_t* w, const uint32_t* prev, NodeTable& table, IdBlock& ids,
                       uint32_t* vals) const;

 private:
  uint64_t fold(const uint32_t* prev, NodeTable& table, IdBlock& ids, uint32_t* vals) const;

  int words_;
  std::vector<int> offset_;  // start of each level in vals; the last has 2 entries
  std::vector<int> count_;
};

}  // namespace gup::explore
