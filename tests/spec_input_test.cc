// Hostile spec input: names that would escape --out, files that are not
// regular or too big, and a trace's embedded spec that tries to read other
// files. Each is refused with file:line:column and a reason.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "checker/spec/spec.h"
#include "checker/spec/spec_name.h"
#include "tests/spec_text.h"

namespace gup {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMachine = gup::testing::kOneAnonPinMachine;

std::string error_of(const std::string& text, const std::string& path = "t.toml") {
  try {
    parse_specs(text, path);
  } catch (const SpecError& e) {
    return e.format();
  }
  return "no error";
}

std::string named(const std::string& name_toml) {
  return "name = " + name_toml + "\n" + kMachine;
}

TEST(SpecName, NamesThatWouldLeaveOutAreRefused) {
  EXPECT_EQ(error_of(named("\"../../x\"")),
            "t.toml:1:8: error: the name contains '/': a name must start with a letter or digit "
            "and hold only letters, digits, '.', '_' and '-' (it names the report files of "
            "--out)\n"
            "name = \"../../x\"\n"
            "       ^\n");
  EXPECT_NE(error_of(named("\"/tmp/x\"")).find("t.toml:1:8: error: the name contains '/'"),
            std::string::npos);
  EXPECT_NE(error_of(named("\"\"")).find("t.toml:1:8: error: the name is empty"),
            std::string::npos);
  EXPECT_NE(error_of(named("\".hidden\"")).find("t.toml:1:8: error: the name starts with '.'"),
            std::string::npos);
  EXPECT_NE(error_of(named("\"a\\nb\"")).find("t.toml:1:8: error: the name contains '\\x0a'"),
            std::string::npos);
  EXPECT_NE(error_of(named("\"" + std::string(101, 'a') + "\"")).find("the limit is 100"),
            std::string::npos);
  EXPECT_EQ(error_of(named("\"cma-fork_2.x\"")), "no error");
}

TEST(SpecName, AFileStemThatCannotBeANameNeedsAName) {
  EXPECT_NE(error_of(kMachine, "dir/my spec.toml")
                .find("dir/my spec.toml:1:1: error: the file name 'my spec' cannot name this "
                      "spec's reports"),
            std::string::npos);
  EXPECT_EQ(error_of(named("\"mine\""), "dir/my spec.toml"), "no error");
  EXPECT_EQ(spec_name_problem("default"), "");
}

// Specs that would check nothing, or a limit that could never fire.
TEST(SpecNoOps, SilentNoOpsAreRefused) {
  std::string rounds = std::string(kMachine) + "max_quiet_rounds = 3\n";
  rounds.replace(rounds.find("[machine]\n"), 10, "[machine]\nmax_quiet_rounds = 3\n");
  rounds.resize(rounds.size() - std::string("max_quiet_rounds = 3\n").size());
  EXPECT_EQ(error_of(rounds),
            "t.toml:2:20: error: 'max_quiet_rounds' must be 1 or 2, got 3 (the model counts quiet "
            "rounds up to 3 (Task::rounds), so a limit of 3 or more never fires)\n"
            "max_quiet_rounds = 3\n"
            "                   ^\n");
  std::string no_tasks(kMachine);
  no_tasks.resize(no_tasks.find("[[machine.task]]"));
  EXPECT_NE(error_of(no_tasks).find("t.toml:1:1: error: the machine has no [[machine.task]]"),
            std::string::npos)
      << error_of(no_tasks);
  std::string unpin_first = kMachine;
  unpin_first.replace(unpin_first.find("script = ["), std::string("script = [").size(),
                      "script = [\"unpin_user_pages\", ");
  EXPECT_NE(error_of(unpin_first)
                .find("t.toml:13:11: error: unpin_user_pages releases what the task's last GUP "
                      "call returned, and no GUP call"),
            std::string::npos)
      << error_of(unpin_first);
}

class InputFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gupcheck_spec_input_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  std::string load_error(const std::string& path) {
    try {
      load_specs(path);
    } catch (const SpecError& e) {
      return e.format();
    }
    return "no error";
  }
  fs::path dir_;
};

TEST_F(InputFiles, DevicesFifosAndHugeFilesAreRefused) {
  EXPECT_EQ(load_error("/dev/zero"),
            "/dev/zero: error: cannot open the spec file: it is not a regular file (a FIFO, "
            "socket or device)\n");
  std::string fifo = (dir_ / "fifo.toml").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(load_error(fifo), fifo +
                                  ": error: cannot open the spec file: it is not a regular file "
                                  "(a FIFO, socket or device)\n");
  std::string big = write("big.toml", "# " + std::string((1 << 20) + 1, 'x') + "\n" + kMachine);
  EXPECT_EQ(load_error(big), big +
                                 ": error: cannot open the spec file: it is larger than 1 MiB, "
                                 "the limit for an input file\n");
}

// An include that names a directory, a device or a FIFO is reported at
// the include, with its line and column.
TEST_F(InputFiles, ABadIncludeKeepsItsLocation) {
  fs::create_directories(dir_ / "d");
  std::string top = write("suite.toml", "include = [\"d\", \"/dev/null\"]\n");
  EXPECT_EQ(load_error(top), fmt::format("{}:1:12: error: cannot open '{}': it is a directory\n"
                                         "include = [\"d\", \"/dev/null\"]\n"
                                         "           ^\n",
                                         top, (dir_ / "d").string()));
  top = write("suite2.toml", "include = [\"/dev/null\"]\n");
  EXPECT_NE(load_error(top).find(":1:12: error: cannot open '/dev/null': it is not a regular file"),
            std::string::npos);
}

// A saved trace's spec reads nothing but itself: an include is refused
// before any file is opened, so no other file's text can show up.
TEST_F(InputFiles, AnEmbeddedSpecMayNotInclude) {
  std::string secret = write("secret.toml", "SECRET-LINE = [\n");
  std::string text = fmt::format("include = [\"{}\"]\n", secret);
  try {
    parse_self_contained_spec(text, "t.toml");
    FAIL() << "no error";
  } catch (const SpecError& e) {
    EXPECT_EQ(e.format(),
              fmt::format("t.toml:1:11: error: a saved trace's spec must be one configuration: "
                          "it may not include other files\n"
                          "{}"
                          "          ^\n",
                          text));
    EXPECT_EQ(e.format().find("SECRET"), std::string::npos);
  }
  EXPECT_EQ(parse_self_contained_spec(named("\"x\""), "t.toml").size(), 1u);
}

}  // namespace
}  // namespace gup
