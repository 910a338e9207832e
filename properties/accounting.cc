// Reference accounting: refcount-accounting, pin-unpin-balance,
// no-use-after-free.
#include "properties/common.h"

GUP_DOMAIN_BEGIN

namespace props {
namespace {

bool check_folio_counts(const State& s, const Ledger& l, int i, Finding& out) {
  const Folio& f = s.folios[i];
  out = Finding{.folio = i};
  if (f.refcount < 0 || f.pincount < 0 || f.mapcount < 0) {
    out.what = "a count is negative (or overflowed)";
    return true;
  }
  if (f.is_free()) {
    // F1: a free folio has no counts and no flags.
    out.what = "a free folio has counts or flags";
    return f.refcount != 0 || f.mapcount != 0 || f.pincount != 0 || f.flags != kFree;
  }
  // F5: the shared zero page is checked like any folio: its ledger is its
  // own reference plus the FOLL_GET references on it (no leak, no
  // underflow), no pins and no mappings.
  const FolioLedger& fl = l.folios[i];
  if (f.refcount != fl.refs) {
    out.what = "refcount differs from what the folio's holders explain";
    out.value = f.refcount, out.expected = fl.refs, out.has_value = true;
    return true;
  }
  Val<int> pins = folio_has_pincount(f) ? fl.pins : Val<int>(0);
  if (f.pincount != pins) {
    out.what = "pincount differs from the pins held on the folio";
    out.value = f.pincount, out.expected = pins, out.has_value = true;
    return true;
  }
  if (f.mapcount != fl.maps) {
    out.what = "mapcount differs from the present PTEs that map the folio";
    out.value = f.mapcount, out.expected = fl.maps, out.has_value = true;
    return true;
  }
  if (f.refcount == 0) {
    out.what = "an allocated folio has no references and was not freed";
    return true;
  }
  return false;
}

bool find_accounting(const Transition& tr, const Config& cfg, Finding& out) {
  Ledger l;
  compute_ledger(tr.after, cfg, l);
  for (int i = 0; i < cfg.nr_folios; i++)
    if (check_folio_counts(tr.after, l, i, out)) return true;
  return false;
}

// What task `t` holds in pages[], per folio and reference kind.
struct Held {
  Array<Array<Val<int>, 3>, kMaxFolios> n;
  auto tie() { return std::tie(n); }
};

void held_by(const Task& t, const Config& cfg, Held& held) {
  for (auto& row : held.n)
    for (Val<int>& n : row) n = 0;
  for (const PageRef& p : t.pages)
    join(held, [&] {
      if (!p.empty() && p.folio() < cfg.nr_folios) held.n[int(p.folio())][int(p.kind())]++;
    });
}

// Every release must match a reference its task held before the step or
// grabbed earlier in it (mm/gup.c: unpin_user_pages(), gup_put_folio()).
bool find_balance(const Transition& tr, const Config& cfg, Finding& out) {
  if (!tr.before || !tr.events) return false;
  for (int t = 0; t < cfg.nr_tasks; t++) {
    Held held;
    bool seen = false;
    for (const Event& e : *tr.events) {
      if (e.task != t || (e.kind != EventKind::kGrab && e.kind != EventKind::kRelease)) continue;
      if (!seen) held_by(tr.before->tasks[t], cfg, held), seen = true;
      if (e.folio >= cfg.nr_folios || e.ref > PageRef::kPin) continue;
      Val<int>& n = held.n[int(e.folio)][int(e.ref)];
      if (e.kind == EventKind::kGrab) {
        n++;
        continue;
      }
      if (!e.held || n == 0) {
        out =
            Finding{.what = e.ref == PageRef::kPin ? "unpin of a pin the caller does not hold"
                                                   : "put of a reference the caller does not hold",
                    .task = t,
                    .folio = e.folio};
        return true;
      }
      n--;
    }
  }
  return false;
}

// Why something in the state still points at a folio, per folio (0:
// nothing does), gathered in one pass.
const char* const kUserWhy[] = {
    nullptr,
    "a freed folio is still mapped",
    "a freed folio is still in the page cache",
    "a freed folio is still pinned or referenced",
    "a freed folio is still isolated",
    "a freed folio is still a migration target",
    "a freed folio still has a transient reference",
};
struct Users {
  Array<Val<uint8_t>, kMaxFolios> why = {};
  auto tie() { return std::tie(why); }
  void mark(int f, int w) {
    if (f < kMaxFolios && why[f] == 0) why[f] = w;
  }
};

void collect_users(const State& s, const Config& cfg, Users& u) {
  for (int m = 0; m < cfg.nr_mms; m++)
    for (const Pte& pte : s.mms[m].ptes)
      join(u, [&] {
        if (!pte.none() && pte.folio < cfg.nr_folios) u.mark(int(pte.folio), 1);
      });
  for (const auto& file : s.page_cache)
    for (const auto& slot : file)
      join(u, [&] {
        if (slot < cfg.nr_folios) u.mark(int(slot), 2);
      });
  for (int t = 0; t < cfg.nr_tasks; t++) {
    const Task& task = s.tasks[t];
    for (const PageRef& p : task.pages)
      join(u, [&] {
        if (!p.empty() && p.folio() < cfg.nr_folios) u.mark(int(p.folio()), 3);
      });
    for (int f = 0; f < cfg.nr_folios; f++)
      join(u, [&] {
        if ((task.isolated >> f & 1) != 0) u.mark(f, 4);
      });
    join(u, [&] {
      if (task.target < cfg.nr_folios) u.mark(int(task.target), 5);
    });
    join(u, [&] {
      const Op* op = running_op(cfg, t, task);
      if (op && holds_op_reference(*op, task)) u.mark(op->folio, 6);
    });
  }
}

bool find_uaf(const Transition& tr, const Config& cfg, Finding& out) {
  bool any_free = false;
  for (int i = 0; i < cfg.nr_folios && !any_free; i++) any_free = tr.after.folios[i].is_free();
  if (any_free) {
    Users users;
    collect_users(tr.after, cfg, users);
    for (int i = 0; i < cfg.nr_folios; i++) {
      if (!tr.after.folios[i].is_free() || users.why[i] == 0) continue;
      out = Finding{.what = kUserWhy[int(users.why[i])], .folio = i};
      return true;
    }
  }
  if (!tr.before || !tr.events) return false;
  // A grab or a put on a folio that was already free when the step began.
  for (const Event& e : *tr.events) {
    if (e.kind != EventKind::kGrab && e.kind != EventKind::kRelease) continue;
    if (e.folio < cfg.nr_folios && tr.before->folios[e.folio].is_free()) {
      out = Finding{.what = "a grab or put on a folio that was already free",
                    .task = e.task,
                    .folio = e.folio};
      return true;
    }
  }
  return false;
}

}  // namespace
}  // namespace props

const Property kRefcountAccounting{
    "refcount-accounting",
    "Every reference to a folio has an owner. For every folio, refcount equals the sum of what "
    "the ghost ledger says holds it: present PTE mappings, the page cache and swap cache (one per "
    "page), an lru_add batch slot, an isolation, a migration target, a transient reference, a "
    "driver's own reference, FOLL_GET references, and pins (GUP_PIN_COUNTING_BIAS each on a small "
    "folio, 1 plus a pincount on a large one). pincount equals the pins on a large folio and is "
    "zero on a small one; mapcount equals the present PTEs; no count is negative or wraps; a free "
    "folio has no counts (F1); the shared zero page holds its own reference plus one per FOLL_GET "
    "reference on it: put_page() drops those, so none leaks and none underflows, and pins and "
    "its pte_special mappings never count (F5); an allocated folio with no reference left would "
    "have been freed.",
    "mm/gup.c: try_grab_folio(), gup_put_folio(); include/linux/mm.h: folio_put_refs(); "
    "model/folio.h F1-F5",
    PropertyKind::kStateInvariant,
    props::holds<props::find_accounting>,
    props::explain<props::find_accounting>,
};

const Property kPinUnpinBalance{
    "pin-unpin-balance",
    "An unpin or put releases only what its caller holds: every gup_put_folio() of a FOLL_PIN pin "
    "or FOLL_GET reference is matched by a pages[] entry its task held before the step or took "
    "earlier in it. Releasing someone else's pin underflows the count it shares with them and "
    "frees a folio a device still uses (nr_foll_pin_released must never overtake "
    "nr_foll_pin_acquired).",
    "mm/gup.c: unpin_user_pages(), gup_put_folio(), gup_fast_unpin_user_pages(); "
    "include/linux/mm.h: GUP_PIN_COUNTING_BIAS",
    PropertyKind::kStepRelation,
    props::holds<props::find_balance>,
    props::explain<props::find_balance>,
};

const Property kNoUseAfterFree{
    "no-use-after-free",
    "A folio returned to the buddy allocator belongs to nobody: no PTE (present or migration "
    "entry) points at it, no page cache slot holds it, no pages[] entry pins or references it, "
    "no task has it isolated or as a migration target or holds a transient reference on it, and "
    "no step grabs or puts it. GUP-fast's add-unless-zero and its re-check of the PTE exist so "
    "that a lockless walk never resurrects a freed folio.",
    "mm/gup.c: try_get_folio() (folio_ref_try_add), gup_fast_pte_range(); mm/page_alloc.c: "
    "free_unref_folios(); c24d37322548",
    PropertyKind::kStateInvariant,
    props::holds<props::find_uaf>,
    props::explain<props::find_uaf>,
};

GUP_DOMAIN_END
