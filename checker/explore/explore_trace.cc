#include "checker/explore/explore_trace.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "checker/explore/explore_hash.h"
#include "checker/explore/explore_pack.h"
#include "model/symmetry.h"

namespace gup::explore {

namespace {

// Ids from the initial state (id 0) to `last`, by parent links.
std::vector<uint32_t> path_to(const Arena& a, uint32_t last) {
  std::vector<uint32_t> ids;
  for (uint32_t id = last; id != kNoParent; id = a.parent.get(id)) ids.push_back(id);
  std::reverse(ids.begin(), ids.end());
  return ids;
}

// Concrete steps of `c` to try for the stored step `s` of its canonical
// image: the renamed step first, then every enabled step.
StepBuffer candidates(const State& c, const Config& cfg, const Symmetry& sym, Step s) {
  State canon;
  uint8_t task_of[kMaxTasks];
  sym.canonicalize(c, canon, task_of);
  StepBuffer all, out;
  enabled_steps(c, cfg, all);
  Step mapped{task_of[s.task], s.choice};
  if (std::find(all.begin(), all.end(), mapped) != all.end()) out.push(mapped);
  for (Step x : all)
    if (!(x == mapped)) out.push(x);
  return out;
}

}  // namespace

Trace build_trace(const Config& cfg, std::span<const Property* const> props, const SearchOutcome& o,
                  bool symmetry) {
  Trace t;
  if (o.from == kNoParent) return t;  // the initial state itself
  std::vector<uint32_t> ids = path_to(o.arena, o.from);
  if (!symmetry || o.arena.fp.empty()) {
    for (size_t k = 1; k < ids.size(); k++)
      t.steps.push_back(decode_step(o.arena.step.get(ids[k])));
    t.steps.push_back(o.step);
    return t;
  }
  Symmetry sym(cfg);
  Packer packer(cfg);
  std::vector<uint8_t> buf(packer.size());
  State c = cfg.initial, canon;
  uint8_t task_of[kMaxTasks];
  auto fingerprint = [&](const State& s) {
    sym.canonicalize(s, canon, task_of);
    packer.pack(canon, buf.data());
    return hash_words(buf.data(), buf.size(), kFingerprintSeed);
  };
  for (size_t k = 1; k < ids.size(); k++) {
    Step stored = decode_step(o.arena.step.get(ids[k]));
    bool found = false;
    for (Step x : candidates(c, cfg, sym, stored)) {
      State n = c;
      apply(n, cfg, x);
      if (fingerprint(n) != o.arena.fp.get(ids[k])) continue;
      t.steps.push_back(x);
      c = n;
      found = true;
      break;
    }
    if (!found)
      throw std::logic_error(
          fmt::format("explore: internal error: no concrete step reproduces step {} of the trace "
                      "(symmetry reduction unsound for config '{}')",
                      k, cfg.name));
  }
  EventLog ev;
  for (Step x : candidates(c, cfg, sym, o.step)) {
    State n = c;
    apply(n, cfg, x, &ev);
    Transition tr{&c, x, &ev, n};
    auto bad = std::find_if(props.begin(), props.end(),
                            [&](const Property* p) { return !p->holds(tr, cfg); });
    if (bad != props.end() && bad - props.begin() == o.property) {
      t.steps.push_back(x);
      return t;
    }
  }
  throw std::logic_error(
      fmt::format("explore: internal error: no concrete step reproduces the violation of '{}' "
                  "(symmetry reduction unsound for config '{}')",
                  props[o.property]->name, cfg.name));
}

}  // namespace gup::explore
