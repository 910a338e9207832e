// Internal to explore_search.cc and explore_expand.cc: the state of one
// search and of its worker threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "checker/explore/explore_fpset.h"
#include "checker/explore/explore_pack.h"
#include "checker/explore/explore_search.h"
#include "checker/explore/explore_seen.h"
#include "checker/explore/explore_tree.h"
#include "model/symmetry.h"

namespace gup::explore {

inline constexpr int kMaxSucc = kMaxTasks * kMaxChoices;
// State ids a thread takes at once: its parent links fill whole cache lines
// of their own, and the shared counter is touched once per block.
inline constexpr uint32_t kIdBlock = 256;

// The aux word of a stored state when sleep sets are on.
namespace aux {
inline constexpr uint64_t kValid = uint64_t{1} << 63;     // written after the key
inline constexpr uint64_t kExpanded = uint64_t{1} << 40;  // its successors were generated
inline uint64_t make(uint32_t id, uint8_t sleep) {
  return kValid | uint64_t{sleep} << 32 | id;
}
inline uint8_t sleep(uint64_t a) {
  return uint8_t(a >> 32);
}
inline uint32_t id(uint64_t a) {
  return uint32_t(a);
}
}  // namespace aux

// Entries of one fixed number of words, in chunks of 4096 entries that
// are kept when the buffer is cleared: a level buffer never moves its
// states when it grows, and reuses the memory of the level before.
class EntryBuffer {
 public:
  // `words` is the same for every push.
  void push(const uint32_t* e, size_t words) {
    if (n_ == chunks_.size() << kShift) {
      words_ = words;
      chunks_.push_back(std::make_unique<uint32_t[]>((kMask + 1) * words));
    }
    std::memcpy(chunks_[n_ >> kShift].get() + (n_ & kMask) * words_, e, words * 4);
    n_++;
  }
  const uint32_t* operator[](size_t i) const {
    return chunks_[i >> kShift].get() + (i & kMask) * words_;
  }
  void clear() { n_ = 0; }
  uint64_t bytes() const { return (chunks_.size() << kShift) * words_ * 4; }

 private:
  static constexpr size_t kShift = 12, kMask = (size_t{1} << kShift) - 1;
  std::vector<std::unique_ptr<uint32_t[]>> chunks_;
  size_t n_ = 0, words_ = 0;
};

// States waiting at one depth, struct-of-arrays. todo: the steps still to
// expand (0xff: all; fewer for a re-expansion after its sleep set shrank).
struct Level {
  // Per state `entry_words`: the packed state, and with tree compression
  // then its tree's node ids (TreeEncoder vals), so that expanding it
  // re-interns nothing.
  EntryBuffer data;
  std::vector<uint32_t> ids;
  std::vector<uint8_t> todo, sleep;
  std::vector<uint64_t> keys;  // sleep sets only: the state's key in the seen set
  size_t n = 0;
  void clear();
  uint64_t bytes() const;
};

// Successors waiting for their seen-set lookups (hash compaction): their
// buckets are prefetched when they are staged, and probed once kBatch more
// successors have been staged after them.
inline constexpr int kBatch = 16;
struct Batch {
  static constexpr int kCap = kBatch + kMaxSucc;
  std::vector<uint32_t> words;  // packed states, `words_` each
  uint64_t fp[kCap];
  uint32_t parent[kCap];
  uint8_t step[kCap];
  int n = 0;
};

struct Worker {
  State st, canon;
  State succ[kMaxSucc];
  StepBuffer steps, probe;
  EventLog ev;
  IdBlock ids;
  uint8_t task_of[kMaxTasks];
  std::vector<uint32_t> parent_vals, succ_vals, succ_words;
  const uint32_t* parent = nullptr;  // tree of the state being expanded
  Level out;
  Batch staged, ready;
  // This thread's block of state ids: [id_next, id_end).
  uint32_t id_next = 0, id_end = 0;
  uint64_t transitions = 0, fresh = 0, moved = 0, skipped = 0, reexpanded = 0, compared = 0;
};

class Search {
 public:
  Search(const Config& cfg, std::span<const Property* const> props, const EngineOptions& opts);
  SearchOutcome run();

 private:
  // explore_expand.cc
  void expand(Worker& w, size_t i);
  bool check(Worker& w, const State* before, Step step, const State& after, uint32_t from);
  void add_successor(Worker& w, const State& t, uint32_t parent, Step step, uint8_t sleep);
  uint8_t child_sleep(Worker& w, int b, uint8_t candidates);
  bool enabled_in(Worker& w, const State& s, Step step);
  void store_fresh(Worker& w, const uint32_t* entry, uint32_t parent, Step step, uint64_t fp,
                   uint8_t sleep, uint64_t key);
  void flush_ready(Worker& w);
  // explore_search.cc
  void start();
  void work(int w);
  bool plan_round();
  bool over_budget();
  void finish_level();
  void collect(Worker& w);

  const Config& cfg_;
  std::span<const Property* const> props_;
  const EngineOptions& opts_;
  Packer packer_;
  size_t words_;            // packed words per state
  size_t entry_words_ = 0;  // words of a Level entry
  bool exact_, por_;
  std::unique_ptr<Symmetry> sym_;
  TreeEncoder tree_;
  KeySet set_;
  NodeTable nodes_;
  // Hash compaction without sleep sets stores fingerprints here instead of
  // in set_ (sleep sets need set_'s aux word).
  std::unique_ptr<FingerprintSet> fps_;
  SearchOutcome out_;
  std::vector<std::unique_ptr<Worker>> workers_;

  // The level being expanded: the previous level's per-thread buffers,
  // not concatenated; seg_start_ are their prefix sums.
  std::vector<Level> cur_;
  std::vector<size_t> seg_start_;
  size_t level_n_ = 0;
  std::atomic<uint32_t> next_id_{0};  // the first id no block holds
  uint64_t stored_ = 0;               // states stored (ids used), between rounds
  int levels_ = 0;                    // levels made so far (the initial one is 1)
  std::atomic<size_t> cursor_{0};
  size_t round_end_ = 0, level_pos_ = 0;
  std::atomic<bool> stop_{false};
  bool done_ = false;
  std::mutex found_mu_;
  std::chrono::steady_clock::time_point t0_;
};

}  // namespace gup::explore
