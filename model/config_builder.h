// Builds a Config: folios, address spaces, VMAs, mappings, page caches and
// task scripts. Every method validates its arguments against the
// compile-time maxima and the model's rules and throws ConfigError with a
// message that names the offending item; spec loaders add file:line:column.
#pragma once

#include <stdexcept>
#include <string>

#include "model/config.h"

namespace gup {

struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct FolioSpec {
  FolioKind kind = FolioKind::kAnon;
  Zone zone = Zone::kNormal;
  Migratetype migratetype = Migratetype::kMovable;
  int order = 0;
  bool free = false;  // in the buddy allocator: a target for allocations
  bool lru = true;  // PG_lru (anon, page cache, shmem); ignored where the kind is never on the LRU
  int lru_batch_cpu = -1;  // queued in that CPU's lru_add batch instead of on the LRU
  bool dirty = false;
  bool swapcache = false;  // anon only
};

class ConfigBuilder {
 public:
  explicit ConfigBuilder(std::string name);

  // Returns the folio's index. Page-cache kinds are not yet in a file:
  // add_to_page_cache() puts them there.
  int add_folio(const FolioSpec& spec);
  // Returns the mm's index. Only mm 0 is live at first; add_mm(false)
  // reserves an address space for a fork child.
  int add_mm(bool live = true);
  // A VMA over [start, end) of `mm`. `file` names the backing file for
  // file, shmem, hugetlb, fsdax, devdax, secretmem and driver VMAs; file
  // offset = address - start. `prot` is VM_READ|VM_WRITE.
  void add_vma(int mm, int start, int end, VmaKind kind, uint8_t prot, int file = 0,
               uint8_t extra_vm_flags = 0);
  // Page cache slot (file, index) holds `folio`.
  void add_to_page_cache(int file, int index, int folio);
  // A present PTE at (mm, addr) for page `page` of `folio`. Counts
  // (refcount, mapcount) follow; anon folios mapped writable become
  // PageAnonExclusive for that page; `exclusive` forces it for R/O anon.
  void map(int mm, int addr, int folio, int page, bool writable, bool exclusive = false);
  // MMF_HAS_PINNED on `mm` (an earlier pin in this process).
  void set_has_pinned(int mm);
  // A task running `ops` in turn. Returns the task's index.
  int add_task(std::initializer_list<Op> ops);
  int add_task(const Op* ops, int n);
  void set_variant(const Variant& v);
  void inject_alloc_failure(bool on);

  // Checks cross-references (every mapped file page exists, ...) and
  // returns the Config. The builder may not be used afterwards.
  Config build();

 private:
  Config cfg_;
};

// Shorthands for scripts.
Op pin_user_pages(int mm, int start, int nr, uint32_t foll_flags);
Op get_user_pages(int mm, int start, int nr, uint32_t foll_flags);
Op pin_user_pages_fast(int mm, int start, int nr, uint32_t foll_flags);
Op get_user_pages_fast(int mm, int start, int nr, uint32_t foll_flags);
Op unpin_user_pages();
Op fork_mm(int mm, int child);
Op madvise_dontneed(int mm, int start, int nr);
Op write_fault(int mm, int addr);
Op read_fault(int mm, int addr);
Op mprotect(int mm, int start, int nr, uint8_t prot);
Op reclaim(int folio);
Op split_huge_page(int folio);
Op truncate(int file, int offset);
Op lru_add_drain_all();
Op compact(int folio);
Op cma_alloc();
Op transient_ref(int folio);

// Built-in configurations (model/configs.cc), by name: "default",
// "cma-demo", ... Throws ConfigError for an unknown name.
Config builtin_config(const std::string& name, const Variant& v);
const char* const* builtin_config_names();  // null-terminated

}  // namespace gup
