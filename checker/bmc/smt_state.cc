// The symbolic state (checker/bmc/smt_encode.h): its fields next to their
// concrete twins, fresh and numeral states, decoding and equality.
#include <fmt/format.h>

#include <cstring>

#include "checker/bmc/smt_encode.h"

namespace gup::smt {

namespace {

SFolio blank_folio(z3::context& z) {
  expr e(z);
  return SFolio{e, e, e, e, e, e, e, e, e, e, e};
}
SMm blank_mm(z3::context& z) {
  expr e(z);
  return SMm{std::vector<SPte>(kMaxAddrs, SPte{e, e}), e, e, e,
             std::vector<expr>(kMaxVmas * 4, e),       e};
}
STask blank_task(z3::context& z) {
  expr e(z);
  return STask{e, e,          e, e, e, e, e, e, e,
               e, SPte{e, e}, e, e, e, e, e, e, std::vector<expr>(kMaxPages, e)};
}

SState blank_state(z3::context& z, const Config& cfg) {
  expr e(z);
  SState s{{}, {}, {}, std::vector<expr>(kMaxFiles * kMaxAddrs, e), e, e, e, e, {}};
  for (int k = 0; k < cfg.nr_folios; k++) s.f.push_back(blank_folio(z));
  for (int m = 0; m < cfg.nr_mms; m++) s.m.push_back(blank_mm(z));
  for (int t = 0; t < cfg.nr_tasks; t++) s.t.push_back(blank_task(z));
  s.ret = z.bv_val(0, 8);
  s.idx = z.bv_val(kNoFolio, 8);
  s.ok = z.bool_val(false);
  s.exited = z.bool_val(false);
  return s;
}

uint32_t raw_value(const Slot& sl) {
  return sl.width == 16 ? *static_cast<uint16_t*>(sl.raw) : *static_cast<uint8_t*>(sl.raw);
}

}  // namespace

bool forks_touch(const Config& cfg, int mm) {
  for (int t = 0; t < cfg.nr_tasks; t++)
    for (int p = 0; p < cfg.script_len[t]; p++) {
      const Op& op = cfg.op(t, p);
      if (op.kind == OpKind::kFork && (op.mm == mm || op.child == mm)) return true;
    }
  return false;
}

bool ops_write_vmas(const Config& cfg, int mm) {
  for (int t = 0; t < cfg.nr_tasks; t++)
    for (int p = 0; p < cfg.script_len[t]; p++) {
      const Op& op = cfg.op(t, p);
      if ((op.kind == OpKind::kMprotect && op.mm == mm) ||
          (op.kind == OpKind::kFork && op.child == mm))
        return true;
    }
  return false;
}

static bool ops_include(const Config& cfg, OpKind kind) {
  for (int t = 0; t < cfg.nr_tasks; t++)
    for (int p = 0; p < cfg.script_len[t]; p++)
      if (cfg.op(t, p).kind == kind) return true;
  return false;
}

bool ops_write_order(const Config& cfg) {
  return ops_include(cfg, OpKind::kSplitHugePage);
}

bool ops_write_pageblock(const Config& cfg) {
  return ops_include(cfg, OpKind::kSplitHugePage) || ops_include(cfg, OpKind::kCmaAlloc);
}

void visit_slots(SState& s, State& c, const Config& cfg, const std::function<void(Slot&)>& fn) {
  auto f8 = [&](expr& e, void* raw, const char* what, int a, int b, bool frozen = false) {
    Slot sl{&e, 8, frozen, raw, what, a, b};
    fn(sl);
  };
  auto f16 = [&](expr& e, void* raw, const char* what, int a, int b) {
    Slot sl{&e, 16, false, raw, what, a, b};
    fn(sl);
  };
  bool order_written = ops_write_order(cfg), pageblock_written = ops_write_pageblock(cfg);
  for (int k = 0; k < cfg.nr_folios; k++) {
    SFolio& sf = s.f[k];
    Folio& cf = c.folios[k];
    f16(sf.refcount, &cf.refcount, "refcount", k, -1);
    f8(sf.mapcount, &cf.mapcount, "mapcount", k, -1);
    f8(sf.pincount, &cf.pincount, "pincount", k, -1);
    f8(sf.kind, &cf.kind, "kind", k, -1);
    f8(sf.zone, &cf.zone, "zone", k, -1, !order_written);
    f8(sf.migratetype, &cf.migratetype, "migratetype", k, -1, !pageblock_written);
    f8(sf.saved_mt, &cf.saved_mt, "saved_mt", k, -1, !pageblock_written);
    f8(sf.order, &cf.order, "order", k, -1, !order_written);
    f8(sf.flags, &cf.flags, "flags", k, -1);
    f8(sf.anon_exclusive, &cf.anon_exclusive, "anon_exclusive", k, -1);
    f8(sf.file, &cf.file, "file", k, -1);
  }
  for (int m = 0; m < cfg.nr_mms; m++) {
    SMm& sm = s.m[m];
    Mm& cm = c.mms[m];
    for (int a = 0; a < kMaxAddrs; a++) {
      f8(sm.ptes[a].folio, &cm.ptes[a].folio, "pte.folio", m, a);
      f8(sm.ptes[a].bits, &cm.ptes[a].bits, "pte.bits", m, a);
    }
    f8(sm.flags, &cm.flags, "mm.flags", m, -1);
    f8(sm.mmap_lock, &cm.mmap_lock, "mmap_lock", m, -1);
    f8(sm.write_protect_seq, &cm.write_protect_seq, "write_protect_seq", m, -1,
       !forks_touch(cfg, m));
    bool fixed_vmas = !ops_write_vmas(cfg, m);
    for (int v = 0; v < kMaxVmas; v++) {
      f8(sm.vmas[4 * v], &cm.vmas[v].start, "vma.start", m, v, fixed_vmas);
      f8(sm.vmas[4 * v + 1], &cm.vmas[v].end, "vma.end", m, v, fixed_vmas);
      f8(sm.vmas[4 * v + 2], &cm.vmas[v].kind, "vma.kind", m, v, fixed_vmas);
      f8(sm.vmas[4 * v + 3], &cm.vmas[v].vm_flags, "vma.vm_flags", m, v, fixed_vmas);
    }
    f8(sm.file_of_vma, &cm.file_of_vma, "file_of_vma", m, -1, fixed_vmas);
  }
  for (int t = 0; t < cfg.nr_tasks; t++) {
    STask& st = s.t[t];
    Task& ct = c.tasks[t];
    f8(st.script_pos, &ct.script_pos, "script_pos", t, -1);
    f8(st.pc, &ct.pc, "pc", t, -1);
    f8(st.i, &ct.i, "i", t, -1);
    f8(st.j, &ct.j, "j", t, -1);
    f8(st.ret, &ct.ret, "ret", t, -1);
    f8(st.nr_done, &ct.nr_done, "nr_done", t, -1);
    f8(st.drained, &ct.drained, "drained", t, -1);
    f8(st.collected, &ct.collected, "collected", t, -1);
    f16(st.isolated, &ct.isolated, "isolated", t, -1);
    f16(st.failed, &ct.failed, "failed", t, -1);
    f8(st.snap.folio, &ct.snap.folio, "snap.folio", t, -1);
    f8(st.snap.bits, &ct.snap.bits, "snap.bits", t, -1);
    f8(st.seq, &ct.seq, "seq", t, -1);
    f8(st.target, &ct.target, "target", t, -1);
    f8(st.ghost, &ct.ghost, "ghost", t, -1);
    f8(st.rounds, &ct.rounds, "rounds", t, -1);
    f8(st.fault, &ct.fault, "fault", t, -1);
    f8(st.locked, &ct.locked, "locked", t, -1);
    for (int p = 0; p < kMaxPages; p++) f8(st.pages[p], &ct.pages[p].bits, "pages", t, p);
  }
  for (int fi = 0; fi < kMaxFiles; fi++)
    for (int a = 0; a < kMaxAddrs; a++)
      f8(s.page_cache[fi * kMaxAddrs + a], &c.page_cache[fi][a], "page_cache", fi, a);
}

std::string slot_name(const Slot& sl) {
  if (sl.b >= 0) return fmt::format("{}[{}][{}]", sl.what, sl.a, sl.b);
  return fmt::format("{}[{}]", sl.what, sl.a);
}

SState fresh_state(z3::context& z, const Config& cfg, const std::string& prefix) {
  SState s = blank_state(z, cfg);
  State c = cfg.initial;
  visit_slots(s, c, cfg, [&](Slot& sl) {
    *sl.e = sl.frozen ? z.bv_val(raw_value(sl), sl.width)
                      : z.bv_const((prefix + slot_name(sl)).c_str(), sl.width);
  });
  return s;
}

SState numeral_state(z3::context& z, const Config& cfg, const State& st) {
  SState s = blank_state(z, cfg);
  State c = st;
  visit_slots(s, c, cfg, [&](Slot& sl) { *sl.e = z.bv_val(raw_value(sl), sl.width); });
  return s;
}

State decode_state(const SState& s, const Config& cfg, const z3::model& mdl) {
  SState copy = s;
  State c = cfg.initial;
  visit_slots(copy, c, cfg, [&](Slot& sl) {
    uint64_t v = mdl.eval(*sl.e, true).get_numeral_uint64();
    if (sl.width == 16)
      *static_cast<uint16_t*>(sl.raw) = uint16_t(v);
    else
      *static_cast<uint8_t*>(sl.raw) = uint8_t(v);
  });
  return c;
}

expr states_equal(const SState& a, const SState& b, const Config& cfg) {
  SState x = a, y = b;
  State c1 = cfg.initial, c2 = cfg.initial;
  std::vector<expr*> xs, ys;
  std::vector<bool> frozen;
  visit_slots(x, c1, cfg, [&](Slot& sl) { xs.push_back(sl.e), frozen.push_back(sl.frozen); });
  visit_slots(y, c2, cfg, [&](Slot& sl) { ys.push_back(sl.e); });
  z3::expr_vector eqs(a.ret.ctx());
  for (size_t i = 0; i < xs.size(); i++)
    if (!frozen[i]) eqs.push_back(*xs[i] == *ys[i]);
  return z3::mk_and(eqs);
}

Enc::Enc(z3::context& z_, const Config& cfg_) : z(z_), cfg(cfg_) {}

}  // namespace gup::smt
