// Branch coverage of the model in kernel terms (docs/coverage.md).
//
// A branch is one atomic section of one op of one task's script, taken with
// one environment choice: (task, script_pos, pc, choice), shown as the op,
// the kernel function of the section (StepInfo::function), the section and
// the choice ("" or e.g. "allocation fails"). Its outcomes are the sections
// the task is in after the step (or "the op returned"): e.g.
// migrate_folio_unmap goes on to migrate_folio_move, or to
// putback_movable_pages when the migration failed. Everything is read
// through model/model.h: Task::script_pos and Task::pc of the states before
// and after the step, and step_info() for the names.
//
// Invariants:
//  C1. Map::record() allocates nothing and, once a branch and outcome were
//      seen, costs two relaxed loads and an index computation; step_info()
//      runs only the first time a branch is seen.
//  C2. A Map may be recorded into from several threads (explore's workers):
//      each slot is an atomic pointer that only ever goes from null to a
//      static string of the model, so racing first hits store equal values,
//      and outcome bits are only ever set.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"

namespace gup::coverage {

// Sections recorded per op. GUP ops have 12 (model/gup_internal.h GupPc,
// kPcStart..kPcPutback); the other ops have fewer. A pc beyond is counted
// in Map::overflow() and fails the coverage tests.
inline constexpr int kMaxSections = 16;
inline constexpr int kGupSections = 12;
inline constexpr int kSlots = kMaxTasks * kMaxScript * kMaxSections * kMaxChoices;
// Branch::next: the op returned (the task went on to its next op or is done).
inline constexpr uint8_t kOpReturned = kMaxSections;
// Branch::next: the branch itself, whatever its outcome.
inline constexpr uint8_t kAnyOutcome = 0xff;

struct Branch {
  uint8_t task = 0;
  uint8_t script_pos = 0;
  uint8_t pc = 0;
  uint8_t choice = 0;
  uint8_t next = kAnyOutcome;  // an outcome: the section after the step, or kOpReturned
  auto operator<=>(const Branch&) const = default;
  bool is_outcome() const { return next != kAnyOutcome; }
  Branch any_outcome() const { return Branch{task, script_pos, pc, choice}; }
  int slot() const {
    return ((task * kMaxScript + script_pos) * kMaxSections + pc) * kMaxChoices + choice;
  }
  static Branch of_slot(int slot);
};

// The branches one engine reached, with the names step_info() gave them.
class Map {
 public:
  Map() = default;
  Map(const Map& o) { merge(o); }
  Map& operator=(const Map& o);

  // Records the branch `step` takes in `s` and its outcome in `after`, the
  // state apply() made of `s`.
  void record(const State& s, const Config& cfg, Step step, const State& after) {
    const Task& t = s.tasks[step.task];
    const Task& a = after.tasks[step.task];
    if (t.pc >= kMaxSections || a.pc >= kMaxSections) {
      overflow_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    int i = Branch{step.task, t.script_pos, t.pc, step.choice}.slot();
    if (!function_[i].load(std::memory_order_relaxed)) first_hit(s, cfg, step, i);
    uint32_t bit = 1u << (a.script_pos != t.script_pos ? kOpReturned : a.pc);
    if (!(outcomes_[i].load(std::memory_order_relaxed) & bit))
      outcomes_[i].fetch_or(bit, std::memory_order_relaxed);
  }
  bool hit(Branch b) const {
    if (b.is_outcome()) return outcomes_[b.slot()].load(std::memory_order_relaxed) >> b.next & 1;
    return function_[b.slot()].load(std::memory_order_relaxed);
  }
  // The kernel function and choice text step_info() gave, or null if not hit.
  const char* function(Branch b) const {
    return function_[b.slot()].load(std::memory_order_relaxed);
  }
  const char* choice_text(Branch b) const {
    return choice_[b.slot()].load(std::memory_order_relaxed);
  }
  void merge(const Map& o);
  std::vector<Branch> branches() const;  // the hit ones, in slot order
  std::vector<Branch> outcomes() const;  // the hit outcomes, in slot and section order
  int count() const;                     // of branches()
  uint64_t overflow() const { return overflow_.load(std::memory_order_relaxed); }

 private:
  void first_hit(const State& s, const Config& cfg, Step step, int i);
  std::array<std::atomic<const char*>, kSlots> function_{};
  std::array<std::atomic<const char*>, kSlots> choice_{};
  std::array<std::atomic<uint32_t>, kSlots> outcomes_{};  // bit n: Branch::next == n
  std::atomic<uint64_t> overflow_{0};
};

// The branches a configuration is known to have before any engine runs
// (the targets guidance can aim at): for each GUP op of each script, its
// sections (the fast-path sections only for *_fast ops, the long-term
// loop only with FOLL_LONGTERM) with the ordinary outcome, plus the
// injected failure at faultin_page, collect, unpin and migrate_folio_unmap
// when the configuration injects allocation failures; for every other op
// its first section. The pc range of the other ops is private to the
// model, so their later sections join the universe only when an engine
// reaches them (docs/coverage.md).
std::vector<Branch> candidate_branches(const Config& cfg);

// Kernel names of a GUP section (gup_info() in model/gup.cc), for rows no
// engine reached.
const char* gup_section_name(int pc);                 // "check_vma_flags, try_grab_folio"
const char* gup_section_function(int pc, bool fast);  // "follow_page_pte"
const char* gup_section_failure(int pc);              // "allocation fails", or ""

}  // namespace gup::coverage
