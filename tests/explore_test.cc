// The explore engine: exhaustive search, shortest counterexamples that
// replay, the never-ending long-term pin loop as a lasso, and reductions
// that keep every verdict.
#include "checker/explore/explore.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "checker/core/replay.h"
#include "checker/explore/explore_chunked.h"
#include "checker/explore/explore_fpset.h"
#include "checker/explore/explore_graph.h"
#include "checker/explore/explore_hash.h"
#include "checker/explore/explore_pack.h"
#include "model/config_builder.h"
#include "model/symmetry.h"

namespace gup {
namespace {

EngineOptions options(int jobs = 1) {
  EngineOptions o;
  o.jobs = jobs;
  return o;
}

uint64_t states(const EngineResult& r) {
  return r.stats["states"].get<uint64_t>();
}

std::vector<std::string> config_names() {
  std::vector<std::string> out;
  for (const char* const* n = builtin_config_names(); *n; n++) out.push_back(*n);
  return out;
}

// Two identical long-term pinners on CPU 0 (tasks 0 and 2), a user write on
// CPU 1 and three interchangeable free folios: symmetry has work to do.
Config symmetric_config(const Variant& v) {
  ConfigBuilder b("symmetric");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kAnon, VM_READ | VM_WRITE);
  FolioSpec cma;
  cma.migratetype = Migratetype::kCma;
  int f0 = b.add_folio(cma);
  int f1 = b.add_folio(FolioSpec{});
  FolioSpec free_spec;
  free_spec.free = true;
  for (int i = 0; i < 3; i++) b.add_folio(free_spec);
  b.map(0, 0, f0, 0, true);
  b.map(0, 1, f1, 0, true);
  Op pin = pin_user_pages(0, 0, 1, FOLL_WRITE | FOLL_LONGTERM);
  b.add_task({pin, unpin_user_pages()});
  b.add_task({write_fault(0, 1)});
  b.add_task({pin, unpin_user_pages()});
  return b.build();
}

// The 6.12 base on the default machine (GUP-fast long-term pin of a CMA
// folio racing with fork and a write): explored completely, no violation.
// The count changes only when the model does; update it deliberately.
TEST(Explore, BaseDefaultConfigExhaustedWithFixedStateCount) {
  Config cfg = builtin_config("default", base_variant());
  EngineResult one = run_explore(cfg, all_properties(), options(1));
  EngineResult two = run_explore(cfg, all_properties(), options(2));
  EXPECT_EQ(one.verdict, Verdict::kExhausted) << one.property << ": " << one.why;
  EXPECT_EQ(states(one), 500u);  // 503 before fork's PTL window
  EXPECT_EQ(two.verdict, Verdict::kExhausted);
  EXPECT_EQ(states(two), states(one));
  EXPECT_EQ(one.stats["transitions"], two.stats["transitions"]);
  EXPECT_EQ(one.stats["depth"], two.stats["depth"]);
  EngineOptions compact = options(2);
  compact.compact = true;
  EngineResult c = run_explore(cfg, all_properties(), compact);
  EXPECT_EQ(states(c), states(one));
  EXPECT_LT(c.stats["omission_probability"].get<double>(), 1e-12);
  // A fixed table of 40-bit entries: a few hundred comparisons, each
  // losing a state with probability 2^-40.
  compact.table_bytes = 1 << 20;
  c = run_explore(cfg, all_properties(), compact);
  EXPECT_EQ(states(c), states(one));
  EXPECT_GT(c.stats["omission_probability"].get<double>(), 0.0);
  EXPECT_LT(c.stats["omission_probability"].get<double>(), 1e-8);
}

// Whether applying the lasso's steps comes back to the state its loop
// starts from.
bool lasso_closes(const Config& cfg, const Trace& t) {
  if (t.loop_start < 0 || t.loop_start >= int(t.steps.size())) return false;
  State s = cfg.initial, at_loop{};
  for (size_t k = 0; k < t.steps.size(); k++) {
    if (int(k) == t.loop_start) at_loop = s;
    apply(s, cfg, t.steps[k]);
  }
  return s == at_loop;
}

// Every variant is caught on some built-in machine, by a trace as long as
// the depth at which BFS met the violation, that replays, and no shorter
// one exists (a search bounded one step less finds nothing). A variant
// whose bug is a long-term loop that never ends (pin-loop-terminates) is
// caught by a lasso instead, which must close.
TEST(Explore, EveryVariantGetsAShortestReplayingCounterexample) {
  for (const Variant* v : all_variants()) {
    if (v == &base_variant()) continue;
    bool caught = false, looped = false;
    for (const std::string& name : config_names()) {
      Config cfg = builtin_config(name, *v);
      EngineResult r = run_explore(cfg, all_properties(), options(2));
      if (r.verdict != Verdict::kViolated) continue;
      if (r.trace.loop_start >= 0) {
        if (name != "driver-cma") {  // the base loops there too
          EXPECT_EQ(r.property, "pin-loop-terminates");
          looped |= lasso_closes(cfg, r.trace);
        }
        continue;
      }
      caught = true;
      SCOPED_TRACE(std::string(v->name) + " on " + name);
      EXPECT_EQ(int(r.trace.steps.size()), r.stats["depth"].get<int>() + 1);
      ReplayOutcome rep = replay(cfg, r.trace, all_properties());
      EXPECT_TRUE(rep.ok) << rep.error;
      EXPECT_TRUE(rep.violated);
      EXPECT_EQ(rep.violation_step, int(r.trace.steps.size()));
      EXPECT_EQ(rep.property, r.property);
      EngineOptions shorter = options(1);
      shorter.max_depth = int(r.trace.steps.size()) - 1;
      if (shorter.max_depth > 0) {
        EngineResult s = run_explore(cfg, all_properties(), shorter);
        EXPECT_NE(s.verdict, Verdict::kViolated) << s.property;
      }
      break;
    }
    EXPECT_TRUE(caught || looped) << v->name << " is caught on no built-in configuration";
  }
}

// A driver's CMA page is never on the LRU: the 6.12 long-term loop unpins,
// fails to isolate and retries forever. Reported as a lasso that closes.
TEST(Explore, DriverCmaFolioNeverOnLruGivesBaseALasso) {
  Config cfg = builtin_config("driver-cma", base_variant());
  const Property* loop[] = {find_property("pin-loop-terminates")};
  ASSERT_NE(loop[0], nullptr);
  EngineResult r = run_explore(cfg, loop, options());
  ASSERT_EQ(r.verdict, Verdict::kViolated);
  EXPECT_EQ(r.property, "pin-loop-terminates");
  ASSERT_GE(r.trace.loop_start, 0);
  ASSERT_LT(r.trace.loop_start, int(r.trace.steps.size()));
  State s = cfg.initial, at_loop{};
  for (size_t k = 0; k < r.trace.steps.size(); k++) {
    if (int(k) == r.trace.loop_start) at_loop = s;
    apply(s, cfg, r.trace.steps[k]);
  }
  EXPECT_TRUE(s == at_loop) << "the loop does not return to its first state";
  EXPECT_NE(explore_trace_dot(cfg, r.trace).find("digraph"), std::string::npos);
}

// With the old collect behaviour the folio counts as pinnable-by-mistake:
// the call returns (wrongly), so there is no loop to report.
TEST(Explore, CmaPinnedWhenOffLruVariantHasNoLasso) {
  const Variant* v = find_variant("cma-pinned-when-off-lru");
  ASSERT_NE(v, nullptr);
  Config cfg = builtin_config("driver-cma", *v);
  const Property* loop[] = {find_property("pin-loop-terminates")};
  EngineResult r = run_explore(cfg, loop, options());
  EXPECT_EQ(r.trace.loop_start, -1);
  EXPECT_NE(r.verdict, Verdict::kViolated) << r.why;
}

// Symmetry and sleep sets never change a verdict or the depth of the
// shortest counterexample, on every variant and several machines.
TEST(Explore, ReductionsKeepEveryVerdict) {
  std::vector<std::string> names = config_names();
  for (const Variant* v : all_variants()) {
    for (const std::string& name : names) {
      Config cfg = builtin_config(name, *v);
      EngineResult plain = run_explore(cfg, all_properties(), options());
      EngineOptions red = options(2);
      red.symmetry = red.por = true;
      EngineResult reduced = run_explore(cfg, all_properties(), red);
      SCOPED_TRACE(std::string(v->name) + " on " + name);
      EXPECT_EQ(plain.verdict, reduced.verdict);
      EXPECT_EQ(plain.property, reduced.property);
      EXPECT_LE(states(reduced), states(plain));
    }
    Config sym = symmetric_config(*v);
    EngineResult plain = run_explore(sym, all_properties(), options());
    EngineOptions red = options(2);
    red.symmetry = red.por = true;
    EngineResult reduced = run_explore(sym, all_properties(), red);
    EXPECT_EQ(plain.verdict, reduced.verdict) << v->name;
    EXPECT_EQ(plain.property, reduced.property) << v->name;
  }
}

// Symmetry stores exactly one state per orbit that the canonical form
// tells apart: the reduced count equals the number of distinct canonical
// forms of the full state space (so it neither loses nor invents states).
TEST(Explore, SymmetryStoresOneStatePerCanonicalForm) {
  Config cfg = symmetric_config(base_variant());
  Symmetry sym(cfg);
  EXPECT_EQ(sym.describe(), "folios {2,3,4} tasks {0,2}");
  auto graph = explore::build_graph(cfg, 1'000'000);
  ASSERT_TRUE(graph);
  std::set<std::string> forms;
  State canon;
  uint8_t task_of[kMaxTasks];
  for (const State& s : graph->states) {
    sym.canonicalize(s, canon, task_of);
    forms.emplace(reinterpret_cast<const char*>(&canon), sizeof canon);
  }
  EngineOptions o = options(2);
  o.symmetry = true;
  const Property* none[] = {find_property("pin-loop-terminates")};
  EngineResult r = run_explore(cfg, std::span<const Property* const>(none, 0), o);
  EXPECT_EQ(r.verdict, Verdict::kExhausted);
  EXPECT_EQ(states(r), forms.size());
  EXPECT_LT(states(r), graph->states.size());
}

// Sleep sets skip transitions but never states.
TEST(Explore, SleepSetsKeepEveryState) {
  Config cfg = symmetric_config(base_variant());
  EngineResult plain = run_explore(cfg, all_properties(), options());
  EngineOptions o = options(2);
  o.por = true;
  EngineResult por = run_explore(cfg, all_properties(), o);
  EXPECT_EQ(states(por), states(plain));
  EXPECT_GT(por.stats["por"]["sleep_skipped_transitions"].get<uint64_t>(), 0u);
}

// Budgets stop the search as "incomplete", never as a clean result.
TEST(Explore, BudgetsGiveIncomplete) {
  Config cfg = builtin_config("default", base_variant());
  EngineOptions o = options();
  o.max_states = 50;
  EngineResult r = run_explore(cfg, all_properties(), o);
  EXPECT_EQ(r.verdict, Verdict::kIncomplete);
  EXPECT_EQ(r.stats["budget"], "--max-states");
  o.max_states = 0;
  o.max_depth = 5;
  r = run_explore(cfg, all_properties(), o);
  EXPECT_EQ(r.verdict, Verdict::kIncomplete);
  EXPECT_EQ(r.bound, 5);
  // A fingerprint table of two buckets (24 states) cannot hold the 503.
  o.max_depth = 0;
  o.compact = true;
  o.table_bytes = 128;
  r = run_explore(cfg, all_properties(), o);
  EXPECT_EQ(r.verdict, Verdict::kIncomplete);
  EXPECT_EQ(r.stats["budget"], "--table (the fingerprint table is full)");
  EXPECT_LE(r.stats["states"].get<uint64_t>(), 24u);
}

// The fingerprint table under two threads: every distinct fingerprint is
// fresh exactly once, duplicates never are, and full buckets spill over.
TEST(Explore, FingerprintSetInsertsEachFingerprintOnce) {
  explore::FingerprintSet set(64 * 1024);  // 1024 buckets, 12,288 entries
  const uint64_t n = 11000;
  std::atomic<uint64_t> fresh{0};
  auto worker = [&] {
    for (uint64_t i = 0; i < 2 * n; i++) {
      // Half the keys share a high half, so they crowd a few buckets.
      uint64_t k = i % n;
      uint64_t h = (k % 2 ? 0x1234ull << 48 : explore::mix64(k) & ~0xffffffffffull) | (k + 1);
      if (set.insert(h).fresh) fresh++;
    }
  };
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  EXPECT_EQ(fresh.load(), n);
  EXPECT_FALSE(set.insert((explore::mix64(2) & ~0xffffffffffull) | 3).fresh);
}

// The packed encoding keeps only used entries: the model never writes
// outside them, on any reachable state.
TEST(Explore, PackedEncodingLosesNothing) {
  Config cfg = symmetric_config(base_variant());
  explore::Packer packer(cfg);
  EXPECT_LT(packer.size(), sizeof(State));
  auto graph = explore::build_graph(cfg, 1'000'000);
  ASSERT_TRUE(graph);
  std::vector<uint8_t> buf(packer.size());
  for (const State& s : graph->states) {
    ASSERT_TRUE(packer.unused_unchanged(s));
    packer.pack(s, buf.data());
    State back;
    packer.unpack(buf.data(), back);
    ASSERT_TRUE(back == s);
  }
  std::string dot = explore_graph_dot(cfg, 1'000'000);
  EXPECT_NE(dot.find("s0 [label=\"0\" shape=doublecircle]"), std::string::npos);
}

}  // namespace
}  // namespace gup

namespace gup {
namespace {

// Parent links spilled to disk read back as written; the chunk still being
// filled stays in memory.
TEST(Explore, SpilledLinksReadBack) {
  explore::ChunkedArray<uint32_t> a;
  const size_t n = (size_t{5} << 16) / 2;  // two and a half chunks
  a.resize(n);
  for (size_t i = 0; i < n; i++) a[i] = uint32_t(i * 2654435761u);
  uint64_t before = a.bytes();
  a.spill_below(n);
  EXPECT_EQ(a.spilled_bytes(), uint64_t{2} << 18);
  EXPECT_EQ(a.bytes(), before - a.spilled_bytes());
  for (size_t i : {size_t{0}, size_t{1} << 16, (size_t{2} << 16) - 1, size_t{2} << 16, n - 1})
    EXPECT_EQ(a.get(i), uint32_t(i * 2654435761u)) << i;
}

}  // namespace
}  // namespace gup
