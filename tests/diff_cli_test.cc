// `gupcheck diff`: a kernel against itself differs in nothing; C1's buggy
// and fixed kernels differ in the pin that now fails, and in nothing once
// the spec declares that difference; a patch that breaks a property shows
// that property; a budget that ends the search says incomplete (exit 3).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/cli_util.h"

namespace gup {
namespace {

namespace fs = std::filesystem;
using testing::run_gupcheck;

bool has(const testing::CliResult& r, const std::string& s) {
  return r.output.find(s) != std::string::npos;
}

TEST(DiffCli, EveryVariantAgainstItselfDiffersInNothing) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(std::string(GUPCHECK_SOURCE_DIR) + "/specs/zoo")) {
    if (e.path().extension() != ".toml") continue;
    std::string v = e.path().stem().string();
    auto r = run_gupcheck("diff --base " + v + " --patched " + v + " specs/zoo/" + v + ".toml");
    EXPECT_EQ(r.status, 0) << v << "\n" << r.output;
    EXPECT_TRUE(has(r, "no difference")) << v << "\n" << r.output;
    n++;
  }
  EXPECT_GE(n, 6);
}

TEST(DiffCli, C1sFixTurnsThePinIntoENOMEMAndNothingElseOnceDeclared) {
  const std::string spec = "specs/zoo/migrate-fail-pins-anyway.toml";
  auto declared = run_gupcheck("diff --base migrate-fail-pins-anyway --patched base " + spec);
  EXPECT_EQ(declared.status, 0) << declared.output;
  EXPECT_TRUE(has(declared, "no difference: the same outcomes (up to the intended differences)"))
      << declared.output;

  // The same spec without its [[diff.intended]].
  std::ifstream in(std::string(GUPCHECK_SOURCE_DIR) + "/" + spec);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  s = s.substr(0, s.find("\n# What f0f4463837da means to change"));
  fs::path p = fs::temp_directory_path() / ("gupcheck-diff-" + std::to_string(getpid()) + ".toml");
  std::ofstream(p) << s << "\n";
  auto r = run_gupcheck("diff --base migrate-fail-pins-anyway --patched base " + p.string());
  fs::remove(p);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(has(r, "an outcome of base that migrate-fail-pins-anyway never reaches")) << r.output;
  EXPECT_TRUE(has(r, "T0.0 pin_user_pages(start 0, nr 1) = -ENOMEM")) << r.output;
  EXPECT_TRUE(has(r, "T0.0 pin_user_pages(start 0, nr 1) = 1; pin ZONE_NORMAL/MIGRATE_CMA"))
      << r.output;
  EXPECT_TRUE(has(r, "migrate-fail-pins-anyway breaks no-longterm-pin-in-movable, base keeps it"))
      << r.output;
  EXPECT_TRUE(has(r, "migrate-fail-pins-anyway                           | base")) << r.output;
}

TEST(DiffCli, APatchThatBreaksAPropertyShowsIt) {
  auto r = run_gupcheck("diff --patched gupfast-longterm-cma specs/zoo/gupfast-longterm-cma.toml");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(
      has(r, "Shortest: gupfast-longterm-cma breaks fast-path-subset, base keeps it, 3 steps"))
      << r.output;
}

TEST(DiffCli, ABudgetIsIncompleteAndUsageErrorsAreBadInput) {
  auto r = run_gupcheck("diff --patched base --max-states 5 specs/default/cow.toml");
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_TRUE(has(r, "incomplete: --max-states 5 ended the search")) << r.output;
  EXPECT_EQ(run_gupcheck("diff specs/default/cow.toml").status, 2);
  EXPECT_EQ(run_gupcheck("diff --patched no-such-variant specs/default/cow.toml").status, 2);
}

// docs/patches.md's worked example, step by step.
TEST(DiffCli, ThePatchWorkflowOfDocsPatches) {
  fs::path dir = fs::temp_directory_path() / ("gupcheck-patches-" + std::to_string(getpid()));
  fs::create_directories(dir);
  setenv("GUPCHECK_CACHE_DIR", (dir / "cache").c_str(), 1);
  const std::string spec = "specs/zoo/enomem-leaks-pins.toml";
  const std::string patch = "docs/examples/c10-unpin-on-enomem.cc";
  auto check = run_gupcheck("check -q " + spec + " --variant-file " + patch);
  EXPECT_EQ(check.status, 0) << check.output;
  auto found = run_gupcheck("explore -q " + spec + " --out " + (dir / "out").string());
  EXPECT_EQ(found.status, 0) << found.output;
  auto replay = run_gupcheck("replay " + (dir / "out/enomem-leaks-pins.explore.json").string() +
                             " --variant-file " + patch);
  EXPECT_EQ(replay.status, 0) << replay.output;
  EXPECT_TRUE(has(replay, "The trace no longer violates longterm-pin-contract")) << replay.output;
  auto diff = run_gupcheck("diff --base enomem-leaks-pins --patched-file " + patch + " " + spec);
  EXPECT_EQ(diff.status, 1) << diff.output;
  EXPECT_TRUE(
      has(diff, "enomem-leaks-pins breaks longterm-pin-contract, c10-unpin-on-enomem keeps it"))
      << diff.output;
  // The [[diff.intended]] table of the document, appended to the spec.
  std::ifstream in(std::string(GUPCHECK_SOURCE_DIR) + "/" + spec);
  std::stringstream text;
  text << in.rdbuf();
  std::ifstream doc(std::string(GUPCHECK_SOURCE_DIR) + "/docs/patches.md");
  std::stringstream d;
  d << doc.rdbuf();
  std::string md = d.str();
  size_t at = md.find("[[diff.intended]]\nwhy = \"v3:");
  ASSERT_NE(at, std::string::npos);
  std::string table = md.substr(at, md.find("```", at) - at);
  std::ofstream(dir / "c10.toml") << text.str() << "\n" << table;
  auto declared = run_gupcheck("diff --base enomem-leaks-pins --patched-file " + patch + " " +
                               (dir / "c10.toml").string());
  EXPECT_EQ(declared.status, 0) << declared.output;
  EXPECT_TRUE(has(declared, "no difference")) << declared.output;
  unsetenv("GUPCHECK_CACHE_DIR");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gup
