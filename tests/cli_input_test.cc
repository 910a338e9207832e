// The gupcheck binary against bad input: every case exits 2 with a clear
// message before any engine runs, and writes nothing outside --out.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/cli_util.h"
#include "tests/spec_text.h"

namespace {

namespace fs = std::filesystem;

using Result = gup::testing::CliResult;
Result gupcheck(const std::string& args) {
  return gup::testing::run_gupcheck(args);
}

bool has(const Result& r, const std::string& text) {
  return r.output.find(text) != std::string::npos;
}

constexpr const char* kMachine = gup::testing::kOneAnonPinMachine;

class CliInput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gupcheck_cli_input_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "a" / "b");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  fs::path dir_;
};

// Item: a spec's name is a file name under --out. "../../x" would write
// two levels up, over an existing file, without --force.
TEST_F(CliInput, ASpecNameCannotEscapeOut) {
  std::string spec = write("evil.toml", std::string("name = \"../../x\"\n") + kMachine +
                                            "[[check]]\nengine = \"explore\"\n");
  std::string victim = write("x.explore.txt", "precious\n");
  Result r = gupcheck("check " + spec + " --out " + (dir_ / "a" / "b").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, spec + ":1:8: error: the name contains '/'")) << r.output;
  EXPECT_EQ(slurp(victim), "precious\n");
  EXPECT_TRUE(fs::is_empty(dir_ / "a" / "b"));
}

// A report that cannot be written is found before the engines run.
TEST_F(CliInput, AnUnwritableReportIsRefusedBeforeRunning) {
  fs::create_directories(dir_ / "out" / "longterm-fsdax.explore.json");
  Result r = gupcheck("explore specs/zoo/longterm-fsdax.toml --force --out " +
                      (dir_ / "out").string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, "longterm-fsdax.explore.json is a directory")) << r.output;
  EXPECT_FALSE(has(r, "VIOLATED")) << r.output;
  Result file = gupcheck("explore specs/zoo/longterm-fsdax.toml --out " + write("plain", "x"));
  EXPECT_EQ(file.status, 2) << file.output;
  EXPECT_TRUE(has(file, "not a directory")) << file.output;
}

TEST_F(CliInput, ACleanRunWritesEverySummary) {
  Result r = gupcheck("check tests/specs/clean.toml -q --out " + dir_.string());
  EXPECT_EQ(r.status, 0) << r.output;
  for (const char* f : {"summary.txt", "summary.json", "junit.xml", "summary.tap"})
    EXPECT_TRUE(fs::exists(dir_ / f)) << f;
  EXPECT_TRUE(nlohmann::json::parse(slurp(dir_ / "summary.json")).contains("results"));
  EXPECT_NE(slurp(dir_ / "junit.xml").find("<testsuite"), std::string::npos);
}

TEST_F(CliInput, SpecFilesMustBeSmallRegularFiles) {
  Result zero = gupcheck("check /dev/zero");
  EXPECT_EQ(zero.status, 2);
  EXPECT_EQ(zero.output,
            "/dev/zero: error: cannot open the spec file: it is not a regular file (a FIFO, "
            "socket or device)\n");
  std::string fifo = (dir_ / "f.toml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(gupcheck("check " + fifo).status, 2);
  EXPECT_EQ(gupcheck("replay " + fifo).status, 2);
  EXPECT_EQ(gupcheck("replay /dev/zero").status, 2);
}

TEST(CliNumbers, OutOfRangeNumbersAreRefused) {
  struct Case {
    const char* args;
    const char* message;
  } cases[] = {
      {"--seed -1", "--seed must be a whole number from 0 to 18446744073709551615, got '-1'"},
      {"--seed 99999999999999999999",
       "--seed must be from 0 to 18446744073709551615, got 99999999999999999999"},
      {"--max-memory 17179869184G", "--max-memory must be a size such as 512M or 2G"},
      {"--compact --table 17179869185G", "--table must be a size such as 512M or 2G"},
      {"--time nan", "--time must be a number of seconds from 0 (no limit) to 604800, got 'nan'"},
      {"--time 1e400", "got '1e400'"},
      {"--time -1", "--time must be a number of seconds"},
      {"--max-states 0", "--max-states must be from 1 to 1099511627776, got 0"},
      {"--jobs 99999999999999999999", "--jobs must be from 1 to 256"},
  };
  for (const Case& c : cases) {
    Result r = gupcheck(std::string("explore tests/specs/clean.toml ") + c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.output;
    EXPECT_TRUE(has(r, c.message)) << c.args << "\n" << r.output;
    EXPECT_LT(r.output.size(), 300u) << c.args << "\n" << r.output;
  }
  EXPECT_EQ(gupcheck("explore -q tests/specs/clean.toml --time 0").status, 0);
}

// The spec and the command line share their rules: what one refuses, the
// other refuses, at load time.
TEST_F(CliInput, TheSpecRefusesWhatTheCommandLineRefuses) {
  std::string table = write("t.toml", std::string(kMachine) +
                                          "[[check]]\nengine = \"explore\"\ncompact = true\n"
                                          "table = 1\n");
  Result r = gupcheck("check " + table);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r, table + ":17:9: error: 'table' must be from 64 to 1024G, got 1")) << r.output;
  EXPECT_TRUE(has(gupcheck("explore tests/specs/clean.toml --compact --table 1"),
                  "--table must be from 64 to 1024G, got 1"));
  std::string seed =
      write("s.toml", std::string(kMachine) + "[[check]]\nengine = \"random\"\nseed = -1\n");
  EXPECT_TRUE(has(gupcheck("check " + seed),
                  ":16:8: error: 'seed' must be a whole number from 0 to 18446744073709551615"));
  std::string nan =
      write("n.toml", std::string(kMachine) + "[[check]]\nengine = \"random\"\ntime = nan\n");
  EXPECT_EQ(gupcheck("check " + nan).status, 2);
}

// A seed random prints can always be written back: above 2^63-1 as a
// string in a spec.
TEST_F(CliInput, EverySeedCanBeWrittenBack) {
  std::string spec = write("s.toml", std::string(kMachine) +
                                         "[[check]]\nengine = \"random\"\nruns = 3\n"
                                         "seed = \"18446744073709551615\"\n");
  Result r = gupcheck("check -q " + spec + " --format json");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(has(r, "\"seed\": 18446744073709551615")) << r.output;
}

// Options an engine does not read are refused, in the spec and on the
// command line alike.
TEST_F(CliInput, OptionsForAnotherEngineAreRefused) {
  std::string spec =
      write("o.toml", std::string(kMachine) + "[[check]]\nengine = \"random\"\nmax_states = 5\n");
  Result r = gupcheck("check " + spec);
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_TRUE(has(r,
                  ":16:14: error: 'max_states' is read by explore only: the random engine "
                  "would ignore it"))
      << r.output;
  Result cli = gupcheck("random tests/specs/clean.toml --max-states 5");
  EXPECT_EQ(cli.status, 2) << cli.output;
  EXPECT_TRUE(has(cli, "--max-states is read by explore only, and no run here uses it"))
      << cli.output;
}

TEST(CliVersion, VersionPrintsAndExitsZero) {
  Result r = gupcheck("--version");
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(has(r, "gupcheck-model-")) << r.output;
}

}  // namespace
