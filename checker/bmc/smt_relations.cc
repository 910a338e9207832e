// Properties that read more than one state (checker/smt_props.h): step and
// call relations as predicates over (s_k, st_k, the event summary of the
// step, s_{k+1}), and the state invariants pin-coherence and the state part
// of no-use-after-free. Each mirrors the find function of its property
// file (properties/*.cc); the event summary is checker/smt_events.h.
#include <cstring>

#include "checker/bmc/smt_events.h"
#include "checker/bmc/smt_props.h"

namespace gup::smt {

namespace {

struct Encoded {
  const char* name;
  bool state;      // has a state part (violated())
  bool step;       // has a step part (violated_step())
  uint32_t parts;  // of the event summary the step part reads
};

const Encoded kEncoded[] = {
    {"no-longterm-pin-on-fsdax", true, false, 0},
    {"no-longterm-pin-in-movable", true, false, 0},
    {"refcount-accounting", true, false, 0},
    {"pin-coherence", true, false, 0},
    {"no-use-after-free", true, true, kEvTouched},
    {"pin-unpin-balance", false, true, kEvBalance},
    {"pinned-never-migrated-or-freed", false, true, kEvPinsMoved},
    {"no-write-without-permission", false, true, kEvWrites},
    {"fast-path-subset", false, true, kEvGrabs},
    {"longterm-pin-contract", false, true, kEvReturns},
    {"refcounts-restored-after-failed-migration", false, true, kEvReturns},
    {"pin-loop-terminates", false, true, 0},
    {"no-false-refusal", false, true, kEvReturns},
};

const Encoded* find_encoded(const Property& p) {
  for (const Encoded& x : kEncoded)
    if (!std::strcmp(x.name, p.name)) return &x;
  return nullptr;
}

// properties/registry.cc gup_flags_of_op().
uint32_t gup_flags_of_op(const Op& op) {
  switch (op.kind) {
    case OpKind::kGetUserPages:
    case OpKind::kGetUserPagesFast:
      return op.flags | FOLL_GET;
    case OpKind::kPinUserPages:
    case OpKind::kPinUserPagesFast:
      return op.flags | FOLL_PIN;
    default:
      return op.flags;
  }
}

expr count16(const Enc& e, const expr& c) {
  return z3::ite(c, e.b16(1), e.b16(0));
}

// The script position of the last GUP op before position `pos` of task t
// (properties/ledger.cc pages_call() once the call has returned), or -1.
int last_gup_before(const Config& cfg, int t, int pos) {
  for (int p = pos - 1; p >= 0; p--)
    if (op_is_gup(cfg.op(t, p).kind)) return p;
  return -1;
}

// properties/ledger.cc holds_op_reference() for task u in s.
expr holds_op_reference(const Enc& e, const SState& s, int u, int folio = -1) {
  expr any = e.ff();
  for (int p = 0; p < e.cfg.script_len[u]; p++) {
    const Op& op = e.cfg.op(u, p);
    if (op.kind != OpKind::kTransientRef && op.kind != OpKind::kSplitHugePage) continue;
    if (folio >= 0 && op.folio != folio) continue;
    any = any || (s.t[u].script_pos == e.b8(p) && s.t[u].pc == e.b8(1));
  }
  return any;
}

// properties/identity.cc address_given_up().
expr address_given_up(const Enc& e, const SState& s, int pinner, int call_pos, int mm, int addr) {
  expr any = e.ff();
  for (int u = 0; u < e.cfg.nr_tasks; u++)
    for (int q = 0; q < e.cfg.script_len[u]; q++) {
      const Op& op = e.cfg.op(u, q);
      bool zaps = op.kind == OpKind::kMadviseDontneed && op.mm == mm && addr >= op.start &&
                  addr < op.start + op.nr;
      if (!zaps || (u == pinner && q < call_pos)) continue;
      const STask& t = s.t[u];
      any = any || z3::ugt(t.script_pos, e.b8(q)) ||
            (t.script_pos == e.b8(q) && z3::ugt(t.pc, e.b8(0)));
    }
  return any;
}

// Whether the pages[] entry `pg` holds a folio < nr_folios with pred(f).
expr entry_folio_is(const Enc& e, const expr& pg, const std::function<expr(int)>& pred) {
  expr any = e.ff();
  for (int f = 0; f < e.cfg.nr_folios; f++) any = any || (e.ref_folio(pg) == e.b8(f) && pred(f));
  return any;
}

// properties/ledger.cc pinnable_before_isolation().
expr pinnable_before_isolation(const Enc& e, const SState& s, int k) {
  const SFolio& f = s.f[k];
  expr mt = z3::ite(f.migratetype == e.b8(int(Migratetype::kIsolate)), f.saved_mt, f.migratetype);
  expr cma_or_iso = mt == e.b8(int(Migratetype::kCma)) || mt == e.b8(int(Migratetype::kIsolate));
  return !cma_or_iso && (e.is_zero_folio(s, k) || (!e.is_kind(s, k, FolioKind::kDeviceCoherent) &&
                                                   f.zone != e.b8(int(Zone::kMovable))));
}

// ---- step parts ----

// properties/accounting.cc find_balance(): a release when the task held
// none of that (folio, kind) counting the step's earlier grabs and releases.
expr balance_violated(const Enc& e, const SState& before, const std::vector<expr>& ev) {
  EvLayout l(e.cfg, e.ev_parts);
  expr any = e.ff();
  for (int t = 0; t < e.cfg.nr_tasks; t++) {
    any = any || ev[l.bal_unheld(t)];
    for (int f = 0; f < e.cfg.nr_folios; f++)
      for (int k = 0; k < 3; k++) {
        expr held = e.b16(0);
        for (const expr& pg : before.t[t].pages)
          held = held + count16(e, !e.ref_empty(pg) && e.ref_folio(pg) == e.b8(f) &&
                                       e.ref_kind(pg) == e.z.bv_val(k, 2));
        any = any || held + z3::sext(ev[l.bal_least(t, f, k)], 8) <= e.b16(0);  // signed
      }
  }
  return any;
}

// properties/accounting.cc find_uaf(), the event part: a grab or put on a
// folio free before the step.
expr touched_free_violated(const Enc& e, const SState& before, const std::vector<expr>& ev) {
  EvLayout l(e.cfg, e.ev_parts);
  expr any = e.ff();
  for (int f = 0; f < e.cfg.nr_folios; f++)
    any = any || (e.bit(ev[l.touched], f) && e.test(before, f, kFree));
  return any;
}

// properties/identity.cc find_moved_while_pinned(): pins (FOLL_PIN pages[]
// entries of every task before the step, plus the step's pin grabs minus
// its unpins so far) on a folio at its migration, free, split or reclaim.
expr moved_while_pinned(const Enc& e, const SState& before, const std::vector<expr>& ev) {
  EvLayout l(e.cfg, e.ev_parts);
  expr any = e.ff();
  for (int f = 0; f < e.cfg.nr_folios; f++) {
    expr pins = e.b16(0);
    for (const STask& t : before.t)
      for (const expr& pg : t.pages)
        pins = pins + count16(e, e.ref_kind(pg) == e.z.bv_val(PageRef::kPin, 2) &&
                                     e.ref_folio(pg) == e.b8(f));
    // pin_most is -128 when no such event happened: never positive.
    any = any || (pins + z3::sext(ev[l.pin_most(f)], 8) > e.b16(0) && !e.is_zero_folio(before, f));
  }
  return any;
}

// properties/identity.cc find_bad_write(), judged on the state after.
expr bad_write(const Enc& e, const std::vector<expr>& ev, const SState& after) {
  EvLayout l(e.cfg, e.ev_parts);
  expr any = e.ff();
  for (int m = 0; m < e.cfg.nr_mms; m++)
    for (int a = 0; a < kMaxAddrs; a++) {
      const expr& w = ev[l.written(m, a)];
      const SPte& pte = after.m[m].ptes[a];
      for (int f = 0; f < e.cfg.nr_folios; f++)
        for (int page = 0; page < 2; page++) {
          expr pg = e.z.bool_val(page == 1);
          expr mapped_here = e.pte_present(pte) && pte.folio == e.b8(f) && e.pte_page(pte) == pg;
          expr exclusive_anon = e.folio_test_anon(after, f) && e.pae_bit(after, f, pg);
          any = any ||
                (e.bit(w, 2 * f + page) && !(mapped_here && (e.pte_write(pte) || exclusive_anon)));
        }
    }
  return any;
}

// properties/longterm_targets.cc slow_path_forbids().
expr slow_path_forbids(const Enc& e, const SState& s, int k, uint32_t flags) {
  bool longterm = flags & FOLL_LONGTERM;
  bool writable_longterm_pin =
      (flags & (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE)) == (FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE);
  expr out = e.is_kind(s, k, FolioKind::kSecretmem);
  if (longterm)
    out = out || e.is_kind(s, k, FolioKind::kFsdax) || !e.folio_is_longterm_pinnable(s, k);
  if (writable_longterm_pin) out = out || e.is_kind(s, k, FolioKind::kPageCache);
  return out;
}

// properties/longterm_targets.cc find_fast_subset(): a grab by a task that
// holds a lockless PTE snapshot in a GUP-fast op.
expr fast_subset_violated(const Enc& e, const SState& before, const std::vector<expr>& ev,
                          const SState& after) {
  EvLayout l(e.cfg, e.ev_parts);
  expr any = e.ff();
  for (int t = 0; t < e.cfg.nr_tasks; t++) {
    const STask& task = before.t[t];
    const expr& grabbed = ev[l.grabbed(t)];
    for (int pos = 0; pos < e.cfg.script_len[t]; pos++) {
      const Op& op = e.cfg.op(t, pos);
      if (!op_is_fast(op.kind)) continue;
      uint32_t flags = gup_flags_of_op(op);
      expr bad = e.ff();
      for (int f = 0; f < e.cfg.nr_folios; f++)
        bad = bad || (e.bit(grabbed, f) && slow_path_forbids(e, after, f, flags));
      any = any || (task.script_pos == e.b8(pos) && e.pte_present(task.snap) && bad);
    }
  }
  return any;
}

// properties/longterm_calls.cc find_contract(): check_round() for each
// check_and_migrate_movable_pages() return, check_return() for each GUP
// return (bucketed by min(max(value, 0), kMaxPages): all it depends on).
expr contract_violated(const Enc& e, const SState& before, const std::vector<expr>& ev,
                       const SState& after) {
  EvLayout l(e.cfg, e.ev_parts);
  expr any = e.ff();
  for (int t = 0; t < e.cfg.nr_tasks; t++) {
    const expr& r = ev[l.returned(t)];
    const STask& b = before.t[t];
    const STask& a = after.t[t];
    for (int k = 0; k < kMaxPages; k++) {
      expr in_round = z3::ule(b.nr_done, e.b8(k)) && z3::ult(e.b8(k), b.i);
      const expr& p = a.pages[k];
      expr error_bad = !e.ref_empty(p);
      expr zero_bad =
          e.ref_empty(p) || e.ref_kind(p) != e.z.bv_val(PageRef::kPin, 2) ||
          entry_folio_is(e, p, [&](int f) { return !pinnable_before_isolation(e, after, f); });
      any = any || (in_round &&
                    ((e.bit(r, kEvCmrError) && error_bad) || (e.bit(r, kEvCmrZero) && zero_bad)));
    }
    for (int pos = 0; pos < e.cfg.script_len[t]; pos++) {
      const Op& op = e.cfg.op(t, pos);
      expr kind = e.z.bv_val(op_is_pin(op.kind) ? PageRef::kPin : PageRef::kGet, 2);
      expr bad = e.ff();
      for (int bucket = 0; bucket <= kMaxPages; bucket++) {
        expr wrong = e.ff();
        for (int k = 0; k < kMaxPages; k++) {
          const expr& p = a.pages[k];
          wrong = wrong || (k < bucket ? e.ref_empty(p) || e.ref_kind(p) != kind : !e.ref_empty(p));
        }
        bad = bad || (e.bit(r, bucket) && wrong);
      }
      any = any || (b.script_pos == e.b8(pos) && bad);
    }
  }
  return any;
}

// properties/longterm_calls.cc put_back().
expr put_back(const Enc& e, const SState& s, int k) {
  return e.test(s, k, kFree) || z3::ite(e.is_kind(s, k, FolioKind::kHugetlb),
                                        e.test(s, k, kHugetlbMigratable), e.test(s, k, kLru));
}

// properties/longterm_calls.cc find_restored(): a long-term call that
// returned -errno left nothing behind.
expr restored_violated(const Enc& e, const SState& before, const std::vector<expr>& ev,
                       const SState& after) {
  EvLayout l(e.cfg, e.ev_parts);
  expr leftover = e.ff();  // the same for every task but the task's own fields
  for (int f = 0; f < e.cfg.nr_folios; f++) {
    expr refs(e.z), pins(e.z), maps(e.z);
    ledger(e, after, f, refs, pins, maps);
    leftover = leftover || (!e.test(after, f, kFree) && !e.is_zero_folio(after, f) &&
                            after.f[f].refcount != refs);
  }
  expr any = e.ff();
  for (int t = 0; t < e.cfg.nr_tasks; t++) {
    expr longterm = e.ff();
    for (int pos = 0; pos < e.cfg.script_len[t]; pos++)
      if (e.cfg.op(t, pos).flags & FOLL_LONGTERM)
        longterm = longterm || before.t[t].script_pos == e.b8(pos);
    const STask& a = after.t[t];
    expr bad = z3::ult(a.target, e.b8(e.cfg.nr_folios)) || leftover;
    for (const expr& p : a.pages) bad = bad || !e.ref_empty(p);
    expr isolated = before.t[t].isolated | a.isolated;
    for (int f = 0; f < e.cfg.nr_folios; f++)
      bad = bad || (e.bit(isolated, f) && (e.bit(a.isolated, f) || !put_back(e, after, f)));
    any = any || (e.bit(ev[l.returned(t)], kEvRetNegative) && longterm && bad);
  }
  return any;
}

// properties/longterm_calls.cc find_loop(): the stepping task ended its
// (max_quiet_rounds + 1)th quiet -EAGAIN round and no other task holds an
// isolation, a migration target or a transient reference.
expr loop_violated(const Enc& e, const SState& before, const SStep& st, const SState& after) {
  expr any = e.ff();
  for (int t = 0; t < e.cfg.nr_tasks; t++) {
    const expr& rounds = after.t[t].rounds;
    expr others = e.ff();
    for (int u = 0; u < e.cfg.nr_tasks; u++)
      if (u != t)
        others = others || after.t[u].isolated != e.b16(0) ||
                 z3::ult(after.t[u].target, e.b8(e.cfg.nr_folios)) ||
                 holds_op_reference(e, after, u);
    any = any || (st.task == e.b8(t) && z3::ugt(rounds, e.b8(e.cfg.max_quiet_rounds)) &&
                  z3::ugt(rounds, before.t[t].rounds) && !others);
  }
  return any;
}

// properties/liveness.cc free_folios(); order, zone and pageblock type
// fold to constants while they are frozen.
expr free_folios(const Enc& e, const SState& s, int order, bool longterm) {
  expr n = e.b16(0);
  for (int f = 0; f < e.cfg.nr_folios; f++) {
    const SFolio& fx = s.f[f];
    expr counts = (order > 0 ? e.folio_large(s, f) : !e.folio_large(s, f)) &&
                  fx.zone != e.b8(int(Zone::kDevice)) &&
                  fx.migratetype != e.b8(int(Migratetype::kIsolate));
    if (longterm)
      counts = counts && fx.zone != e.b8(int(Zone::kMovable)) &&
               fx.migratetype != e.b8(int(Migratetype::kCma));
    expr c = e.fold(counts);
    if (!c.is_false()) n = n + count16(e, c && e.test(s, f, kFree));
  }
  return n;
}

// properties/liveness.cc ordinary_kind().
expr ordinary_kind(const Enc& e, const SState& s, int f) {
  expr any = e.ff();
  for (FolioKind k :
       {FolioKind::kAnon, FolioKind::kPageCache, FolioKind::kShmem, FolioKind::kHugetlb,
        FolioKind::kDevdax, FolioKind::kFsdax, FolioKind::kZeroPage})
    any = any || e.is_kind(s, f, k);
  return any;
}

// properties/liveness.cc migratable_now(): isolatable, held by nothing but
// mappings and caches (the ledger's pin, get, isolation and other counts
// are zero), and a pinnable target of its order is free.
expr migratable_now(const Enc& e, const SState& s, int f) {
  expr isolatable =
      z3::ite(e.is_kind(s, f, FolioKind::kHugetlb), e.test(s, f, kHugetlbMigratable),
              e.test(s, f, kLru) || e.test(s, f, kLruBatch0) || e.test(s, f, kLruBatch1));
  expr held = e.is_kind(s, f, FolioKind::kDriver);
  for (int t = 0; t < e.cfg.nr_tasks; t++) {
    const STask& task = s.t[t];
    for (const expr& pg : task.pages)
      held = held || (!e.ref_empty(pg) && e.ref_folio(pg) == e.b8(f));
    held =
        held || e.bit(task.isolated, f) || task.target == e.b8(f) || holds_op_reference(e, s, t, f);
  }
  return isolatable && !e.is_kind(s, f, FolioKind::kDeviceCoherent) && !held &&
         z3::ugt(
             e.pick(e.folio_large(s, f), free_folios(e, s, 1, true), free_folios(e, s, 0, true)),
             e.b16(0));
}

// properties/liveness.cc allowed_target(), per VMA layout of the mm.
expr allowed_target(const Enc& e, const SState& s, int mm, int addr, uint32_t flags) {
  return e.on_vmas(s, mm, [&](const Mm& lay) -> expr {
    const Vma* vma = lay.find_vma(addr);
    if (!vma || check_vma_flags_6_12(*vma, flags)) return e.ff();
    bool longterm = flags & FOLL_LONGTERM;
    expr memory = z3::uge(free_folios(e, s, 0, longterm), e.b16(2));
    const SPte& pte = s.m[mm].ptes[addr];
    bool faultable = vma->kind == VmaKind::kAnon || vma->kind == VmaKind::kFileShared ||
                     vma->kind == VmaKind::kFilePrivate || vma->kind == VmaKind::kShmemShared;
    bool ro_pin = (flags & (FOLL_PIN | FOLL_WRITE)) == FOLL_PIN;
    expr present_ok = e.ff();
    for (int f = 0; f < e.cfg.nr_folios; f++) {
      expr anon = e.folio_test_anon(s, f);
      expr pae = anon && e.pae_bit(s, f, e.pte_page(pte));
      expr needs_fault = (flags & FOLL_WRITE) ? !e.pte_write(pte) : e.ff();
      if (ro_pin)
        needs_fault =
            needs_fault || (!e.pte_write(pte) && !pae && (anon || e.z.bool_val(longterm)));
      expr ok = ordinary_kind(e, s, f) && !(needs_fault && !memory);
      if (longterm) ok = ok && (e.folio_is_longterm_pinnable(s, f) || migratable_now(e, s, f));
      present_ok = present_ok || (pte.folio == e.b8(f) && ok);
    }
    return z3::ite(e.pte_none(pte), faultable ? memory : e.ff(), e.pte_present(pte) && present_ok);
  });
}

// properties/liveness.cc find_refusal(): an undisturbed call (no other
// task stepped during it, no injected failure in this step) returned fewer
// than op.nr pages although every page of its range is an allowed target
// in the state after.
expr refusal(const Enc& e, const SState& before, const SStep& st, const std::vector<expr>& ev,
             const SState& after) {
  EvLayout l(e.cfg, e.ev_parts);
  expr any = e.ff();
  for (int t = 0; t < e.cfg.nr_tasks; t++) {
    const expr& r = ev[l.returned(t)];
    const STask& b = before.t[t];
    for (int pos = 0; pos < e.cfg.script_len[t]; pos++) {
      const Op& op = e.cfg.op(t, pos);
      if (op.start + op.nr > kMaxAddrs) continue;
      uint32_t flags = gup_flags_of_op(op);
      if ((flags & FOLL_LONGTERM) && !(flags & FOLL_PIN)) continue;  // is_valid_gup_args()
      // value < op.nr: negative, or its bucket (min(value, kMaxPages))
      // below op.nr (op.nr <= kMaxPages here).
      expr below = e.bit(r, kEvRetNegative);
      for (int bucket = 0; bucket < op.nr && bucket <= kMaxPages; bucket++)
        below = below || e.bit(r, bucket);
      expr all_allowed = e.tt();
      for (int a = op.start; a < op.start + op.nr; a++)
        all_allowed = all_allowed && allowed_target(e, after, op.mm, a, flags);
      any = any ||
            (b.script_pos == e.b8(pos) && !e.bit(b.ghost, 0) && !st.choice && below && all_allowed);
    }
  }
  return any;
}

}  // namespace

bool encoded(const Property& p) {
  return find_encoded(p) != nullptr;
}

uint32_t event_parts(std::span<const Property* const> props) {
  uint32_t parts = 0;
  for (const Property* p : props)
    if (const Encoded* x = find_encoded(*p)) parts |= x->step ? x->parts : 0;
  return parts;
}

std::vector<std::string> encoded_property_names() {
  std::vector<std::string> out;
  for (const Property* p : all_properties())
    if (encoded(*p)) out.push_back(p->name);
  return out;
}

bool has_step_part(const Property& p) {
  const Encoded* x = find_encoded(p);
  return x && x->step;
}

// properties/identity.cc find_incoherent().
expr coherence_violated(const Enc& e, const SState& s) {
  expr any = e.ff();
  for (int t = 0; t < e.cfg.nr_tasks; t++) {
    const STask& task = s.t[t];
    for (int pos = 1; pos <= e.cfg.script_len[t]; pos++) {
      int cp = last_gup_before(e.cfg, t, pos);
      if (cp < 0) continue;
      const Op& call = e.cfg.op(t, cp);
      if (!op_is_pin(call.kind)) continue;
      expr bad = e.ff();
      for (int k = 0; k < kMaxPages; k++) {
        int addr = call.start + k;
        if (addr >= kMaxAddrs) continue;
        const expr& pg = task.pages[k];
        const SPte& pte = s.m[call.mm].ptes[addr];
        expr pinned = e.ref_kind(pg) == e.z.bv_val(PageRef::kPin, 2);
        expr anon = entry_folio_is(e, pg, [&](int f) { return e.folio_test_anon(s, f); });
        expr same =
            !e.pte_none(pte) && pte.folio == e.ref_folio(pg) && e.pte_page(pte) == e.ref_page(pg);
        bad = bad || (pinned && anon && !same && !address_given_up(e, s, t, cp, call.mm, addr));
      }
      any = any || (task.script_pos == e.b8(pos) && e.bit(task.ghost, 1) && bad);
    }
  }
  return any;
}

// properties/accounting.cc find_uaf(), the state part: a free folio that
// something in the state still points at (collect_users()).
expr freed_in_use(const Enc& e, const SState& s) {
  expr any = e.ff();
  for (int f = 0; f < e.cfg.nr_folios; f++) {
    expr used = e.ff();
    for (const SMm& m : s.m)
      for (const SPte& pte : m.ptes) used = used || (!e.pte_none(pte) && pte.folio == e.b8(f));
    for (const expr& slot : s.page_cache) used = used || slot == e.b8(f);
    for (int t = 0; t < e.cfg.nr_tasks; t++) {
      const STask& task = s.t[t];
      for (const expr& pg : task.pages)
        used = used || (!e.ref_empty(pg) && e.ref_folio(pg) == e.b8(f));
      used = used || e.bit(task.isolated, f) || task.target == e.b8(f) ||
             holds_op_reference(e, s, t, f);
    }
    any = any || (e.test(s, f, kFree) && used);
  }
  return any;
}

std::optional<expr> violated_step(const Enc& e, const SState& before, const SStep& st,
                                  const std::vector<expr>& ev, const SState& after,
                                  const Property& p) {
  const Encoded* x = find_encoded(p);
  if (!x || !x->step) return std::nullopt;
  if ((x->parts & e.ev_parts) != x->parts || ev.size() != EvLayout(e.cfg, e.ev_parts).size)
    throw std::logic_error(std::string("smt: the event summary lacks what ") + p.name + " reads");
  const char* n = p.name;
  if (!std::strcmp(n, "no-use-after-free")) return touched_free_violated(e, before, ev);
  if (!std::strcmp(n, "pin-unpin-balance")) return balance_violated(e, before, ev);
  if (!std::strcmp(n, "pinned-never-migrated-or-freed")) return moved_while_pinned(e, before, ev);
  if (!std::strcmp(n, "no-write-without-permission")) return bad_write(e, ev, after);
  if (!std::strcmp(n, "fast-path-subset")) return fast_subset_violated(e, before, ev, after);
  if (!std::strcmp(n, "longterm-pin-contract")) return contract_violated(e, before, ev, after);
  if (!std::strcmp(n, "refcounts-restored-after-failed-migration"))
    return restored_violated(e, before, ev, after);
  if (!std::strcmp(n, "pin-loop-terminates")) return loop_violated(e, before, st, after);
  if (!std::strcmp(n, "no-false-refusal")) return refusal(e, before, st, ev, after);
  return std::nullopt;
}

}  // namespace gup::smt
