// Sources and docs cite what a reader can open: kernel source
// ("mm/gup.c: check_vma_flags()") or a file of this repository, never a
// document that is not in it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

TEST(DocsCitations, NoCitationOfAFileOutsideTheRepository) {
  // Split so that this file does not cite them itself.
  const std::string missing[] = {std::string("gup-") + "semantics.md",
                                 std::string("bug-") + "zoo.md"};
  const fs::path root = GUPCHECK_SOURCE_DIR;
  int files = 0;
  for (const char* dir : {"README.md", "docs", "model", "properties", "tests", "checker", "specs"})
    for (const fs::path& p :
         fs::is_directory(root / dir)
             ? std::vector<fs::path>(fs::recursive_directory_iterator(root / dir), {})
             : std::vector<fs::path>{root / dir}) {
      if (!fs::is_regular_file(p)) continue;
      std::string name = p.filename().string();
      // The bmc encoding is being rewritten elsewhere; its comments follow.
      if (name.rfind("smt_", 0) == 0 && p.parent_path().filename() == "bmc") continue;
      std::ifstream in(p);
      std::stringstream ss;
      ss << in.rdbuf();
      files++;
      for (const std::string& m : missing)
        EXPECT_EQ(ss.str().find(m), std::string::npos) << p << " cites " << m;
    }
  EXPECT_GT(files, 50);
}

}  // namespace
