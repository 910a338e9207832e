// One CommandLineParser used for many command lines in a row (as the
// fuzzer uses it, tests/fuzz/entries.cc) gives for each exactly what a
// fresh parser gives: the same ParsedCommandLine, the same Options, the
// same SpecError. Guards the reset between parses (cli_parse.cc): CLI11
// keeps results between parses, and the options are bound by reference.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "checker/cli/cli.h"
#include "checker/spec/spec_error.h"
#include "tests/fuzz/entries.h"

namespace gup::cli {
namespace {

namespace fs = std::filesystem;

// What one parse gives: its result and options, or the SpecError's text.
struct Outcome {
  std::optional<ParsedCommandLine> parsed;
  Options options;
  std::string error;
};

Outcome parse_with(CommandLineParser& parser, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  Outcome out;
  try {
    out.parsed = parser.parse(int(args.size()), argv.data());
    out.options = parser.options();
  } catch (const SpecError& e) {
    out.error = e.format();
  }
  return out;
}

std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (const std::string& a : args) s += "[" + a + "] ";
  return s;
}

// Parses every line with `shared`, in order, and each with a fresh parser.
void expect_same_as_fresh(CommandLineParser& shared,
                          const std::vector<std::vector<std::string>>& lines) {
  for (const std::vector<std::string>& args : lines) {
    SCOPED_TRACE(joined(args));
    Outcome reused = parse_with(shared, args);
    CommandLineParser fresh_parser;
    Outcome fresh = parse_with(fresh_parser, args);
    EXPECT_EQ(reused.error, fresh.error);
    ASSERT_EQ(reused.parsed.has_value(), fresh.parsed.has_value());
    if (!fresh.parsed) continue;
    EXPECT_TRUE(*reused.parsed == *fresh.parsed)
        << "exit " << reused.parsed->exit << " vs " << fresh.parsed->exit << "\nout:\n"
        << reused.parsed->out << "\nvs\n"
        << fresh.parsed->out << "\nerr:\n"
        << reused.parsed->err << "\nvs\n"
        << fresh.parsed->err;
    EXPECT_TRUE(reused.options == fresh.options)
        << "engine " << reused.options.engine << " vs " << fresh.options.engine << ", "
        << reused.options.budgets.given.size() << " vs " << fresh.options.budgets.given.size()
        << " budgets given";
  }
}

// Lines that set nearly every option one way, then lines that set none or
// others, so that anything left over from one parse would show in the next.
const std::vector<std::vector<std::string>> kLines = {
    {"gupcheck",   "check",        "a.toml",     "b.toml",
     "--format",   "json",         "--out",      "o",
     "--force",    "-q",           "--progress", "--variant",
     "v",          "--property",   "p1",         "--property",
     "p2",         "--seed",       "7",          "--jobs",
     "3",          "--time",       "1.5",        "--runs",
     "10",         "--max-steps",  "20",         "--max-states",
     "30",         "--max-memory", "1G",         "--max-depth",
     "4",          "--compact",    "--table",    "1M",
     "--symmetry", "--por",        "--guide",    "--solver-rlimit",
     "100"},
    {"gupcheck", "check"},
    {"gupcheck", "explore", "x.toml", "--max-states", "5", "--symmetry"},
    {"gupcheck", "random", "--seed", "9", "-j", "2"},
    {"gupcheck", "bmc"},
    {"gupcheck", "check", "--jobs", "0"},  // refused: SpecError
    {"gupcheck", "check", "--format", "xml"},
    {"gupcheck", "check", "--no-such-option"},
    {"gupcheck", "replay", "t.json", "--property", "p", "-q"},
    {"gupcheck", "replay"},
    {"gupcheck", "list", "engines"},
    {"gupcheck", "list", "nothing"},
    {"gupcheck", "explain", "some-property"},
    {"gupcheck", "coverage", "s.toml", "--config", "c", "--variant", "v", "--format", "json",
     "--out", "d", "--force", "--max-depth", "3", "--seed", "1"},
    {"gupcheck", "coverage", "--max-depth", "x"},  // refused: SpecError
    {"gupcheck", "coverage"},
    {"gupcheck", "demo"},
    {"gupcheck", "demo", "extra"},
    {"gupcheck", "--version"},
    {"gupcheck", "--help"},
    {"gupcheck", "check", "--help"},
    {"gupcheck"},
    {"gupcheck", "nosuchcommand"},
    {"gupcheck", "check", "--", "--format"},
    {"gupcheck", "check", "--time=2", "--runs=3"},
};

TEST(CliParse, ReusedParserMatchesFreshParsers) {
  CommandLineParser shared;
  expect_same_as_fresh(shared, kLines);
  std::vector<std::vector<std::string>> reversed(kLines.rbegin(), kLines.rend());
  expect_same_as_fresh(shared, reversed);
  expect_same_as_fresh(shared, kLines);
}

// CLI11's App::clear() leaves the list of options parsed in order
// (App::parse_order()) growing: a reused parser must not keep the earlier
// parses' (the cli fuzzer's memory grew by hundreds of MB per million
// inputs before parse() cleared it).
TEST(CliParse, ReusedParserKeepsOnlyTheLastParsesOrder) {
  const std::vector<std::string> line = {"gupcheck", "check",   "--seed", "1",     "--property",
                                         "a",        "--quiet", "--por",  "b.toml"};
  CommandLineParser fresh;
  parse_with(fresh, line);
  std::size_t one = fresh.parse_order_size();
  EXPECT_GE(one, 4u);
  CommandLineParser shared;
  for (int i = 0; i < 100; ++i) {
    parse_with(shared, line);
    parse_with(shared, {"gupcheck", "check", "--no-such-option", "x"});
  }
  parse_with(shared, line);
  EXPECT_EQ(shared.parse_order_size(), one);
}

// The same over the cli fuzz corpus, in file order, with one parser (as
// the fuzzer replays it).
TEST(FuzzCorpus, CliReusedParserMatchesFreshParsers) {
  fs::path dir = fs::path(GUPCHECK_SOURCE_DIR) / "tests/fuzz/corpus/cli";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_FALSE(files.empty());
  std::vector<std::vector<std::string>> lines;
  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    lines.push_back(fuzz::cli_arguments(std::string(std::istreambuf_iterator<char>(in), {})));
  }
  CommandLineParser shared;
  expect_same_as_fresh(shared, lines);
}

}  // namespace
}  // namespace gup::cli
