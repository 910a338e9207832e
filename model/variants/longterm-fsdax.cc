// Zoo E1. The kernel before 2bb6d2837083 ("mm: introduce
// get_user_pages_longterm", v4.15): check_vma_flags() refuses no long-term
// pin (neither of fsdax, nor, from 8ac268436e6d in v6.5, of a writable
// dirty-tracked file mapping) and GUP-fast does not refuse devmap PTEs
// (7af75561e171, v5.2). Truncate can then free fsdax blocks under a
// device's DMA.
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::longterm_fsdax {

// model/gup_util.cc
int check_vma_flags(const Vma& vma, uint32_t gup_flags) {
  GUP_OVERRIDABLE(check_vma_flags, vma, gup_flags);
  bool write = gup_flags & FOLL_WRITE;
  if (vma.test(VM_IO) || vma.test(VM_PFNMAP)) return EFAULT_;
  if (vma_is_secretmem(vma)) return EFAULT_;
  if (write) {
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

// model/gup_fast.cc
void gup_fast_read_pte(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(gup_fast_read_pte, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  uint32_t flags = gup_flags_of(op);
  t.snap = s.mms[op.mm].ptes[op.start + t.i];
  if (!t.snap.present()) return gup_fast_stop(t);  // none, swap or migration entry
  if ((flags & FOLL_WRITE) && !t.snap.write()) return gup_fast_stop(t);  // !pte_access_permitted
  const Folio& f = s.folios[t.snap.folio];
  if (is_zero_folio(f)) return gup_fast_stop(t);  // pte_special()
  t.pc = kPcFastGrab;
}

}  // namespace kernel::longterm_fsdax

GUP_VARIANT(longterm_fsdax) {
  v.name = "longterm-fsdax";
  v.zoo_id = "E1";
  v.commit = "before 2bb6d2837083 and 7af75561e171";
  v.summary = "long-term pins of fsdax and writable file mappings are allowed";
  GUP_REPLACE(check_vma_flags);
  GUP_REPLACE(gup_fast_read_pte);
}
GUP_DOMAIN_END
