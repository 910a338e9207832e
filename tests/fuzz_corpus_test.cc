// Replays the fuzzers' corpora (tests/fuzz/corpus/{spec,trace,cli}/, seeds
// and what libFuzzer found interesting) through the entry functions the
// fuzz targets call (tests/fuzz/entries.h): every input is accepted or
// refused with an error message, and no other exception escapes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "tests/fuzz/entries.h"

namespace gup::fuzz {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpus(const std::string& format) {
  fs::path dir = fs::path(GUPCHECK_SOURCE_DIR) / "tests/fuzz/corpus" / format;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void replay(const std::string& format, EntryResult (*entry)(std::string_view)) {
  std::vector<fs::path> files = corpus(format);
  ASSERT_FALSE(files.empty()) << "no corpus for " << format;
  int accepted = 0;
  for (const fs::path& p : files) {
    SCOPED_TRACE(p.string());
    std::string bytes = read_bytes(p);
    EntryResult r;
    EXPECT_NO_THROW(r = entry(bytes));
    if (r.accepted)
      ++accepted;
    else
      EXPECT_FALSE(r.error.empty()) << "refused without an error message";
  }
  // The seeds include valid inputs of every format.
  EXPECT_GT(accepted, 0) << format;
}

TEST(FuzzCorpus, Spec) {
  replay("spec", spec_entry);
}

TEST(FuzzCorpus, Trace) {
  replay("trace", trace_entry);
}

TEST(FuzzCorpus, Cli) {
  replay("cli", cli_entry);
}

}  // namespace
}  // namespace gup::fuzz
