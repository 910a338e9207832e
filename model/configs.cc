// Built-in configurations: small machines that tests, demos and specs
// start from. Each comment says what it exercises.
#include <fmt/format.h>

#include <functional>
#include <map>

#include "model/config_builder.h"

namespace gup {

namespace {

constexpr uint32_t kLongtermWrite = FOLL_WRITE | FOLL_LONGTERM;
constexpr uint8_t kRW = VM_READ | VM_WRITE;

FolioSpec anon(Zone z = Zone::kNormal, Migratetype mt = Migratetype::kMovable) {
  FolioSpec s;
  s.zone = z;
  s.migratetype = mt;
  return s;
}
FolioSpec free_folio(Zone z = Zone::kNormal, Migratetype mt = Migratetype::kMovable) {
  FolioSpec s = anon(z, mt);
  s.free = true;
  return s;
}
FolioSpec cma_anon() {
  return anon(Zone::kNormal, Migratetype::kCma);
}

// One address space with a CMA anon folio mapped writable at address 0 and
// `targets` free folios for migration. Returns the CMA folio.
int one_cma_page(ConfigBuilder& b, int targets) {
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  int cma = b.add_folio(cma_anon());
  for (int i = 0; i < targets; i++) b.add_folio(free_folio());
  b.map(0, 0, cma, 0, true);
  return cma;
}

// A long-term pin of an anon folio in a CMA pageblock: migrated out, then
// pinned (the demo).
Config cma_demo(ConfigBuilder b) {
  one_cma_page(b, 1);
  b.add_task({pin_user_pages(0, 0, 1, kLongtermWrite), unpin_user_pages()});
  return b.build();
}

// GUP-fast long-term pin of a CMA folio racing with fork and a user write:
// the main small machine of the base model.
Config default_config(ConfigBuilder b) {
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  int cma = b.add_folio(cma_anon());
  int normal = b.add_folio(anon());
  b.add_folio(free_folio());
  b.add_folio(free_folio());
  b.add_folio(free_folio(Zone::kMovable));
  b.map(0, 0, cma, 0, true);
  b.map(0, 1, normal, 0, true);
  b.add_task({pin_user_pages_fast(0, 0, 2, kLongtermWrite), unpin_user_pages()});
  b.add_task({fork_mm(0, 1), write_fault(0, 1)});
  return b.build();
}

// A driver's CMA page (cma_alloc() + vm_insert_page()), never on the LRU:
// the 6.12 long-term loop never ends (mm/gup.c: __gup_longterm_locked(),
// docs/model.md "The long-term loop").
Config driver_cma(ConfigBuilder b) {
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kDriver, kRW, 0);
  FolioSpec d;
  d.kind = FolioKind::kDriver;
  d.migratetype = Migratetype::kCma;
  int f = b.add_folio(d);
  b.add_folio(free_folio());
  b.add_to_page_cache(0, 0, f);
  b.map(0, 0, f, 0, true);
  b.add_task({pin_user_pages(0, 0, 1, kLongtermWrite), unpin_user_pages()});
  return b.build();
}

// Long-term pins of filesystem-DAX pages, slow and fast.
Config fsdax(ConfigBuilder b) {
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kFsdax, kRW, 0);
  FolioSpec d;
  d.kind = FolioKind::kFsdax;
  d.zone = Zone::kDevice;
  int f = b.add_folio(d);
  b.add_to_page_cache(0, 0, f);
  b.map(0, 0, f, 0, true);
  b.add_task({pin_user_pages(0, 0, 1, kLongtermWrite), unpin_user_pages()});
  b.add_task({pin_user_pages_fast(0, 0, 1, kLongtermWrite), unpin_user_pages()});
  return b.build();
}

// A CMA folio and an allocator that may fail: migration failure paths.
Config cma_alloc_failure(ConfigBuilder b) {
  b.add_mm();
  b.add_vma(0, 0, 2, VmaKind::kAnon, kRW);
  int cma = b.add_folio(cma_anon());
  int normal = b.add_folio(anon());
  b.add_folio(free_folio());
  b.map(0, 0, normal, 0, true);
  b.map(0, 1, cma, 0, true);
  b.add_task({pin_user_pages(0, 0, 2, kLongtermWrite), unpin_user_pages()});
  b.inject_alloc_failure(true);
  return b.build();
}

// A CMA folio that another task holds off the LRU for a moment
// (compaction isolates it), while a long-term pin collects it.
Config cma_off_lru(ConfigBuilder b) {
  int cma = one_cma_page(b, 2);
  b.add_task({pin_user_pages(0, 0, 1, kLongtermWrite), unpin_user_pages()});
  b.add_task({compact(cma)});
  return b.build();
}

// Two long-term pinners of one CMA folio (zoo C7, bug 2): while one has
// the folio isolated, the other cannot isolate it.
Config cma_two_pinners(ConfigBuilder b) {
  one_cma_page(b, 2);
  b.add_task({pin_user_pages(0, 0, 1, kLongtermWrite), unpin_user_pages()});
  b.add_task({pin_user_pages(0, 0, 1, kLongtermWrite), unpin_user_pages()});
  return b.build();
}

// GUP-fast long-term pin of a CMA folio, no other task.
Config gupfast_cma(ConfigBuilder b) {
  one_cma_page(b, 1);
  b.add_task({pin_user_pages_fast(0, 0, 1, kLongtermWrite), unpin_user_pages()});
  return b.build();
}

// A FOLL_FORCE write (/proc/self/mem) to a read-only private file mapping,
// racing MADV_DONTNEED of the COW copy (zoo A1, Dirty COW).
Config force_write_dontneed(ConfigBuilder b) {
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kFilePrivate, VM_READ, 0);
  FolioSpec pc;
  pc.kind = FolioKind::kPageCache;
  int f = b.add_folio(pc);
  b.add_folio(free_folio());
  b.add_to_page_cache(0, 0, f);
  b.add_task({get_user_pages(0, 0, 1, FOLL_WRITE | FOLL_FORCE), unpin_user_pages()});
  b.add_task({madvise_dontneed(0, 0, 1)});
  return b.build();
}

// A child's read-only GUP reference (vmsplice()) on a page it shares COW
// with its parent, then munmap; the parent writes (zoo A3).
Config cow_vmsplice(ConfigBuilder b) {
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  int f = b.add_folio(anon());
  b.add_folio(free_folio());
  b.map(0, 0, f, 0, true);
  b.add_task({fork_mm(0, 1), write_fault(0, 0)});
  b.add_task({get_user_pages(1, 0, 1, 0), madvise_dontneed(1, 0, 1), unpin_user_pages()});
  return b.build();
}

// A long-term pin, a fork, then the parent's write (zoo B1).
Config pin_fork_write(ConfigBuilder b) {
  b.add_mm();
  b.add_mm(false);
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  int f = b.add_folio(anon());
  b.add_folio(free_folio());
  b.map(0, 0, f, 0, true);
  b.add_task({pin_user_pages(0, 0, 1, kLongtermWrite), fork_mm(0, 1), write_fault(0, 0)});
  return b.build();
}

// A long-term pin of a CMA folio whose lowest free page is in ZONE_MOVABLE
// (zoo C4): the migration target must come from elsewhere.
Config cma_movable_target(ConfigBuilder b) {
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  int cma = b.add_folio(cma_anon());
  b.add_folio(free_folio(Zone::kMovable));
  b.add_folio(free_folio());
  b.map(0, 0, cma, 0, true);
  b.add_task({pin_user_pages(0, 0, 1, kLongtermWrite), unpin_user_pages()});
  return b.build();
}

// A long-term read-only pin of anon memory that only maps the shared zero
// page (zoo D1).
Config zero_page_longterm(ConfigBuilder b) {
  b.add_mm();
  b.add_vma(0, 0, 1, VmaKind::kAnon, kRW);
  FolioSpec z;
  z.kind = FolioKind::kZeroPage;
  int f = b.add_folio(z);
  b.add_folio(free_folio());  // 6.12 unshares the zero page into it
  b.map(0, 0, f, 0, false);
  b.add_task({pin_user_pages(0, 0, 1, FOLL_LONGTERM), unpin_user_pages()});
  return b.build();
}

using Maker = Config (*)(ConfigBuilder);
const std::map<std::string, Maker>& makers() {
  static const std::map<std::string, Maker> m = {
      {"default", default_config},
      {"cma-demo", cma_demo},
      {"driver-cma", driver_cma},
      {"fsdax", fsdax},
      {"cma-alloc-failure", cma_alloc_failure},
      {"cma-off-lru", cma_off_lru},
      {"gupfast-cma", gupfast_cma},
      {"cma-two-pinners", cma_two_pinners},
      {"force-write-dontneed", force_write_dontneed},
      {"cow-vmsplice", cow_vmsplice},
      {"pin-fork-write", pin_fork_write},
      {"cma-movable-target", cma_movable_target},
      {"zero-page-longterm", zero_page_longterm},
  };
  return m;
}

}  // namespace

Config builtin_config(const std::string& name, const Variant& v) {
  auto it = makers().find(name);
  if (it == makers().end()) throw ConfigError(fmt::format("no built-in configuration '{}'", name));
  ConfigBuilder b(name);
  b.set_variant(v);
  return it->second(std::move(b));
}

const char* const* builtin_config_names() {
  static const char* const names[] = {"default",
                                      "cma-demo",
                                      "driver-cma",
                                      "fsdax",
                                      "cma-alloc-failure",
                                      "cma-off-lru",
                                      "gupfast-cma",
                                      "cma-two-pinners",
                                      "force-write-dontneed",
                                      "cow-vmsplice",
                                      "pin-fork-write",
                                      "cma-movable-target",
                                      "zero-page-longterm",
                                      nullptr};
  return names;
}

}  // namespace gup
