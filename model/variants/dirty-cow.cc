// Zoo A1, Dirty COW (CVE-2016-5195). Undoes 19be0eaffa3a ("mm: remove
// gup_flags FOLL_WRITE games from __get_user_pages()", v4.9). Before it,
// a FOLL_FORCE write to a read-only private mapping went like this: the
// write fault broke COW (do_wp_page() returned VM_FAULT_WRITE, leaving the
// PTE read-only because the VMA lacks VM_WRITE), and faultin_page() then
// cleared FOLL_WRITE from the walk's flags for this page, so that the
// retried lookup, which accepted a read-only PTE only for a read
// (follow_page_pte(): `(flags & FOLL_WRITE) && !pte_write(pte)`), would
// take the COW copy. If MADV_DONTNEED zapped the copy before the retry,
// the lookup, now a read, faulted in the file's page-cache page read-only
// and returned it, and the caller (a /proc/pid/mem write) wrote into the
// file. The fix keeps FOLL_WRITE and accepts a read-only PTE for a forced
// write only after COW (FOLL_COW and pte_dirty(); in 6.12
// can_follow_write_pte(): an exclusive anon page). The model keeps "FOLL_WRITE
// dropped for this page" in the task's ghost bits.
#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel::dirty_cow {

// model/gup_util.cc: follow_page_pte() took a read-only PTE for no write.
bool can_follow_write_pte(const Pte& pte, const Vma& vma, uint32_t gup_flags, const Folio& f) {
  GUP_OVERRIDABLE(can_follow_write_pte, pte, vma, gup_flags, f);
  (void)vma;
  (void)gup_flags;
  (void)f;
  return pte.write();
}

// model/gup.cc: __get_user_pages() walks page i with foll_flags, a copy of
// gup_flags for this page that faultin_page() may strip FOLL_WRITE from.
void follow_page_pte_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(follow_page_pte_step, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  uint32_t flags = gup_flags_of(op);
  // gup_fast_fallback(): the slow path of the *_fast() entry points runs
  // __gup_longterm_locked() with gup_flags | FOLL_TOUCH | FOLL_UNLOCKABLE.
  if (op_is_fast(op.kind)) flags |= FOLL_TOUCH;
  if (t.ghost & kGhostFollWriteOff) flags &= ~FOLL_WRITE;  // foll_flags
  int addr = addr_of(op, t);
  Mm& m = s.mms[op.mm];
  const Vma* vma = m.find_vma(addr);
  if (!vma) return gup_walk_done(s, c, select(t.i > t.nr_done, t.i - t.nr_done, EFAULT_));
  if (int err = check_vma_flags(*vma, flags))
    return gup_walk_done(s, c, select(t.i > t.nr_done, t.i - t.nr_done, err));
  const Pte pte = m.ptes[addr];
  if (pte.none()) return start_fault(t, (flags & FOLL_WRITE) ? FAULT_FLAG_WRITE : 0);
  const Folio& f = s.folios[pte.folio];
  if ((flags & FOLL_WRITE) && !can_follow_write_pte(pte, *vma, flags, f))
    return start_fault(t, FAULT_FLAG_WRITE);
  if (!pte.write() && gup_must_unshare(vma, flags, f, pte.page()))
    return start_fault(t, FAULT_FLAG_UNSHARE);  // -EMLINK
  if (int err = try_grab_folio(s, c, int(pte.folio), 1, flags))
    return gup_walk_done(s, c, select(t.i > t.nr_done, t.i - t.nr_done, err));
  PageRef::Kind kind = (flags & FOLL_PIN) ? PageRef::kPin : PageRef::kGet;
  t.pages[t.i] = PageRef::make(pte.folio, pte.page(), kind);
  // The event's write bit is the caller's: it writes to the pages it asked
  // FOLL_WRITE for (access_remote_vm(), a DMA target), whatever flags the
  // walk used for this page.
  bool caller_writes = gup_flags_of(op) & FOLL_WRITE;
  c.log(Event{EventKind::kGrab, uint8_t(c.task), pte.folio, kNoFolio, uint8_t(pte.page()),
              uint8_t(kind), op.mm, uint8_t(addr), 0, caller_writes, true});
  // FOLL_TOUCH: a write marks the page dirty (set_page_dirty()).
  if ((flags & FOLL_TOUCH) && (flags & FOLL_WRITE) && !is_zero_folio(f))
    s.folios[pte.folio].set(kDirty);
  t.ghost &= uint8_t(~kGhostFollWriteOff);  // the next page starts from gup_flags
  t.i++;
  if (t.i == op.nr) gup_walk_done(s, c, t.i - t.nr_done);
}

// model/gup.cc: faultin_page(): "The VM_FAULT_WRITE bit tells us that
// do_wp_page has broken COW when necessary, even if maybe_mkwrite decided
// not to set pte_write. We can thus safely do subsequent page lookups as if
// they were reads." VM_FAULT_WRITE came from do_wp_page() only: a write
// fault on a present, read-only PTE.
void faultin_page_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(faultin_page_step, s, c);
  Task& t = task(s, c);
  const Op& op = cur_op(s, c.cfg, c.task);
  bool memalloc_pin = gup_flags_of(op) & FOLL_LONGTERM;
  int addr = addr_of(op, t);
  const Pte before = s.mms[op.mm].ptes[addr];
  bool do_wp_page = ((t.fault & FAULT_FLAG_WRITE) != 0) && before.present() && !before.write();
  int err = handle_mm_fault(s, c, op.mm, addr, uint8_t(int(t.fault)), memalloc_pin);
  t.fault = 0;
  if (err) return gup_walk_done(s, c, select(t.i > t.nr_done, t.i - t.nr_done, err));
  const Vma* vma = s.mms[op.mm].find_vma(addr);
  if (do_wp_page && vma && !vma->test(VM_WRITE))
    t.ghost |= kGhostFollWriteOff;  // *flags &= ~FOLL_WRITE
  t.pc = kPcFollow;
}

}  // namespace kernel::dirty_cow

GUP_VARIANT(dirty_cow) {
  v.name = "dirty-cow";
  v.zoo_id = "A1";
  v.commit = "undoes 19be0eaffa3a";
  v.summary = "after COW, a forced write's retry is a read and can return the page-cache page";
  GUP_REPLACE(can_follow_write_pte);
  GUP_REPLACE(follow_page_pte_step);
  GUP_REPLACE(faultin_page_step);
}
GUP_DOMAIN_END
