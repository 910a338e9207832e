// Branch coverage (checker/core/coverage.h) and guidance (checker/bmc/coverage_guide.h):
// the recorded names agree with the model, explore covers what random
// covers, branches explore proves unreachable are reached by no engine,
// guidance reaches an error path the walks missed and finds a bug through
// it, the JSON report round-trips, and `gupcheck coverage` exits as the
// CLI promises.
#include "checker/core/coverage.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "checker/bmc/coverage_guide.h"
#include "checker/cli/engines.h"
#include "checker/core/replay.h"
#include "checker/random/random.h"
#include "checker/report/coverage_report.h"
#include "checker/spec/spec.h"
#include "model/config_builder.h"
#include "model/gup_internal.h"
#include "tests/cli_util.h"
#include "tests/solver_budget.h"

namespace gup {
namespace {

using coverage::Branch;
using coverage::Map;

// What guided random asks (the registry gives the engine the same).
constexpr coverage::GuideFn kSolver = coverage::guide_to_branches;

static_assert(kernel::kPcPutback + 1 == coverage::kGupSections,
              "coverage.cc's GUP section table mirrors model/gup_internal.h GupPc");

EngineOptions seeded(uint64_t seed, int runs, bool guide = false, int max_steps = 0) {
  EngineOptions o;
  o.seed = seed;
  o.runs = runs;
  o.max_steps = max_steps;
  // Guidance is bounded by Z3's resource count, not by time: the same
  // answer on a loaded machine (tests/solver_budget.h).
  if (guide) o.solver_rlimit = testing::kTestRlimit;
  o.jobs = 1;
  o.guide = guide;
  return o;
}

Map random_map(const Config& cfg, int runs, uint64_t seed = 1) {
  Map m;
  random_search(cfg, all_properties(), seeded(seed, runs), {&m, nullptr});
  return m;
}

Map explore_map(const Config& cfg, Verdict* verdict = nullptr, int jobs = 1) {
  Map m;
  EngineOptions o;
  o.jobs = jobs;
  o.coverage = &m;
  EngineResult r = find_engine("explore")->run(cfg, all_properties(), o);
  if (verdict) *verdict = r.verdict;
  return m;
}

// Every reached GUP branch has the name coverage.cc's table gives it and is
// a candidate branch: the tables and the candidate filters match the model.
TEST(Coverage, GupNamesAndCandidatesMatchTheModel) {
  for (const char* const* n = builtin_config_names(); *n; n++) {
    SCOPED_TRACE(*n);
    Config cfg = builtin_config(*n, base_variant());
    Map m = random_map(cfg, 2000);
    EXPECT_EQ(m.overflow(), 0u);
    std::vector<Branch> cand = coverage::candidate_branches(cfg);
    std::set<Branch> candidates(cand.begin(), cand.end());
    for (const Branch& b : m.branches()) {
      const Op& op = cfg.op(b.task, b.script_pos);
      if (!op_is_gup(op.kind)) continue;
      EXPECT_STREQ(m.function(b), coverage::gup_section_function(b.pc, op_is_fast(op.kind)))
          << "pc " << int(b.pc);
      EXPECT_STREQ(m.choice_text(b), b.choice ? coverage::gup_section_failure(b.pc) : "");
      EXPECT_TRUE(candidates.count(b)) << "task " << int(b.task) << " op " << int(b.script_pos)
                                       << " pc " << int(b.pc) << " choice " << int(b.choice);
    }
  }
}

// Every walk runs whatever the jobs, and each worker's map is merged: the
// same branches with one job or three.
TEST(Coverage, RandomCoverageIsTheSameWithAnyJobs) {
  Config cfg = builtin_config("cma-two-pinners", base_variant());
  Map one, three;
  random_search(cfg, all_properties(), seeded(5, 300, false, 20), {&one, nullptr});
  EngineOptions o = seeded(5, 300, false, 20);
  o.jobs = 3;
  random_search(cfg, all_properties(), o, {&three, nullptr});
  EXPECT_EQ(one.branches(), three.branches());
  EXPECT_EQ(one.outcomes(), three.outcomes());
  EXPECT_GT(one.count(), 0);
  for (const Branch& b : one.branches()) EXPECT_STREQ(one.function(b), three.function(b));
}

// Explore is exhaustive: it reaches every branch random reaches.
TEST(Coverage, ExploreCoversWhatRandomCovers) {
  for (const char* name : {"cma-demo", "fsdax", "cma-alloc-failure"}) {
    SCOPED_TRACE(name);
    Config cfg = builtin_config(name, base_variant());
    Verdict v;
    Map e = explore_map(cfg, &v);
    ASSERT_EQ(v, Verdict::kExhausted);
    Map two = explore_map(cfg, &v, 2);  // workers record into one map (C2)
    EXPECT_EQ(two.branches(), e.branches());
    EXPECT_EQ(two.outcomes(), e.outcomes());
    Map r = random_map(cfg, 3000);
    for (const Branch& b : r.branches())
      EXPECT_TRUE(e.hit(b)) << "pc " << int(b.pc) << " choice " << int(b.choice);
    for (const Branch& b : r.outcomes())
      EXPECT_TRUE(e.hit(b)) << "pc " << int(b.pc) << " -> " << int(b.next);
    // Every outcome belongs to a reached branch, and every reached branch
    // has an outcome.
    std::set<Branch> with_outcome;
    for (const Branch& b : e.outcomes()) with_outcome.insert(b.any_outcome());
    EXPECT_EQ(std::vector<Branch>(with_outcome.begin(), with_outcome.end()), e.branches());
    EXPECT_GE(e.count(), r.count());
  }
}

// A candidate branch that exhaustive search never takes is reported
// reached by no engine: not by random, guided random or the solver.
TEST(Coverage, UnreachableBranchIsCoveredByNoEngine) {
  Config cfg = builtin_config("cma-alloc-failure", base_variant());
  Verdict v;
  Map e = explore_map(cfg, &v);
  ASSERT_EQ(v, Verdict::kExhausted);
  std::vector<Branch> unreachable;
  for (const Branch& b : coverage::candidate_branches(cfg))
    if (!e.hit(b)) unreachable.push_back(b);
  ASSERT_FALSE(unreachable.empty());
  Map walks, guided;
  random_search(cfg, all_properties(), seeded(3, 200, true, 6), {&walks, &guided}, kSolver);
  coverage::GuideOutcome g =
      coverage::guide_to_branches(cfg, unreachable, testing::guide_options());
  ASSERT_TRUE(g.refused.empty()) << g.refused;
  for (size_t i = 0; i < unreachable.size(); i++) {
    const Branch& b = unreachable[i];
    EXPECT_FALSE(walks.hit(b) || guided.hit(b));
    EXPECT_NE(g.targets[i].reach, coverage::Reach::kReached);
  }
  coverage::Inputs in;
  in.maps = {&walks, &guided, &e};
  in.bmc = &g;
  coverage::Report rep = coverage::make_report(cfg, in, {});
  for (const coverage::Row& row : rep.rows) {
    if (std::find(unreachable.begin(), unreachable.end(), row.branch) == unreachable.end())
      continue;
    for (coverage::Cell c : row.cells) EXPECT_NE(c, coverage::Cell::kReached);
  }
}

// The long-term loop's error paths lie beyond a few short random walks;
// the solver's prefixes reach the ones the walks missed.
TEST(Coverage, GuidanceReachesErrorPathsTheWalksMissed) {
  Config cfg = builtin_config("cma-alloc-failure", base_variant());
  Map walks, guided;
  EngineResult r =
      random_search(cfg, all_properties(), seeded(1, 3, true, 6), {&walks, &guided}, kSolver);
  ASSERT_EQ(r.verdict, Verdict::kBounded);
  ASSERT_TRUE(r.stats.contains("guide"));
  EXPECT_GT(r.stats["guide"].value("reached", 0), 0) << r.stats.dump();
  int gained = 0, failures = 0;
  for (const Branch& b : guided.branches()) {
    if (walks.hit(b)) continue;
    gained++;
    failures += b.choice;
  }
  EXPECT_GT(gained, 0);
  EXPECT_GT(failures, 0) << "no injected failure reached only through guidance";
  for (const Branch& b : walks.branches()) EXPECT_TRUE(guided.hit(b));
  // The error path itself: a failed target allocation, then putback.
  const Branch failed_migration{0, 0, kernel::kPcMigrateUnmap, 1, kernel::kPcPutback};
  EXPECT_FALSE(walks.hit(failed_migration));
  EXPECT_TRUE(guided.hit(failed_migration));
  coverage::GuideOutcome g =
      coverage::guide_to_branches(cfg, {failed_migration}, testing::guide_options());
  ASSERT_EQ(g.targets[0].reach, coverage::Reach::kReached);
  State s = cfg.initial;
  for (Step st : g.targets[0].prefix.steps) apply(s, cfg, st);
  EXPECT_EQ(s.tasks[0].pc, kernel::kPcPutback);
  EXPECT_EQ(g.targets[0].prefix.steps.back(), (Step{0, 1}));
}

// C1 (migrate-fail-pins-anyway) needs a migration target allocation to
// fail: a few walks miss it, guided walks find it, and the trace (prefix
// and continuation, shrunk) replays; the same seed gives the same trace.
TEST(Coverage, GuidedWalksFindABugBehindARareBranch) {
  Config cfg = builtin_config("cma-alloc-failure", *find_variant("migrate-fail-pins-anyway"));
  EngineResult plain = random_search(cfg, all_properties(), seeded(1, 3, false, 6));
  ASSERT_NE(plain.verdict, Verdict::kViolated) << "the walks alone found it: pick fewer runs";
  EngineResult r = random_search(cfg, all_properties(), seeded(1, 3, true, 6), {}, kSolver);
  ASSERT_EQ(r.verdict, Verdict::kViolated) << r.stats.dump();
  EXPECT_TRUE(r.stats["guided"].get<bool>());
  EXPECT_NE(r.reproduce.find("--guide"), std::string::npos) << r.reproduce;
  ReplayOutcome out = replay(cfg, r.trace, all_properties());
  ASSERT_TRUE(out.ok) << out.error;
  EXPECT_TRUE(out.violated);
  EXPECT_EQ(out.property, r.property);
  EngineOptions two = seeded(1, 3, true, 6);
  two.jobs = 2;  // the lowest failing guided walk is reported whatever the jobs
  EngineResult again = random_search(cfg, all_properties(), two, {}, kSolver);
  EXPECT_EQ(again.trace.steps, r.trace.steps);
  EXPECT_EQ(again.stats["walk"], r.stats["walk"]);
}

TEST(Coverage, GuideIsACheckKey) {
  std::vector<Spec> specs = parse_specs(
      "builtin = \"cma-demo\"\n[[check]]\nengine = \"random\"\nguide = true\n", "guide.toml");
  ASSERT_EQ(specs.size(), 1u);
  ASSERT_EQ(specs[0].checks.size(), 1u);
  EXPECT_TRUE(specs[0].checks[0].options.guide);
}

TEST(Coverage, JsonReportRoundTrips) {
  Config cfg = builtin_config("cma-alloc-failure", base_variant());
  Map walks = random_map(cfg, 50);
  Map e = explore_map(cfg);
  coverage::GuideOptions shallow = testing::guide_options();
  shallow.max_depth = 6;  // some rows ✓, some — (the C1 branch needs 8 steps)
  coverage::GuideOutcome g =
      coverage::guide_to_branches(cfg, coverage::candidate_branches(cfg), shallow);
  coverage::Inputs in;
  in.maps = {&walks, nullptr, &e};
  in.bmc = &g;
  coverage::Report rep = coverage::make_report(
      cfg, in, {{{true, "bounded"}, {false, "not run"}, {true, "exhausted"}, {true, "depth 12"}}});
  ASSERT_FALSE(rep.rows.empty());
  nlohmann::json j = nlohmann::json::parse(coverage::report_json(rep).dump());
  EXPECT_EQ(coverage::report_from_json(j), rep);
  EXPECT_EQ(j["columns"][2]["reached"].get<int>(), e.count());
  std::string text = coverage::report_text(rep);
  EXPECT_NE(text.find("faultin_page (handle_mm_fault) [allocation fails]"), std::string::npos)
      << text;
  EXPECT_NE(text.find("unreachable"), std::string::npos) << "explore exhausted: misses are marked";
}

// `gupcheck coverage`: exit status 0 clean, 1 violated, 2 bad input; JSON
// on stdout; --out never overwrites without --force.
using testing::CliResult;
CliResult gupcheck(const std::string& args) {
  return testing::run_gupcheck(args, /*stderr_too=*/false);
}

TEST(CoverageCli, ExitStatusAndFormats) {
  // Bounded by states and Z3's resource count, never by time (the
  // defaults give explore and the solver 60 s each).
  const std::string bounds = " --max-states 1000000 --solver-rlimit 400000000";
  const std::string small = "coverage --config cma-demo --runs 100 --seed 1 -j 1 -q" + bounds;
  CliResult clean = gupcheck(small + " --format json");
  ASSERT_EQ(clean.status, 0) << clean.output;
  nlohmann::json j = nlohmann::json::parse(clean.output);
  EXPECT_EQ(j["config"], "cma-demo");
  EXPECT_EQ(j["columns"][3]["name"], "bmc");
  EXPECT_GT(j["columns"][2]["reached"].get<int>(), 0);

  CliResult bug = gupcheck(
      "coverage --config gupfast-cma --variant gupfast-longterm-cma --runs 100 --seed 1 -j 1 -q" +
      bounds);
  EXPECT_EQ(bug.status, 1) << bug.output;
  EXPECT_NE(bug.output.find("reproduce: gupcheck"), std::string::npos) << bug.output;

  // thp.toml calls split_huge_page(), which the encoding covers since
  // session 3: the bmc column runs.
  CliResult thp = gupcheck("coverage specs/default/thp.toml --runs 100 --seed 1 -j 1 -q" + bounds);
  EXPECT_EQ(thp.status, 0) << thp.output;
  EXPECT_EQ(thp.output.find("did not run"), std::string::npos) << thp.output;

  EXPECT_EQ(gupcheck("coverage --config no-such-config -q").status, 2);
  EXPECT_EQ(gupcheck("coverage specs/default.toml --config cma-demo -q").status, 2);

  auto dir = std::filesystem::temp_directory_path() /
             ("gupcheck_coverage_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  EXPECT_EQ(gupcheck(small + " --out " + dir.string()).status, 0);
  EXPECT_TRUE(std::filesystem::exists(dir / "cma-demo.coverage.txt"));
  EXPECT_EQ(gupcheck(small + " --out " + dir.string()).status, 2);
  EXPECT_EQ(gupcheck(small + " --out " + dir.string() + " --force").status, 0);
  std::filesystem::remove_all(dir);
}

// A spec's `guide = true`: the guided counterexample is saved with --out,
// carries --guide in its reproducer and replays.
TEST(CoverageCli, GuidedCounterexampleIsSavedAndReplays) {
  auto dir = std::filesystem::temp_directory_path() /
             ("gupcheck_guided_test_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  CliResult r = gupcheck("check tests/specs/guided-c1.toml --format json -q --out " + dir.string());
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("\"guided\": true"), std::string::npos) << r.output;
  CliResult spec_guides = gupcheck("random tests/specs/guided-c1.toml -q --seed 1 --runs 3");
  EXPECT_EQ(spec_guides.status, 1) << "the spec's guide = true is on";
  CliResult replay = gupcheck("replay " + (dir / "cma-alloc-failure.random.json").string());
  EXPECT_EQ(replay.status, 1) << replay.output;
  EXPECT_NE(replay.output.find("Confirmed: no-longterm-pin-in-movable is violated"),
            std::string::npos)
      << replay.output;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace gup
