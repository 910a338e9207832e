// `--variant-file`: a variant written outside the source tree is built
// against the model, loaded and checked through the CLI by every engine
// (checker/cli/variant_file.h); a file that does not compile is bad input
// whose diagnostics carry the file's own line numbers.
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

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
    text.replace(at, from.size(), to);
  return text;
}

class VariantFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gupcheck-variant-file-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    setenv("GUPCHECK_CACHE_DIR", (dir_ / "cache").c_str(), 1);
  }
  void TearDown() override {
    unsetenv("GUPCHECK_CACHE_DIR");
    fs::remove_all(dir_);
  }
  // C5's variant file under another name: GUP-fast without the pinnable
  // check of try_grab_folio_fast().
  fs::path write_patch(const std::string& ident, const std::string& extra_line = "") {
    std::string text =
        read(fs::path(GUPCHECK_SOURCE_DIR) / "model/variants/gupfast-longterm-cma.cc");
    text = replaced(text, "gupfast_longterm_cma", ident);
    text = replaced(text, "\"gupfast-longterm-cma\"", "\"" + replaced(ident, "_", "-") + "\"");
    text = replaced(text, "  v.zoo_id = \"C5\";\n", "");
    if (!extra_line.empty())
      text = replaced(text, "  Task& t = task(s, c);\n", "  Task& t = task(s, c);\n" + extra_line);
    fs::path p = dir_ / (ident + ".cc");
    std::ofstream(p) << text;
    return p;
  }
  size_t cached_modules() const {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir_ / "cache" / "variants"))
      n += e.path().extension() == ".so";
    return n;
  }
  fs::path dir_;
};

const char* kSpec = "specs/zoo/gupfast-longterm-cma.toml";

TEST_F(VariantFile, BuildsAndEveryEngineFindsItsCounterexample) {
  fs::path patch = write_patch("my_patch");
  for (const char* engine : {"explore", "random", "bmc"}) {
    auto r = run_gupcheck(std::string(engine) + " " + kSpec + " --variant-file " + patch.string());
    EXPECT_EQ(r.status, 1) << engine << "\n" << r.output;
    EXPECT_NE(r.output.find("fast-path-subset"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("--variant-file " + patch.string()), std::string::npos)
        << "the replay command names the file\n"
        << r.output;
  }
  EXPECT_EQ(cached_modules(), 1u) << "built once, then taken from the cache";
  // The same spec on the base is clean: the violation is the patch's.
  auto base = run_gupcheck(std::string("explore ") + kSpec + " --variant base");
  EXPECT_EQ(base.status, 0) << base.output;
}

TEST_F(VariantFile, ACompileErrorNamesTheFilesOwnLine) {
  fs::path patch = write_patch("bad_patch", "  int oops = undefined_thing;\n");
  std::string text = read(patch);
  int line = 1;
  for (size_t at = 0; at < text.find("undefined_thing"); at++) line += text[at] == '\n';
  auto r = run_gupcheck(std::string("explore ") + kSpec + " --variant-file " + patch.string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("does not compile"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(patch.string() + ":" + std::to_string(line) + ":"), std::string::npos)
      << "expected line " << line << "\n"
      << r.output;
}

TEST_F(VariantFile, ReplacingAFunctionItDoesNotDefineIsBadInput) {
  fs::path patch = write_patch("lazy_patch");
  std::ofstream(patch, std::ios::app) << "";
  std::string text = replaced(read(patch), "GUP_REPLACE(gup_fast_grab);",
                              "GUP_REPLACE(gup_fast_grab);\n  GUP_REPLACE(gup_fast_done);");
  std::ofstream(patch) << text;
  auto r = run_gupcheck(std::string("explore ") + kSpec + " --variant-file " + patch.string());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("GUP_REPLACE(gup_fast_done)"), std::string::npos) << r.output;
}

TEST_F(VariantFile, NamingTheVariantTwiceIsAUsageError) {
  fs::path patch = write_patch("my_patch");
  auto r = run_gupcheck(std::string("explore ") + kSpec + " --variant base --variant-file " +
                        patch.string());
  EXPECT_EQ(r.status, 2) << r.output;
  auto missing = run_gupcheck(std::string("explore ") + kSpec + " --variant-file " +
                              (dir_ / "nope.cc").string());
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("cannot open"), std::string::npos) << missing.output;
}

}  // namespace
}  // namespace gup
