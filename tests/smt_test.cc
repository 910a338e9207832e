// The bmc engine (checker/smt*.cc): the symbolic encoding agrees with the
// concrete model step by step, BMC finds every variant's bug at its minimal
// depth and replays it, and the base's long-term placement properties are
// proved on small configurations.
#include "checker/bmc/smt.h"

#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <unordered_set>

#include "checker/cli/engines.h"
#include "checker/core/replay.h"
#include "model/config_builder.h"
#include "tests/solver_budget.h"

namespace gup {

// tests/smt_ops2_test.cc: machines for cma_alloc, compaction and THP split.
std::vector<std::pair<Config, int>> smt_ops2_agreement_configs(const Variant& v);
std::vector<std::pair<Config, const char*>> smt_ops2_rare_sections();

namespace {

constexpr uint8_t kRW = VM_READ | VM_WRITE;
constexpr uint32_t kLtW = FOLL_WRITE | FOLL_LONGTERM;

FolioSpec folio(FolioKind kind, Zone z = Zone::kNormal, Migratetype mt = Migratetype::kMovable,
                int order = 0, bool free = false) {
  FolioSpec s;
  s.kind = kind, s.zone = z, s.migratetype = mt, s.order = order, s.free = free;
  return s;
}

// File, shmem, THP and hugetlb folios, FOLL_GET and FOLL_FORCE, user
// faults, drains and transient references: paths the built-ins miss.
Config mixed(const Variant& v, bool inject) {
  ConfigBuilder b("smt-mixed");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kFileShared, kRW, 0);
  b.add_vma(0, 2, 3, VmaKind::kAnon, VM_READ);
  b.add_vma(0, 3, 4, VmaKind::kShmemShared, kRW, 1);
  int pc = b.add_folio(folio(FolioKind::kPageCache, Zone::kNormal, Migratetype::kCma));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kMovable, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma, 0, true));
  b.add_to_page_cache(0, 0, pc);
  b.map(0, 0, pc, 0, false);
  b.add_task({pin_user_pages(0, 0, 4, FOLL_LONGTERM), unpin_user_pages(), write_fault(0, 3),
              get_user_pages_fast(0, 2, 2, FOLL_WRITE | FOLL_FORCE)});
  b.add_task({read_fault(0, 2), write_fault(0, 1), transient_ref(pc), lru_add_drain_all()});
  b.add_task({get_user_pages(0, 1, 3, FOLL_WRITE | FOLL_FORCE), unpin_user_pages(),
              pin_user_pages_fast(0, 0, 2, kLtW), unpin_user_pages()});
  b.inject_alloc_failure(inject);
  return b.build();
}

// A large anon folio in ZONE_MOVABLE, a hugetlb folio in CMA and a
// device-coherent folio, pinned long-term from both paths.
Config large(const Variant& v) {
  ConfigBuilder b("smt-large");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  b.add_vma(0, 2, 3, VmaKind::kHugetlb, kRW, 0);
  b.add_vma(0, 3, 4, VmaKind::kAnon, kRW);
  int thp = b.add_folio(folio(FolioKind::kAnon, Zone::kMovable, Migratetype::kMovable, 1));
  int huge = b.add_folio(folio(FolioKind::kHugetlb, Zone::kNormal, Migratetype::kCma));
  int dc = b.add_folio(folio(FolioKind::kDeviceCoherent, Zone::kDevice));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 1, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_to_page_cache(0, 0, huge);
  b.map(0, 0, thp, 0, true);
  b.map(0, 1, thp, 1, false, true);
  b.map(0, 2, huge, 0, true);
  b.map(0, 3, dc, 0, true);
  b.add_task({pin_user_pages(0, 0, 4, kLtW), unpin_user_pages()});
  b.add_task({pin_user_pages_fast(0, 0, 4, FOLL_LONGTERM), unpin_user_pages(), transient_ref(thp)});
  b.add_task({pin_user_pages(0, 1, 1, 0), unpin_user_pages(), write_fault(0, 1)});
  b.inject_alloc_failure(true);
  return b.build();
}

// fork of a private anon VMA (one page pinned, so MMF_HAS_PINNED and
// folio_maybe_dma_pinned() force copy_present_page(), one exclusive page
// that GUP-fast may pin between the check and the write-protection, one
// hole), a private file VMA and a shared shmem VMA; the child faults and
// GUPs through the copied VMAs; allocation failures at the copy.
Config fork_machine(const Variant& v, bool inject) {
  ConfigBuilder b("smt-fork");
  b.set_variant(v);
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  b.add_vma(0, 2, 3, VmaKind::kFilePrivate, kRW, 0);
  b.add_vma(0, 3, 4, VmaKind::kShmemShared, kRW, 1);
  int a = b.add_folio(folio(FolioKind::kAnon));
  int pc = b.add_folio(folio(FolioKind::kPageCache));
  int sh = b.add_folio(folio(FolioKind::kShmem));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kMovable, Migratetype::kMovable, 0, true));
  b.add_to_page_cache(0, 0, pc);
  b.add_to_page_cache(1, 0, sh);
  b.map(0, 0, a, 0, true);
  b.map(0, 2, pc, 0, false);
  b.map(0, 3, sh, 0, true);
  b.add_task({pin_user_pages(0, 0, 1, FOLL_WRITE), unpin_user_pages(), write_fault(0, 1)});
  b.add_task({fork_mm(0, 1), write_fault(1, 0), get_user_pages(1, 1, 3, FOLL_WRITE | FOLL_FORCE),
              unpin_user_pages()});
  b.add_task({pin_user_pages_fast(0, 0, 2, FOLL_WRITE), unpin_user_pages(), read_fault(1, 3)});
  b.inject_alloc_failure(inject);
  return b.build();
}

// A THP mapped by both pages, pinned long-term (migration entries that
// fork copies), MMF_HAS_PINNED from the start, fork racing with the pin.
Config fork_large(const Variant& v) {
  ConfigBuilder b("smt-fork-large");
  b.set_variant(v);
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  b.add_vma(0, 3, 4, VmaKind::kAnon, VM_READ | VM_WRITE);
  int thp = b.add_folio(folio(FolioKind::kAnon, Zone::kMovable, Migratetype::kMovable, 1));
  int small = b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 1, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.map(0, 0, thp, 0, true);
  b.map(0, 1, thp, 1, false, true);
  b.map(0, 3, small, 0, true);
  b.set_has_pinned(0);
  b.add_task({pin_user_pages(0, 0, 4, kLtW), unpin_user_pages()});
  b.add_task({fork_mm(0, 1), write_fault(0, 3), read_fault(1, 1)});
  b.inject_alloc_failure(true);
  return b.build();
}

// madvise(MADV_DONTNEED) racing a long-term pin (migration entries to
// wait on), a user write that refaults, and fork; the child's range runs
// into a hole.
Config madvise_machine(const Variant& v) {
  ConfigBuilder b("smt-madvise");
  b.set_variant(v);
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  int cma = b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma));
  int normal = b.add_folio(folio(FolioKind::kAnon));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.map(0, 0, cma, 0, true);
  b.map(0, 1, normal, 0, true);
  b.add_task({pin_user_pages(0, 0, 2, kLtW), unpin_user_pages()});
  b.add_task({madvise_dontneed(0, 0, 2), write_fault(0, 0)});
  b.add_task({fork_mm(0, 1), madvise_dontneed(1, 1, 3)});
  b.inject_alloc_failure(true);
  return b.build();
}

// truncate racing a long-term pin that migrates the CMA shmem folio at
// the offset (the folio lock between unmap and move: truncate waits), a
// refault of the hole, a dirty folio, and a file page mapped both shared
// and private: its private COW copy survives the truncate, a GUP-fast pin
// of the shared mapping is orphaned.
Config truncate_machine(const Variant& v) {
  ConfigBuilder b("smt-truncate");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kShmemShared, kRW, 0);
  b.add_vma(0, 2, 3, VmaKind::kFilePrivate, kRW, 1);
  b.add_vma(0, 3, 4, VmaKind::kFileShared, kRW, 1);
  int cma = b.add_folio(folio(FolioKind::kShmem, Zone::kNormal, Migratetype::kCma));
  FolioSpec dirty = folio(FolioKind::kShmem);
  dirty.dirty = true;
  int sh = b.add_folio(dirty);
  int pc = b.add_folio(folio(FolioKind::kPageCache));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_to_page_cache(0, 0, cma);
  b.add_to_page_cache(0, 1, sh);
  b.add_to_page_cache(1, 0, pc);
  b.map(0, 0, cma, 0, true);
  b.map(0, 1, sh, 0, false);
  b.map(0, 2, pc, 0, false);
  b.map(0, 3, pc, 0, true);
  b.add_task({pin_user_pages(0, 0, 2, kLtW), unpin_user_pages()});
  b.add_task({truncate(0, 0), write_fault(0, 0), truncate(0, 1)});
  b.add_task({pin_user_pages_fast(0, 3, 1, FOLL_WRITE), write_fault(0, 2), truncate(1, 0),
              unpin_user_pages()});
  b.inject_alloc_failure(true);
  return b.build();
}

// reclaim of a clean and a dirty private file folio (the rmap walk goes
// on into a fork child, a fault re-maps behind it, truncate races it), of
// a CMA shmem folio a long-term pin migrates, of an exclusive anon folio
// under a long-term pin and of an unmapped swap-cache anon folio (freed).
Config reclaim_machine(const Variant& v) {
  ConfigBuilder b("smt-reclaim");
  b.set_variant(v);
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 2, VmaKind::kFilePrivate, kRW, 0);
  b.add_vma(0, 2, 3, VmaKind::kAnon, kRW);
  b.add_vma(0, 3, 4, VmaKind::kShmemShared, kRW, 1);
  int pc = b.add_folio(folio(FolioKind::kPageCache));
  FolioSpec dirty = folio(FolioKind::kPageCache);
  dirty.dirty = true;
  int dpc = b.add_folio(dirty);
  int anon = b.add_folio(folio(FolioKind::kAnon));
  int sh = b.add_folio(folio(FolioKind::kShmem, Zone::kNormal, Migratetype::kCma));
  FolioSpec swap = folio(FolioKind::kAnon);
  swap.swapcache = true;
  int sw = b.add_folio(swap);
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_to_page_cache(0, 0, pc);
  b.add_to_page_cache(0, 1, dpc);
  b.add_to_page_cache(1, 0, sh);
  b.map(0, 0, pc, 0, false);
  b.map(0, 1, dpc, 0, false);
  b.map(0, 2, anon, 0, true);
  b.map(0, 3, sh, 0, true);
  b.add_task({reclaim(pc), reclaim(sh), reclaim(sw)});
  b.add_task({fork_mm(0, 1), read_fault(0, 0), truncate(0, 0)});
  b.add_task({pin_user_pages(0, 2, 2, kLtW), unpin_user_pages(), reclaim(anon)});
  b.add_task({read_fault(1, 1), reclaim(dpc), transient_ref(pc)});
  b.inject_alloc_failure(true);
  return b.build();
}

// mprotect racing a long-term GUP-fast pin (writable migration entries it
// downgrades, a pinned exclusive page that regains write access without
// COW), a short-term GUP-fast pin, user faults and fork (mprotect of the child, whose
// VMAs may be the empty layout of a failed fork); a read-only shared VMA
// without VM_MAYWRITE stops PROT_WRITE with -EACCES, a hole with -ENOMEM.
Config mprotect_machine(const Variant& v) {
  ConfigBuilder b("smt-mprotect");
  b.set_variant(v);
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  b.add_vma(0, 2, 3, VmaKind::kShmemShared, kRW, 0);
  b.add_vma(0, 3, 4, VmaKind::kFileShared, VM_READ, 1);
  int cma = b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma));
  int a = b.add_folio(folio(FolioKind::kAnon));
  int sh = b.add_folio(folio(FolioKind::kShmem));
  int pc = b.add_folio(folio(FolioKind::kPageCache));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_to_page_cache(0, 0, sh);
  b.add_to_page_cache(1, 0, pc);
  b.map(0, 0, cma, 0, true);
  b.map(0, 1, a, 0, false, true);
  b.map(0, 2, sh, 0, true);
  b.map(0, 3, pc, 0, false);
  // GUP-fast's slow fallback drops mmap_lock before migrating: mprotect
  // meets the migration entries.
  b.add_task({pin_user_pages_fast(0, 0, 2, kLtW), unpin_user_pages()});
  b.add_task(
      {mprotect(0, 0, 4, VM_READ), mprotect(0, 0, 4, kRW), write_fault(0, 1), write_fault(0, 2)});
  b.add_task({fork_mm(0, 1), mprotect(1, 1, 3, VM_READ), read_fault(1, 0)});
  b.add_task({pin_user_pages_fast(0, 1, 1, FOLL_WRITE), unpin_user_pages(), write_fault(0, 0)});
  b.inject_alloc_failure(true);
  return b.build();
}

// Small machines, one new op each racing a long-term pin of a CMA folio
// (SmtBmc.NewOpsMatchExplore; the truncate one also for a rare section).
Config small_reclaim(const Variant& v) {
  ConfigBuilder b("smt-small-reclaim");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  int cma = b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.map(0, 0, cma, 0, true);
  b.add_task({pin_user_pages(0, 0, 1, kLtW), unpin_user_pages()});
  b.add_task({reclaim(cma)});
  return b.build();
}

Config small_truncate(const Variant& v) {
  ConfigBuilder b("smt-small-truncate");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kShmemShared, kRW, 0);
  int cma = b.add_folio(folio(FolioKind::kShmem, Zone::kNormal, Migratetype::kCma));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.add_to_page_cache(0, 0, cma);
  b.map(0, 0, cma, 0, true);
  b.add_task({pin_user_pages(0, 0, 1, kLtW), unpin_user_pages()});
  b.add_task({truncate(0, 0)});
  b.inject_alloc_failure(true);
  return b.build();
}

Config small_mprotect(const Variant& v) {
  ConfigBuilder b("smt-small-mprotect");
  b.set_variant(v);
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  int cma = b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kCma));
  b.add_folio(folio(FolioKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, true));
  b.map(0, 0, cma, 0, true);
  b.add_task({pin_user_pages_fast(0, 0, 1, kLtW), unpin_user_pages()});
  b.add_task({mprotect(0, 0, 1, VM_READ), mprotect(0, 0, 1, kRW)});
  return b.build();
}

// Every built-in the encoding covers, for every variant (they exercise
// every variant hook); the hand-built machines for the base.
std::vector<std::pair<Config, int>> agreement_configs(const Variant& v) {
  std::vector<std::pair<Config, int>> out;
  for (const char* name : {"default", "cma-demo", "driver-cma", "fsdax", "cma-alloc-failure",
                           "gupfast-cma", "cma-two-pinners"})
    out.emplace_back(builtin_config(name, v), 30);
  if (std::string(v.name) == "base") {
    out.emplace_back(fork_machine(v, false), 40);
    out.emplace_back(fork_machine(v, true), 40);
    out.emplace_back(fork_large(v), 40);
    out.emplace_back(madvise_machine(v), 60);
    out.emplace_back(mixed(v, false), 40);
    out.emplace_back(mixed(v, true), 40);
    out.emplace_back(large(v), 40);
    out.emplace_back(truncate_machine(v), 40);
    out.emplace_back(reclaim_machine(v), 40);
    out.emplace_back(mprotect_machine(v), 40);
  }
  for (auto& c : smt_ops2_agreement_configs(v)) out.push_back(std::move(c));
  return out;
}

// The comparison names the first differing field, so a drift between the
// encoding and the model fails with the field, not just "differs".
TEST(SmtEncoding, DiffNamesTheDifferingField) {
  Config cfg = builtin_config("cma-demo", base_variant());
  smt::Agreement ag(cfg);
  State a = cfg.initial, b = a;
  EXPECT_EQ(ag.diff(a, b), "");
  b.folios[0].refcount = int16_t(b.folios[0].refcount + kGupPinCountingBias);
  EXPECT_EQ(ag.diff(a, b), "refcount[0]: 1 vs 1025");
  b = a;
  b.tasks[0].pages[1] = PageRef::make(0, 0, PageRef::kPin);
  EXPECT_EQ(ag.diff(a, b), "pages[0][1]: 15 vs 64");
}

// Random enabled steps on the model and on the encoding, compared field by
// field (successor states and every task's number of choices), and every
// encoded property's verdict on every transition (the initial state, then
// each step with its events) compared with Property::holds().
TEST(SmtEncoding, AgreesWithModelOnRandomTraces) {
  std::mt19937 rng(12345);
  int steps_checked = 0, traces = 0, violations_seen = 0;
  std::map<std::string, int> violations;  // per property
  for (const Property* p : all_properties()) violations[p->name] = 0;
  for (const Variant* v : all_variants()) {
    for (const auto& [cfg, nr_traces] : agreement_configs(*v)) {
      ASSERT_EQ(smt::unsupported_reason(cfg), "") << cfg.name;
      smt::Agreement ag(cfg);
      // The relation is the model's own code run on numerals by the
      // symbolic executor: a quarter of the traces the hand-written mirror
      // needed covers the same sections (the rare ones are below).
      int runs = std::max(2, nr_traces / 4);
      for (int run = 0; run < runs; run++, traces++) {
        State s = cfg.initial;
        auto compare = [&](const State* before, Step step, const EventLog* log, int depth) {
          for (const Property* p : all_properties()) {
            std::optional<bool> sym = ag.violated(before, step, s, *p);
            if (!sym) continue;
            bool concrete = !p->holds(Transition{before, step, log, s}, cfg);
            if (*sym != concrete) {
              ADD_FAILURE() << cfg.name << " (" << v->name << ") run " << run << " depth " << depth
                            << ": property " << p->name << ": encoding " << *sym << ", model "
                            << concrete << "\n"
                            << (before ? describe_state(*before, cfg) : std::string());
              return false;
            }
            violations_seen += concrete;
            violations[p->name] += concrete;
          }
          return true;
        };
        ASSERT_TRUE(compare(nullptr, Step{}, nullptr, 0));
        for (int depth = 0; depth < 40; depth++) {
          StepBuffer buf;
          enabled_steps(s, cfg, buf);
          int want[kMaxTasks] = {}, got[kMaxTasks];
          for (const Step& st : buf) want[st.task]++;
          ag.choices(s, got);
          for (int t = 0; t < cfg.nr_tasks; t++)
            ASSERT_EQ(got[t], want[t]) << cfg.name << " (" << v->name << ") run " << run
                                       << " depth " << depth << ": choices of task " << t << "\n"
                                       << describe_state(s, cfg);
          if (buf.n == 0) break;
          Step step = buf.steps[rng() % buf.n];
          State sym = ag.apply(s, step);
          std::string what = describe(s, cfg, step);
          State before = s;
          EventLog log;
          apply(s, cfg, step, &log);
          ASSERT_EQ(ag.diff(s, sym), "") << cfg.name << " (" << v->name << ") run " << run
                                         << " depth " << depth << " step " << what;
          ASSERT_TRUE(compare(&before, step, &log, depth + 1)) << "step " << what;
          steps_checked++;
        }
      }
    }
  }
  RecordProperty("steps_checked", steps_checked);
  std::cout << traces << " traces, " << steps_checked << " steps, " << violations_seen
            << " property violations compared\n";
  for (const auto& [name, n] : violations) std::cout << "  " << name << ": " << n << "\n";
  EXPECT_GE(traces, 250);
  EXPECT_GT(violations_seen, 0);  // the variants' bugs are among the states
  // The relations the variants break are compared where they break, not
  // only where they hold.
  for (const char* name :
       {"no-longterm-pin-in-movable", "no-longterm-pin-on-fsdax", "longterm-pin-contract",
        "fast-path-subset", "refcounts-restored-after-failed-migration", "pin-loop-terminates"})
    EXPECT_GT(violations[name], 0) << name;
  EXPECT_GT(steps_checked, 2500);
}

// Sections random traces rarely reach, compared on every reachable state
// (breadth first over the model) where they are the next step: fork
// copying a migration entry (copy_nonpresent_pte), madvise waiting on one,
// truncate waiting for the folio lock of a migration, reclaim's rmap walk
// into a fork child, mprotect downgrading a writable migration entry.
TEST(SmtEncoding, AgreesOnRareSections) {
  struct Case {
    Config cfg;
    const char* section;
  };
  std::vector<Case> cases = {{builtin_config("default", base_variant()), "copy_nonpresent_pte"},
                             {madvise_machine(base_variant()), "madvise_dontneed"},
                             {small_truncate(base_variant()), "truncate_inode_folio"},
                             {reclaim_machine(base_variant()), "try_to_unmap_one"},
                             {mprotect_machine(base_variant()), "change_pte_range"}};
  for (auto& [cfg, section] : smt_ops2_rare_sections()) cases.push_back({cfg, section});
  for (const Case& c : cases) {
    smt::Agreement ag(c.cfg);
    struct Hash {
      size_t operator()(const State& s) const { return s.hash(); }
    };
    std::unordered_set<State, Hash> seen{c.cfg.initial};
    std::vector<State> todo{c.cfg.initial};
    int compared = 0;
    // Each rare section is compared on up to kRarePerCase states: enough to
    // reach its branches, and bounded so that the ASan build (where the
    // symbolic executor runs uninstrumented Z3 under instrumented C++)
    // stays within its budget.
    constexpr int kRarePerCase = 400;
    while (!todo.empty() && seen.size() < 20000 && compared < kRarePerCase) {
      State s = todo.back();
      todo.pop_back();
      StepBuffer buf;
      enabled_steps(s, c.cfg, buf);
      int want[kMaxTasks] = {}, got[kMaxTasks];
      for (const Step& st : buf) want[st.task]++;
      std::string next[kMaxTasks];
      for (int t = 0; t < c.cfg.nr_tasks; t++)
        if (s.tasks[t].script_pos < c.cfg.script_len[t])
          next[t] = describe(s, c.cfg, Step{uint8_t(t), 0});
      bool rare = false;
      for (int t = 0; t < c.cfg.nr_tasks; t++) rare |= next[t].find(c.section) != std::string::npos;
      if (rare) {
        ag.choices(s, got);
        for (int t = 0; t < c.cfg.nr_tasks; t++)
          ASSERT_EQ(got[t], want[t]) << c.cfg.name << ": choices of task " << t << "\n"
                                     << describe_state(s, c.cfg);
      }
      for (const Step& st : buf) {
        State n = s;
        apply(n, c.cfg, st);
        if (rare && next[st.task].find(c.section) != std::string::npos) {
          ASSERT_EQ(ag.diff(n, ag.apply(s, st)), "") << c.cfg.name << " " << next[st.task];
          compared++;
        }
        if (seen.insert(n).second) todo.push_back(n);
      }
    }
    EXPECT_GT(compared, 0) << c.cfg.name << ": no " << c.section << " step reached";
    std::cout << c.cfg.name << ": " << compared << " " << c.section << " steps compared, "
              << seen.size() << " states seen\n";
  }
}

}  // namespace
}  // namespace gup

namespace gup {
namespace {

// The length of the shortest trace to a state that violates the state
// invariant `p` (breadth-first over the concrete model), or -1.
int shortest_violation(const Config& cfg, const Property& p) {
  struct Hash {
    size_t operator()(const State& s) const { return s.hash(); }
  };
  std::unordered_set<State, Hash> seen{cfg.initial};
  std::vector<State> level{cfg.initial};
  for (int depth = 0; !level.empty() && depth < 64; depth++) {
    std::vector<State> next;
    for (const State& s : level) {
      if (!p.holds(Transition{nullptr, Step{}, nullptr, s}, cfg)) return depth;
      StepBuffer buf;
      enabled_steps(s, cfg, buf);
      for (const Step& st : buf) {
        State n = s;
        apply(n, cfg, st);
        if (seen.insert(n).second) next.push_back(n);
      }
    }
    level = std::move(next);
  }
  return -1;
}

// The length of the shortest trace whose last transition violates `p`
// (the initial state, then each step with its events), or -1.
int shortest_transition_violation(const Config& cfg, const Property& p) {
  struct Hash {
    size_t operator()(const State& s) const { return s.hash(); }
  };
  if (!p.holds(Transition{nullptr, Step{}, nullptr, cfg.initial}, cfg)) return 0;
  std::unordered_set<State, Hash> seen{cfg.initial};
  std::vector<State> level{cfg.initial};
  for (int depth = 1; !level.empty() && depth < 64; depth++) {
    std::vector<State> next;
    for (const State& s : level) {
      StepBuffer buf;
      enabled_steps(s, cfg, buf);
      for (const Step& st : buf) {
        State n = s;
        EventLog log;
        apply(n, cfg, st, &log);
        if (!p.holds(Transition{&s, st, &log, n}, cfg)) return depth;
        if (seen.insert(n).second) next.push_back(n);
      }
    }
    level = std::move(next);
  }
  return -1;
}

struct VariantCase {
  const char* variant;
  const char* config;
  const char* property;
};

// Every variant's bug: found by BMC at the depth of the shortest violating
// trace, and the trace replays to the violation on the concrete model.
TEST(SmtBmc, EveryVariantHasAMinimalReplayingCounterexample) {
  const VariantCase cases[] = {
      {"migrate-fail-pins-anyway", "cma-alloc-failure", "no-longterm-pin-in-movable"},
      {"isolation-error-pins-anyway", "driver-cma", "no-longterm-pin-in-movable"},
      {"gupfast-longterm-cma", "gupfast-cma", "no-longterm-pin-in-movable"},
      {"cma-pinned-when-off-lru", "cma-two-pinners", "no-longterm-pin-in-movable"},
      {"enomem-leaks-pins", "cma-alloc-failure", "no-longterm-pin-in-movable"},
      {"longterm-fsdax", "fsdax", "no-longterm-pin-on-fsdax"},
      {"dirty-cow", "force-write-dontneed", "no-write-without-permission"},
      {"gup-cow-wrong-side", "cow-vmsplice", "cow-isolation"},
      {"fork-pinned-cow", "pin-fork-write", "pin-coherence"},
      {"migrate-target-movable", "cma-movable-target", "no-longterm-pin-in-movable"},
      {"zero-pfn-unpinnable", "zero-page-longterm", "pin-loop-terminates"},
  };
  std::set<std::string> covered;
  for (const VariantCase& c : cases) {
    const Variant* v = find_variant(c.variant);
    ASSERT_NE(v, nullptr) << c.variant;
    covered.insert(v->name);
    Config cfg = builtin_config(c.config, *v);
    const Property* props[] = {find_property(c.property)};
    ASSERT_NE(props[0], nullptr);
    EngineOptions opts;
    opts.max_depth = 20;
    smt::BmcOptions b;
    b.induction = false;
    b.reach_states = 0;  // plain BMC
    opts.solver_rlimit = gup::testing::kTestRlimit;
    EngineResult r = smt::run_bmc(cfg, props, opts, b);
    ASSERT_EQ(r.verdict, Verdict::kViolated) << c.variant << ": " << r.why;
    EXPECT_EQ(r.stats.value("found_by", ""), "BMC");
    EXPECT_EQ(r.property, c.property);
    int shortest = props[0]->kind == PropertyKind::kStateInvariant
                       ? shortest_violation(cfg, *props[0])
                       : shortest_transition_violation(cfg, *props[0]);
    EXPECT_EQ(int(r.trace.steps.size()), shortest) << c.variant;
    ReplayOutcome out = replay(cfg, r.trace, props);
    EXPECT_TRUE(out.ok && out.violated) << c.variant << ": " << out.error;
    EXPECT_EQ(out.violation_step, int(r.trace.steps.size()));
  }
  for (const Variant* v : all_variants())
    if (std::string(v->name) != "base") {
      EXPECT_TRUE(covered.count(v->name)) << v->name;
    }
}

// Properties with a step part (properties/ judged by bmc): every variant
// whose bug breaks one of them on a covered built-in, and the base's
// endless long-term loop on driver-cma. bmc finds a counterexample of
// explore's length that replays: plain BMC (the relation on the last step
// of the unrolling) for the short ones, and the reachable-state search
// (the relation on each step it takes, confirmed by Z3) for all. For
// pin-loop-terminates explore reports a lasso (the loop closed), longer
// than the shortest violating transition that bmc reports; both are
// compared with a breadth-first search over the model.
TEST(SmtBmc, RelationCounterexamplesMatchExplore) {
  struct Case {
    const char* variant;
    const char* config;
    const char* property;
    bool plain;  // also plain BMC
  };
  const Case cases[] = {
      {"isolation-error-pins-anyway", "driver-cma", "longterm-pin-contract", true},
      {"gupfast-longterm-cma", "gupfast-cma", "fast-path-subset", true},
      {"cma-pinned-when-off-lru", "driver-cma", "longterm-pin-contract", true},
      {"enomem-leaks-pins", "cma-alloc-failure", "refcounts-restored-after-failed-migration", true},
      {"enomem-leaks-pins", "cma-alloc-failure", "longterm-pin-contract", true},
      {"base", "driver-cma", "pin-loop-terminates", false},
  };
  for (const Case& c : cases) {
    const Variant* v = find_variant(c.variant);
    ASSERT_NE(v, nullptr) << c.variant;
    Config cfg = builtin_config(c.config, *v);
    const Property* props[] = {find_property(c.property)};
    ASSERT_NE(props[0], nullptr);
    EngineOptions eo;
    eo.max_depth = 64;
    EngineResult ex = find_engine("explore")->run(cfg, std::span<const Property* const>(props), eo);
    ASSERT_EQ(ex.verdict, Verdict::kViolated) << c.variant << " " << c.property;
    for (bool plain : {false, true}) {
      if (plain && !c.plain) continue;
      EngineOptions opts;
      opts.max_depth = 30;
      smt::BmcOptions b;
      b.induction = false;
      if (plain) b.reach_states = 0;
      opts.solver_rlimit = gup::testing::kTestRlimit;
      auto t0 = std::chrono::steady_clock::now();
      EngineResult r = smt::run_bmc(cfg, props, opts, b);
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::cout << c.variant << " " << c.config << " " << c.property << (plain ? " plain" : "")
                << ": depth " << r.trace.steps.size() << " in " << secs << " s\n";
      ASSERT_EQ(r.verdict, Verdict::kViolated) << c.variant << " " << c.property << ": " << r.why;
      EXPECT_EQ(r.stats.value("found_by", "").rfind(plain ? "BMC" : "the reachable-state", 0), 0u);
      EXPECT_EQ(r.property, c.property);
      int shortest = shortest_transition_violation(cfg, *props[0]);
      EXPECT_EQ(int(r.trace.steps.size()), shortest) << c.variant << " " << c.property;
      if (!std::string_view(c.property).starts_with("pin-loop")) {
        EXPECT_EQ(r.trace.steps.size(), ex.trace.steps.size()) << c.variant << " " << c.property;
      }
      ReplayOutcome out = replay(cfg, r.trace, props);
      EXPECT_TRUE(out.ok && out.violated) << c.variant << ": " << out.error;
      EXPECT_EQ(out.violation_step, int(r.trace.steps.size()));
      EXPECT_FALSE(r.stats.value("internal_error", false));
    }
  }
}

// Every property (properties/ run on z3 terms) is checked, and on the base
// they are proved together on gupfast-cma.
TEST(SmtBmc, AllPropertiesAreEncoded) {
  Config cfg = builtin_config("gupfast-cma", base_variant());
  EngineOptions opts;
  opts.max_depth = 30;
  opts.solver_rlimit = gup::testing::kTestRlimit;
  EngineResult r = smt::run_bmc(cfg, all_properties(), opts, smt::BmcOptions{});
  EXPECT_EQ(r.verdict, Verdict::kProved) << r.why;
}

// On the 6.12 base, the long-term placement contracts hold for all depths
// of these configurations: proved, not just bounded, by the invariant of
// reachable states and, without it, by the simple-path threshold.
TEST(SmtBmc, BaseLongtermPlacementIsProved) {
  const char* both[] = {"no-longterm-pin-on-fsdax", "no-longterm-pin-in-movable"};
  for (const char* config : {"fsdax", "gupfast-cma"})
    for (size_t reach : {size_t(20000), size_t(0)}) {
      Config cfg = builtin_config(config, base_variant());
      const Property* props[] = {find_property(both[0]), find_property(both[1])};
      EngineOptions opts;
      opts.max_depth = 30;
      smt::BmcOptions b;
      b.reach_states = reach;
      opts.solver_rlimit = gup::testing::kTestRlimit;
      EngineResult r = smt::run_bmc(cfg, props, opts, b);
      EXPECT_EQ(r.verdict, Verdict::kProved) << config << ": " << r.why;
      std::string how = r.stats.value("proof", "");
      if (reach) {
        EXPECT_EQ(how.rfind("1-induction strengthened by an invariant", 0), 0u) << how;
      } else {
        EXPECT_GT(r.bound, 0);
        EXPECT_EQ(how.rfind("no loop-free path", 0), 0u) << how;
      }
    }
}

// The built-in `default` (fork racing a long-term GUP-fast pin) for every
// variant: where the explore engine finds a violation, bmc finds one of the
// same length that replays; where explore exhausts the state space, bmc
// proves the placement properties for all depths. On the base they are
// proved; gupfast-longterm-cma (C5) is not proved but violated. One test per
// variant, so that ctest runs them side by side.
class DefaultConfigMatchesExplore : public ::testing::TestWithParam<std::string> {};

TEST_P(DefaultConfigMatchesExplore, SameVerdictAndLength) {
  const Variant* v = find_variant(GetParam());
  ASSERT_NE(v, nullptr);
  const Property* props[] = {find_property("no-longterm-pin-on-fsdax"),
                             find_property("no-longterm-pin-in-movable")};
  Config cfg = builtin_config("default", *v);
  ASSERT_EQ(smt::unsupported_reason(cfg), "");
  EngineOptions eo;
  eo.max_depth = 64;
  EngineResult ex = find_engine("explore")->run(cfg, std::span<const Property* const>(props), eo);
  EngineOptions bo;
  bo.max_depth = 40;
  bo.solver_rlimit = gup::testing::kTestRlimit;
  EngineResult r = smt::run_bmc(cfg, props, bo, smt::BmcOptions{});
  if (ex.verdict == Verdict::kViolated) {
    ASSERT_EQ(r.verdict, Verdict::kViolated) << r.why;
    EXPECT_EQ(r.trace.steps.size(), ex.trace.steps.size());
    EXPECT_EQ(r.property, ex.property);
    ReplayOutcome out = replay(cfg, r.trace, props);
    EXPECT_TRUE(out.ok && out.violated) << out.error;
    EXPECT_FALSE(r.stats.value("internal_error", false));
  } else {
    ASSERT_EQ(ex.verdict, Verdict::kExhausted) << ex.why;
    EXPECT_EQ(r.verdict, Verdict::kProved) << r.why;
  }
  if (GetParam() == "base") {
    EXPECT_EQ(r.verdict, Verdict::kProved);
  }
  if (GetParam() == "gupfast-longterm-cma") {
    EXPECT_EQ(r.verdict, Verdict::kViolated);
  }
}

std::vector<std::string> variant_names() {
  std::vector<std::string> out;
  for (const Variant* v : all_variants()) out.push_back(v->name);
  return out;
}

INSTANTIATE_TEST_SUITE_P(SmtBmc, DefaultConfigMatchesExplore, ::testing::ValuesIn(variant_names()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string n = i.param;
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

// Small machines with one of the ops mprotect, truncate and reclaim racing
// a long-term pin of a CMA folio, on the base and a variant whose bug the
// op exposes: bmc's verdict (a proof, or a counterexample of the same
// length that replays) matches explore's. Reclaim isolating the folio makes
// it look transiently off the LRU to the pinner (C7); the truncated
// folio's migration fails (C1); mprotect races GUP-fast (C5).
struct OpMachine {
  const char* op;
  const char* variant;
  Config (*make)(const Variant& v);
};

TEST(SmtBmc, NewOpsMatchExplore) {
  const OpMachine machines[] = {{"reclaim", "cma-pinned-when-off-lru", small_reclaim},
                                {"truncate", "migrate-fail-pins-anyway", small_truncate},
                                {"mprotect", "gupfast-longterm-cma", small_mprotect}};
  const Property* props[] = {find_property("no-longterm-pin-in-movable"),
                             find_property("refcount-accounting")};
  for (const OpMachine& m : machines)
    for (const char* name : {"base", m.variant}) {
      const Variant* v = find_variant(name);
      ASSERT_NE(v, nullptr) << name;
      Config cfg = m.make(*v);
      ASSERT_EQ(smt::unsupported_reason(cfg), "") << cfg.name;
      EngineOptions eo;
      eo.max_depth = 64;
      EngineResult ex =
          find_engine("explore")->run(cfg, std::span<const Property* const>(props), eo);
      EngineOptions bo;
      bo.max_depth = 40;
      bo.solver_rlimit = gup::testing::kTestRlimit;
      EngineResult r = smt::run_bmc(cfg, props, bo, smt::BmcOptions{});
      SCOPED_TRACE(std::string(m.op) + " " + name);
      if (std::string(name) == "base") {
        EXPECT_EQ(ex.verdict, Verdict::kExhausted) << ex.why;
        EXPECT_EQ(r.verdict, Verdict::kProved) << r.why;
        continue;
      }
      ASSERT_EQ(ex.verdict, Verdict::kViolated) << ex.why;
      ASSERT_EQ(r.verdict, Verdict::kViolated) << r.why;
      EXPECT_EQ(r.trace.steps.size(), ex.trace.steps.size());
      EXPECT_EQ(r.property, ex.property);
      ReplayOutcome out = replay(cfg, r.trace, props);
      EXPECT_TRUE(out.ok && out.violated) << out.error;
      EXPECT_FALSE(r.stats.value("internal_error", false));
      if (std::string(m.op) == "reclaim") {  // the bug needs the isolation
        bool has_op = false;
        for (const Step& st : r.trace.steps) has_op |= st.task == 1;
        EXPECT_TRUE(has_op) << "the counterexample does not use " << m.op;
      }
    }
}

// A budget stop is reported as incomplete with the depth reached.
TEST(SmtBmc, DepthLimitIsBounded) {
  Config cfg = builtin_config("gupfast-cma", base_variant());
  const Property* props[] = {find_property("no-longterm-pin-in-movable"),
                             find_property("refcount-accounting")};
  EngineOptions opts;
  opts.max_depth = 4;
  smt::BmcOptions b;
  b.induction = false;
  opts.solver_rlimit = gup::testing::kTestRlimit;
  EngineResult r = smt::run_bmc(cfg, props, opts, b);
  EXPECT_EQ(r.verdict, Verdict::kBounded) << r.why;
  EXPECT_EQ(r.bound, 4);
}

}  // namespace
}  // namespace gup

namespace gup {
namespace {

// Guidance: the solver finds the shortest way into the migration-failure
// branch (putback after a failed target allocation) of the long-term loop.
TEST(SmtGuide, ReachesTheMigrationFailureBranch) {
  Config cfg = builtin_config("cma-alloc-failure", base_variant());
  smt::GuideTarget target{0, 0, 11};  // kPcPutback of task 0's pin_user_pages
  std::optional<Trace> tr = smt::guide_to(cfg, target, 20, 0, gup::testing::kTestRlimit);
  ASSERT_TRUE(tr.has_value());
  State s = cfg.initial;
  for (const Step& st : tr->steps) apply(s, cfg, st);
  EXPECT_EQ(s.tasks[0].pc, 11);
  EXPECT_EQ(s.tasks[0].script_pos, 0);
  // Unreachable targets come back empty: task 0 has two ops.
  EXPECT_FALSE(
      smt::guide_to(cfg, smt::GuideTarget{0, 1, 5}, 6, 0, gup::testing::kTestRlimit).has_value());
}

}  // namespace
}  // namespace gup
