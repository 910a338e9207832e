// `gupcheck replay` confirms (exit 1) exactly the traces that show the
// violation they record, and for any other says where it stops matching
// (exit 2): a step not enabled, a step or state that diverges from the
// record, the property not breaking where recorded.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli_util.h"

namespace {

namespace fs = std::filesystem;

using Result = gup::testing::CliResult;

bool has(const Result& r, const std::string& text) {
  return r.output.find(text) != std::string::npos;
}

class ReplayCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gupcheck_replay_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // The trace explore saves for `spec` (a violation).
  // `status`: 1 for a violation nobody expects, 0 for a spec's expected one.
  nlohmann::json saved(const std::string& spec, const std::string& stem, int status = 1) {
    fs::path out = dir_ / ("out-" + stem);
    Result r = gup::testing::run_gupcheck("explore -q " + spec + " --out " + out.string());
    EXPECT_EQ(r.status, status) << r.output;
    std::ifstream in(out / (stem + ".explore.json"));
    return nlohmann::json::parse(in);
  }
  Result replay(const nlohmann::json& j) {
    fs::path p = dir_ / "t.json";
    std::ofstream(p) << j.dump(2);
    return gup::testing::run_gupcheck("replay " + p.string());
  }
  fs::path dir_;
};

TEST_F(ReplayCli, TheSavedTraceIsConfirmed) {
  nlohmann::json j = saved("tests/specs/fsdax-violation.toml", "longterm-fsdax");
  Result r = replay(j);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(has(r, "Confirmed: no-longterm-pin-on-fsdax is violated")) << r.output;
}

TEST_F(ReplayCli, AnEditedChoiceIsNotConfirmed) {
  nlohmann::json j = saved("tests/specs/fsdax-violation.toml", "longterm-fsdax");
  ASSERT_GE(j["steps"].size(), 2u);
  j["steps"][1]["choice"] = 1 - j["steps"][1]["choice"].get<int>();
  Result r = replay(j);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r,
                  "error: the trace does not show a violation of no-longterm-pin-on-fsdax: "
                  "step 2 "))
      << r.output;
}

TEST_F(ReplayCli, AnEmptyStepListIsNotConfirmed) {
  nlohmann::json j = saved("tests/specs/fsdax-violation.toml", "longterm-fsdax");
  j["steps"] = nlohmann::json::array();
  j.erase("loop_start");
  Result r = replay(j);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "all 0 steps replay and no checked property is violated")) << r.output;
}

TEST_F(ReplayCli, AnotherVariantIsNotConfirmed) {
  nlohmann::json j = saved("tests/specs/fsdax-violation.toml", "longterm-fsdax");
  j["variant"] = "base";
  Result r = replay(j);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "the trace does not show a violation of no-longterm-pin-on-fsdax"))
      << r.output;
}

TEST_F(ReplayCli, ExtraStepsAfterTheViolationAreNotConfirmed) {
  nlohmann::json j = saved("tests/specs/fsdax-violation.toml", "longterm-fsdax");
  size_t n = j["steps"].size();
  j["steps"].push_back(j["steps"][n - 1]);
  Result r = replay(j);
  EXPECT_EQ(r.status, 2) << r.output;
}

TEST_F(ReplayCli, ARecordedStateThatDivergesIsNamed) {
  nlohmann::json j = saved("tests/specs/fsdax-violation.toml", "longterm-fsdax");
  j["steps"][0]["changes"] = "folio 0 refcount 1 -> 2";
  Result r = replay(j);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "the state after step 1 diverges from the recorded one")) << r.output;
}

// explore's lasso for a call that never ends replays whole, with its loop.
TEST_F(ReplayCli, ALassoReplaysWithItsLoop) {
  std::ofstream(dir_ / "lasso.toml") << "builtin = \"driver-cma\"\n[[check]]\nengine = "
                                        "\"explore\"\n";
  nlohmann::json j = saved((dir_ / "lasso.toml").string(), "driver-cma");
  ASSERT_GE(j["loop_start"].get<int>(), 0);
  size_t n = j["steps"].size();
  Result r = replay(j);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(has(r, "   -- back to step ")) << r.output;
  EXPECT_TRUE(has(r, "Confirmed: pin-loop-terminates is violated: steps " +
                         std::to_string(j["loop_start"].get<int>() + 1) + " to " +
                         std::to_string(n) + " repeat forever."))
      << r.output;
  // Without its last step the loop does not close.
  j["steps"].erase(j["steps"].size() - 1);
  Result open = replay(j);
  EXPECT_EQ(open.status, 2) << open.output;
  EXPECT_TRUE(has(open, "the loop does not close")) << open.output;
}

// The embedded spec may not include a file: nothing else is read.
TEST_F(ReplayCli, AnEmbeddedIncludeIsRefusedUnread) {
  nlohmann::json j = saved("tests/specs/fsdax-violation.toml", "longterm-fsdax");
  j["spec"]["text"] = "include = [\"/etc/passwd\"]\n";
  Result r = replay(j);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "it may not include other files")) << r.output;
  EXPECT_FALSE(has(r, "root:")) << r.output;
}

// `replay --variant`: does a patch fix the counterexample? C1's trace on
// the fixed 6.12 base applies step for step, differs where the base
// returns -ENOMEM, and no longer violates; on its own kernel it still does.
TEST_F(ReplayCli, OnTheFixedKernelC1sTraceNoLongerViolates) {
  nlohmann::json j =
      saved("specs/zoo/migrate-fail-pins-anyway.toml", "migrate-fail-pins-anyway", 0);
  fs::path p = dir_ / "c1.json";
  std::ofstream(p) << j.dump(2);
  Result fixed = gup::testing::run_gupcheck("replay " + p.string() + " --variant base");
  EXPECT_EQ(fixed.status, 0) << fixed.output;
  EXPECT_TRUE(has(fixed, "On variant base:")) << fixed.output;
  EXPECT_TRUE(has(fixed, "T0 returned -ENOMEM")) << fixed.output;
  EXPECT_TRUE(has(fixed, "The trace no longer violates no-longterm-pin-in-movable on base."))
      << fixed.output;
  Result buggy =
      gup::testing::run_gupcheck("replay " + p.string() + " --variant migrate-fail-pins-anyway");
  EXPECT_EQ(buggy.status, 1) << buggy.output;
  EXPECT_TRUE(has(buggy, "every step is taken and changes the state as recorded")) << buggy.output;
  EXPECT_TRUE(has(buggy, "STILL VIOLATED: no-longterm-pin-in-movable after step")) << buggy.output;
  EXPECT_EQ(gup::testing::run_gupcheck("replay " + p.string() + " --variant no-such").status, 2);
}

}  // namespace
