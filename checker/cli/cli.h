// The gupcheck command line: one table of subcommands (main.cc), each a
// name, a help line, its options and a handler returning the exit status.
//
// Exit status, for every subcommand:
//   0  nothing violated (and every run answered its question)
//   1  a property is violated that the spec does not expect, or a spec's
//      expectation (`expect`) is not met
//   2  bad input: a spec, a trace or the command line is wrong; for
//      replay, also a trace that does not show the violation it records
//   3  a budget ended a run that found nothing (incomplete)
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "checker/core/engine.h"
#include "checker/spec/option_rules.h"

namespace CLI {
class App;
}

namespace gup::cli {

enum Exit { kExitClean = 0, kExitViolated = 1, kExitBadInput = 2, kExitIncomplete = 3 };

// Engine budgets and knobs given on the command line (checker/spec/option_rules.h);
// each given overrides the spec's [[check]] value.
struct Budgets {
  std::map<std::string, std::string> text;  // by rule key, as typed
  std::map<std::string, bool> flag;         // by rule key, for kFlag rules
  // After finish_run_options(): the options given, parsed, in rule order.
  std::vector<std::pair<const OptionRule*, OptionValue>> given;
  bool has(std::string_view key) const;
  const OptionValue* value(std::string_view key) const;
  bool operator==(const Budgets&) const = default;
};

struct Options {
  std::vector<std::string> specs;
  std::string trace;            // replay
  std::string what;             // list: properties|variants|engines|configs
  std::string property_name;    // explain
  std::string engine;           // an engine subcommand: run only this engine
  std::string format = "text";  // text|json|junit|tap
  std::string out_dir;
  bool force = false;
  bool quiet = false;
  bool progress = false;
  std::string variant;
  std::string variant_file;  // a variant file outside the tree (variant_file.h)
  std::string diff_base;     // diff: --base
  std::string diff_patched;  // diff: --patched
  std::size_t diff_max_states = 2'000'000;
  std::string config;  // coverage: a builtin configuration instead of a spec
  std::vector<std::string> properties;
  Budgets budgets;
  bool operator==(const Options&) const = default;
};

struct Command {
  const char* name;
  const char* help;
  void (*add_options)(CLI::App& sub, Options& o);
  int (*run)(Options& o);
};

// Options shared by check and the engine subcommands (cli_options.cc).
void add_run_options(CLI::App& sub, Options& o);
// The option of `rule_key` (option_rules()) on `sub`, with `help`.
void add_rule_option(CLI::App& sub, Options& o, const char* rule_key, const std::string& help);
// After parsing: parse the budgets given (Budgets::given). Throws SpecError.
void finish_run_options(CLI::App& sub, Options& o);
// A [[check]]'s options with the budgets given on the command line; throws
// SpecError when the two together break a rule between options.
EngineOptions merge_budgets(EngineOptions spec, const Budgets& b, bool progress);
// The spec path used when none is given: specs/default.toml, from the
// working directory or else from the source tree gupcheck was built in.
std::string default_spec_path();
// `rel` from the working directory if it exists there, else from the
// source tree gupcheck was built in (else `rel` as given).
std::string source_path(const std::string& rel);

// What the command line asks for, parsed and checked, before anything runs.
struct ParsedCommandLine {
  int (*run)(Options&) = nullptr;  // the handler to run on the Options; nullptr: exit
  int exit = kExitClean;           // when run is nullptr: the exit status
  std::string out, err;            // to print on stdout and stderr first (help, errors)
  bool operator==(const ParsedCommandLine&) const = default;
};
// The command line's parser: the table of subcommands (cli_parse.cc) and
// their options, built once, then any number of parse() calls, each from
// default Options whatever the parses before it left. gupcheck parses once;
// the fuzzer (tests/fuzz/) and the tests reuse one parser for many inputs.
class CommandLineParser {
 public:
  CommandLineParser();
  ~CommandLineParser();
  CommandLineParser(const CommandLineParser&) = delete;
  CommandLineParser& operator=(const CommandLineParser&) = delete;

  // Parses argv into options() (finish_run_options() included). Runs
  // nothing, reads and writes no file. Throws SpecError for a bad option
  // value.
  ParsedCommandLine parse(int argc, const char* const* argv);
  // What the last parse() set: ParsedCommandLine::run runs on these.
  Options& options();
  // For tests: how many options CLI11 holds as parsed, in order, over the
  // app and its subcommands (App::parse_order()): the last parse's only.
  std::size_t parse_order_size();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

int run_check(Options& o);     // cli_check.cc: check and the engine subcommands
int run_replay(Options& o);    // cli_replay.cc
int run_list(Options& o);      // cli_info.cc
int run_explain(Options& o);   // cli_info.cc
int run_demo(Options& o);      // cli_demo.cc
int run_coverage(Options& o);  // cli_coverage.cc
int run_diff(Options& o);      // cli_diff.cc
void add_diff(CLI::App& sub, Options& o);
int run_zoo(Options& o);  // cli_zoo.cc
void add_zoo(CLI::App& sub, Options& o);
void add_coverage_options(CLI::App& sub, Options& o);

}  // namespace gup::cli
