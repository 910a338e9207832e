// The explore engine's search: level-synchronous breadth-first search of
// every state reachable from cfg.initial, checking properties on the
// initial state and on every transition.
//
// Each level (the states at one depth) is expanded in rounds by `jobs`
// threads that take chunks of it; new states go to per-thread buffers that
// become the next level when the level is done, so every state's depth is
// its BFS distance and the first violating transition found gives a
// shortest trace. Between rounds one thread grows the tables, checks
// budgets and merges. Stored per state: its key in the seen set (a tree
// root, or a fingerprint with compaction) and, in the arena, its parent and
// the step that reached it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "checker/core/engine.h"
#include "checker/explore/explore_chunked.h"

namespace gup::explore {

inline constexpr uint32_t kNoParent = 0xffffffffu;

// Per state, by id. Ids are handed out at insertion from per-thread blocks
// of kIdBlock, so ids left in a block when the search ends are never used
// (their entries stay zero) and ids say nothing about depth.
struct Arena {
  ChunkedArray<uint32_t> parent;
  ChunkedArray<uint8_t> step;  // task << 1 | choice
  ChunkedArray<uint64_t> fp;   // with symmetry: fingerprint of the stored state
  uint64_t bytes() const { return parent.bytes() + step.bytes() + fp.bytes(); }
  uint64_t spilled_bytes() const {
    return parent.spilled_bytes() + step.spilled_bytes() + fp.spilled_bytes();
  }
  void spill_below(size_t n) {
    parent.spill_below(n);
    step.spill_below(n);
    fp.spill_below(n);
  }
};

enum class Stop { kExhausted, kViolation, kBudget };

struct SearchOutcome {
  Stop stop = Stop::kExhausted;
  std::string budget;  // for kBudget: which limit, e.g. "--max-states"
  // For kViolation: the transition (from state `from` by `step`) that
  // broke props[property]; from == kNoParent: the initial state did.
  uint32_t from = kNoParent;
  Step step{};
  int property = -1;
  Arena arena;
  uint64_t states = 0, transitions = 0;
  int depth = 0;  // deepest level completely or partly expanded
  double seconds = 0;
  uint64_t set_bytes = 0, node_bytes = 0, nodes = 0, frontier_bytes = 0;
  // Hash compaction: fingerprint-table capacity (states) and the stored
  // entries new fingerprints were compared with (the omission bound).
  uint64_t table_capacity = 0, compared = 0;
  uint64_t canonical_moved = 0;  // successors symmetry replaced by another image
  uint64_t sleep_skipped = 0;    // transitions the sleep sets did not expand
  uint64_t reexpanded = 0;       // states expanded again for a smaller sleep set
  int rounds = 0;
};

SearchOutcome search(const Config& cfg, std::span<const Property* const> props,
                     const EngineOptions& opts);

// The step encoding used in the arena.
inline uint8_t encode_step(Step s) {
  return uint8_t(s.task << 1 | s.choice);
}
inline Step decode_step(uint8_t b) {
  return Step{uint8_t(b >> 1), uint8_t(b & 1)};
}

}  // namespace gup::explore
