// The outcomes of a machine on one kernel (checker/core/outcomes.h).
#include "checker/core/outcomes.h"

#include <fmt/format.h>

#include <cstring>
#include <deque>
#include <string_view>
#include <unordered_map>

namespace gup {

namespace {

uint64_t mix(uint64_t h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h * 31 + 7;
}

// include/linux/mm.h: GUP_PIN_COUNTING_BIAS; a small folio counts its pins
// in the refcount.
constexpr int kBias = 1024;

int pins_counted(const Folio& f) {
  if (f.flags & kFree) return 0;
  if (folio_has_pincount(f)) return f.pincount;
  return f.refcount >= kBias ? f.refcount / kBias : 0;
}

std::string page_text(const State& s, const Op& op, int k, const PageRef& p) {
  const Folio& f = s.folios[p.folio()];
  const Pte& pte = s.mms[op.mm].ptes[op.start + k];
  bool mapped = pte.present() && int(pte.folio) == int(p.folio()) && pte.page() == p.page();
  return fmt::format("{} {}/{}{}", p.kind() == PageRef::kPin ? "pin" : "ref", zone_name(f.zone),
                     migratetype_name(f.migratetype), mapped ? "" : " (not the mapped page)");
}

std::string end_text(const State& s, const Config& cfg, bool stuck) {
  std::string out;
  int held = 0, counted = 0;
  for (int t = 0; t < cfg.nr_tasks; t++)
    for (const PageRef& p : s.tasks[t].pages)
      if (!p.empty() && p.kind() == PageRef::kPin) {
        held++;
        const Folio& f = s.folios[p.folio()];
        out += fmt::format("  end: T{} holds a pin on {}/{}\n", t, zone_name(f.zone),
                           migratetype_name(f.migratetype));
      }
  for (int i = 0; i < cfg.nr_folios; i++) counted += pins_counted(s.folios[i]);
  if (counted != held)
    out += fmt::format("  end: the folios count {} pin{}, the tasks hold {}\n", counted,
                       counted == 1 ? "" : "s", held);
  if (stuck) out += "  end: stuck (no task can step)\n";
  return out;
}

struct Node {
  State s;
  uint64_t hist[kMaxTasks];
  int parent;
  Step step;
};

std::vector<Step> path_to(const std::vector<Node>& nodes, int i) {
  std::vector<Step> out;
  for (; nodes[i].parent >= 0; i = nodes[i].parent) out.push_back(nodes[i].step);
  return {out.rbegin(), out.rend()};
}

}  // namespace

std::vector<std::string> finished_calls(const State& before, const State& after, const Config& cfg,
                                        Step step) {
  std::vector<std::string> out;
  int t = step.task;
  int pos = int(before.tasks[t].script_pos);
  if (int(after.tasks[t].script_pos) == pos) return out;
  const Op& op = cfg.op(t, pos);
  const Task& task = after.tasks[t];
  std::string line =
      fmt::format("T{}.{} {}(start {}, nr {})", t, pos, op_name(op.kind), op.start, op.nr);
  if (op_is_gup(op.kind)) {
    int ret = int(task.ret);
    line += ret < 0 ? fmt::format(" = {}", errno_name(ret)) : fmt::format(" = {}", ret);
    for (int k = 0; k < op.nr && k < kMaxPages; k++)
      if (!task.pages[k].empty()) line += "; " + page_text(after, op, k, task.pages[k]);
  }
  out.push_back(line);
  return out;
}

std::string outcome_of(const Config& cfg, const std::vector<Step>& steps) {
  State s = initial_state(cfg);
  std::vector<std::string> lines[kMaxTasks];
  for (Step st : steps) {
    State before = s;
    apply(s, cfg, st);
    for (std::string& l : finished_calls(before, s, cfg, st)) lines[st.task].push_back(l);
  }
  StepBuffer buf;
  enabled_steps(s, cfg, buf);
  bool done = all_tasks_done(s, cfg);
  if (!done && buf.n > 0) return "";
  std::string out;
  for (int t = 0; t < cfg.nr_tasks; t++)
    for (const std::string& l : lines[t]) out += "  " + l + "\n";
  return out + end_text(s, cfg, !done);
}

OutcomeSet explore_outcomes(const Config& cfg, std::span<const Property* const> props,
                            size_t max_states) {
  OutcomeSet out;
  std::vector<Node> nodes;
  std::unordered_map<std::string, int> seen;
  auto key = [](const Node& n) {
    std::string k(sizeof(State) + sizeof n.hist, '\0');
    std::memcpy(k.data(), &n.s, sizeof(State));
    std::memcpy(k.data() + sizeof(State), n.hist, sizeof n.hist);
    return k;
  };
  Node root{initial_state(cfg), {}, -1, Step{}};
  seen.emplace(key(root), 0);
  nodes.push_back(root);
  {
    Transition init{nullptr, Step{}, nullptr, root.s};
    for (const Property* p : props)
      if (!p->holds(init, cfg)) out.violations.emplace(p->name, Witness{{}, p->explain(init, cfg)});
  }
  StepBuffer buf;
  EventLog events;
  for (size_t i = 0; i < nodes.size(); i++) {
    const State s = nodes[i].s;
    enabled_steps(s, cfg, buf);
    if (buf.n == 0) {
      std::vector<Step> path = path_to(nodes, int(i));
      std::string o = outcome_of(cfg, path);
      out.outcomes.emplace(o, Witness{path, ""});
      continue;
    }
    StepBuffer steps = buf;
    for (Step st : steps) {
      Node n{s, {}, int(i), st};
      std::memcpy(n.hist, nodes[i].hist, sizeof n.hist);
      apply(n.s, cfg, st, &events);
      Transition tr{&s, st, &events, n.s};
      for (const Property* p : props)
        if (!out.violations.count(p->name) && !p->holds(tr, cfg)) {
          std::vector<Step> path = path_to(nodes, int(i));
          path.push_back(st);
          out.violations.emplace(p->name, Witness{path, p->explain(tr, cfg)});
        }
      for (const std::string& l : finished_calls(s, n.s, cfg, st))
        n.hist[st.task] = mix(n.hist[st.task], l);
      if (seen.emplace(key(n), int(nodes.size())).second) {
        if (nodes.size() >= max_states) {
          out.complete = false;
          out.states = nodes.size();
          return out;
        }
        nodes.push_back(n);
      }
    }
  }
  out.states = nodes.size();
  return out;
}

}  // namespace gup
