// False counterexamples of the 6.12 base model and the divergences behind
// them (issues 9 and 10): each scenario that produced a "violated" from a
// state the kernel cannot reach is a spec in tests/specs/false-cex-*.toml
// that must now check clean, exhaustively; the smaller divergences have
// unit tests on the model's steps.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "checker/explore/explore.h"
#include "checker/spec/spec.h"
#include "model/config_builder.h"
#include "tests/folio_specs.h"
#include "tests/run_util.h"

namespace gup {
namespace {

using testing::free_normal;
using testing::of_kind;

constexpr uint8_t kRW = VM_READ | VM_WRITE;

std::vector<std::string> false_cex_specs() {
  std::vector<std::string> out;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(GUPCHECK_SOURCE_DIR) + "/tests/specs"))
    if (e.path().filename().string().starts_with("false-cex-")) out.push_back(e.path().string());
  return out;
}

TEST(FalseCex, EverySpecChecksCleanExhaustively) {
  std::vector<std::string> paths = false_cex_specs();
  ASSERT_GE(paths.size(), 4u);
  for (const std::string& path : paths) {
    for (const Spec& spec : load_specs(path)) {
      EngineResult r = run_explore(spec.config, all_properties(), EngineOptions{});
      EXPECT_EQ(r.verdict, Verdict::kExhausted) << path << ": " << r.property << "\n" << r.why;
    }
  }
}

// Issue 9: the tasks of a fork child cannot run before dup_mmap() is done.
Config fork_child_machine() {
  ConfigBuilder b("fork-child");
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  b.map(0, 0, b.add_folio(FolioSpec{}), 0, true);
  b.add_folio(free_normal());
  b.add_task({fork_mm(0, 1)});
  b.add_task({get_user_pages_fast(1, 0, 2, FOLL_WRITE), unpin_user_pages()});
  return b.build();
}

bool task_enabled(const State& s, const Config& cfg, int t) {
  StepBuffer b;
  enabled_steps(s, cfg, b);
  for (const Step& st : b)
    if (st.task == t) return true;
  return false;
}

TEST(FalseCex, OpsInTheChildMmWaitUntilForkIsDone) {
  Config cfg = fork_child_machine();
  State s = cfg.initial;
  EXPECT_FALSE(task_enabled(s, cfg, 1)) << "mm1 does not exist yet";
  apply(s, cfg, Step{0, 0});  // dup_mmap(): the child's VMAs, PTE copy pending
  EXPECT_FALSE(task_enabled(s, cfg, 1)) << "fork is still copying mm1";
  while (!task_done(s, cfg, 0)) apply(s, cfg, Step{0, 0});
  EXPECT_TRUE(s.mms[1].flags & kMmLive);
  EXPECT_TRUE(task_enabled(s, cfg, 1));
}

TEST(FalseCex, SpecsOnAnAddressSpaceNoForkCreatesAreRefused) {
  {
    ConfigBuilder b("no-fork");
    b.add_mm();
    b.add_mm(false);
    b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
    b.add_task({get_user_pages(1, 0, 1, 0)});
    EXPECT_THROW(b.build(), ConfigError);
  }
  {
    ConfigBuilder b("fork-after-own-op");
    b.add_mm();
    b.add_mm(false);
    b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
    b.add_task({write_fault(1, 0), fork_mm(0, 1)});
    EXPECT_THROW(b.build(), ConfigError);
  }
  {
    ConfigBuilder b("vma-in-reserved");
    b.add_mm();
    b.add_mm(false);
    EXPECT_THROW(b.add_vma(1, 0, 1, VmaKind::kAnon, kRW), ConfigError);
  }
}

// A device-coherent folio mapped writable at mm0 address 0 and `nr_free`
// free normal folios; T0 runs `ops`.
Config device_coherent(int nr_free, std::initializer_list<Op> ops) {
  ConfigBuilder b("dc");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  FolioSpec dc = of_kind(FolioKind::kDeviceCoherent);
  dc.zone = Zone::kDevice;
  b.map(0, 0, b.add_folio(dc), 0, true);
  for (int i = 0; i < nr_free; i++) b.add_folio(free_normal());
  b.add_task(ops);
  return b.build();
}

// Issue 10: migrate_device_coherent_folio()'s copy is ordinary anon memory;
// with one free page (specs/default/device.toml) the kernel returns 1.
TEST(FalseCex, DeviceCoherentLongtermPinReturnsOneWithOneFreePage) {
  Config cfg = device_coherent(1, {pin_user_pages(0, 0, 1, FOLL_WRITE | FOLL_LONGTERM)});
  testing::Run r = testing::run(cfg);
  ASSERT_TRUE(r.finished);
  const State& s = r.final_state;
  EXPECT_EQ(s.tasks[0].ret, 1);
  int f = s.tasks[0].pages[0].folio();
  EXPECT_NE(f, 0);
  EXPECT_EQ(s.folios[f].kind, FolioKind::kAnon);
  EXPECT_EQ(s.folios[f].zone, Zone::kNormal);
  EXPECT_EQ(s.mms[0].ptes[0].folio, f);
}

// Issue 10: device-coherent folios are anon (folio_test_anon()): fork
// copies a maybe-pinned exclusive one for the child (copy_present_page())
// and the parent keeps mapping the pinned page, writable.
TEST(FalseCex, ForkCopiesAPinnedDeviceCoherentPage) {
  ConfigBuilder b("dc-fork");
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  FolioSpec dc = of_kind(FolioKind::kDeviceCoherent);
  dc.zone = Zone::kDevice;
  b.map(0, 0, b.add_folio(dc), 0, true);
  b.add_folio(free_normal());
  b.add_task({pin_user_pages(0, 0, 1, FOLL_WRITE), fork_mm(0, 1)});
  Config cfg = b.build();
  EXPECT_TRUE(folio_test_anon(cfg.initial.folios[0]));
  EXPECT_EQ(cfg.initial.folios[0].anon_exclusive, 1) << "mapped writable: PageAnonExclusive";
  testing::Run r = testing::run(cfg);
  ASSERT_TRUE(r.finished);
  const State& s = r.final_state;
  EXPECT_EQ(s.mms[0].ptes[0], Pte::make_present(0, 0, true));
  ASSERT_TRUE(s.mms[1].ptes[0].present());
  EXPECT_NE(s.mms[1].ptes[0].folio, 0);
}

// wp_can_reuse_anon_folio() drains the local lru_add batch before its
// refcount check, also when it then does not reuse.
TEST(FalseCex, WriteFaultDrainsTheLocalBatchEvenWhenItCopies) {
  ConfigBuilder b("wp-drain");
  b.add_mm();
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  b.add_vma(1, 0, 1, VmaKind::kAnon, kRW);
  FolioSpec shared;
  shared.lru_batch_cpu = 0;
  int f = b.add_folio(shared);
  b.map(0, 0, f, 0, false);
  b.map(1, 0, f, 0, false);
  b.add_folio(free_normal());
  b.add_task({write_fault(0, 0)});  // task 0 runs on CPU 0
  Config cfg = b.build();
  ASSERT_EQ(cfg.initial.folios[f].refcount, 3) << "two mappings and the batch";
  testing::Run r = testing::run(cfg);
  ASSERT_TRUE(r.finished);
  const State& s = r.final_state;
  EXPECT_NE(s.mms[0].ptes[0].folio, f) << "still shared with mm1: copied";
  EXPECT_FALSE(s.folios[f].in_lru_batch());
  EXPECT_TRUE(s.folios[f].test(kLru));
}

// gup_fast_fallback() adds FOLL_TOUCH to its slow path: a write pin taken
// there marks the page dirty. A clean shmem folio in a CMA pageblock:
// GUP-fast refuses it for FOLL_LONGTERM, the slow path pins (and dirties)
// it, then migrates it; the dirty bit moves with it.
TEST(FalseCex, FastFallbackTouches) {
  ConfigBuilder b("fast-touch");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kShmemShared, kRW);
  FolioSpec shmem = of_kind(FolioKind::kShmem);
  shmem.migratetype = Migratetype::kCma;
  int f = b.add_folio(shmem);
  b.add_to_page_cache(0, 0, f);
  b.map(0, 0, f, 0, true);
  b.add_folio(free_normal());
  b.add_task({pin_user_pages_fast(0, 0, 1, FOLL_WRITE | FOLL_LONGTERM)});
  Config cfg = b.build();
  testing::Run r = testing::run(cfg);
  ASSERT_TRUE(r.finished);
  const State& s = r.final_state;
  ASSERT_EQ(s.tasks[0].ret, 1);
  EXPECT_TRUE(s.folios[s.tasks[0].pages[0].folio()].test(kDirty));
}

// fork() holds the PTLs between folio_try_dup_anon_rmap_pte() and
// __copy_present_ptes(): compaction cannot run in between, GUP-fast can.
TEST(FalseCex, ForkPtlWindowAdmitsOnlyPtlFreeSections) {
  ConfigBuilder b("fork-window");
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  int f = b.add_folio(FolioSpec{});
  b.map(0, 0, f, 0, true);
  b.add_folio(free_normal());
  b.add_task({fork_mm(0, 1)});
  b.add_task({compact(f)});
  b.add_task({pin_user_pages_fast(0, 0, 1, FOLL_WRITE)});
  Config cfg = b.build();
  State s = cfg.initial;
  apply(s, cfg, Step{0, 0});  // dup_mmap()
  ASSERT_TRUE(task_enabled(s, cfg, 1));
  apply(s, cfg, Step{0, 0});  // folio_try_dup_anon_rmap_pte(): the window opens
  ASSERT_TRUE(in_fork_ptl_window(cfg.op(0, 0), s.tasks[0].pc));
  EXPECT_FALSE(task_enabled(s, cfg, 1)) << "compaction would take the PTL";
  EXPECT_TRUE(task_enabled(s, cfg, 2)) << "GUP-fast takes no lock";
  apply(s, cfg, Step{0, 0});  // __copy_present_ptes()
  EXPECT_TRUE(task_enabled(s, cfg, 1));
}

// put_page() of a FOLL_GET reference on the zero page drops it.
TEST(FalseCex, ZeroPageGetReferenceIsDropped) {
  ConfigBuilder b("zero-get");
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  int z = b.add_folio(of_kind(FolioKind::kZeroPage));
  b.add_folio(free_normal());
  b.add_task({get_user_pages(0, 0, 1, 0), unpin_user_pages()});
  Config cfg = b.build();
  State s = testing::run_first_call(cfg).final_state;
  ASSERT_EQ(s.mms[0].ptes[0].folio, z);
  EXPECT_EQ(s.folios[z].refcount, 2) << "its own reference and the FOLL_GET one";
  testing::Run r = testing::run(cfg);
  ASSERT_TRUE(r.finished);
  EXPECT_EQ(r.final_state.folios[z].refcount, 1);
}

}  // namespace
}  // namespace gup
