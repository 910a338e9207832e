// Mirrors of model/memory.cc (mm/memory.c, mm/rmap.c): PTE (un)mapping
// and handle_mm_fault() as one atomic section. The VMAs are one of the
// mm's few layouts (Enc::with_vmas), so the fault's plan is decided on the
// concrete VMA and the symbolic PTE, page cache and folio.
#include "checker/smt_encode.h"

namespace gup::smt {

namespace {

// model FaultAction, same order.
enum Action : int {
  kNothing,
  kError,
  kAnonZero,
  kAnonNew,
  kFileMap,
  kFileNew,
  kCowNew,
  kWpShared,
  kWpReuse,
  kWpCopy,
  kNrActions
};

struct Plan {
  expr action;  // 8-bit Action
  expr allocs;  // bool: allocations > 0
  expr drain;   // bool: drain_first
};

// model vma_allocates_page_cache().
bool vma_allocates_page_cache(VmaKind k) {
  return k == VmaKind::kFileShared || k == VmaKind::kFilePrivate || k == VmaKind::kShmemShared ||
         k == VmaKind::kSecretmem;
}

// model shared_read_maps_writable().
bool shared_read_maps_writable(const Vma& v) {
  return v.test(VM_WRITE) && v.kind != VmaKind::kFileShared && v.kind != VmaKind::kFsdax;
}

}  // namespace

// model map_pte() / folio_add_{new_anon,file}_rmap_pte() + folio_get().
void Enc::map_pte(SState& s, int mm, int addr, int k, const expr& page, const expr& write) const {
  s.m[mm].ptes[addr] = make_present(b8(k), page, write);
  branch(s, !is_zero_folio(s, k), [&](SState& x) {
    x.f[k].mapcount = x.f[k].mapcount + b8(1);
    folio_get(x, k);
  });
}

// model zap_pte() / zap_present_folio_ptes().
void Enc::zap_pte(SState& s, int mm, int addr) const {
  SPte old = s.m[mm].ptes[addr];
  s.m[mm].ptes[addr] = pte_none_val();
  branch(s, pte_present(old), [&](SState& x) {
    cases(x, old.folio, cfg.nr_folios, [&](SState& y, int k) {
      branch(y, !is_zero_folio(y, k), [&](SState& w) {
        w.f[k].mapcount = w.f[k].mapcount - b8(1);
        folio_put_refs(w, k, 1);
      });
    });
  });
}

namespace {

// model plan_fault() with its helper wp_can_reuse_anon_folio(), as
// expressions over the state.
Plan plan_fault(const Enc& e, const SState& s, int mm, const Mm& fm, int addr, int flags, int cpu) {
  auto act = [&](int a) { return e.b8(a); };
  const Vma* v = fm.find_vma(addr);
  if (!v || v->test(VM_IO) || v->test(VM_PFNMAP)) return Plan{act(kError), e.ff(), e.ff()};
  bool write = flags & 1, unshare = flags & 2;
  const SPte& pte = s.m[mm].ptes[addr];
  // pte_none(): a first fault.
  Plan none{act(kNothing), e.ff(), e.ff()};
  if (vma_is_anonymous(*v)) {
    expr zero = e.ff();
    if (!write)
      for (int k = 0; k < e.cfg.nr_folios; k++) zero = zero || e.is_zero_folio(s, k);
    none = Plan{z3::ite(zero, act(kAnonZero), act(kAnonNew)), !zero, e.ff()};
  } else {
    expr slot = s.page_cache[fm.vma_file(v) * kMaxAddrs + addr - v->start];
    expr cached = slot != e.b8(kNoFolio);
    expr rest = e.ff();
    Plan p{act(kNothing), e.ff(), e.ff()};
    if (write && !v->test(VM_SHARED))
      p = Plan{act(kCowNew), e.tt(), e.ff()};
    else
      p = Plan{z3::ite(cached, act(kFileMap), act(kFileNew)), !cached, e.ff()};
    if (!vma_allocates_page_cache(v->kind))
      p = Plan{z3::ite(cached, p.action, act(kError)), cached && p.allocs, e.ff()};
    none = p;
  }
  // A present PTE (callers wait out migration entries).
  Plan present{act(kNothing), e.ff(), e.ff()};
  if (write || unshare) {
    Plan wp{act(kNothing), e.ff(), e.ff()};
    if (v->test(VM_SHARED)) {
      wp = Plan{act(write ? kWpShared : kNothing), e.ff(), e.ff()};
    } else {
      // Per folio: exclusive reuse, wp_can_reuse_anon_folio(), or copy.
      Plan copy{act(kWpCopy), e.tt(), e.ff()};
      wp = copy;
      for (int k = e.cfg.nr_folios - 1; k >= 0; k--) {
        Plan pk = copy;
        expr small = e.fold(!e.folio_large(s, k));
        if (!small.is_false()) {
          const SFolio& f = s.f[k];
          expr refs = f.refcount;
          // wp_can_reuse_anon_folio(): drains whether or not it then reuses.
          expr drain = !(f.refcount > e.b16(3)) && !e.test(s, k, kLru);
          refs = z3::ite(drain && e.test(s, k, cpu == 0 ? kLruBatch0 : kLruBatch1), refs - e.b16(1),
                         refs);
          expr swap = z3::ite(e.test(s, k, kSwapcache), e.b16(1), e.b16(0));
          expr reuse =
              !(f.refcount > e.b16(3)) && !(refs > e.b16(1) + swap) && refs - swap == e.b16(1);
          pk = Plan{z3::ite(reuse, act(kWpReuse), act(kWpCopy)), !reuse, drain};
          if (!small.is_true())
            pk = Plan{z3::ite(small, pk.action, copy.action),
                      z3::ite(small, pk.allocs, copy.allocs), z3::ite(small, pk.drain, copy.drain)};
        }
        expr excl = e.pae_bit(s, k, e.pte_page(pte));
        pk = Plan{z3::ite(excl, act(kWpReuse), pk.action), !excl && pk.allocs, !excl && pk.drain};
        expr anon = e.folio_test_anon(s, k);
        pk = Plan{z3::ite(anon, pk.action, copy.action), z3::ite(anon, pk.allocs, copy.allocs),
                  anon && pk.drain};
        expr is_k = pte.folio == e.b8(k);
        wp = Plan{z3::ite(is_k, pk.action, wp.action), z3::ite(is_k, pk.allocs, wp.allocs),
                  z3::ite(is_k, pk.drain, wp.drain)};
      }
    }
    expr spurious = e.pte_write(pte);
    present = Plan{z3::ite(spurious, act(kNothing), wp.action), !spurious && wp.allocs,
                   !spurious && wp.drain};
  }
  expr n = e.pte_none(pte);
  return Plan{z3::ite(n, none.action, present.action), z3::ite(n, none.allocs, present.allocs),
              z3::ite(n, none.drain, present.drain)};
}

// model new_anon_folio(): a new exclusive anon folio mapped at (mm, addr);
// s.ok says whether the allocation succeeded.
void new_anon_folio(const Enc& e, SState& s, int task, int mm, int addr, const expr& writable,
                    bool movable) {
  e.alloc_folio(
      s, movable, 0, e.b8(int(FolioKind::kAnon)),
      [&](SState& x, int k) {
        x.f[k].anon_exclusive = e.b8(1);
        e.set(x, k, kDirty);
        e.map_pte(x, mm, addr, k, e.ff(), writable);
        e.folio_add_lru(x, k, Config::cpu_of(task));
        x.ok = e.tt();
      },
      [&](SState& x) { x.ok = e.ff(); });
}

// model new_page_cache_folio() / __do_fault(); the folio's index in s.idx.
void new_page_cache_folio(const Enc& e, SState& s, int task, const Mm& fm, const Vma& v, int addr,
                          bool movable) {
  FolioKind kind = v.kind == VmaKind::kShmemShared ? FolioKind::kShmem
                   : v.kind == VmaKind::kSecretmem ? FolioKind::kSecretmem
                                                   : FolioKind::kPageCache;
  bool secret = kind == FolioKind::kSecretmem;
  int file = fm.vma_file(&v), index = addr - v.start;
  e.alloc_folio(
      s, movable && !secret, 0, e.b8(int(kind)),
      [&](SState& x, int k) {
        e.set(x, k, kMapping);
        x.f[k].file = e.b8(file << 4 | index);
        x.f[k].refcount = x.f[k].refcount + e.nr_pages(x, k);  // folio_get(nr_pages)
        x.page_cache[file * kMaxAddrs + index] = e.b8(k);
        if (!secret) e.folio_add_lru(x, k, Config::cpu_of(task));
        x.idx = e.b8(k);
      },
      [&](SState& x) { x.idx = e.b8(kNoFolio); });
}

}  // namespace

// model fault_allocates().
expr Enc::fault_allocates(const SState& s, int mm, int addr, int flags) const {
  return on_vmas(s, mm,
                 [&](const Mm& fm) { return plan_fault(*this, s, mm, fm, addr, flags, 0).allocs; });
}

// model handle_mm_fault() / mm/memory.c handle_mm_fault(). Result in s.ret.
void Enc::handle_mm_fault(SState& s, int task, int mm, int addr, int flags, bool memalloc_pin,
                          const expr& choice) const {
  with_vmas(s, mm, [&](SState& x, const Mm& fm) {
    handle_mm_fault_on(x, task, mm, fm, addr, flags, memalloc_pin, choice);
  });
}

// handle_mm_fault() with the mm's VMAs in layout `fm`.
void Enc::handle_mm_fault_on(SState& s, int task, int mm, const Mm& fm, int addr, int flags,
                             bool memalloc_pin, const expr& choice) const {
  int cpu = Config::cpu_of(task);
  Plan p = plan_fault(*this, s, mm, fm, addr, flags, cpu);
  bool movable = !memalloc_pin;
  const Vma* vp = fm.find_vma(addr);
  if (!vp || vp->test(VM_IO) || vp->test(VM_PFNMAP)) {
    s.ret = b8(EFAULT_);
    return;
  }
  const Vma& v = *vp;
  bool write = flags & 1;
  SPte pte = s.m[mm].ptes[addr];
  int file = fm.vma_file(&v), index = addr - v.start;
  expr slot = s.page_cache[file * kMaxAddrs + index];
  s.ret = b8(0);
  // model handle_mm_fault(): the reuse check's lru_add_drain() comes first.
  branch(s, p.drain, [&](SState& x) { lru_add_drain_cpu(x, cpu); });
  branch(
      s, p.allocs && choice, [&](SState& x) { x.ret = b8(ENOMEM_); },
      [&](SState& x) {
        cases(x, p.action, kNrActions, [&](SState& y, int a) {
          switch (Action(a)) {
            case kError:
              y.ret = b8(EFAULT_);
              return;
            case kNothing:
              return;
            case kAnonZero:
              for (int k = 0; k < cfg.nr_folios; k++)
                branch(y, is_zero_folio(y, k),
                       [&](SState& w) { map_pte(w, mm, addr, k, ff(), ff()); });
              return;
            case kAnonNew:
              new_anon_folio(*this, y, task, mm, addr, z.bool_val(v.test(VM_WRITE)), movable);
              y.ret = z3::ite(y.ok, b8(0), b8(ENOMEM_));
              return;
            case kFileMap:
            case kFileNew: {
              y.idx = slot;
              branch(y, slot == b8(kNoFolio), [&](SState& w) {
                new_page_cache_folio(*this, w, task, fm, v, addr, movable);
              });
              bool shared = v.test(VM_SHARED);
              bool writable = shared && (write ? v.test(VM_WRITE) : shared_read_maps_writable(v));
              y.ret = b8(ENOMEM_);
              cases(y, y.idx, cfg.nr_folios, [&](SState& w, int k) {
                expr page = (addr - v.start) & 1 ? folio_large(w, k) : ff();
                map_pte(w, mm, addr, k, page, z.bool_val(writable));
                if (shared && write) set(w, k, kDirty);
                w.ret = b8(0);
              });
              return;
            }
            case kCowNew:
              y.ok = tt();
              branch(y, slot == b8(kNoFolio), [&](SState& w) {
                new_page_cache_folio(*this, w, task, fm, v, addr, movable);
                w.ok = w.idx != b8(kNoFolio);
              });
              branch(y, y.ok, [&](SState& w) {
                new_anon_folio(*this, w, task, mm, addr, z.bool_val(v.test(VM_WRITE)), movable);
              });
              y.ret = z3::ite(y.ok, b8(0), b8(ENOMEM_));
              return;
            case kWpShared:
              y.m[mm].ptes[addr] = make_present(pte.folio, pte_page(pte), tt());
              cases(y, pte.folio, cfg.nr_folios, [&](SState& w, int k) { set(w, k, kDirty); });
              return;
            case kWpReuse:
              cases(y, pte.folio, cfg.nr_folios, [&](SState& w, int k) {
                branch(w, test(w, k, kSwapcache), [&](SState& u) {
                  clear(u, k, kSwapcache);
                  folio_put_refs(u, k, 1);
                });
                w.f[k].anon_exclusive =
                    w.f[k].anon_exclusive | z3::ite(pte_page(pte), b8(2), b8(1));
              });
              if (write && v.test(VM_WRITE))
                y.m[mm].ptes[addr] = make_present(pte.folio, pte_page(pte), tt());
              return;
            case kWpCopy:
              branch(
                  y, !can_alloc(y, movable, 0), [&](SState& w) { w.ret = b8(ENOMEM_); },
                  [&](SState& w) {
                    zap_pte(w, mm, addr);
                    new_anon_folio(*this, w, task, mm, addr, z.bool_val(write && v.test(VM_WRITE)),
                                   movable);
                  });
              return;
            case kNrActions:
              return;
          }
        });
      });
}

}  // namespace gup::smt
