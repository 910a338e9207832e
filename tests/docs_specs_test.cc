// Every example in docs/specs.md, and every spec shipped in specs/, loads.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "checker/spec/spec.h"

namespace gup {
namespace {

const std::string kSource = GUPCHECK_SOURCE_DIR;

// The ```toml blocks of a Markdown file, with the line each starts on.
std::vector<std::pair<int, std::string>> toml_blocks(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::pair<int, std::string>> blocks;
  std::string line, block;
  int n = 0, start = 0;
  bool inside = false;
  while (std::getline(in, line)) {
    n++;
    if (!inside && line == "```toml") {
      inside = true;
      start = n;
      block.clear();
    } else if (inside && line == "```") {
      inside = false;
      blocks.emplace_back(start, block);
    } else if (inside) {
      block += line + "\n";
    }
  }
  EXPECT_FALSE(inside) << path << ": unterminated ```toml block from line " << start;
  return blocks;
}

TEST(DocsSpecs, EveryExampleLoads) {
  auto blocks = toml_blocks(kSource + "/docs/specs.md");
  EXPECT_GE(blocks.size(), 6u);
  for (const auto& [line, text] : blocks) {
    // Loaded as if it were a file in specs/, so that include paths resolve.
    try {
      std::vector<Spec> specs = parse_specs(text, kSource + "/specs/docs-example.toml");
      EXPECT_FALSE(specs.empty()) << "docs/specs.md:" << line;
    } catch (const SpecError& e) {
      ADD_FAILURE() << "docs/specs.md:" << line << ": the example does not load:\n" << e.format();
    }
  }
}

TEST(DocsSpecs, EveryShippedSpecLoads) {
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kSource + "/specs")) {
    if (entry.path().extension() != ".toml") continue;
    files++;
    try {
      EXPECT_FALSE(load_specs(entry.path().string()).empty()) << entry.path();
    } catch (const SpecError& e) {
      ADD_FAILURE() << e.format();
    }
  }
  EXPECT_GE(files, 8);
}

TEST(DocsSpecs, DefaultSuiteCoversEveryFolioKindAndOp) {
  std::vector<Spec> specs = load_specs(kSource + "/specs/default.toml");
  std::set<FolioKind> kinds;
  std::set<OpKind> ops;
  for (const Spec& s : specs) {
    for (int f = 0; f < s.config.nr_folios; f++)
      if (!s.config.initial.folios[f].is_free()) kinds.insert(s.config.initial.folios[f].kind);
    for (int t = 0; t < s.config.nr_tasks; t++)
      for (int i = 0; i < s.config.script_len[t]; i++) ops.insert(s.config.op(t, i).kind);
  }
  for (int k = 0; k < int(FolioKind::kCount); k++)
    EXPECT_TRUE(kinds.count(FolioKind(k))) << "no folio of kind " << folio_kind_name(FolioKind(k));
  for (int k = 1; k < int(OpKind::kCount); k++)
    EXPECT_TRUE(ops.count(OpKind(k))) << "no task runs " << op_name(OpKind(k));
}

}  // namespace
}  // namespace gup
