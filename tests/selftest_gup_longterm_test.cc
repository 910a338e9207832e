// The outcome table of the kernel's selftest
// tools/testing/selftests/mm/gup_longterm.c (do_test() over its backings and
// test types), one test per row the model can express: the mapping that
// do_test() builds (after its memset() and, for R/O rows, mprotect()),
// the pin that PIN_LONGTERM_TEST_START or io_uring takes, and the outcome.
//
// Backings: M (memfd) and T (tmpfile on tmpfs) are shmem; H is hugetlbfs
// (one order-1 folio); D (ext4/xfs/btrfs) and U (any other fs) are a
// dirty-tracked file. Not expressed: MAP_PRIVATE hugetlb (GL-12, 17, 32,
// 37, 47: private hugetlb COW is not modelled) and the rows the selftest
// skips without asking the kernel (GL-25, 30, 45).
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "model/config_builder.h"
#include "tests/run_util.h"

namespace gup {
namespace {

struct Row {
  const char* id;
  const char* type;  // RO, RO_FAST, RW, RW_FAST, IOURING
  bool shared;
  char backing;        // M, H, T, D, U
  const char* kernel;  // "PIN" or "EFAULT"
};

void PrintTo(const Row& r, std::ostream* os) {
  *os << r.id << " " << r.type;
}

// Transcribed from the table; "—" rows are left out (see above).
const Row kRows[] = {
    {"GL-01", "RO", true, 'M', "PIN"},       {"GL-02", "RO", true, 'H', "PIN"},
    {"GL-03", "RO", true, 'T', "PIN"},       {"GL-04", "RO", true, 'D', "PIN"},
    {"GL-05", "RO", true, 'U', "PIN"},       {"GL-06", "RO_FAST", true, 'M', "PIN"},
    {"GL-07", "RO_FAST", true, 'H', "PIN"},  {"GL-08", "RO_FAST", true, 'T', "PIN"},
    {"GL-09", "RO_FAST", true, 'D', "PIN"},  {"GL-10", "RO_FAST", true, 'U', "PIN"},
    {"GL-11", "RO", false, 'M', "PIN"},      {"GL-13", "RO", false, 'T', "PIN"},
    {"GL-14", "RO", false, 'D', "PIN"},      {"GL-15", "RO", false, 'U', "PIN"},
    {"GL-16", "RO_FAST", false, 'M', "PIN"}, {"GL-18", "RO_FAST", false, 'T', "PIN"},
    {"GL-19", "RO_FAST", false, 'D', "PIN"}, {"GL-20", "RO_FAST", false, 'U', "PIN"},
    {"GL-21", "RW", true, 'M', "PIN"},       {"GL-22", "RW", true, 'H', "PIN"},
    {"GL-23", "RW", true, 'T', "PIN"},       {"GL-24", "RW", true, 'D', "EFAULT"},
    {"GL-26", "RW_FAST", true, 'M', "PIN"},  {"GL-27", "RW_FAST", true, 'H', "PIN"},
    {"GL-28", "RW_FAST", true, 'T', "PIN"},  {"GL-29", "RW_FAST", true, 'D', "EFAULT"},
    {"GL-31", "RW", false, 'M', "PIN"},      {"GL-33", "RW", false, 'T', "PIN"},
    {"GL-34", "RW", false, 'D', "PIN"},      {"GL-35", "RW", false, 'U', "PIN"},
    {"GL-36", "RW_FAST", false, 'M', "PIN"}, {"GL-38", "RW_FAST", false, 'T', "PIN"},
    {"GL-39", "RW_FAST", false, 'D', "PIN"}, {"GL-40", "RW_FAST", false, 'U', "PIN"},
    {"GL-41", "IOURING", true, 'M', "PIN"},  {"GL-42", "IOURING", true, 'H', "PIN"},
    {"GL-43", "IOURING", true, 'T', "PIN"},  {"GL-44", "IOURING", true, 'D', "EFAULT"},
    {"GL-46", "IOURING", false, 'M', "PIN"}, {"GL-48", "IOURING", false, 'T', "PIN"},
    {"GL-49", "IOURING", false, 'D', "PIN"}, {"GL-50", "IOURING", false, 'U', "PIN"},
};

// do_test(): the file, its mapping after memset() (and mprotect(PROT_READ)
// for the R/O types), and the pin as the test takes it.
Config do_test(const Row& row) {
  std::string type = row.type;
  bool ro = type == "RO" || type == "RO_FAST";
  bool hugetlb = row.backing == 'H';
  bool shmem = row.backing == 'M' || row.backing == 'T';
  int nr = hugetlb ? 2 : 1;
  ConfigBuilder b(row.id);
  b.add_mm();
  FolioSpec file;
  file.kind = hugetlb ? FolioKind::kHugetlb : shmem ? FolioKind::kShmem : FolioKind::kPageCache;
  file.order = hugetlb ? 1 : 0;
  int fc = b.add_folio(file);
  b.add_to_page_cache(0, 0, fc);
  if (hugetlb) b.add_to_page_cache(0, 1, fc);
  uint8_t prot = ro ? uint8_t(VM_READ) : uint8_t(VM_READ | VM_WRITE);
  if (row.shared) {
    VmaKind kind = hugetlb ? VmaKind::kHugetlb
                   : shmem ? VmaKind::kShmemShared
                           : VmaKind::kFileShared;
    // mprotect(PROT_READ) keeps VM_MAYWRITE: the file was opened R/W.
    b.add_vma(0, 0, nr, kind, prot, 0, VM_MAYWRITE);
    for (int a = 0; a < nr; a++) b.map(0, a, fc, a, !ro);
  } else {
    // memset() write-faulted an exclusive anon COW copy (do_cow_fault()).
    b.add_vma(0, 0, nr, VmaKind::kFilePrivate, prot, 0);
    int copy = b.add_folio(FolioSpec{});
    b.map(0, 0, copy, 0, !ro, true);
  }
  b.add_folio(FolioSpec{.free = true});
  uint32_t flags = FOLL_LONGTERM | (ro ? 0u : uint32_t(FOLL_WRITE));
  bool fast = type == "RO_FAST" || type == "RW_FAST" || type == "IOURING";
  Op pin = fast ? pin_user_pages_fast(0, 0, nr, flags) : pin_user_pages(0, 0, nr, flags);
  b.add_task({pin, unpin_user_pages()});
  return b.build();
}

class GupLongterm : public ::testing::TestWithParam<Row> {};

TEST_P(GupLongterm, SameOutcomeAsTheKernel) {
  const Row& row = GetParam();
  Config cfg = do_test(row);
  testing::Run r = testing::run_first_call(cfg);
  int ret = r.final_state.tasks[0].ret;
  int nr = cfg.scripts[0][0].nr;
  // io_uring's io_pin_pages() turns a short count into -EFAULT.
  if (std::string(row.type) == "IOURING" && ret >= 0 && ret < nr) ret = EFAULT_;
  std::string outcome = ret == nr ? "PIN" : ret == EFAULT_ ? "EFAULT" : errno_name(ret);
  EXPECT_EQ(outcome, row.kernel) << row.id << " " << row.type
                                 << (row.shared ? " shared " : " private ") << row.backing;
  if (outcome == "EFAULT") {
    for (const PageRef& p : r.final_state.tasks[0].pages) EXPECT_TRUE(p.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(SelftestTable, GupLongterm, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           std::string id = info.param.id;
                           id.erase(id.find('-'), 1);
                           return id + "_" + info.param.type;
                         });

}  // namespace
}  // namespace gup
