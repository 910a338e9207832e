// Explore engine throughput and memory on a configuration of about 16
// million reachable states (four tasks: GUP-fast and slow long-term pins
// of CMA folios, fork with user writes, MADV_DONTNEED with faults), and
// the time to the first counterexample of every variant. Prints JSON.
//
// Usage: explore_bench [RUN...] where RUN is MODE-JOBS[-sym][-por][-grow],
// MODE exact or compact (default: exact-1 exact-2 compact-1 compact-2
// compact-2-grow compact-2-sym compact-2-por), or "variants". Each run is measured in a
// child process so that its peak memory (VmHWM) is its own.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "checker/explore/explore.h"
#include "model/config_builder.h"

namespace gup {
namespace {

Config bench_config(const Variant& v) {
  ConfigBuilder b("bench-16m");
  b.set_variant(v);
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 4, VmaKind::kAnon, VM_READ | VM_WRITE);
  FolioSpec cma;
  cma.migratetype = Migratetype::kCma;
  int c = b.add_folio(cma);
  int n = b.add_folio(FolioSpec{});
  int m = b.add_folio(cma);
  FolioSpec free_spec;
  free_spec.free = true;
  for (int i = 0; i < 5; i++) b.add_folio(free_spec);
  b.map(0, 0, c, 0, true);
  b.map(0, 1, n, 0, true);
  b.map(0, 2, m, 0, true);
  const uint32_t lw = FOLL_WRITE | FOLL_LONGTERM;
  b.add_task({pin_user_pages_fast(0, 0, 3, lw), unpin_user_pages()});
  b.add_task({fork_mm(0, 1), write_fault(0, 1), write_fault(0, 3)});
  b.add_task({pin_user_pages(0, 1, 3, lw), unpin_user_pages()});
  b.add_task({madvise_dontneed(0, 2, 1), read_fault(0, 0), write_fault(0, 2)});
  return b.build();
}

// Runs `fn` in a child process and returns the JSON it prints.
template <typename Fn>
nlohmann::json in_child(Fn fn) {
  int fds[2];
  if (pipe(fds) != 0) return {{"error", "pipe"}};
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::string out = fn().dump();
    if (write(fds[1], out.data(), out.size()) < 0) _exit(2);
    _exit(0);
  }
  close(fds[1]);
  std::string text;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) text.append(buf, size_t(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return text.empty() ? nlohmann::json{{"error", "child failed"}} : nlohmann::json::parse(text);
}

nlohmann::json measure(const std::string& run) {
  EngineOptions o;
  o.compact = run.rfind("compact", 0) == 0;
  // The fingerprint table is sized for the run, as SPIN's -w is: 15.3 M
  // states in 96 MiB (18.9 M entries) is a load of 0.81.
  // "-grow": 64-bit fingerprints in the growing table instead; sleep sets
  // always use that one.
  if (o.compact && !o.por && run.find("-grow") == std::string::npos)
    o.table_bytes = uint64_t{96} << 20;
  o.jobs = run.find("-2") != std::string::npos ? 2 : 1;
  o.symmetry = run.find("-sym") != std::string::npos;
  o.por = run.find("-por") != std::string::npos;
  return in_child([&] {
    Config cfg = bench_config(base_variant());
    // No properties: the run measures the search itself (the model's
    // properties cost what they cost in every engine).
    EngineResult r = run_explore(cfg, std::span<const Property* const>(), o);
    nlohmann::json j = r.stats;
    j["run"] = run;
    j["verdict"] = verdict_name(r.verdict);
    return j;
  });
}

// Time to the first counterexample of each variant, with all properties,
// on the first built-in machine where it breaks a property the 6.12 base
// keeps there (so that it is the variant's own bug).
nlohmann::json variants() {
  nlohmann::json out = nlohmann::json::array();
  for (const Variant* v : all_variants()) {
    if (v == &base_variant()) continue;
    for (const char* const* name = builtin_config_names(); *name; name++) {
      Config base = builtin_config(*name, base_variant());
      EngineResult b = run_explore(base, all_properties(), EngineOptions{});
      Config cfg = builtin_config(*name, *v);
      auto t0 = std::chrono::steady_clock::now();
      EngineResult r = run_explore(cfg, all_properties(), EngineOptions{});
      double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (r.verdict != Verdict::kViolated) continue;
      if (b.verdict == Verdict::kViolated && b.property == r.property) continue;
      out.push_back({{"variant", v->name},
                     {"config", *name},
                     {"property", r.property},
                     {"trace_length", r.trace.steps.size()},
                     {"lasso", r.trace.loop_start >= 0},
                     {"states", r.stats["states"]},
                     {"seconds_with_replay", s}});
      break;
    }
  }
  return out;
}

}  // namespace
}  // namespace gup

int main(int argc, char** argv) {
  std::vector<std::string> runs(argv + 1, argv + argc);
  if (runs.empty())
    runs = {"exact-1",        "exact-2",       "compact-1",     "compact-2",
            "compact-2-grow", "compact-2-sym", "compact-2-por", "variants"};
  nlohmann::json out;
  out["config"] = "bench-16m (bench/explore_bench.cc)";
  out["runs"] = nlohmann::json::array();
  for (const std::string& run : runs) {
    if (run == "variants")
      out["first_counterexample"] = gup::variants();
    else
      out["runs"].push_back(gup::measure(run));
    std::fprintf(stderr, "explore_bench: %s done\n", run.c_str());
  }
  std::printf("%s\n", out.dump(2).c_str());
}
