#include "tests/fuzz/entries.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "checker/cli/cli.h"
#include "checker/report/trace_file.h"
#include "checker/spec/spec.h"

namespace gup::fuzz {

namespace {

EntryResult refused(const SpecError& e) {
  return EntryResult{false, e.format()};
}

}  // namespace

EntryResult spec_entry(std::string_view bytes) {
  try {
    // Includes resolve relative to a directory that does not exist.
    parse_specs(bytes, "/nonexistent-gupcheck-fuzz/fuzz.toml");
    return EntryResult{true, ""};
  } catch (const SpecError& e) {
    return refused(e);
  }
}

EntryResult trace_entry(std::string_view bytes) {
  try {
    // What `gupcheck replay` does with the file's text (cli_replay.cc).
    nlohmann::json j = nlohmann::json::parse(bytes, nullptr, false);
    if (j.is_discarded()) return EntryResult{false, "not a gupcheck trace: not valid JSON"};
    ReplayedTrace rt = replay_trace_json(j, "fuzz.json");
    if (!rt.mismatch.empty())
      return EntryResult{false, "the trace does not show it: " + rt.mismatch};
    return EntryResult{true, ""};
  } catch (const SpecError& e) {
    return refused(e);
  }
}

std::vector<std::string> cli_arguments(std::string_view bytes) {
  std::vector<std::string> args{"gupcheck"};
  std::string cur;
  for (char c : bytes) {
    if (c == '\0' || c == '\n') {
      args.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) args.push_back(cur);
  return args;
}

EntryResult cli_entry(std::string_view bytes) {
  std::vector<std::string> args = cli_arguments(bytes);
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  argv.push_back(nullptr);
  try {
    // One parser for every input: building the app costs far more than a
    // parse, and parse() starts from default options each time
    // (tests/cli_parse_test.cc checks that against fresh parsers).
    static cli::CommandLineParser parser;
    cli::ParsedCommandLine p = parser.parse(int(args.size()), argv.data());
    if (!p.run) {
      if (p.exit == cli::kExitClean) return EntryResult{true, ""};
      return EntryResult{false, p.err.empty() ? p.out : p.err};
    }
    // The checks a run makes on the budgets before it starts (cli_check.cc).
    const cli::Options& o = parser.options();
    merge_budgets(EngineOptions{}, o.budgets, o.progress);
    return EntryResult{true, ""};
  } catch (const SpecError& e) {
    return refused(e);
  }
}

}  // namespace gup::fuzz
