// The seen set of the explore engine and the node table of its tree
// compression. Both are insert-only open-addressing tables with linear
// probing over a power-of-two array (docs/internals-explore.md).
//
// Thread safety: insert()/intern() may run concurrently from any number of
// threads (lock-free: a slot is claimed with one compare-and-swap). grow()
// and the counters' add() run only while no thread inserts (between rounds
// of the level-synchronous search), so a table never fills during a round
// as long as the caller keeps the headroom reserve() asks for.
#pragma once

#include <atomic>
#include <cstdint>

#include "checker/explore/explore_hash.h"
#include "checker/explore/explore_mem.h"

namespace gup::explore {

// A set of 64-bit keys (tree roots or fingerprints): 8 bytes a slot, and
// with `aux` another 8 bytes a slot of caller data (the sleep-set search
// keeps a state's id and sleep set there), moved along when the set grows.
class KeySet {
 public:
  explicit KeySet(int log2_capacity = 16, bool aux = false);
  // True when `key` was not in the set. REQUIRES: no concurrent grow().
  bool insert(uint64_t key) { return insert_slot(key).fresh; }
  struct Inserted {
    bool fresh;
    uint64_t* aux;  // the key's aux word (null without aux)
  };
  Inserted insert_slot(uint64_t key);
  // The aux word of a key in the set, or null.
  uint64_t* find_aux(uint64_t key) const;
  bool contains(uint64_t key) const;
  // Records `n` successful inserts (callers count their own, to keep one
  // shared counter off the hot path).
  void add(uint64_t n) { size_ += n; }
  uint64_t size() const { return size_; }
  uint64_t capacity() const { return mask_ + 1; }
  uint64_t bytes() const { return capacity() * sizeof(uint64_t) * (aux_.size() ? 2 : 1); }
  // Grows until `incoming` more keys keep the load under kMaxLoad. Returns
  // false if that would take more than `max_bytes` (0: no limit).
  bool reserve(uint64_t incoming, uint64_t max_bytes);

  static constexpr double kMaxLoad = 0.75;

 private:
  uint64_t* slots() const { return static_cast<uint64_t*>(mem_.data()); }
  uint64_t* auxes() const { return static_cast<uint64_t*>(aux_.data()); }
  // Slot index of `key` (claimed if absent); `fresh` says which.
  uint64_t probe(uint64_t* slots, uint64_t mask, uint64_t key, bool* fresh);

  ZeroedBytes mem_, aux_;
  uint64_t mask_ = 0;
  uint64_t size_ = 0;
  // 0 marks an empty slot, so key 0 is stored as this key instead, which
  // can never be a real key (keys are tree roots with nonzero ids, or
  // fingerprints, which are remapped below).
  static constexpr uint64_t kZeroAlias = ~uint64_t{0};
  static uint64_t stored(uint64_t key) { return key == 0 ? kZeroAlias : key; }
};

// A block of node ids handed to one thread, so that threads draw ids
// without touching a shared counter for every new node.
struct IdBlock {
  uint32_t next = 0, end = 0;
  uint64_t fresh = 0;  // nodes this thread created since the last add()
};

// Interns 64-bit keys (pairs of 32-bit words or node ids) as dense 32-bit
// ids: 16 bytes a slot (key, id).
class NodeTable {
 public:
  explicit NodeTable(int log2_capacity = 16);
  uint32_t intern(uint64_t key, IdBlock& ids);
  // Starts loading the slot where intern(key) begins probing.
  void prefetch(uint64_t key) const { __builtin_prefetch(&slots()[mix64(key) & mask_]); }
  void add(uint64_t n) { size_ += n; }
  uint64_t size() const { return size_; }
  uint64_t capacity() const { return mask_ + 1; }
  uint64_t bytes() const { return capacity() * sizeof(Slot); }
  bool reserve(uint64_t incoming, uint64_t max_bytes);
  // False once ids would run out (2^32 - 1 nodes).
  bool ids_left() const { return next_id_.load() < 0xffff0000u; }

  static constexpr double kMaxLoad = 0.75;

 private:
  struct Slot {
    uint64_t key;  // key + 1; 0: empty
    uint32_t id;   // 0 until the inserting thread publishes it
    uint32_t pad;
  };
  Slot* slots() const { return static_cast<Slot*>(mem_.data()); }
  uint32_t new_id(IdBlock& ids);

  ZeroedBytes mem_;
  uint64_t mask_ = 0;
  uint64_t size_ = 0;
  std::atomic<uint32_t> next_id_{1};
  std::atomic<uint32_t> max_key_id_{0};  // the id of key ~0 (key + 1 would be 0)
};

}  // namespace gup::explore
