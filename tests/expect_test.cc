// Expected verdicts (`expect` in a spec, docs/specs.md): parsed with a
// located error for every bad form; `check` exits 0 when every verdict is
// as expected, 1 when one is not, and TAP and JUnit count an expected
// violation as an expected failure.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "checker/spec/spec.h"
#include "tests/cli_util.h"
#include "tests/spec_text.h"

namespace gup {
namespace {

namespace fs = std::filesystem;
using testing::kOneAnonPinMachine;
using testing::run_gupcheck;

std::string error_of(const std::string& text, const SpecOverrides& ov = {}) {
  try {
    parse_specs(text, "t.toml", ov);
  } catch (const SpecError& e) {
    return e.format();
  }
  return "no error";
}

TEST(Expect, ParsesBothFormsForTheVariantThatRuns) {
  std::string own =
      std::string(
          "variant = \"longterm-fsdax\"\nexpect = \"violated:no-longterm-pin-on-fsdax\"\n") +
      kOneAnonPinMachine;
  std::vector<Spec> s = parse_specs(own, "t.toml");
  ASSERT_TRUE(s[0].expect);
  EXPECT_EQ(s[0].expect->property, "no-longterm-pin-on-fsdax");
  EXPECT_EQ(s[0].expect->loc.line, 2);
  // The string form speaks of the spec's own variant only.
  EXPECT_FALSE(parse_specs(own, "t.toml", SpecOverrides{"base", {}})[0].expect);

  std::string table = std::string(
                          "variant = \"longterm-fsdax\"\n[expect]\nlongterm-fsdax = "
                          "\"violated:no-longterm-pin-on-fsdax\"\nbase = \"clean\"\n") +
                      kOneAnonPinMachine;
  auto on_base = parse_specs(table, "t.toml", SpecOverrides{"base", {}});
  ASSERT_TRUE(on_base[0].expect);
  EXPECT_TRUE(on_base[0].expect->clean());
  EXPECT_FALSE(parse_specs(table, "t.toml", SpecOverrides{"gupfast-longterm-cma", {}})[0].expect);
}

TEST(Expect, EveryBadFormIsALocatedError) {
  std::string m = kOneAnonPinMachine;
  EXPECT_NE(error_of("expect = \"violated:no-such-property\"\n" + m)
                .find("t.toml:1:10: error: unknown property 'no-such-property'"),
            std::string::npos)
      << error_of("expect = \"violated:no-such-property\"\n" + m);
  EXPECT_NE(
      error_of("expect = \"maybe\"\n" + m)
          .find("t.toml:1:10: error: expected \"clean\" or \"violated:PROPERTY\", got \"maybe\""),
      std::string::npos)
      << error_of("expect = \"maybe\"\n" + m);
  EXPECT_NE(error_of("expect = 3\n" + m).find("t.toml:1:10: error: expected \"clean\""),
            std::string::npos)
      << error_of("expect = 3\n" + m);
  EXPECT_NE(error_of("[expect]\nno-such-variant = \"clean\"\n" + m)
                .find("t.toml:2:1: error: unknown variant 'no-such-variant'"),
            std::string::npos)
      << error_of("[expect]\nno-such-variant = \"clean\"\n" + m);
}

TEST(DiffIntended, BadDeclarationsAreLocatedErrors) {
  std::string m = kOneAnonPinMachine;
  EXPECT_NE(error_of("[[diff.intended]]\nbase = \"x\"\n" + m)
                .find("t.toml:1:1: error: [[diff.intended]] needs base"),
            std::string::npos)
      << error_of("[[diff.intended]]\nbase = \"x\"\n" + m);
  EXPECT_NE(error_of("[[diff.intended]]\nbase = \"x\"\npatched = \"y\"\nfixes = [\"nope\"]\n" + m)
                .find("t.toml:4:10: error: unknown property 'nope'"),
            std::string::npos)
      << error_of("[[diff.intended]]\nbase = \"x\"\npatched = \"y\"\nfixes = [\"nope\"]\n" + m);
  std::vector<Spec> s = parse_specs(
      "[[diff.intended]]\nwhy = \"w\"\nbase = \"x\"\npatched = \"y\"\nfixes = "
      "[\"pin-unpin-balance\"]\n" +
          m,
      "t.toml");
  ASSERT_EQ(s[0].intended.size(), 1u);
  EXPECT_EQ(s[0].intended[0].fixes, std::vector<std::string>{"pin-unpin-balance"});
}

class ExpectCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("gupcheck-expect-" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // specs/zoo/longterm-fsdax.toml with its [expect] table replaced.
  std::string spec_expecting(const std::string& table) {
    std::ifstream in(std::string(GUPCHECK_SOURCE_DIR) + "/specs/zoo/longterm-fsdax.toml");
    std::stringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    size_t at = text.find("[expect]\n");
    size_t end = text.find("\n\n", at);
    text.replace(at, end + 2 - at, "[expect]\n" + table + "\n");
    fs::path p = dir_ / "t.toml";
    std::ofstream(p) << text;
    return p.string();
  }
  fs::path dir_;
};

TEST_F(ExpectCli, AnExpectedViolationIsAnExpectedFailure) {
  const std::string spec = "specs/zoo/longterm-fsdax.toml";
  auto text = run_gupcheck("check -q " + spec);
  EXPECT_EQ(text.status, 0) << text.output;
  EXPECT_NE(text.output.find("all 3 runs as expected (3 expected violations)"), std::string::npos)
      << text.output;
  auto tap = run_gupcheck("check --format tap " + spec, false);
  EXPECT_EQ(tap.status, 0) << tap.output;
  EXPECT_NE(tap.output.find("# TODO expected violation of no-longterm-pin-on-fsdax"),
            std::string::npos)
      << tap.output;
  EXPECT_NE(tap.output.find("# Totals: pass:0 fail:0 xfail:3 xpass:0 skip:0 error:0"),
            std::string::npos)
      << tap.output;
  auto junit = run_gupcheck("check --format junit " + spec, false);
  EXPECT_NE(junit.output.find("failures=\"0\""), std::string::npos) << junit.output;
  EXPECT_NE(junit.output.find("<skipped type=\"xfail\""), std::string::npos) << junit.output;
}

TEST_F(ExpectCli, AVerdictNotAsExpectedFailsTheCheck) {
  // The bug's violation where the spec says clean.
  std::string clean = spec_expecting("longterm-fsdax = \"clean\"\n");
  auto r = run_gupcheck("check -q " + clean);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("NOT AS EXPECTED: clean"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("3 of 3 runs not as expected"), std::string::npos) << r.output;
  // A violation expected where the base has none.
  std::string on_base = spec_expecting("base = \"violated:no-longterm-pin-on-fsdax\"\n");
  auto b = run_gupcheck("check --format tap --variant base " + on_base, false);
  EXPECT_EQ(b.status, 1) << b.output;
  EXPECT_NE(b.output.find("expected violated:no-longterm-pin-on-fsdax, got: exhausted"),
            std::string::npos)
      << b.output;
  auto junit = run_gupcheck("check --format junit --variant base " + on_base, false);
  EXPECT_NE(junit.output.find("<failure type=\"expectation\""), std::string::npos) << junit.output;
  // Another property's violation is not the one expected.
  std::string other = spec_expecting("longterm-fsdax = \"violated:pin-unpin-balance\"\n");
  EXPECT_EQ(run_gupcheck("check -q " + other).status, 1);
}

}  // namespace
}  // namespace gup
