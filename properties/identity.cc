// What a pin promises about the page behind it:
// pinned-never-migrated-or-freed, pin-coherence, no-write-without-permission,
// cow-isolation.
#include "properties/common.h"

GUP_DOMAIN_BEGIN

namespace props {
namespace {

// Pins (FOLL_PIN pages[] entries of any task) on each folio, replayed in
// event order from the state before the step, so that a pin dropped
// earlier in the same step (the long-term path unpins, then migrates a
// device-coherent folio) no longer counts.
bool find_moved_while_pinned(const Transition& tr, const Config& cfg, Finding& out) {
  if (!tr.before || !tr.events) return false;
  if (!has_event(tr, EventKind::kMigrated) && !has_event(tr, EventKind::kFreed) &&
      !has_event(tr, EventKind::kSplit) && !has_event(tr, EventKind::kReclaimed))
    return false;
  Ledger l;
  compute_ledger(*tr.before, cfg, l);
  Array<Val<int>, kMaxFolios> pins;
  for (int f = 0; f < kMaxFolios; f++) pins[f] = l.folios[f].pin_refs;
  for (const Event& e : *tr.events) {
    if (e.folio >= cfg.nr_folios) continue;
    int folio = int(e.folio);
    switch (e.kind) {
      case EventKind::kGrab:
        pins[folio] += select(e.ref == PageRef::kPin, 1, 0);
        continue;
      case EventKind::kRelease:
        pins[folio] -= select(e.ref == PageRef::kPin, 1, 0);
        continue;
      case EventKind::kMigrated:
      case EventKind::kFreed:
      case EventKind::kSplit:
      case EventKind::kReclaimed:
        break;
      default:
        continue;
    }
    if (pins[folio] <= 0 || is_zero_folio(tr.before->folios[folio])) continue;
    static const char* const kWhat[] = {"a pinned folio was migrated", "a pinned folio was freed",
                                        "a pinned folio was split", "a pinned folio was reclaimed"};
    int which = e.kind == EventKind::kMigrated ? 0
                : e.kind == EventKind::kFreed  ? 1
                : e.kind == EventKind::kSplit  ? 2
                                               : 3;
    out = Finding{.what = kWhat[which], .task = e.task, .folio = folio};
    return true;
  }
  return false;
}

// Whether an op zaps (mm, addr): the pinner's process giving the address
// up, after which the pin legitimately stops matching the page table.
bool zaps(const Op& op, int mm, int addr) {
  return op.kind == OpKind::kMadviseDontneed && op.mm == mm && addr >= op.start &&
         addr < op.start + op.nr;
}

// Whether some task has started to zap (mm, addr) after the pin's call (for
// the pinner itself) or at any time (for other tasks, whose order relative
// to the call the state does not record).
bool address_given_up(const State& s, const Config& cfg, int pinner, int call_pos, int mm,
                      int addr) {
  for (int u = 0; u < cfg.nr_tasks; u++) {
    const Task& t = s.tasks[u];
    for (int q = 0; q < cfg.script_len[u]; q++) {
      if (!zaps(cfg.op(u, q), mm, addr)) continue;
      if (u == pinner && q < call_pos) continue;
      if (t.script_pos > q || (t.script_pos == q && t.pc > 0)) return true;
    }
  }
  return false;
}

bool find_incoherent(const Transition& tr, const Config& cfg, Finding& out) {
  const State& s = tr.after;
  for (int t = 0; t < cfg.nr_tasks; t++) {
    const Task& task = s.tasks[t];
    if (!pages_returned(task)) continue;
    int pos = -1;
    const Op* call = pages_call(s, cfg, t, &pos);
    if (!call || !op_is_pin(call->kind)) continue;
    for (int k = 0; k < kMaxPages; k++) {
      const PageRef& p = task.pages[k];
      if (p.empty() || p.kind() != PageRef::kPin || p.folio() >= cfg.nr_folios) continue;
      if (!folio_test_anon(s.folios[p.folio()])) continue;
      int addr = call->start + k;
      if (addr >= kMaxAddrs) continue;
      const Pte& pte = s.mms[call->mm].ptes[addr];
      if (!pte.none() && pte.folio == p.folio() && pte.page() == p.page()) continue;
      if (address_given_up(s, cfg, t, pos, call->mm, addr)) continue;
      out = Finding{.what = "the pinner's page table no longer maps the anon page it pinned",
                    .task = t,
                    .folio = p.folio(),
                    .entry = k,
                    .mm = call->mm,
                    .addr = addr};
      return true;
    }
  }
  return false;
}

// A write through GUP (a FOLL_WRITE grab, judged in the section that
// grabs, where the PTE is the one GUP checked) or a user store goes to a
// page mapped writable at that address, or to an exclusive anon page there
// (the FOLL_FORCE case of can_follow_write_pte()).
bool find_bad_write(const Transition& tr, const Config& cfg, Finding& out) {
  if (!tr.events) return false;
  for (const Event& e : *tr.events) {
    bool write = (e.kind == EventKind::kGrab && e.write) || e.kind == EventKind::kUserWrite;
    if (!write) continue;
    if (e.mm >= cfg.nr_mms || e.addr >= kMaxAddrs || e.folio >= cfg.nr_folios) continue;
    const Pte& pte = tr.after.mms[e.mm].ptes[e.addr];
    const Folio& f = tr.after.folios[e.folio];
    bool mapped_here = pte.present() && pte.folio == e.folio && pte.page() == e.page;
    bool exclusive_anon = folio_test_anon(f) && (f.anon_exclusive >> e.page & 1);
    if (mapped_here && (pte.write() || exclusive_anon)) continue;
    out = Finding{.what = mapped_here ? "a write through GUP to a page mapped read-only that is "
                                        "not an exclusive anon page"
                                      : "a write through GUP to a page not mapped at the address",
                  .task = e.task,
                  .folio = e.folio,
                  .mm = e.mm,
                  .addr = e.addr};
    return true;
  }
  return false;
}

// A write (a user store, or a FOLL_WRITE grab, whose caller writes) through
// mm M to a page of an anon folio, while some task holds a GUP reference or
// pin on that page that it took through another mm.
bool find_cross_mm_write(const Transition& tr, const Config& cfg, Finding& out) {
  if (!tr.events) return false;
  const State& s = tr.after;
  for (const Event& e : *tr.events) {
    bool write = (e.kind == EventKind::kGrab && e.write) || e.kind == EventKind::kUserWrite;
    if (!write) continue;
    if (e.mm >= cfg.nr_mms || e.folio >= cfg.nr_folios) continue;
    if (!folio_test_anon(s.folios[e.folio])) continue;
    for (int t = 0; t < cfg.nr_tasks; t++) {
      const Op* call = pages_call(s, cfg, t);
      if (!call || call->mm == e.mm) continue;
      for (int k = 0; k < kMaxPages; k++) {
        const PageRef& p = s.tasks[t].pages[k];
        if (p.empty() || p.folio() != e.folio || p.page() != e.page) continue;
        out = Finding{.what =
                          "a write through one address space reached an anon page that a GUP "
                          "reference taken through another address space holds",
                      .task = t,
                      .folio = e.folio,
                      .entry = k,
                      .mm = e.mm,
                      .addr = e.addr};
        return true;
      }
    }
  }
  return false;
}

}  // namespace
}  // namespace props

const Property kCowIsolation{
    "cow-isolation",
    "Anonymous memory is private to each process: a page shared copy-on-write after fork is "
    "read-only in every mm, and a write fault copies it unless nobody else can observe the page. "
    "A GUP reference or pin (a vmsplice() pipe buffer, O_DIRECT, a device) taken on an anon page "
    "through one address space therefore never sees a write made through another: do_wp_page() "
    "reuses a page that is not PageAnonExclusive only when its refcount shows no other holder "
    "(wp_can_reuse_anon_folio()), and a read-only pin unshares first. Otherwise a child's GUP "
    "reference observes the parent's later data (CVE-2020-29374).",
    "mm/memory.c: do_wp_page(), wp_can_reuse_anon_folio(); mm/internal.h: gup_must_unshare(); "
    "09854ba94c6a, 17839856fd58",
    PropertyKind::kStepRelation,
    props::holds<props::find_cross_mm_write>,
    props::explain<props::find_cross_mm_write>,
};

const Property kPinnedNeverMigratedOrFreed{
    "pinned-never-migrated-or-freed",
    "A pin promises the device that the physical page stays put: while a FOLL_PIN pin is held "
    "(per the ledger), the folio is never migrated, freed, reclaimed or split. Migration checks "
    "the expected refcount (and try_to_migrate_one() refuses a maybe-pinned exclusive anon page), "
    "reclaim keeps maybe-pinned folios, and can_split_folio() refuses extra references.",
    "mm/migrate.c: __migrate_folio() (folio_expected_ref_count), mm/rmap.c: "
    "try_to_migrate_one(); mm/vmscan.c: shrink_folio_list(); mm/huge_memory.c: can_split_folio()",
    PropertyKind::kStepRelation,
    props::holds<props::find_moved_while_pinned>,
    props::explain<props::find_moved_while_pinned>,
};

const Property kPinCoherence{
    "pin-coherence",
    "A FOLL_PIN pin of an anonymous page stays coherent with the pinner's page table: the page "
    "it pinned at an address stays the page mapped there across fork (copy-on-fork of "
    "maybe-pinned pages goes to the child), COW write faults and unshare by any task (an "
    "exclusive pinned page is reused, never copied away), until the pinner's process itself zaps "
    "that address. Otherwise DMA lands in a page the process no longer sees.",
    "mm/memory.c: copy_present_ptes(), copy_present_page(), do_wp_page(); include/linux/rmap.h: "
    "__folio_try_dup_anon_rmap(); 70e806e4e645, 09854ba94c6a",
    PropertyKind::kStateInvariant,
    props::holds<props::find_incoherent>,
    props::explain<props::find_incoherent>,
};

const Property kNoWriteWithoutPermission{
    "no-write-without-permission",
    "A write through GUP at address A may only reach a page mapped writable at A, or an exclusive "
    "anonymous page mapped at A (a FOLL_FORCE write into a private mapping after COW). Handing out "
    "a read-only page-cache page for a write lets a task modify a file it may only read (Dirty "
    "COW).",
    "mm/gup.c: can_follow_write_pte(), follow_page_pte(), gup_fast_pte_range() "
    "(pte_access_permitted); 19be0eaffa3a",
    PropertyKind::kStepRelation,
    props::holds<props::find_bad_write>,
    props::explain<props::find_bad_write>,
};

GUP_DOMAIN_END
