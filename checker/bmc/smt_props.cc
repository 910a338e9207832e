// Properties as symbolic predicates (checker/smt_props.h). Each mirrors the
// find function of its property file and the ledger it reads.
#include "checker/bmc/smt_props.h"

#include <cstring>

namespace gup::smt {

namespace {

// properties/longterm_targets.cc any_returned_longterm_entry(): some
// pages[] entry of a returned FOLL_LONGTERM call holds a folio k with
// pred(k). The call is the last GUP op before the task's script position
// (properties/ledger.cc pages_call()), concrete per position.
expr any_returned_longterm_entry(const Enc& e, const SState& s,
                                 const std::function<expr(int)>& pred) {
  expr any = e.ff();
  for (int t = 0; t < e.cfg.nr_tasks; t++) {
    const STask& task = s.t[t];
    expr held = e.ff();
    for (int k = 0; k < kMaxPages; k++) {
      expr on = e.ff();
      for (int f = 0; f < e.cfg.nr_folios; f++) {
        expr pf = pred(f).simplify();
        if (!pf.is_false()) on = on || (e.ref_folio(task.pages[k]) == e.b8(f) && pf);
      }
      held = held || (!e.ref_empty(task.pages[k]) && on);
    }
    for (int pos = 1; pos <= e.cfg.script_len[t]; pos++) {
      const Op* call = nullptr;
      for (int p = pos - 1; p >= 0 && !call; p--)
        if (op_is_gup(e.cfg.op(t, p).kind)) call = &e.cfg.op(t, p);
      if (!call || !(call->flags & FOLL_LONGTERM)) continue;
      any = any || (task.script_pos == e.b8(pos) && e.bit(task.ghost, 1) && held);
    }
  }
  return any;
}

// properties/ledger.cc must_stay_migratable().
expr must_stay_migratable(const Enc& e, const SState& s, int k) {
  const SFolio& f = s.f[k];
  expr cma = e.b8(int(Migratetype::kCma));
  expr memory = e.fold(f.zone == e.b8(int(Zone::kMovable)) || f.migratetype == cma ||
                       (f.migratetype == e.b8(int(Migratetype::kIsolate)) && f.saved_mt == cma));
  return !e.is_zero_folio(s, k) && (memory || e.is_kind(s, k, FolioKind::kDeviceCoherent));
}

expr count(const Enc& e, const expr& c, int n = 1) {
  return z3::ite(c, e.b16(n), e.b16(0));
}

// properties/accounting.cc check_folio_counts() over every folio.
expr accounting_violated(const Enc& e, const SState& s) {
  expr any = e.ff();
  for (int i = 0; i < e.cfg.nr_folios; i++) {
    const SFolio& f = s.f[i];
    expr mapcount = z3::sext(f.mapcount, 8), pincount = z3::sext(f.pincount, 8);
    expr neg = f.refcount < e.b16(0) || pincount < e.b16(0) || mapcount < e.b16(0);
    expr free_bad = f.refcount != e.b16(0) || f.mapcount != e.b8(0) || f.pincount != e.b8(0) ||
                    f.flags != e.b8(kFree);
    expr refs(e.z), pins(e.z), maps(e.z);
    ledger(e, s, i, refs, pins, maps);
    expr used_bad =
        f.refcount != refs || pincount != pins || mapcount != maps || f.refcount == e.b16(0);
    any = any || neg || z3::ite(e.test(s, i, kFree), free_bad, used_bad);  // F5: zero page too
  }
  return any;
}

}  // namespace

// properties/ledger.cc compute_ledger() for folio i: refs and pins.
void ledger(const Enc& e, const SState& s, int i, expr& refs, expr& pins, expr& maps) {
  maps = e.b16(0);
  for (const SMm& m : s.m)
    for (const SPte& pte : m.ptes)
      maps = maps + count(e, e.pte_present(pte) && pte.folio == e.b8(i));
  maps = z3::ite(e.is_zero_folio(s, i), e.b16(0), maps);
  refs = maps;
  pins = e.b16(0);
  expr large = e.folio_large(s, i);
  for (int t = 0; t < e.cfg.nr_tasks; t++) {
    const STask& task = s.t[t];
    refs = refs + count(e, e.bit(task.isolated, i)) + count(e, task.target == e.b8(i));
    for (int p = 0; p < e.cfg.script_len[t]; p++) {
      const Op& op = e.cfg.op(t, p);
      // holds_op_reference(): transient_ref and split_huge_page at pc 1.
      if ((op.kind == OpKind::kTransientRef || op.kind == OpKind::kSplitHugePage) && op.folio == i)
        refs = refs + count(e, task.script_pos == e.b8(p) && task.pc == e.b8(1));
    }
    for (const expr& pg : task.pages) {
      expr held = !e.ref_empty(pg) && e.ref_folio(pg) == e.b8(i);
      expr mine = held && !e.is_zero_folio(s, i);
      expr pin = e.ref_kind(pg) == e.z.bv_val(PageRef::kPin, 2);
      // entry_refs(): a FOLL_GET reference counts on the zero page too.
      refs = refs + z3::ite(mine && pin, e.pick(large, e.b16(1), e.b16(kGupPinCountingBias)),
                            z3::ite(held && !pin, e.b16(1), e.b16(0)));
      if (!large.is_false())
        pins = pins + count(e, large.is_true() ? mine && pin : large && mine && pin);
    }
  }
  expr n = e.nr_pages(s, i);
  refs = refs + z3::ite(e.test(s, i, kMapping) && !e.folio_test_anon(s, i), n, e.b16(0)) +
         z3::ite(e.test(s, i, kSwapcache), n, e.b16(0)) + count(e, e.test(s, i, kLruBatch0)) +
         count(e, e.test(s, i, kLruBatch1)) + count(e, e.is_kind(s, i, FolioKind::kDriver)) +
         count(e, e.is_zero_folio(s, i));  // the zero page's own reference (F5)
}

std::optional<expr> violated(const Enc& e, const SState& s, const Property& p) {
  if (!std::strcmp(p.name, "no-longterm-pin-on-fsdax"))
    return any_returned_longterm_entry(e, s,
                                       [&](int k) { return e.is_kind(s, k, FolioKind::kFsdax); });
  if (!std::strcmp(p.name, "no-longterm-pin-in-movable"))
    return any_returned_longterm_entry(e, s, [&](int k) { return must_stay_migratable(e, s, k); });
  if (!std::strcmp(p.name, "refcount-accounting")) return accounting_violated(e, s);
  if (!std::strcmp(p.name, "pin-coherence")) return coherence_violated(e, s);
  if (!std::strcmp(p.name, "no-use-after-free")) return freed_in_use(e, s);
  return std::nullopt;
}

}  // namespace gup::smt
