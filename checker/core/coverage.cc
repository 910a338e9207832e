// Branch maps and the candidate branches of a configuration
// (checker/core/coverage.h).
#include "checker/core/coverage.h"

namespace gup::coverage {

namespace {

// model/gup_internal.h GupPc, in order, with the kernel function
// gup_info() (model/gup.cc) names for each section.
struct GupSection {
  const char* name;  // what the section does, in kernel terms (never the GupPc name)
  const char* function;
  bool fast;            // only in pin_user_pages_fast() / get_user_pages_fast()
  bool longterm;        // only with FOLL_LONGTERM: check_and_migrate_movable_pages()
  const char* failure;  // the injected failure that is a choice here, or null
};
constexpr GupSection kGup[kGupSections] = {
    {"is_valid_gup_args, mmap_read_lock", "__get_user_pages_locked", false, false, nullptr},
    {"ptep_get_lockless", "gup_fast_pte_range", true, false, nullptr},
    {"PTE re-check, gup_fast_folio_allowed", "try_grab_folio_fast", true, false, nullptr},
    {"read_seqcount_retry", "gup_fast_fallback", true, false, nullptr},
    {"mmap_read_lock after GUP-fast", "__get_user_pages_locked", true, false, nullptr},
    {"check_vma_flags, try_grab_folio", "follow_page_pte", false, false, nullptr},
    {"handle_mm_fault", "faultin_page", false, false, "allocation fails"},
    {"one folio", "collect_longterm_unpinnable_folios", false, true, "kmalloc fails"},
    {"unpin one entry", "migrate_longterm_unpinnable_folios", false, true, "allocation fails"},
    {"migrate_pages", "migrate_folio_unmap", false, true, "target allocation fails"},
    {"migrate_pages", "migrate_folio_move", false, true, nullptr},
    {"check_and_migrate_movable_pages returns", "putback_movable_pages", false, true, nullptr},
};

}  // namespace

Branch Branch::of_slot(int slot) {
  Branch b;
  b.choice = uint8_t(slot % kMaxChoices);
  slot /= kMaxChoices;
  b.pc = uint8_t(slot % kMaxSections);
  slot /= kMaxSections;
  b.script_pos = uint8_t(slot % kMaxScript);
  b.task = uint8_t(slot / kMaxScript);
  return b;
}

Map& Map::operator=(const Map& o) {
  if (this == &o) return *this;
  for (int i = 0; i < kSlots; i++) {
    function_[i].store(nullptr, std::memory_order_relaxed);
    choice_[i].store(nullptr, std::memory_order_relaxed);
    outcomes_[i].store(0, std::memory_order_relaxed);
  }
  overflow_.store(0, std::memory_order_relaxed);
  merge(o);
  return *this;
}

void Map::first_hit(const State& s, const Config& cfg, Step step, int i) {
  StepInfo info = step_info(s, cfg, step);
  // C2: the choice text is stored first, so a reader that sees the
  // function sees the choice too.
  choice_[i].store(info.choice, std::memory_order_relaxed);
  function_[i].store(info.function, std::memory_order_release);
}

void Map::merge(const Map& o) {
  for (int i = 0; i < kSlots; i++) {
    if (uint32_t bits = o.outcomes_[i].load(std::memory_order_relaxed))
      outcomes_[i].fetch_or(bits, std::memory_order_relaxed);
    const char* f = o.function_[i].load(std::memory_order_acquire);
    if (!f || function_[i].load(std::memory_order_relaxed)) continue;
    choice_[i].store(o.choice_[i].load(std::memory_order_relaxed), std::memory_order_relaxed);
    function_[i].store(f, std::memory_order_release);
  }
  overflow_.fetch_add(o.overflow(), std::memory_order_relaxed);
}

std::vector<Branch> Map::branches() const {
  std::vector<Branch> out;
  for (int i = 0; i < kSlots; i++)
    if (function_[i].load(std::memory_order_relaxed)) out.push_back(Branch::of_slot(i));
  return out;
}

std::vector<Branch> Map::outcomes() const {
  std::vector<Branch> out;
  for (int i = 0; i < kSlots; i++) {
    uint32_t bits = outcomes_[i].load(std::memory_order_relaxed);
    for (int n = 0; n <= kOpReturned; n++)
      if (bits >> n & 1) {
        Branch b = Branch::of_slot(i);
        b.next = uint8_t(n);
        out.push_back(b);
      }
  }
  return out;
}

int Map::count() const {
  int n = 0;
  for (int i = 0; i < kSlots; i++) n += function_[i].load(std::memory_order_relaxed) != nullptr;
  return n;
}

std::vector<Branch> candidate_branches(const Config& cfg) {
  std::vector<Branch> out;
  for (int t = 0; t < cfg.nr_tasks; t++)
    for (int pos = 0; pos < cfg.script_len[t]; pos++) {
      const Op& op = cfg.op(t, pos);
      auto add = [&](int pc, int choice) {
        out.push_back(Branch{uint8_t(t), uint8_t(pos), uint8_t(pc), uint8_t(choice)});
      };
      if (!op_is_gup(op.kind)) {
        add(0, 0);
        continue;
      }
      for (int pc = 0; pc < kGupSections; pc++) {
        const GupSection& g = kGup[pc];
        if (g.fast && !op_is_fast(op.kind)) continue;
        if (g.longterm && !(op.flags & FOLL_LONGTERM)) continue;
        add(pc, 0);
        if (g.failure && cfg.inject_alloc_failure) add(pc, 1);
      }
    }
  return out;
}

const char* gup_section_name(int pc) {
  return pc >= 0 && pc < kGupSections ? kGup[pc].name : "?";
}

const char* gup_section_function(int pc, bool fast) {
  if (pc == 0 && fast) return "gup_fast";
  return pc >= 0 && pc < kGupSections ? kGup[pc].function : "?";
}

const char* gup_section_failure(int pc) {
  return pc >= 0 && pc < kGupSections && kGup[pc].failure ? kGup[pc].failure : "";
}

}  // namespace gup::coverage
