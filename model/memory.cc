// Page faults and PTE (un)mapping: mm/memory.c, mm/rmap.c.
//
// handle_mm_fault() is one atomic section: the kernel allocates outside
// the PTL and re-checks with pte_same() under it; the model folds the two
// because nothing between them changes what it installs.
#include <cassert>

#include "model/kernel.h"
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

void map_pte(State& s, int mm, int addr, int idx, int page, bool write) {
  GUP_OVERRIDABLE(map_pte, s, mm, addr, idx, page, write);
  s.mms[mm].ptes[addr] = Pte::make_present(idx, page, write);
  Folio& f = s.folios[idx];
  if (is_zero_folio(f)) return;  // pte_mkspecial(): no rmap, no reference
  f.mapcount++;
  folio_get(f);
}

void zap_pte(State& s, const Ctx& c, int mm, int addr) {
  GUP_OVERRIDABLE(zap_pte, s, c, mm, addr);
  Pte& pte = s.mms[mm].ptes[addr];
  if (!pte.present()) {
    pte = Pte::make_none();
    return;
  }
  int idx = int(pte.folio);
  pte = Pte::make_none();
  Folio& f = s.folios[idx];
  if (is_zero_folio(f)) return;
  f.mapcount--;
  folio_put_refs(s, c, idx, 1);
}

int page_cache_folio(const State& s, const Mm& m, const Vma& v, int addr) {
  GUP_OVERRIDABLE(page_cache_folio, s, m, v, addr);
  return int(s.page_cache[m.vma_file(&v)][addr - v.start]);
}

bool vma_allocates_page_cache(const Vma& v) {
  GUP_OVERRIDABLE(vma_allocates_page_cache, v);
  return v.kind == VmaKind::kFileShared || v.kind == VmaKind::kFilePrivate ||
         v.kind == VmaKind::kShmemShared || v.kind == VmaKind::kSecretmem;
}

// A shared mapping without write notification maps writable even on a
// read fault (vma_wants_writenotify() is false: shmem, hugetlbfs, devices).
bool shared_read_maps_writable(const Vma& v) {
  GUP_OVERRIDABLE(shared_read_maps_writable, v);
  return v.test(VM_WRITE) && v.kind != VmaKind::kFileShared && v.kind != VmaKind::kFsdax;
}

// mm/memory.c: wp_can_reuse_anon_folio(), judged on the state; the local
// lru_add_drain() it does for a small folio off the LRU with at most 3
// references is folded into the refcount it would see, and happens whether
// or not the folio is then reused (*drain).
bool wp_can_reuse_anon_folio(const Folio& f, int cpu, bool* drain) {
  GUP_OVERRIDABLE(wp_can_reuse_anon_folio, f, cpu, drain);
  if (folio_test_large(f)) return false;
  Val<int> refs = f.refcount;
  if (refs > 3) return false;
  *drain = !f.test(kLru);
  if (*drain && f.test(cpu == 0 ? kLruBatch0 : kLruBatch1)) refs--;
  Val<int> swap = select(f.test(kSwapcache), 1, 0);
  if (refs > 1 + swap) return false;
  return refs - swap == 1;  // folio_free_swap() drops the swap cache ref
}

FaultPlan plan_fault(const State& s, int mm, int addr, uint8_t flags, int cpu) {
  GUP_OVERRIDABLE(plan_fault, s, mm, addr, flags, cpu);
  FaultPlan p;
  const Mm& m = s.mms[mm];
  const Vma* v = m.find_vma(addr);
  if (!v || v->test(VM_IO) || v->test(VM_PFNMAP)) {
    p.action = FaultAction::kError;
    return p;
  }
  bool write = flags & FAULT_FLAG_WRITE;
  bool unshare = flags & FAULT_FLAG_UNSHARE;
  const Pte& pte = m.ptes[addr];
  if (pte.none()) {
    if (vma_is_anonymous(*v)) {
      bool zero = !write;
      if (zero) {
        zero = false;
        for (const Folio& f : s.folios) zero |= is_zero_folio(f);
      }
      p.action = zero ? FaultAction::kAnonZero : FaultAction::kAnonNew;
      p.allocations = zero ? 0 : 1;
      return p;
    }
    bool cached = page_cache_folio(s, m, *v, addr) != kNoFolio;
    if (!cached && !vma_allocates_page_cache(*v)) {
      p.action = FaultAction::kError;  // hugetlb, DAX, driver: VM_FAULT_SIGBUS
      return p;
    }
    if (write && !v->test(VM_SHARED)) {
      p.action = FaultAction::kCowNew;
      p.allocations = cached ? 1 : 2;
      return p;
    }
    p.action = cached ? FaultAction::kFileMap : FaultAction::kFileNew;
    p.allocations = cached ? 0 : 1;
    return p;
  }
  GUP_ASSUME(pte.present(), "handle_mm_fault: callers wait out migration entries");
  if (pte.write() || !(write || unshare)) return p;  // spurious
  const Folio& f = s.folios[pte.folio];
  if (v->test(VM_SHARED)) {
    // sanitize_fault_flags() drops FAULT_FLAG_UNSHARE on non-COW mappings.
    p.action = write ? FaultAction::kWpShared : FaultAction::kNothing;
    return p;
  }
  if (folio_test_anon(f)) {
    bool drain = false;
    if (f.page_anon_exclusive(pte.page())) {
      p.action = FaultAction::kWpReuse;
      return p;
    }
    bool reuse = wp_can_reuse_anon_folio(f, cpu, &drain);
    p.drain_first = drain;
    if (reuse) {
      p.action = FaultAction::kWpReuse;
      return p;
    }
  }
  p.action = FaultAction::kWpCopy;
  p.allocations = 1;
  return p;
}

// A new anon folio holding a copy, mapped at (mm, addr) exclusively.
int new_anon_folio(State& s, const Ctx& c, int mm, int addr, bool writable, bool movable) {
  GUP_OVERRIDABLE(new_anon_folio, s, c, mm, addr, writable, movable);
  int idx = alloc_folio(s, Gfp{movable, 0}, FolioKind::kAnon);
  if (idx == kNoFolio) return kNoFolio;
  Folio& f = s.folios[idx];
  f.anon_exclusive = 1;  // folio_add_new_anon_rmap(RMAP_EXCLUSIVE)
  f.set(kDirty);
  map_pte(s, mm, addr, idx, 0, writable);
  folio_add_lru(s, idx, Config::cpu_of(c.task));
  return idx;
}

// __do_fault() -> filemap_fault()/shmem_fault(): a new page-cache folio.
int new_page_cache_folio(State& s, const Ctx& c, const Mm& m, const Vma& v, int addr,
                         bool movable) {
  GUP_OVERRIDABLE(new_page_cache_folio, s, c, m, v, addr, movable);
  FolioKind kind = v.kind == VmaKind::kShmemShared ? FolioKind::kShmem
                   : v.kind == VmaKind::kSecretmem ? FolioKind::kSecretmem
                                                   : FolioKind::kPageCache;
  // secretmem pages are unmovable and never on the LRU (mm/secretmem.c).
  bool secret = kind == FolioKind::kSecretmem;
  int idx = alloc_folio(s, Gfp{movable && !secret, 0}, kind);
  if (idx == kNoFolio) return kNoFolio;
  int file = m.vma_file(&v), index = int(addr - v.start);
  Folio& f = s.folios[idx];
  f.set(kMapping);
  f.file = file << 4 | index;
  folio_get(f, f.nr_pages());
  s.page_cache[file][index] = idx;
  if (!secret) folio_add_lru(s, idx, Config::cpu_of(c.task));
  return idx;
}

bool fault_allocates(const State& s, const Config& cfg, int mm, int addr, uint8_t flags) {
  GUP_OVERRIDABLE(fault_allocates, s, cfg, mm, addr, flags);
  (void)cfg;
  return plan_fault(s, mm, addr, flags, 0).allocations > 0;
}

int handle_mm_fault(State& s, const Ctx& c, int mm, int addr, uint8_t flags, bool memalloc_pin) {
  GUP_OVERRIDABLE(handle_mm_fault, s, c, mm, addr, flags, memalloc_pin);
  int cpu = Config::cpu_of(c.task);
  FaultPlan p = plan_fault(s, mm, addr, flags, cpu);
  if (p.action == FaultAction::kError) return EFAULT_;
  if (p.action == FaultAction::kNothing) return 0;
  // do_wp_page() -> wp_can_reuse_anon_folio(): lru_add_drain() before the
  // reuse decision, so also before wp_page_copy() allocates (and may fail).
  if (p.drain_first) lru_add_drain_cpu(s, c, cpu);
  if (p.allocations > 0 && c.choice == 1) return ENOMEM_;
  bool movable = !memalloc_pin;  // current_gfp_context() under PF_MEMALLOC_PIN
  Mm& m = s.mms[mm];
  const Vma& v = *m.find_vma(addr);
  bool write = flags & FAULT_FLAG_WRITE;
  Pte pte = m.ptes[addr];
  switch (p.action) {
    case FaultAction::kAnonZero:
      for (int i = 0; i < c.cfg.nr_folios; i++)
        if (is_zero_folio(s.folios[i])) map_pte(s, mm, addr, i, 0, false);
      return 0;
    case FaultAction::kAnonNew:
      return new_anon_folio(s, c, mm, addr, v.test(VM_WRITE), movable) == kNoFolio ? ENOMEM_ : 0;
    case FaultAction::kFileMap:
    case FaultAction::kFileNew: {
      int idx = page_cache_folio(s, m, v, addr);
      if (idx == kNoFolio) idx = new_page_cache_folio(s, c, m, v, addr, movable);
      if (idx == kNoFolio) return ENOMEM_;
      bool shared = v.test(VM_SHARED);
      bool writable = shared && (write ? v.test(VM_WRITE) : shared_read_maps_writable(v));
      int page = s.folios[idx].nr_pages() > 1 ? int((addr - v.start) & 1) : 0;
      map_pte(s, mm, addr, idx, page, writable);
      if (shared && write) s.folios[idx].set(kDirty);  // do_shared_fault()
      return 0;
    }
    case FaultAction::kCowNew: {
      if (page_cache_folio(s, m, v, addr) == kNoFolio &&
          new_page_cache_folio(s, c, m, v, addr, movable) == kNoFolio)
        return ENOMEM_;
      return new_anon_folio(s, c, mm, addr, v.test(VM_WRITE), movable) == kNoFolio ? ENOMEM_ : 0;
    }
    case FaultAction::kWpShared:
      m.ptes[addr] = Pte::make_present(pte.folio, pte.page(), true);
      s.folios[pte.folio].set(kDirty);
      return 0;
    case FaultAction::kWpReuse: {
      Folio& f = s.folios[pte.folio];
      if (f.test(kSwapcache)) {  // folio_free_swap()
        f.clear(kSwapcache);
        folio_put_refs(s, c, int(pte.folio), 1);
      }
      f.set_page_anon_exclusive(pte.page());
      // An unshare fault sets PAE without making the PTE writable.
      if (write && v.test(VM_WRITE)) m.ptes[addr] = Pte::make_present(pte.folio, pte.page(), true);
      return 0;
    }
    case FaultAction::kWpCopy: {
      // wp_page_copy(): the copy is allocated before the old mapping goes.
      if (!can_alloc(s, c.cfg, Gfp{movable, 0})) return ENOMEM_;
      zap_pte(s, c, mm, addr);
      new_anon_folio(s, c, mm, addr, write && v.test(VM_WRITE), movable);
      return 0;
    }
    case FaultAction::kNothing:
    case FaultAction::kError:
      break;
  }
  return 0;
}

}  // namespace kernel
GUP_DOMAIN_END
