// One entry function per input format gupcheck reads: a spec's TOML text,
// a saved trace's JSON, the command line. The libFuzzer targets (*_fuzz.cc)
// and the corpus replay test (tests/fuzz_corpus_test.cc) both call these.
//
// Each returns whether the input was accepted or, if not, the error a user
// would see. Only SpecError (the way gupcheck refuses bad input) is
// caught: any other exception escapes, and the fuzzer reports it as a bug.
// None of them runs an engine, writes a file or reads a file other than
// what the input itself names (a suite's includes, through the checked
// reader of checker/spec/input_file.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace gup::fuzz {

struct EntryResult {
  bool accepted = false;
  std::string error;  // non-empty when !accepted
};

// `bytes` as the text of a spec file (checker/spec/spec.h parse_specs).
EntryResult spec_entry(std::string_view bytes);
// `bytes` as a saved trace's JSON, replayed (checker/report/trace_file.h).
EntryResult trace_entry(std::string_view bytes);
// `bytes` split on NUL and newline into the arguments after `gupcheck`,
// parsed and checked (cli.h CommandLineParser, one for every call, then
// the budgets merged as a run would); the subcommand is not run.
EntryResult cli_entry(std::string_view bytes);
// The argv cli_entry parses: "gupcheck", then `bytes` split on NUL and
// newline (a trailing empty piece dropped).
std::vector<std::string> cli_arguments(std::string_view bytes);

}  // namespace gup::fuzz
