// `--out DIR`: the report files a run writes, all named before any engine
// runs.
//
// Invariants: every file written is DIR/NAME for a NAME given to
// prepare_out_dir(); an existing file is overwritten only with --force;
// an output that cannot be written is found before the engines run, and a
// write that fails later (the disk filled up) is reported without changing
// the verdict's exit status.
#pragma once

#include <string>
#include <vector>

namespace gup::cli {

// The summaries --out always writes, whatever --format prints.
inline constexpr const char* kSummaryFiles[] = {"summary.txt", "summary.json", "junit.xml",
                                                "summary.tap"};

// Creates DIR if needed and checks that each of `names` can be written in
// it: DIR is a writable directory, no name is an existing directory, and
// without `force` no name exists. Throws SpecError.
void prepare_out_dir(const std::string& dir, const std::vector<std::string>& names, bool force);

// Writes DIR/NAME. On failure prints "gupcheck: error: cannot write ..."
// on stderr and returns false.
bool write_out_file(const std::string& dir, const std::string& name, const std::string& text);

}  // namespace gup::cli
