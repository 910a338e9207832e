// mm/gup.c and mm/internal.h helpers: reference accounting and the
// decisions of the slow walk (6.12.117).
#include "model/kernel.h"
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

// mm/gup.c: check_vma_flags() (FOLL_ANON, FOLL_SPLIT_PMD, shadow stacks and
// pkeys are not modelled; every VMA has VM_MAYREAD).
int check_vma_flags(const Vma& vma, uint32_t gup_flags) {
  GUP_OVERRIDABLE(check_vma_flags, vma, gup_flags);
  bool write = gup_flags & FOLL_WRITE;
  if (vma.test(VM_IO) || vma.test(VM_PFNMAP)) return EFAULT_;
  if ((gup_flags & FOLL_LONGTERM) && vma_is_fsdax(vma)) return EOPNOTSUPP_;
  if (vma_is_secretmem(vma)) return EFAULT_;
  if (write) {
    // writable_file_mapping_allowed(): only PIN|LONGTERM write pins of a
    // dirty-tracked file mapping are refused.
    bool longterm_pin = (gup_flags & (FOLL_PIN | FOLL_LONGTERM)) == (FOLL_PIN | FOLL_LONGTERM);
    if (!vma_is_anonymous(vma) && longterm_pin && vma_needs_dirty_tracking(vma)) return EFAULT_;
    if (!vma.test(VM_WRITE)) {
      if (!(gup_flags & FOLL_FORCE)) return EFAULT_;
      if (vma.kind == VmaKind::kHugetlb) return EFAULT_;
      if (!is_cow_mapping(vma)) return EFAULT_;
    }
  } else if (!vma.test(VM_READ)) {
    if (!(gup_flags & FOLL_FORCE)) return EFAULT_;
  }
  return 0;
}

}  // namespace kernel
GUP_DOMAIN_END

GUP_DOMAIN_BEGIN
int check_vma_flags_6_12(const Vma& vma, uint32_t gup_flags) {
  // The base's, whatever variant is running (properties/liveness.cc).
  kernel::ActiveKernel base(kernel::kernel_6_12());
  return kernel::check_vma_flags(vma, gup_flags);
}
GUP_DOMAIN_END

GUP_DOMAIN_BEGIN
namespace kernel {

// include/linux/mm.h: folio_is_longterm_pinnable() (6.12, CONFIG_CMA and
// CONFIG_MIGRATION), the kernel's own copy, which the model's kernel code
// calls (unqualified calls in namespace kernel find it) so that a variant
// can replace it. The properties keep their own statement of the rule,
// model/folio.h's template of the same name.
bool folio_is_longterm_pinnable(const Folio& folio) {
  GUP_OVERRIDABLE(folio_is_longterm_pinnable, folio);
  const auto& mt = folio.migratetype;  // folio_migratetype()
  // CMA pages may be unpinned, or migrated to a non-CMA region.
  if (mt == Migratetype::kCma || mt == Migratetype::kIsolate) return false;
  // The zero page can be "pinned" but gets special handling.
  if (is_zero_folio(folio)) return true;
  // Coherent device memory must always allow eviction.
  if (folio_is_device_coherent(folio)) return false;
  // Otherwise, non-movable zone folios can be pinned.
  return folio.zone != Zone::kMovable;  // !folio_is_zone_movable()
}

// mm/gup.c: try_grab_folio(). The caller holds the PTL (or a reference).
int try_grab_folio(State& s, const Ctx& c, int idx, int refs, uint32_t gup_flags) {
  GUP_OVERRIDABLE(try_grab_folio, s, c, idx, refs, gup_flags);
  (void)c;
  Folio& f = s.folios[idx];
  if (f.refcount <= 0) return ENOMEM_;  // WARN_ON_ONCE
  if (gup_flags & FOLL_GET) {
    folio_get(f, refs);
  } else if (gup_flags & FOLL_PIN) {
    if (is_zero_folio(f)) return 0;
    if (folio_test_large(f)) {
      folio_get(f, refs);
      f.pincount = f.pincount + refs;
    } else {
      folio_get(f, refs * kGupPinCountingBias);
    }
  }
  return 0;
}

// mm/gup.c: gup_put_folio().
void gup_put_folio(State& s, const Ctx& c, int idx, int refs, uint32_t gup_flags) {
  GUP_OVERRIDABLE(gup_put_folio, s, c, idx, refs, gup_flags);
  Folio& f = s.folios[idx];
  if (gup_flags & FOLL_PIN) {
    if (is_zero_folio(f)) return;
    if (folio_has_pincount(f)) {
      f.pincount = f.pincount - refs;
    } else {
      refs *= kGupPinCountingBias;
    }
  }
  folio_put_refs(s, c, idx, refs);
}

// mm/internal.h: gup_must_unshare(): only R/O FOLL_PIN unshares.
bool gup_must_unshare(const Vma* vma, uint32_t gup_flags, const Folio& f, int page) {
  GUP_OVERRIDABLE(gup_must_unshare, vma, gup_flags, f, page);
  if ((gup_flags & (FOLL_WRITE | FOLL_PIN)) != FOLL_PIN) return false;
  if (!folio_test_anon(f)) {
    if (!(gup_flags & FOLL_LONGTERM)) return false;
    if (!vma) return true;  // GUP-fast: no VMA to check, fall back
    return is_cow_mapping(*vma);
  }
  return !f.page_anon_exclusive(page);
}

// mm/gup.c: can_follow_write_pte(): a FOLL_FORCE write may use a R/O PTE
// only of an exclusive anon page in a private, non-writable mapping.
bool can_follow_write_pte(const Pte& pte, const Vma& vma, uint32_t gup_flags, const Folio& f) {
  GUP_OVERRIDABLE(can_follow_write_pte, pte, vma, gup_flags, f);
  if (pte.write()) return true;
  if (!(gup_flags & FOLL_FORCE)) return false;
  if (vma.test(VM_SHARED)) return false;
  if (!vma.test(VM_MAYWRITE)) return false;
  if (vma.test(VM_WRITE)) return false;
  if (!folio_test_anon(f)) return false;
  return f.page_anon_exclusive(pte.page());
}

}  // namespace kernel
GUP_DOMAIN_END
