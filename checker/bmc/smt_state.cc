// The symbolic state (checker/bmc/smt_encode.h): its fields next to their
// concrete twins, fresh and numeral states, decoding, and the encoder's
// building blocks (branch, cases, merge).
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

static bool same_layout(const Mm& a, const Mm& b) {
  return std::memcmp(a.vmas, b.vmas, sizeof a.vmas) == 0 && a.file_of_vma == b.file_of_vma;
}

namespace {
constexpr uint8_t kProt = VM_READ | VM_WRITE;
}  // namespace

// The layouts of vma_layouts(): model/mprotect.cc mprotect_fixup()'s loop over the VMAs, on a
// concrete layout: do_mprotect_pkey() walks the VMAs of the range in address order, each through
// mprotect_fixup(); a hole stops it (-ENOMEM), and so does adding VM_WRITE to a VMA without
// VM_MAYWRITE (-EACCES).
Mm mprotect_layout(const Mm& l, const Op& op, uint8_t* changed) {
  Mm m = l;
  uint8_t prot = uint8_t(op.flags & kProt);
  *changed = 0;
  for (int a = op.start; a < op.start + op.nr && a < kMaxAddrs;) {
    const Vma* found = m.find_vma(a);
    if (!found) break;  // -ENOMEM
    Vma& v = m.vmas[found - m.vmas];
    if ((prot & VM_WRITE) && !v.test(VM_MAYWRITE)) break;  // -EACCES
    uint8_t flags = uint8_t((v.vm_flags & ~kProt) | prot);
    if (flags != v.vm_flags) {
      v.vm_flags = flags;
      *changed = uint8_t(*changed | 1u << (found - m.vmas));
    }
    a = v.end;
  }
  return m;
}

// model mprotect_choices(): the fixup waits for mmap_write_lock.

std::vector<std::vector<Mm>> vma_layouts(const Config& cfg) {
  std::vector<std::vector<Mm>> out(cfg.nr_mms);
  for (int m = 0; m < cfg.nr_mms; m++) out[m].push_back(cfg.initial.mms[m]);
  Mm empty{};  // model dup_mmap_fail(): Vma{} and file_of_vma 0
  auto add = [&](int m, const Mm& l) {
    for (const Mm& x : out[m])
      if (same_layout(x, l)) return false;
    out[m].push_back(l);
    return true;
  };
  for (bool grew = true; grew;) {
    grew = false;
    for (int t = 0; t < cfg.nr_tasks; t++)
      for (int p = 0; p < cfg.script_len[t]; p++) {
        const Op& op = cfg.op(t, p);
        if (op.kind == OpKind::kMprotect && op.mm < cfg.nr_mms) {
          std::vector<Mm> before = out[op.mm];
          uint8_t changed;
          for (const Mm& l : before) grew |= add(op.mm, mprotect_layout(l, op, &changed));
          continue;
        }
        if (op.kind != OpKind::kFork || op.mm >= cfg.nr_mms || op.child >= cfg.nr_mms) continue;
        std::vector<Mm> parent = out[op.mm];
        for (const Mm& l : parent) grew |= add(op.child, l);
        grew |= add(op.child, empty);
      }
  }
  return out;
}

bool forks_touch(const Config& cfg, int mm) {
  for (int t = 0; t < cfg.nr_tasks; t++)
    for (int p = 0; p < cfg.script_len[t]; p++) {
      const Op& op = cfg.op(t, p);
      if (op.kind == OpKind::kFork && (op.mm == mm || op.child == mm)) return true;
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
  std::vector<std::vector<Mm>> layouts = vma_layouts(cfg);
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
    bool fixed_vmas = layouts[m].size() == 1;
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

// ---- Enc building blocks ----

Enc::Enc(z3::context& z_, const Config& cfg_)
    : z(z_), cfg(cfg_), v(*cfg_.variant), layouts_(vma_layouts(cfg_)) {}

expr Enc::has_layout(const SState& s, int mm, const Mm& l) const {
  const SMm& m = s.m[mm];
  expr all = m.file_of_vma == b8(l.file_of_vma);
  for (int v = 0; v < kMaxVmas; v++)
    all = all && m.vmas[4 * v] == b8(l.vmas[v].start) && m.vmas[4 * v + 1] == b8(l.vmas[v].end) &&
          m.vmas[4 * v + 2] == b8(int(l.vmas[v].kind)) &&
          m.vmas[4 * v + 3] == b8(l.vmas[v].vm_flags);
  return all.simplify();
}

// Like cases(): one arm per layout, merged; a single layout runs alone.
void Enc::with_vmas(SState& s, int mm, const std::function<void(SState&, const Mm&)>& body) const {
  const std::vector<Mm>& ls = layouts_[mm];
  if (ls.size() == 1) return body(s, ls[0]);
  SState base = s;
  for (int i = int(ls.size()) - 1; i >= 0; i--) {
    expr c = has_layout(base, mm, ls[i]);
    if (c.is_false()) continue;
    SState arm = base;
    body(arm, ls[i]);
    if (c.is_true()) {
      s = arm;
      return;
    }
    s = merge(c, arm, s);
  }
}

expr Enc::on_vmas(const SState& s, int mm, const std::function<expr(const Mm&)>& f) const {
  const std::vector<Mm>& ls = layouts_[mm];
  expr out = f(ls.back());
  for (int i = int(ls.size()) - 2; i >= 0; i--)
    out = z3::ite(has_layout(s, mm, ls[i]), f(ls[i]), out);
  return out;
}

void Enc::set_vmas(SState& s, int mm, const Mm& l) const {
  if (layouts_[mm].size() == 1) return;  // frozen: l is the only layout
  SMm& m = s.m[mm];
  for (int v = 0; v < kMaxVmas; v++) {
    m.vmas[4 * v] = b8(l.vmas[v].start);
    m.vmas[4 * v + 1] = b8(l.vmas[v].end);
    m.vmas[4 * v + 2] = b8(int(l.vmas[v].kind));
    m.vmas[4 * v + 3] = b8(l.vmas[v].vm_flags);
  }
  m.file_of_vma = b8(l.file_of_vma);
}

namespace {

// Calls f(a_field, b_field) for every field of two states of one Config,
// scratch registers included (the hot path of merge()).
template <class F>
void zip_fields(SState& a, const SState& b, F&& f) {
  for (size_t k = 0; k < a.f.size(); k++) {
    SFolio& x = a.f[k];
    const SFolio& y = b.f[k];
    f(x.refcount, y.refcount), f(x.mapcount, y.mapcount), f(x.pincount, y.pincount);
    f(x.kind, y.kind), f(x.flags, y.flags), f(x.anon_exclusive, y.anon_exclusive);
    f(x.file, y.file);
    f(x.zone, y.zone), f(x.migratetype, y.migratetype), f(x.saved_mt, y.saved_mt);
    f(x.order, y.order);  // equal numerals unless unfrozen
  }
  for (size_t m = 0; m < a.m.size(); m++) {
    for (int p = 0; p < kMaxAddrs; p++)
      f(a.m[m].ptes[p].folio, b.m[m].ptes[p].folio), f(a.m[m].ptes[p].bits, b.m[m].ptes[p].bits);
    f(a.m[m].flags, b.m[m].flags), f(a.m[m].mmap_lock, b.m[m].mmap_lock);
    f(a.m[m].write_protect_seq, b.m[m].write_protect_seq);
    for (size_t v = 0; v < a.m[m].vmas.size(); v++) f(a.m[m].vmas[v], b.m[m].vmas[v]);
    f(a.m[m].file_of_vma, b.m[m].file_of_vma);
  }
  for (size_t t = 0; t < a.t.size(); t++) {
    STask& x = a.t[t];
    const STask& y = b.t[t];
    f(x.script_pos, y.script_pos), f(x.pc, y.pc), f(x.i, y.i), f(x.j, y.j), f(x.ret, y.ret);
    f(x.nr_done, y.nr_done), f(x.drained, y.drained), f(x.collected, y.collected);
    f(x.isolated, y.isolated), f(x.failed, y.failed), f(x.snap.folio, y.snap.folio);
    f(x.snap.bits, y.snap.bits), f(x.seq, y.seq), f(x.target, y.target), f(x.ghost, y.ghost);
    f(x.rounds, y.rounds), f(x.fault, y.fault), f(x.locked, y.locked);
    for (int p = 0; p < kMaxPages; p++) f(x.pages[p], y.pages[p]);
  }
  for (size_t i = 0; i < a.page_cache.size(); i++) f(a.page_cache[i], b.page_cache[i]);
  f(a.ret, b.ret), f(a.idx, b.idx), f(a.ok, b.ok), f(a.exited, b.exited);
  for (size_t i = 0; i < a.ev.size(); i++) f(a.ev[i], b.ev[i]);
}

}  // namespace

// Frozen fields (zone, pageblock types, order, fixed VMAs and seqcounts)
// are never assigned by the mirrors: equal numerals, merge() adds no ite.
SState Enc::merge(const expr& c, const SState& a, const SState& b) const {
  SState out = a;
  zip_fields(out, b, [&](expr& x, const expr& y) {
    if (!z3::eq(x, y)) x = z3::ite(c, x, y);
  });
  return out;
}

void Enc::branch(SState& s, const expr& c0, const Body& then, const Body& els) const {
  // Simplifying folds constant conditions, so an arm that cannot run is
  // never built.
  expr c = c0.simplify();
  if (c.is_true()) {
    if (then) then(s);
    return;
  }
  if (c.is_false()) {
    if (els) els(s);
    return;
  }
  SState a = s;
  if (then) then(a);
  if (els) els(s);
  s = merge(c, a, s);
}

void Enc::cases(SState& s, expr x, int n, const std::function<void(SState&, int)>& body) const {
  SState base = s;
  for (int v = n - 1; v >= 0; v--) {
    expr c =
        x.is_numeral() ? z.bool_val(x.get_numeral_uint() == unsigned(v)) : (x == b8(v)).simplify();
    if (c.is_false()) continue;
    SState arm = base;
    body(arm, v);
    if (c.is_true()) {
      s = arm;
      return;
    }
    s = merge(c, arm, s);
  }
}

expr Enc::select(const std::vector<expr>& xs, const expr& i, const expr& dflt) const {
  expr out = dflt;
  for (int k = int(xs.size()) - 1; k >= 0; k--) out = z3::ite(i == b8(k), xs[k], out);
  return out;
}

expr Enc::folio_field(const SState& s, const expr& idx, expr SFolio::*field,
                      const expr& dflt) const {
  std::vector<expr> xs;
  for (const SFolio& f : s.f) xs.push_back(f.*field);
  return select(xs, idx, dflt);
}

expr Enc::page_at(const SState& s, int task, const expr& j) const {
  return select(s.t[task].pages, j, b8(PageRef::none().bits));
}

// ---- folio predicates (model/folio.h) ----

expr Enc::test(const SState& s, int k, uint8_t flag) const {
  return (s.f[k].flags & b8(flag)) != b8(0);
}
void Enc::set(SState& s, int k, uint8_t flag) const {
  s.f[k].flags = s.f[k].flags | b8(flag);
}
void Enc::clear(SState& s, int k, uint8_t flag) const {
  s.f[k].flags = s.f[k].flags & b8(uint8_t(~flag));
}
expr Enc::is_kind(const SState& s, int k, FolioKind kind) const {
  return s.f[k].kind == b8(int(kind));
}
expr Enc::is_zero_folio(const SState& s, int k) const {
  return is_kind(s, k, FolioKind::kZeroPage);
}

expr Enc::pick(const expr& c, const expr& a, const expr& b) const {
  expr f = fold(c);
  if (f.is_true()) return a;
  if (f.is_false()) return b;
  return z3::ite(c, a, b);
}

// include/linux/mm.h: folio_test_large() (model/folio.h); order is 0 or 1.
expr Enc::folio_large(const SState& s, int k) const {
  return fold(s.f[k].order != b8(0));
}

expr Enc::nr_pages(const SState& s, int k) const {
  return pick(folio_large(s, k), b16(2), b16(1));
}

// include/linux/mm.h: folio_maybe_dma_pinned() (model/folio.h).
expr Enc::folio_maybe_dma_pinned(const SState& s, int k) const {
  return pick(folio_large(s, k), s.f[k].pincount > b8(0),  // signed
              z3::uge(s.f[k].refcount, b16(kGupPinCountingBias)));
}

// include/linux/mm.h: folio_is_longterm_pinnable() (model/folio.h); zone
// and pageblock type fold to constants while frozen.
expr Enc::folio_is_longterm_pinnable(const SState& s, int k) const {
  const SFolio& f = s.f[k];
  expr cma = f.migratetype == b8(int(Migratetype::kCma)) ||
             f.migratetype == b8(int(Migratetype::kIsolate));
  return pick(cma, ff(),
              z3::ite(is_zero_folio(s, k), tt(),
                      z3::ite(is_kind(s, k, FolioKind::kDeviceCoherent), ff(),
                              fold(f.zone != b8(int(Zone::kMovable))))));
}

// include/linux/mm.h: folio_expected_ref_count() (model/folio.h).
expr Enc::folio_expected_ref_count(const SState& s, int k) const {
  expr n = nr_pages(s, k);
  expr refs = z3::ite(test(s, k, kSwapcache), n, b16(0));
  refs = refs + z3::ite(!folio_test_anon(s, k) && test(s, k, kMapping), n, b16(0));
  return refs + z3::sext(s.f[k].mapcount, 8);
}

expr Enc::pae_bit(const SState& s, int k, const expr& page) const {
  return z3::ite(page, bit(s.f[k].anon_exclusive, 1), bit(s.f[k].anon_exclusive, 0));
}

expr Enc::make_ref(int folio, const expr& page, PageRef::Kind kind) const {
  return b8(folio | (kind << 5)) | z3::ite(page, b8(1 << 4), b8(0));
}

SPte Enc::make_present(const expr& folio, const expr& page, const expr& write) const {
  return SPte{folio, b8(int(PteKind::kPresent)) | z3::ite(write, b8(Pte::kWrite), b8(0)) |
                         z3::ite(page, b8(Pte::kPage), b8(0))};
}

SPte Enc::make_migration(const expr& folio, const expr& page, const expr& write,
                         const expr& excl) const {
  return SPte{folio, b8(int(PteKind::kMigration)) | z3::ite(write, b8(Pte::kWrite), b8(0)) |
                         z3::ite(page, b8(Pte::kPage), b8(0)) |
                         z3::ite(excl, b8(Pte::kExclusive), b8(0))};
}

}  // namespace gup::smt
