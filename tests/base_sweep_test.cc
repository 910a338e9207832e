// A sweep of many small machines on the 6.12 base with every property:
// each folio kind (the zero page and device-coherent memory included),
// every GUP entry point with FOLL_ flag combinations (FOLL_LONGTERM too),
// against each racing op (fork, MADV_DONTNEED, mprotect, a user write,
// compaction, THP split, reclaim, truncate, cma_alloc, a transient
// reference, unpin). Each machine is explored exhaustively up to a state
// bound; none may report a violation. A violation here is a model bug or
// a real kernel behaviour written up in docs/model.md. Work is bounded by
// states, never by wall-clock.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "checker/explore/explore.h"
#include "model/config_builder.h"
#include "properties/property.h"

namespace gup {
namespace {

constexpr uint8_t kRW = VM_READ | VM_WRITE;
constexpr uint64_t kMaxStates = 20000;  // per machine

// A user page of one kind at mm0 address 0 (and 1 for a large folio).
struct KindCase {
  const char* name;
  FolioKind kind;
  VmaKind vma;
  Zone zone = Zone::kNormal;
  Migratetype mt = Migratetype::kMovable;
  int order = 0;
  bool writable = true;
  bool in_file = false;  // page cache of file 0
};

const std::vector<KindCase>& kinds() {
  static const std::vector<KindCase> k = {
      {"anon", FolioKind::kAnon, VmaKind::kAnon},
      {"anon-cma", FolioKind::kAnon, VmaKind::kAnon, Zone::kNormal, Migratetype::kCma},
      {"anon-movable", FolioKind::kAnon, VmaKind::kAnon, Zone::kMovable},
      {"anon-ro", FolioKind::kAnon, VmaKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0, false},
      {"thp", FolioKind::kAnon, VmaKind::kAnon, Zone::kNormal, Migratetype::kMovable, 1},
      {"pagecache", FolioKind::kPageCache, VmaKind::kFileShared, Zone::kNormal,
       Migratetype::kMovable, 0, true, true},
      {"pagecache-private", FolioKind::kPageCache, VmaKind::kFilePrivate, Zone::kNormal,
       Migratetype::kCma, 0, false, true},
      {"shmem-cma", FolioKind::kShmem, VmaKind::kShmemShared, Zone::kNormal, Migratetype::kCma, 0,
       true, true},
      {"hugetlb", FolioKind::kHugetlb, VmaKind::kHugetlb, Zone::kMovable, Migratetype::kMovable, 1,
       true, true},
      {"fsdax", FolioKind::kFsdax, VmaKind::kFsdax, Zone::kDevice, Migratetype::kMovable, 0, true,
       true},
      {"devdax", FolioKind::kDevdax, VmaKind::kDevdax, Zone::kDevice, Migratetype::kMovable, 0,
       true, true},
      {"device-coherent", FolioKind::kDeviceCoherent, VmaKind::kAnon, Zone::kDevice},
      {"secretmem", FolioKind::kSecretmem, VmaKind::kSecretmem, Zone::kNormal,
       Migratetype::kMovable, 0, true, true},
      {"zero-page", FolioKind::kZeroPage, VmaKind::kAnon, Zone::kNormal, Migratetype::kMovable, 0,
       false},
      {"driver", FolioKind::kDriver, VmaKind::kDriver, Zone::kNormal, Migratetype::kMovable, 0,
       true, true},
  };
  return k;
}

enum class Race {
  kNone,
  kFork,
  kMadvise,
  kMprotect,
  kWriteFault,
  kCompact,
  kSplit,
  kReclaim,
  kTruncate,
  kCmaAlloc,
  kTransientRef,
  kUnpinOther,
  kCount
};

const char* race_name(Race r) {
  static const char* const names[] = {"none",     "fork",      "madvise",       "mprotect",
                                      "write",    "compact",   "split",         "reclaim",
                                      "truncate", "cma_alloc", "transient_ref", "other-pin"};
  return names[int(r)];
}

Op gup_op(int entry, int start, int nr, uint32_t flags) {
  switch (entry) {
    case 0:
      return pin_user_pages(0, start, nr, flags);
    case 1:
      return get_user_pages(0, start, nr, flags);
    case 2:
      return pin_user_pages_fast(0, start, nr, flags);
    default:
      return get_user_pages_fast(0, start, nr, flags);
  }
}

// mm0: the kind's VMA over [0, 2) with its folio at address 0 (and 1),
// two free folios; T0 runs `gup` then releases; each race is a task (fork
// is two: the parent's fork then write, and the child's read).
Config machine(const KindCase& k, const Op& gup, std::vector<Race> races, bool failures) {
  std::string name = k.name;
  for (Race r : races) name += std::string("-") + race_name(r);
  ConfigBuilder b(name);
  b.add_mm();
  for (Race r : races)
    if (r == Race::kFork) b.add_mm(false);
  b.add_vma(0, 0, 2, k.vma, kRW);
  FolioSpec f;
  f.kind = k.kind;
  f.zone = k.zone;
  f.migratetype = k.mt;
  f.order = k.order;
  int idx = b.add_folio(f);
  if (k.in_file) b.add_to_page_cache(0, 0, idx);
  b.map(0, 0, idx, 0, k.writable);
  if (k.order == 1) b.map(0, 1, idx, 1, k.writable);
  FolioSpec free_spec;
  free_spec.free = true;
  b.add_folio(free_spec);
  b.add_folio(free_spec);
  b.inject_alloc_failure(failures);
  b.add_task({gup, unpin_user_pages()});
  for (Race race : races) switch (race) {
      case Race::kNone:
        break;
      case Race::kFork:
        b.add_task({fork_mm(0, 1), write_fault(0, 0)});
        b.add_task({read_fault(1, 0)});
        break;
      case Race::kMadvise:
        b.add_task({madvise_dontneed(0, 0, 2)});
        break;
      case Race::kMprotect:
        b.add_task({mprotect(0, 0, 2, VM_READ)});
        break;
      case Race::kWriteFault:
        b.add_task({write_fault(0, 0)});
        break;
      case Race::kCompact:
        b.add_task({compact(idx)});
        break;
      case Race::kSplit:
        b.add_task({split_huge_page(idx)});
        break;
      case Race::kReclaim:
        b.add_task({reclaim(idx)});
        break;
      case Race::kTruncate:
        b.add_task({truncate(0, 0)});
        break;
      case Race::kCmaAlloc:
        b.add_task({cma_alloc()});
        break;
      case Race::kTransientRef:
        b.add_task({transient_ref(idx)});
        break;
      case Race::kUnpinOther:
        b.add_task({pin_user_pages(0, 0, 1, FOLL_WRITE), unpin_user_pages()});
        break;
      case Race::kCount:
        break;
    }
  return b.build();
}

struct Tally {
  int machines = 0;
  int exhausted = 0;
  int bounded = 0;
  uint64_t states = 0;
  void print() const {
    std::printf("sweep: %d machines, %d exhausted, %d stopped at %llu states, %llu states\n",
                machines, exhausted, bounded, (unsigned long long)kMaxStates,
                (unsigned long long)states);
  }
};

void check(const Config& cfg, const std::string& what, Tally& tally) {
  EngineOptions o;
  o.max_states = kMaxStates;
  EngineResult r = run_explore(cfg, all_properties(), o);
  tally.machines++;
  tally.states += r.stats.value("states", uint64_t(0));
  (r.verdict == Verdict::kExhausted ? tally.exhausted : tally.bounded)++;
  EXPECT_NE(r.verdict, Verdict::kViolated) << what << ": " << r.property << "\n" << r.why;
}

const uint32_t kFlagSets[] = {0, FOLL_WRITE, FOLL_LONGTERM, FOLL_WRITE | FOLL_LONGTERM,
                              FOLL_WRITE | FOLL_FORCE};

std::string describe(const KindCase& k, int entry, uint32_t flags, const std::vector<Race>& races,
                     bool failures) {
  std::string out = fmt::format("{} entry {} flags {:#x}{}", k.name, entry, flags,
                                failures ? " (allocation failures)" : "");
  for (Race r : races) out += std::string(" vs ") + race_name(r);
  return out;
}

// Every kind x entry point x flag set x racing op (or none), with and
// without injected allocation failures.
TEST(BaseSweep, EveryKindEntryPointFlagSetAndRace) {
  Tally tally;
  for (const KindCase& k : kinds())
    for (int entry = 0; entry < 4; entry++)
      for (uint32_t flags : kFlagSets)
        for (int r = 0; r < int(Race::kCount); r++)
          for (bool failures : {false, true}) {
            int nr = k.order == 1 ? 2 : 1;
            std::vector<Race> races;
            if (r) races.push_back(Race(r));
            check(machine(k, gup_op(entry, 0, nr, flags), races, failures),
                  describe(k, entry, flags, races, failures), tally);
          }
  tally.print();
}

// Every kind against every pair of racing ops, the entry point and flags
// rotating so that each pair meets pins, FOLL_GET and FOLL_LONGTERM.
TEST(BaseSweep, EveryKindAgainstPairsOfRaces) {
  Tally tally;
  int rot = 0;
  for (const KindCase& k : kinds())
    for (int r1 = 1; r1 < int(Race::kCount); r1++)
      for (int r2 = r1 + 1; r2 < int(Race::kCount); r2++, rot++) {
        int entry = rot % 4;
        uint32_t flags = kFlagSets[rot % 5];
        int nr = k.order == 1 ? 2 : 1;
        std::vector<Race> races{Race(r1), Race(r2)};
        check(machine(k, gup_op(entry, 0, nr, flags), races, rot % 2 == 0),
              describe(k, entry, flags, races, rot % 2 == 0), tally);
      }
  tally.print();
}

}  // namespace
}  // namespace gup
