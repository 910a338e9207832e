// Graphviz pictures of a state and of a trace.
#include <fmt/format.h>

#include "checker/report/report.h"

namespace gup {

namespace {

std::string esc(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\l";
      continue;
    }
    out += c;
  }
  return out;
}

std::string folio_label(const Folio& f, int i) {
  std::string l = fmt::format("folio {}\n{}{}\n{} {}\nrefcount {}  mapcount {}", i,
                              folio_kind_name(f.kind), f.order ? " (large)" : "", zone_name(f.zone),
                              migratetype_name(f.migratetype), f.refcount, f.mapcount);
  if (folio_has_pincount(f)) l += fmt::format("  pincount {}", f.pincount);
  std::string flags;
  if (f.is_free()) flags += " free";
  if (f.test(kLru)) flags += " lru";
  if (f.in_lru_batch()) flags += " lru-batch";
  if (f.test(kDirty)) flags += " dirty";
  if (f.test(kSwapcache)) flags += " swapcache";
  if (f.test(kMapping)) flags += " pagecache";
  if (f.anon_exclusive) flags += fmt::format(" anon-exclusive:{:#x}", f.anon_exclusive);
  if (!flags.empty()) l += "\nflags" + flags;
  return l + "\n";
}

void dot_tasks(std::string& out, const State& s, const Config& cfg) {
  out += "  subgraph cluster_tasks {\n    label=\"tasks\";\n";
  for (int t = 0; t < cfg.nr_tasks; t++) {
    const Task& task = s.tasks[t];
    std::string what =
        task_done(s, cfg, t)
            ? std::string("done")
            : fmt::format("{} (pc {})", op_name(cfg.op(t, task.script_pos).kind), task.pc);
    out += fmt::format("    t{} [shape=box, style=rounded, label=\"T{}\\n{}\\nret {}\"];\n", t, t,
                       esc(what), task.ret);
  }
  out += "  }\n";
}

void dot_mms(std::string& out, const State& s, const Config& cfg) {
  for (int m = 0; m < cfg.nr_mms; m++) {
    const Mm& mm = s.mms[m];
    if (!(mm.flags & kMmLive)) continue;
    out += fmt::format("  subgraph cluster_mm{} {{\n    label=\"mm{}{}\";\n", m, m,
                       mm.flags & MMF_HAS_PINNED ? " (MMF_HAS_PINNED)" : "");
    for (int v = 0; v < kMaxVmas; v++) {
      const Vma& vma = mm.vmas[v];
      if (vma.kind == VmaKind::kNone) continue;
      out += fmt::format("    vma{}_{} [shape=note, label=\"VMA [{}, {}) {} {}{}\"];\n", m, v,
                         vma.start, vma.end, vma_kind_name(vma.kind), vma.test(VM_READ) ? "r" : "-",
                         vma.test(VM_WRITE) ? "w" : "-");
    }
    for (int a = 0; a < kMaxAddrs; a++) {
      const Pte& pte = mm.ptes[a];
      if (pte.none()) continue;
      out += fmt::format("    pte{}_{} [shape=plaintext, label=\"addr {}\"];\n", m, a, a);
    }
    out += "  }\n";
    for (int a = 0; a < kMaxAddrs; a++) {
      const Pte& pte = mm.ptes[a];
      if (pte.none()) continue;
      std::string label = pte.is_migration() ? "migration entry" : pte.write() ? "rw" : "ro";
      if (pte.page()) label += ", page 1";
      out += fmt::format("  pte{}_{} -> f{} [label=\"{}\"{}];\n", m, a, pte.folio, label,
                         pte.is_migration() ? ", style=dotted" : "");
    }
  }
}

}  // namespace

std::string state_dot(const State& s, const Config& cfg, const std::string& title) {
  std::string out = "digraph state {\n  rankdir=LR;\n  node [fontname=\"monospace\"];\n";
  out += fmt::format("  label=\"{}\";\n  labelloc=t;\n", esc(title));
  dot_tasks(out, s, cfg);
  dot_mms(out, s, cfg);
  for (int i = 0; i < cfg.nr_folios; i++) {
    const Folio& f = s.folios[i];
    bool pinned = folio_maybe_dma_pinned(f);
    out += fmt::format("  f{} [shape=box, label=\"{}\"{}];\n", i, esc(folio_label(f, i)),
                       f.is_free() ? ", style=dashed"
                       : pinned    ? ", color=red"
                                   : "");
  }
  for (int t = 0; t < cfg.nr_tasks; t++) {
    const Task& task = s.tasks[t];
    for (int p = 0; p < kMaxPages; p++) {
      const PageRef& ref = task.pages[p];
      if (ref.empty()) continue;
      bool pin = ref.kind() == PageRef::kPin;
      out += fmt::format("  t{} -> f{} [label=\"{} page {}\", color={}, penwidth={}];\n", t,
                         ref.folio(), pin ? "FOLL_PIN" : "FOLL_GET", ref.page(),
                         pin ? "red" : "blue", pin ? 2 : 1);
    }
    for (int f = 0; f < cfg.nr_folios; f++)
      if (task.isolated & (1u << f))
        out += fmt::format("  t{} -> f{} [label=\"isolated\", style=dashed];\n", t, f);
  }
  for (int file = 0; file < kMaxFiles; file++)
    for (int idx = 0; idx < kMaxAddrs; idx++)
      if (s.page_cache[file][idx] != kNoFolio) {
        out += fmt::format("  pc{}_{} [shape=plaintext, label=\"file {} index {}\"];\n", file, idx,
                           file, idx);
        out +=
            fmt::format("  pc{}_{} -> f{} [style=dashed];\n", file, idx, s.page_cache[file][idx]);
      }
  return out + "}\n";
}

std::string trace_dot(const Config& cfg, const Trace& trace, const std::string& title) {
  std::vector<State> states = trace_states(cfg, trace);
  std::string out = "digraph trace {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n";
  out += fmt::format("  label=\"{}\";\n  labelloc=t;\n", esc(title));
  out += "  s0 [label=\"initial state\"];\n";
  int n = int(trace.steps.size());
  for (int i = 0; i < n; i++) {
    std::string changes = describe_changes(states[i], states[i + 1], cfg);
    out += fmt::format("  s{} [label=\"state {}\\n{}\"{}];\n", i + 1, i + 1, esc(changes),
                       i + 1 == n ? ", color=red, penwidth=2" : "");
    out += fmt::format("  s{} -> s{} [label=\"{}. {}\"];\n", i, i + 1, i + 1,
                       esc(describe(states[i], cfg, trace.steps[i])));
  }
  if (trace.loop_start >= 0)
    out += fmt::format("  s{} -> s{} [label=\"loop\", style=dashed, constraint=false];\n", n,
                       trace.loop_start);
  return out + "}\n";
}

}  // namespace gup
