// The ghost ledger (properties/ledger.h).
#include "properties/ledger.h"

GUP_DOMAIN_BEGIN

int entry_refs(const Folio& f, PageRef::Kind kind) {
  // try_grab_folio(): FOLL_GET takes a reference on the zero page too;
  // FOLL_PIN takes nothing on it.
  if (is_zero_folio(f)) return kind == PageRef::kGet ? 1 : 0;
  switch (kind) {
    case PageRef::kGet:
      return 1;
    case PageRef::kPin:
      return folio_has_pincount(f) ? 1 : kGupPinCountingBias;
    case PageRef::kEmpty:
      break;
  }
  return 0;
}

int entry_pins(const Folio& f, PageRef::Kind kind) {
  if (is_zero_folio(f) || kind != PageRef::kPin) return 0;
  return folio_has_pincount(f) ? 1 : 0;
}

const Op* pages_call(const State& s, const Config& cfg, int t, int* pos_out) {
  const Task& task = s.tasks[t];
  int script_pos = int(task.script_pos);
  GUP_ASSUME(script_pos <= cfg.script_len[t], "script_pos is at most the script's length");
  int pos = -1;
  if (pages_returned(task)) {
    for (int p = script_pos - 1; p >= 0; p--)
      if (op_is_gup(cfg.op(t, p).kind)) {
        pos = p;
        break;
      }
  } else if (script_pos < cfg.script_len[t] && op_is_gup(cfg.op(t, script_pos).kind)) {
    pos = script_pos;
  }
  if (pos < 0) return nullptr;
  if (pos_out) *pos_out = pos;
  return &cfg.op(t, pos);
}

bool pinnable_before_isolation(const Folio& f) {
  Folio g = f;
  if (g.migratetype == Migratetype::kIsolate) g.migratetype = g.saved_mt;
  return folio_is_longterm_pinnable(g);
}

bool must_stay_migratable(const Folio& f) {
  if (is_zero_folio(f)) return false;
  if (f.zone == Zone::kMovable || folio_is_device_coherent(f)) return true;
  if (f.migratetype == Migratetype::kCma) return true;
  return f.migratetype == Migratetype::kIsolate && f.saved_mt == Migratetype::kCma;
}

bool holds_op_reference(const Op& op, const Task& t) {
  return (op.kind == OpKind::kTransientRef || op.kind == OpKind::kSplitHugePage) && t.pc == 1;
}

namespace {

void count_mappings(const State& s, const Config& cfg, Ledger& out) {
  for (int m = 0; m < cfg.nr_mms; m++)
    for (const Pte& pte : s.mms[m].ptes)
      join(out, [&] {
        if (!pte.present() || pte.folio >= cfg.nr_folios) return;
        if (is_zero_folio(s.folios[pte.folio])) return;
        FolioLedger& l = out.folios[int(pte.folio)];
        l.refs++;
        l.maps++;
      });
}

void count_task_holds(const State& s, const Config& cfg, Ledger& out) {
  for (int t = 0; t < cfg.nr_tasks; t++) {
    const Task& task = s.tasks[t];
    for (int f = 0; f < cfg.nr_folios; f++) {
      auto isolated = select((task.isolated >> f & 1) != 0, 1, 0);
      out.folios[f].refs += isolated;
      out.folios[f].isolations += isolated;
    }
    join(out, [&] {
      if (task.target >= cfg.nr_folios) return;
      FolioLedger& l = out.folios[int(task.target)];
      l.refs++;
      l.others++;
    });
    // folio_try_get() ... folio_put() by another subsystem, and the
    // caller's reference of split_huge_page() (deferred_split_scan()):
    // held between the op's two sections.
    join(out, [&] {
      const Op* op = running_op(cfg, t, task);
      if (!op || !holds_op_reference(*op, task) || op->folio >= cfg.nr_folios) return;
      out.folios[op->folio].refs++;
      out.folios[op->folio].others++;
    });
    for (const PageRef& e : task.pages)
      join(out, [&] {
        if (e.empty() || e.folio() >= cfg.nr_folios) return;
        int folio = int(e.folio());
        const Folio& f = s.folios[folio];
        FolioLedger& l = out.folios[folio];
        PageRef::Kind kind = e.kind();
        l.refs += entry_refs(f, kind);
        l.pins += entry_pins(f, kind);
        (kind == PageRef::kPin ? l.pin_refs : l.get_refs)++;
      });
  }
}

}  // namespace

void compute_ledger(const State& s, const Config& cfg, Ledger& out) {
  for (FolioLedger& l : out.folios) l = FolioLedger{};
  count_mappings(s, cfg, out);
  count_task_holds(s, cfg, out);
  for (int i = 0; i < cfg.nr_folios; i++)
    join(out, [&] {
      const Folio& f = s.folios[i];
      if (f.is_free()) return;
      FolioLedger& l = out.folios[i];
      if (is_zero_folio(f)) {
        l.refs++;  // the kernel's own reference (F5)
        l.others++;
        return;
      }
      if (f.test(kMapping) && !folio_test_anon(f)) l.refs += f.nr_pages();
      if (f.test(kSwapcache)) l.refs += f.nr_pages();
      if (f.test(kLruBatch0)) l.refs++;
      if (f.test(kLruBatch1)) l.refs++;
      if (f.kind == FolioKind::kDriver) {
        l.refs++;
        l.others++;
      }
    });
}

GUP_DOMAIN_END
