#include "model/symmetry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace gup {

namespace {

bool op_names_folio(const Op& op) {
  switch (op.kind) {
    case OpKind::kReclaim:
    case OpKind::kSplitHugePage:
    case OpKind::kCompact:
    case OpKind::kTransientRef:
      return true;
    default:
      return false;
  }
}

bool same_op(const Op& a, const Op& b) {
  return a.kind == b.kind && a.mm == b.mm && a.start == b.start && a.nr == b.nr &&
         a.flags == b.flags && a.folio == b.folio && a.child == b.child && a.file == b.file &&
         a.offset == b.offset;
}

bool same_script(const Config& cfg, int a, int b) {
  if (cfg.script_len[a] != cfg.script_len[b]) return false;
  for (int i = 0; i < cfg.script_len[a]; i++)
    if (!same_op(cfg.op(a, i), cfg.op(b, i))) return false;
  return true;
}

bool interchangeable_folio(const Config& cfg, int f) {
  const Folio& x = cfg.initial.folios[f];
  if (!x.is_free() || x.zone != Zone::kNormal) return false;
  if (x.migratetype == Migratetype::kCma || x.migratetype == Migratetype::kIsolate) return false;
  for (int t = 0; t < cfg.nr_tasks; t++)
    for (int i = 0; i < cfg.script_len[t]; i++)
      if (op_names_folio(cfg.op(t, i)) && cfg.op(t, i).folio == f) return false;
  return true;
}

// Groups indices [0, n) by `same`, keeping classes of two or more.
template <typename Same>
std::vector<std::vector<uint8_t>> classes(int n, const std::vector<bool>& eligible, Same same) {
  std::vector<std::vector<uint8_t>> out;
  std::vector<bool> taken(n, false);
  for (int i = 0; i < n; i++) {
    if (!eligible[i] || taken[i]) continue;
    std::vector<uint8_t> c{uint8_t(i)};
    for (int j = i + 1; j < n; j++)
      if (eligible[j] && !taken[j] && same(i, j)) {
        c.push_back(uint8_t(j));
        taken[j] = true;
      }
    if (c.size() > 1) out.push_back(std::move(c));
  }
  return out;
}

// Calls fn(uint8_t& folio_field) for every folio reference in `s`, in a
// fixed order; fn may rewrite the reference.
template <typename Fn>
void for_each_folio_ref(State& s, const Config& cfg, Fn fn) {
  for (int m = 0; m < cfg.nr_mms; m++)
    for (Pte& pte : s.mms[m].ptes)
      if (!pte.none()) fn(pte.folio);
  for (int f = 0; f < cfg.nr_files; f++)
    for (uint8_t& slot : s.page_cache[f])
      if (slot != kNoFolio) fn(slot);
  for (int t = 0; t < cfg.nr_tasks; t++) {
    Task& task = s.tasks[t];
    for (PageRef& p : task.pages) {
      if (p.folio() >= cfg.nr_folios) continue;
      uint8_t folio = uint8_t(p.folio());
      fn(folio);
      p.bits = uint8_t((p.bits & ~0xf) | folio);
    }
    if (!task.snap.none()) fn(task.snap.folio);
    if (task.target != kNoFolio) {
      fn(task.target);
      fn(task.j);  // the folio being migrated (migrate_pages_step(), gup_longterm.cc)
    }
  }
}

// Insertion sort of a few indices (std::sort on a small array trips g++
// 12's -Warray-bounds).
template <typename Less>
void sort_small(uint8_t* a, int n, Less less) {
  for (int i = 1; i < n; i++)
    for (int j = i; j > 0 && less(a[j], a[j - 1]); j--) std::swap(a[j], a[j - 1]);
}

uint16_t permute_bits(uint16_t set, const uint8_t* perm, int n) {
  uint16_t out = set & uint16_t(~((1u << n) - 1));
  for (int f = 0; f < n; f++)
    if (set >> f & 1) out = uint16_t(out | 1u << perm[f]);
  return out;
}

}  // namespace

Symmetry::Symmetry(const Config& cfg) : cfg_(&cfg) {
  std::vector<bool> folio_ok(cfg.nr_folios), task_ok(cfg.nr_tasks, true);
  for (int f = 0; f < cfg.nr_folios; f++) folio_ok[f] = interchangeable_folio(cfg, f);
  folio_classes_ = classes(cfg.nr_folios, folio_ok, [&](int a, int b) {
    return std::memcmp(&cfg.initial.folios[a], &cfg.initial.folios[b], sizeof(Folio)) == 0;
  });
  task_classes_ = classes(cfg.nr_tasks, task_ok, [&](int a, int b) {
    return Config::cpu_of(a) == Config::cpu_of(b) && same_script(cfg, a, b) &&
           std::memcmp(&cfg.initial.tasks[a], &cfg.initial.tasks[b], sizeof(Task)) == 0;
  });
}

void Symmetry::sort_tasks(const State& s, State& out, uint8_t task_of[kMaxTasks]) const {
  for (int t = 0; t < kMaxTasks; t++) task_of[t] = uint8_t(t);
  for (const auto& c : task_classes_) {
    uint8_t order[kMaxTasks];
    int n = int(c.size());
    std::copy(c.begin(), c.end(), order);
    sort_small(order, n, [&](uint8_t a, uint8_t b) {
      int r = std::memcmp(&s.tasks[a], &s.tasks[b], sizeof(Task));
      return r < 0 || (r == 0 && a < b);
    });
    for (int k = 0; k < n; k++) {
      out.tasks[c[k]] = s.tasks[order[k]];
      task_of[c[k]] = order[k];
    }
  }
}

void Symmetry::sort_folios(State& out) const {
  const Config& cfg = *cfg_;
  // Where each folio is referenced, folded in a fixed scan order: ties in
  // bytes are broken by it (imperfectly; the result is still an image).
  uint64_t where[kMaxFolios] = {};
  uint64_t pos = 0;
  for_each_folio_ref(out, cfg, [&](uint8_t& f) {
    pos++;
    if (f < kMaxFolios) where[f] = (where[f] ^ pos) * 0x100000001b3ull;
  });
  uint8_t perm[kMaxFolios];
  for (int f = 0; f < kMaxFolios; f++) perm[f] = uint8_t(f);
  bool moved = false;
  Folio folios[kMaxFolios];
  std::memcpy(folios, out.folios, sizeof folios);
  for (const auto& c : folio_classes_) {
    uint8_t order[kMaxFolios];
    int n = int(c.size());
    std::copy(c.begin(), c.end(), order);
    sort_small(order, n, [&](uint8_t a, uint8_t b) {
      int r = std::memcmp(&folios[a], &folios[b], sizeof(Folio));
      if (r) return r < 0;
      return where[a] != where[b] ? where[a] < where[b] : a < b;
    });
    for (int k = 0; k < n; k++) {
      perm[order[k]] = c[k];
      out.folios[c[k]] = folios[order[k]];
      moved |= order[k] != c[k];
    }
  }
  if (!moved) return;
  for_each_folio_ref(out, cfg, [&](uint8_t& f) {
    if (f < cfg.nr_folios) f = perm[f];
  });
  for (int t = 0; t < cfg.nr_tasks; t++) {
    out.tasks[t].isolated = permute_bits(out.tasks[t].isolated, perm, cfg.nr_folios);
    out.tasks[t].failed = permute_bits(out.tasks[t].failed, perm, cfg.nr_folios);
  }
}

void Symmetry::canonicalize(const State& s, State& out, uint8_t task_of[kMaxTasks]) const {
  out = s;
  sort_tasks(s, out, task_of);
  if (!folio_classes_.empty()) sort_folios(out);
}

std::string Symmetry::describe() const {
  std::string out;
  auto list = [&](const char* what, const std::vector<std::vector<uint8_t>>& cs) {
    for (const auto& c : cs) {
      out += fmt::format("{}{} {{", out.empty() ? "" : " ", what);
      for (size_t i = 0; i < c.size(); i++) out += fmt::format("{}{}", i ? "," : "", c[i]);
      out += "}";
    }
  };
  list("folios", folio_classes_);
  list("tasks", task_classes_);
  return out.empty() ? "none" : out;
}

}  // namespace gup
