// The gupcheck binary end to end: exit status 0 clean, 1 violated, 2 bad
// input, 3 incomplete; --out never overwrites; replay of a saved trace.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli_util.h"

namespace {

namespace fs = std::filesystem;

const std::string kSource = GUPCHECK_SOURCE_DIR;

using Result = gup::testing::CliResult;
Result gupcheck(const std::string& args) {
  return gup::testing::run_gupcheck(args);
}

class OutDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gupcheck_cli_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(Cli, CleanSpecExitsZero) {
  Result r = gupcheck("check tests/specs/clean.toml");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("tests/specs/clean.toml  all 14 selected  explore  exhausted"),
            std::string::npos)
      << r.output;
}

TEST(Cli, ViolationExitsOne) {
  Result r = gupcheck("explore tests/specs/fsdax-violation.toml");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("VIOLATED no-longterm-pin-on-fsdax"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Replay: gupcheck explore tests/specs/fsdax-violation.toml"),
            std::string::npos)
      << r.output;
}

// Every spec in specs/zoo/ re-introduces a historical bug and says so
// (`expect`): each is caught as expected (exit 0), and each is clean on
// the base model.
TEST(Cli, EveryVariantSpecIsViolatedAndCleanOnBase) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(kSource + "/specs/zoo")) {
    if (e.path().extension() != ".toml") continue;
    n++;
    std::string rel = "specs/zoo/" + e.path().filename().string();
    Result r = gupcheck("explore -q " + rel);
    EXPECT_EQ(r.status, 0) << rel << "\n" << r.output;
    EXPECT_NE(r.output.find("violated (expected)"), std::string::npos) << rel << "\n" << r.output;
    Result base = gupcheck(
        "explore -q --variant base --property no-longterm-pin-in-movable "
        "--property no-longterm-pin-on-fsdax --property refcount-accounting " +
        rel);
    EXPECT_EQ(base.status, 0) << rel << "\n" << base.output;
  }
  EXPECT_GE(n, 6);
}

TEST(Cli, VariantAndPropertyOverridesChangeTheVerdict) {
  EXPECT_EQ(gupcheck("explore -q tests/specs/golden-c1.toml").status, 1);
  EXPECT_EQ(gupcheck("explore -q tests/specs/golden-c1.toml --variant base").status, 0);
  EXPECT_EQ(gupcheck("explore -q tests/specs/golden-c1.toml --property pin-unpin-balance").status,
            0);
}

TEST(Cli, BadSpecExitsTwoWithLocation) {
  Result r = gupcheck("check tests/specs/bad-folio-kind.toml");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_EQ(r.output,
            "tests/specs/bad-folio-kind.toml:4:8: error: unknown folio kind 'anno' (did you mean "
            "'anon'?)\n"
            "kind = \"anno\"\n"
            "       ^\n");
}

TEST(Cli, BudgetStopExitsThree) {
  Result r = gupcheck("explore tests/specs/clean.toml --max-states 3");
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_NE(r.output.find("incomplete"), std::string::npos) << r.output;
  // A fingerprint table too small for the machine is a budget stop too.
  r = gupcheck("explore tests/specs/clean.toml --compact --table 64");
  EXPECT_EQ(r.status, 3) << r.output;
  EXPECT_NE(r.output.find("incomplete"), std::string::npos) << r.output;
}

// The explore summary says how fast and how big the search was.
TEST(Cli, ExploreReportsRateMemoryAndOmission) {
  Result r = gupcheck("explore tests/specs/clean.toml --compact --table 1M");
  EXPECT_EQ(r.status, 0) << r.output;
  for (const char* part : {"explore tests/specs/clean.toml: ", " states/s, ", " B/state stored, ",
                           "process peak ", "; P(a state missed) <= "})
    EXPECT_NE(r.output.find(part), std::string::npos) << part << "\n" << r.output;
  EXPECT_EQ(gupcheck("explore tests/specs/clean.toml --table 1M").status, 2);
}

TEST(Cli, BadUsageExitsTwo) {
  EXPECT_EQ(gupcheck("").status, 2);
  EXPECT_EQ(gupcheck("frobnicate").status, 2);
  EXPECT_EQ(gupcheck("check --format xml tests/specs/clean.toml").status, 2);
  Result r = gupcheck("check --variant migrate-fail-pin-anyway tests/specs/clean.toml");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.output,
            "gupcheck: error: unknown variant 'migrate-fail-pin-anyway' (did you mean "
            "'migrate-fail-pins-anyway'?)\n");
}

TEST(Cli, ListExplainAndDemo) {
  Result list = gupcheck("list properties");
  EXPECT_EQ(list.status, 0);
  EXPECT_NE(list.output.find("no-longterm-pin-in-movable"), std::string::npos);
  EXPECT_EQ(gupcheck("list engines").status, 0);
  Result explain = gupcheck("explain refcount-accounting");
  EXPECT_EQ(explain.status, 0);
  EXPECT_NE(explain.output.find("Kernel: mm/gup.c"), std::string::npos) << explain.output;
  Result typo = gupcheck("explain refcount-acounting");
  EXPECT_EQ(typo.status, 2);
  EXPECT_EQ(typo.output,
            "gupcheck: error: unknown property 'refcount-acounting' (did you mean "
            "'refcount-accounting'?)\n");
  Result demo = gupcheck("demo");
  EXPECT_EQ(demo.status, 0) << demo.output;
  EXPECT_NE(demo.output.find("migrate_folio_move"), std::string::npos) << demo.output;
}

TEST(Cli, TapFormat) {
  Result r = gupcheck("check --format tap tests/specs/clean.toml");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.output.rfind("TAP version 13\n1..1\n", 0), 0u) << r.output;
  EXPECT_NE(r.output.find("\nok 1 clean explore (base): exhausted (39 states, depth 11)\n"),
            std::string::npos)
      << r.output;
}

TEST_F(OutDir, SavesReportsReplaysAndNeverOverwrites) {
  std::string out = " --out " + dir_.string();
  Result first = gupcheck("explore -q tests/specs/fsdax-violation.toml" + out);
  EXPECT_EQ(first.status, 1) << first.output;
  fs::path trace = dir_ / "longterm-fsdax.explore.json";
  for (const char* f :
       {"longterm-fsdax.explore.json", "longterm-fsdax.explore.txt",
        "longterm-fsdax.explore.state.dot", "longterm-fsdax.explore.trace.dot", "summary.txt"})
    EXPECT_TRUE(fs::exists(dir_ / f)) << f;

  Result again = gupcheck("explore -q tests/specs/fsdax-violation.toml" + out);
  EXPECT_EQ(again.status, 2) << again.output;
  EXPECT_NE(again.output.find("already exists: pass --force"), std::string::npos) << again.output;
  EXPECT_EQ(gupcheck("explore -q tests/specs/fsdax-violation.toml --force" + out).status, 1);

  Result replay = gupcheck("replay " + trace.string());
  EXPECT_EQ(replay.status, 1) << replay.output;
  EXPECT_NE(replay.output.find("Confirmed: no-longterm-pin-on-fsdax is violated"),
            std::string::npos)
      << replay.output;

  // The same trace on another model version is refused.
  std::ifstream in(trace);
  std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t pos = json.find("gupcheck-model-");
  ASSERT_NE(pos, std::string::npos);
  json.replace(pos, std::string("gupcheck-model-").size(), "gupcheck-model-X");
  fs::path old = dir_ / "old.json";
  std::ofstream(old) << json;
  Result refused = gupcheck("replay " + old.string());
  EXPECT_EQ(refused.status, 2) << refused.output;
  EXPECT_NE(refused.output.find("this trace was recorded on model version"), std::string::npos)
      << refused.output;
}

}  // namespace

namespace {
// `gupcheck zoo`: every catalogue entry caught by each engine of its spec
// and clean on the 6.12 base; a spec that does not expect its variant's
// violation is refused.
TEST(Cli, ZooCatchesEveryEntryAndTheBaseIsClean) {
  Result r = gupcheck("zoo");
  EXPECT_EQ(r.status, 0) << r.output;
  for (const char* id : {"C1 ", "C2 ", "C5 ", "C7 ", "C10", "E1 "})
    EXPECT_NE(r.output.find(std::string("\n") + id), std::string::npos) << id << "\n" << r.output;
  EXPECT_NE(r.output.find("runs as expected"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("NOT"), std::string::npos) << r.output;

  fs::path dir = fs::temp_directory_path() / ("gupcheck-zoo-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::copy_file(kSource + "/tests/specs/fsdax-violation.toml", dir / "longterm-fsdax.toml");
  Result bad = gupcheck("zoo " + dir.string());
  fs::remove_all(dir);
  EXPECT_EQ(bad.status, 2) << bad.output;
  EXPECT_NE(bad.output.find("a zoo spec expects the violation of its variant longterm-fsdax"),
            std::string::npos)
      << bad.output;
}
}  // namespace
