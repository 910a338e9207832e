// Symmetry of a configuration: folios and tasks that are interchangeable,
// and a canonical representative of a state's orbit under permuting them.
//
// Interchangeable folios: free in the initial state with identical bytes,
// long-term pinnable (ZONE_NORMAL, not CMA or ISOLATE), and named by no
// script op. Such a folio can only become a fault or migration target; the
// allocator picks the lowest free index, which is harmless because free
// folios of one class are byte-identical (free_folio() resets what
// alloc_folio() reads), and GUP never collects them for migration, so no
// index-ordered isolation list holds two of them.
// Interchangeable tasks: identical scripts and initial bytes, on the same
// CPU (Config::cpu_of), since per-CPU LRU batches tell CPUs apart.
//
// canonicalize() permutes within each class (tasks sorted by their bytes,
// folios by their bytes and where they are referenced) and renumbers every
// folio reference: PTEs and migration entries, page-cache slots, and each
// task's pages[], isolated/failed sets, migration target, GUP-fast PTE
// snapshot, and `j` while a migration target is held (j names the source
// folio then). The result is a permutation image of the input (so it is
// reachable when the input is), equal for most states of one orbit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"

namespace gup {

class Symmetry {
 public:
  explicit Symmetry(const Config& cfg);
  // No class has two members: canonicalize() is the identity.
  bool trivial() const { return folio_classes_.empty() && task_classes_.empty(); }
  // `out` = a permutation image of `s`; task_of[k] is the task of `s` that
  // became task k of `out`. `s` and `out` may not alias.
  void canonicalize(const State& s, State& out, uint8_t task_of[kMaxTasks]) const;
  // e.g. "folios {4,5,6} tasks {0,2}".
  std::string describe() const;

 private:
  void sort_tasks(const State& s, State& out, uint8_t task_of[kMaxTasks]) const;
  void sort_folios(State& out) const;

  const Config* cfg_;
  std::vector<std::vector<uint8_t>> folio_classes_;
  std::vector<std::vector<uint8_t>> task_classes_;
};

}  // namespace gup
