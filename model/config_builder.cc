#include "model/config_builder.h"

#include <fmt/format.h>

#include "model/kernel.h"

namespace gup {

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw ConfigError(what);
}

bool kind_in_page_cache(FolioKind k) {
  return k == FolioKind::kPageCache || k == FolioKind::kShmem || k == FolioKind::kHugetlb ||
         k == FolioKind::kFsdax || k == FolioKind::kDevdax || k == FolioKind::kSecretmem ||
         k == FolioKind::kDriver;  // device-coherent folios are anon (folio_test_anon())
}

// Kinds the kernel keeps on the LRU (hugetlb, ZONE_DEVICE, secretmem,
// driver pages and the zero page never are).
bool kind_on_lru(FolioKind k) {
  return k == FolioKind::kAnon || k == FolioKind::kPageCache || k == FolioKind::kShmem;
}

uint8_t vm_flags_for(VmaKind kind, uint8_t prot) {
  uint8_t f = prot & (VM_READ | VM_WRITE);
  bool shared = kind == VmaKind::kFileShared || kind == VmaKind::kShmemShared ||
                kind == VmaKind::kHugetlb || kind == VmaKind::kFsdax || kind == VmaKind::kDevdax ||
                kind == VmaKind::kSecretmem || kind == VmaKind::kDriver;
  if (shared) f |= VM_SHARED;
  // MAP_PRIVATE mappings are VM_MAYWRITE (COW); shared ones are when
  // writable (the file was opened for writing).
  if (!shared || (prot & VM_WRITE)) f |= VM_MAYWRITE;
  return f;
}

}  // namespace

ConfigBuilder::ConfigBuilder(std::string name) {
  cfg_.name = std::move(name);
  cfg_.variant = &base_variant();
  State& s = cfg_.initial;
  for (auto& file : s.page_cache)
    for (uint8_t& slot : file) slot = kNoFolio;
  for (Mm& m : s.mms)
    for (Pte& p : m.ptes) p = Pte::make_none();
  for (Task& t : s.tasks) {
    t.target = kNoFolio;
    t.snap = Pte::make_none();
    for (PageRef& p : t.pages) p = PageRef::none();
  }
  cfg_.nr_mms = 0;
}

int ConfigBuilder::add_folio(const FolioSpec& spec) {
  require(cfg_.nr_folios < kMaxFolios,
          fmt::format("too many folios: at most {} (kMaxFolios)", kMaxFolios));
  require(spec.order == 0 || spec.order == 1,
          fmt::format("folio order {} not modelled: 0 (small) or 1 (large)", spec.order));
  require(!spec.swapcache || spec.kind == FolioKind::kAnon, "swapcache is for anon folios only");
  bool device = spec.kind == FolioKind::kFsdax || spec.kind == FolioKind::kDevdax ||
                spec.kind == FolioKind::kDeviceCoherent;
  require(!device || spec.zone == Zone::kDevice,
          fmt::format("{} folios live in ZONE_DEVICE", folio_kind_name(spec.kind)));
  require(device || spec.zone != Zone::kDevice,
          fmt::format("{} folios cannot live in ZONE_DEVICE", folio_kind_name(spec.kind)));
  require(spec.lru_batch_cpu >= -1 && spec.lru_batch_cpu <= 1, "lru_batch_cpu: -1, 0 or 1");
  int idx = cfg_.nr_folios++;
  Folio& f = cfg_.initial.folios[idx];
  f = Folio{};
  f.kind = spec.kind;
  f.zone = spec.zone;
  f.migratetype = spec.migratetype;
  f.saved_mt = spec.migratetype;
  f.order = uint8_t(spec.order);
  f.file = 0xff;
  if (spec.free) {
    require(!device && spec.kind == FolioKind::kAnon,
            "a free folio is plain memory: kind anon in ZONE_NORMAL or ZONE_MOVABLE");
    f.flags = kFree;
    return idx;
  }
  if (spec.kind == FolioKind::kZeroPage) {
    f.refcount = 1;  // the kernel's own reference; never changes
    return idx;
  }
  f.refcount = spec.kind == FolioKind::kDriver ? 1 : 0;  // the driver's reference
  if (spec.kind == FolioKind::kHugetlb) f.set(kHugetlbMigratable);
  if (spec.dirty) f.set(kDirty);
  if (spec.swapcache) {
    f.set(kSwapcache);
    f.refcount = int16_t(f.refcount + f.nr_pages());
  }
  if (kind_on_lru(spec.kind)) {
    if (spec.lru_batch_cpu >= 0) {
      require(spec.order == 0, "only small folios wait in an lru_add batch");
      kernel::folio_add_lru(cfg_.initial, idx, spec.lru_batch_cpu);
    } else if (spec.lru) {
      f.set(kLru);
    }
  }
  return idx;
}

int ConfigBuilder::add_mm(bool live) {
  require(cfg_.nr_mms < kMaxMms, fmt::format("too many address spaces: at most {}", kMaxMms));
  int idx = cfg_.nr_mms++;
  if (live) cfg_.initial.mms[idx].flags |= kMmLive;
  return idx;
}

void ConfigBuilder::add_vma(int mm, int start, int end, VmaKind kind, uint8_t prot, int file,
                            uint8_t extra_vm_flags) {
  require(mm >= 0 && mm < cfg_.nr_mms, fmt::format("no address space {}", mm));
  require(cfg_.initial.mms[mm].flags & kMmLive,
          fmt::format("address space {} is reserved for a fork child (not live): it has no VMAs "
                      "until fork copies the parent's",
                      mm));
  require(start >= 0 && start < end && end <= kMaxAddrs,
          fmt::format("VMA [{}, {}) outside addresses 0..{}", start, end, kMaxAddrs));
  require(kind != VmaKind::kNone && kind < VmaKind::kCount, "bad VMA kind");
  require(file >= 0 && file < kMaxFiles, fmt::format("file {}: at most {} files", file, kMaxFiles));
  Mm& m = cfg_.initial.mms[mm];
  int slot = -1;
  for (int i = 0; i < kMaxVmas; i++) {
    const Vma& v = m.vmas[i];
    if (v.kind == VmaKind::kNone) {
      if (slot < 0) slot = i;
      continue;
    }
    require(end <= v.start || start >= v.end,
            fmt::format("VMA [{}, {}) overlaps VMA [{}, {})", start, end, v.start, v.end));
  }
  require(slot >= 0, fmt::format("too many VMAs in mm {}: at most {}", mm, kMaxVmas));
  m.vmas[slot] =
      Vma{uint8_t(start), uint8_t(end), kind, uint8_t(vm_flags_for(kind, prot) | extra_vm_flags)};
  m.file_of_vma = uint8_t(m.file_of_vma | (file << (2 * slot)));
  if (kind != VmaKind::kAnon) cfg_.nr_files = std::max(cfg_.nr_files, file + 1);
}

void ConfigBuilder::add_to_page_cache(int file, int index, int folio) {
  require(file >= 0 && file < kMaxFiles, fmt::format("file {}: at most {} files", file, kMaxFiles));
  require(index >= 0 && index < kMaxAddrs, fmt::format("page-cache index {} out of range", index));
  require(folio >= 0 && folio < cfg_.nr_folios, fmt::format("no folio {}", folio));
  Folio& f = cfg_.initial.folios[folio];
  require(kind_in_page_cache(f.kind) && !f.is_free(),
          fmt::format("folio {} is {}: not a page-cache kind", folio, folio_kind_name(f.kind)));
  uint8_t& slot = cfg_.initial.page_cache[file][index];
  require(slot == kNoFolio, fmt::format("page cache of file {} already has index {}", file, index));
  slot = uint8_t(folio);
  cfg_.nr_files = std::max(cfg_.nr_files, file + 1);
  // A large folio occupies its pages' slots; its references are taken once.
  if (f.test(kMapping)) return;
  f.file = uint8_t(file << 4 | index);
  if (f.kind == FolioKind::kDriver) return;  // driver pages have no mapping
  f.set(kMapping);
  f.refcount = int16_t(f.refcount + f.nr_pages());
}

void ConfigBuilder::map(int mm, int addr, int folio, int page, bool writable, bool exclusive) {
  require(mm >= 0 && mm < cfg_.nr_mms, fmt::format("no address space {}", mm));
  require(addr >= 0 && addr < kMaxAddrs, fmt::format("address {} out of range", addr));
  require(folio >= 0 && folio < cfg_.nr_folios,
          fmt::format("mapping to folio {}, which does not exist", folio));
  Folio& f = cfg_.initial.folios[folio];
  require(!f.is_free(), fmt::format("mapping to folio {}, which is free", folio));
  require(page >= 0 && page < f.nr_pages(), fmt::format("folio {} has no page {}", folio, page));
  Mm& m = cfg_.initial.mms[mm];
  const Vma* v = m.find_vma(addr);
  require(v, fmt::format("mm {} address {} has no VMA", mm, addr));
  require(m.ptes[addr].none(), fmt::format("mm {} address {} is already mapped", mm, addr));
  require(!writable || v->test(VM_WRITE),
          fmt::format("mm {} address {}: writable PTE in a VMA without VM_WRITE", mm, addr));
  kernel::map_pte(cfg_.initial, mm, addr, folio, page, writable);
  if (folio_test_anon(f) && (writable || exclusive)) f.set_page_anon_exclusive(page);
}

void ConfigBuilder::set_has_pinned(int mm) {
  require(mm >= 0 && mm < cfg_.nr_mms, fmt::format("no address space {}", mm));
  cfg_.initial.mms[mm].flags |= MMF_HAS_PINNED;
}

int ConfigBuilder::add_task(std::initializer_list<Op> ops) {
  return add_task(ops.begin(), int(ops.size()));
}

int ConfigBuilder::add_task(const Op* ops, int n) {
  require(cfg_.nr_tasks < kMaxTasks, fmt::format("too many tasks: at most {}", kMaxTasks));
  require(n >= 1 && n <= kMaxScript, fmt::format("a task runs 1 to {} operations", kMaxScript));
  int t = cfg_.nr_tasks++;
  bool holding = false;
  for (int i = 0; i < n; i++) {
    const Op& op = ops[i];
    require(op.kind != OpKind::kNone && op.kind < OpKind::kCount, "bad operation");
    if (op_is_gup(op.kind)) {
      require(!holding, fmt::format("task {}: {} before unpin_user_pages of the previous call", t,
                                    op_name(op.kind)));
      require(op.nr >= 1 && op.start + op.nr <= kMaxAddrs,
              fmt::format("task {}: pages [{}, {}) outside addresses 0..{}", t, op.start,
                          op.start + op.nr, kMaxAddrs));
      holding = true;
    }
    if (op.kind == OpKind::kUnpinUserPages) holding = false;
    cfg_.scripts[t][i] = op;
  }
  cfg_.script_len[t] = uint8_t(n);
  return t;
}

void ConfigBuilder::set_variant(const Variant& v) {
  cfg_.variant = &v;
}
void ConfigBuilder::inject_alloc_failure(bool on) {
  cfg_.inject_alloc_failure = on;
}

Config ConfigBuilder::build() {
  require(cfg_.nr_mms >= 1, "a configuration needs an address space");
  uint32_t fork_children = 0;
  for (int t = 0; t < cfg_.nr_tasks; t++) {
    for (int i = 0; i < cfg_.script_len[t]; i++) {
      const Op& op = cfg_.scripts[t][i];
      if (op.kind != OpKind::kFork) continue;
      require(!(fork_children >> op.child & 1),
              fmt::format("task {}: a second fork into address space {}", t, op.child));
      fork_children |= 1u << op.child;
    }
  }
  for (int t = 0; t < cfg_.nr_tasks; t++) {
    for (int i = 0; i < cfg_.script_len[t]; i++) {
      const Op& op = cfg_.scripts[t][i];
      require(op.mm < cfg_.nr_mms, fmt::format("task {}: no address space {}", t, op.mm));
      bool folio_arg = op.kind == OpKind::kReclaim || op.kind == OpKind::kSplitHugePage ||
                       op.kind == OpKind::kCompact || op.kind == OpKind::kTransientRef;
      require(!folio_arg || op.folio < cfg_.nr_folios,
              fmt::format("task {}: {} of folio {}, which does not exist", t, op_name(op.kind),
                          op.folio));
      require(op.kind != OpKind::kFork || (op.child < cfg_.nr_mms && op.child != op.mm &&
                                           !(cfg_.initial.mms[op.child].flags & kMmLive)),
              fmt::format("task {}: fork needs a reserved (not live) child address space", t));
      // An op in a reserved address space waits until a fork creates it
      // (model/ops.cc enabled_steps()); without such a fork, or when the
      // task itself forks it only later, it could never run.
      if (!op_uses_mm(op.kind) || (cfg_.initial.mms[op.mm].flags & kMmLive)) continue;
      require(fork_children >> op.mm & 1,
              fmt::format("task {}: {} in address space {}, which is not live and no fork creates",
                          t, op_name(op.kind), op.mm));
      for (int k = i; k < cfg_.script_len[t]; k++) {
        const Op& later = cfg_.scripts[t][k];
        require(later.kind != OpKind::kFork || later.child != op.mm,
                fmt::format("task {}: {} in address space {} before its own fork creates it", t,
                            op_name(op.kind), op.mm));
      }
    }
  }
  return cfg_;
}

namespace {
Op gup_op(OpKind k, int mm, int start, int nr, uint32_t flags) {
  Op op;
  op.kind = k;
  op.mm = uint8_t(mm);
  op.start = uint8_t(start);
  op.nr = uint8_t(nr);
  op.flags = flags;
  return op;
}
Op simple(OpKind k) {
  Op op;
  op.kind = k;
  return op;
}
}  // namespace

Op pin_user_pages(int mm, int start, int nr, uint32_t f) {
  return gup_op(OpKind::kPinUserPages, mm, start, nr, f);
}
Op get_user_pages(int mm, int start, int nr, uint32_t f) {
  return gup_op(OpKind::kGetUserPages, mm, start, nr, f);
}
Op pin_user_pages_fast(int mm, int start, int nr, uint32_t f) {
  return gup_op(OpKind::kPinUserPagesFast, mm, start, nr, f);
}
Op get_user_pages_fast(int mm, int start, int nr, uint32_t f) {
  return gup_op(OpKind::kGetUserPagesFast, mm, start, nr, f);
}
Op unpin_user_pages() {
  return simple(OpKind::kUnpinUserPages);
}
Op fork_mm(int mm, int child) {
  Op op = simple(OpKind::kFork);
  op.mm = uint8_t(mm);
  op.child = uint8_t(child);
  return op;
}
Op madvise_dontneed(int mm, int start, int nr) {
  return gup_op(OpKind::kMadviseDontneed, mm, start, nr, 0);
}
Op write_fault(int mm, int addr) {
  return gup_op(OpKind::kWriteFault, mm, addr, 1, 0);
}
Op read_fault(int mm, int addr) {
  return gup_op(OpKind::kReadFault, mm, addr, 1, 0);
}
Op mprotect(int mm, int start, int nr, uint8_t prot) {
  return gup_op(OpKind::kMprotect, mm, start, nr, prot);
}
Op reclaim(int folio) {
  Op op = simple(OpKind::kReclaim);
  op.folio = uint8_t(folio);
  return op;
}
Op split_huge_page(int folio) {
  Op op = simple(OpKind::kSplitHugePage);
  op.folio = uint8_t(folio);
  return op;
}
Op truncate(int file, int offset) {
  Op op = simple(OpKind::kTruncate);
  op.file = uint8_t(file);
  op.offset = uint8_t(offset);
  return op;
}
Op lru_add_drain_all() {
  return simple(OpKind::kLruAddDrainAll);
}
Op compact(int folio) {
  Op op = simple(OpKind::kCompact);
  op.folio = uint8_t(folio);
  return op;
}
Op cma_alloc() {
  return simple(OpKind::kCmaAlloc);
}
Op transient_ref(int folio) {
  Op op = simple(OpKind::kTransientRef);
  op.folio = uint8_t(folio);
  return op;
}

}  // namespace gup
