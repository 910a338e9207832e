// The transition relation of the bmc engine, derived from the model's own
// kernel code: model/ops.cc apply() and task_choices(), compiled on z3
// terms (checker/bmc/sym/), run by the symbolic executor on the unrolling's
// symbolic state (checker/bmc/smt_encode.h Enc::step()). Nothing here restates
// a transition: this file only converts between the engine's state (SState,
// one term per slot) and the symbolic domain's State; properties/ judge
// each path's transition inside that path (smt_judge.cc).
//
// Invariants:
//  S1. Every slot of SState is the field of sym::State at the same offset
//      of the concrete State (model/state_fields.h lists the fields once);
//      every other field is the numeral of Config::initial.
//  S2. A slot the encoding holds frozen (smt_encode.h Slot) must come out
//      of every path as the numeral it went in as; a model that writes one
//      is reported as an internal error, never encoded wrongly.
//  S3. With a pruning context, the relation is exact wherever the context
//      holds (checker/bmc/sym/executor.h E4); the caller asserts the context.
#include <fmt/format.h>

#include <map>
#include <stdexcept>

#include "checker/bmc/smt_encode.h"
#include "checker/bmc/sym/sym_state.h"
#include "model/state_fields.h"

namespace gup::smt {

namespace {

// Byte offset of each field of the concrete State, in for_each_field order,
// next to the symbolic field it names (S1).
template <class Fn>
void by_offset(sym::State& x, Fn&& fn) {
  State c{};
  for_each_field(c, x, [&](const std::string& name, auto& cf, auto& xf) {
    fn(size_t(reinterpret_cast<const char*>(&cf) - reinterpret_cast<const char*>(&c)), name, xf.e);
  });
}

size_t slot_offset(const Slot& sl, const State& c) {
  return size_t(static_cast<const char*>(sl.raw) - reinterpret_cast<const char*>(&c));
}

// The symbolic field of every slot, by the slot's offset.
std::map<size_t, z3::expr*> field_index(sym::State& x) {
  std::map<size_t, z3::expr*> out;
  by_offset(x, [&](size_t off, const std::string&, z3::expr& e) { out.emplace(off, &e); });
  return out;
}

}  // namespace

sym::State Enc::to_sym(const SState& s) const {
  sym::State out = sym::numerals(cfg.initial);
  std::map<size_t, z3::expr*> fields = field_index(out);
  SState copy = s;
  State c = cfg.initial;
  visit_slots(copy, c, cfg, [&](Slot& sl) {
    z3::expr* f = fields.at(slot_offset(sl, c));
    if (f->get_sort().bv_size() != sl.width)
      throw std::logic_error(fmt::format("slot {} is {} bits, its field {}", slot_name(sl),
                                         sl.width, f->get_sort().bv_size()));
    *f = *sl.e;
  });
  return out;
}

SState Enc::from_sym(const sym::State& x0, const SState& like) const {
  sym::State x = x0;
  std::map<size_t, z3::expr*> fields = field_index(x);
  SState out = like;
  State c = cfg.initial;
  visit_slots(out, c, cfg, [&](Slot& sl) {
    z3::expr v = fields.at(slot_offset(sl, c))->simplify();
    if (sl.frozen && !z3::eq(v, sl.e->simplify()))  // S2
      throw std::logic_error(fmt::format(
          "the model changes {}, which the bmc encoding holds fixed for this configuration",
          slot_name(sl)));
    *sl.e = v;
  });
  return out;
}

// model apply() and enabled_steps() on every path from `s`, merged over
// the selector `st` (S3).
Enc::Stepped Enc::step(const SState& s, const SStep& st) const {
  sym::Executor ex(z);
  prepare(ex);
  const sym::State in = to_sym(s);
  struct Out {
    sym::State state;
    std::vector<expr> bad;  // per judged property
  };
  auto merge_out = [](const z3::expr& c, const Out& a, const Out& b) {
    Out o{sym::merge(c, a.state, b.state), a.bad};
    for (size_t k = 0; k < o.bad.size(); k++)
      if (!z3::eq(a.bad[k], b.bad[k])) o.bad[k] = z3::ite(c, a.bad[k], b.bad[k]);
    return o;
  };
  z3::expr task = st.task.simplify(), choice = st.choice.simplify();
  std::optional<Out> acc;
  z3::expr enabled = ff();
  for (int t = 0; t < cfg.nr_tasks; t++) {
    if (task.is_numeral() && task.get_numeral_uint64() != uint64_t(t)) continue;
    z3::expr n = sym::choices_all_paths(ex, in, cfg, t).simplify();
    for (int c = 0; c < 2; c++) {
      if (choice.is_true() && c == 0) continue;
      if (choice.is_false() && c == 1) continue;
      if (n.is_numeral() && n.get_numeral_uint64() <= uint64_t(c)) continue;
      auto r = ex.explore<Out>(
          [&] {
            sym::State x = in;
            sym::EventLog log{};  // value-initialized: joins copy every entry
            Step step{uint8_t(t), uint8_t(c)};
            sym::apply(x, cfg, step, judged.empty() ? nullptr : &log);
            return Out{x, judge(ex, &in, step, &log, x)};  // smt_judge.cc J1
          },
          merge_out);
      if (!r) continue;
      paths_ += r->paths;
      z3::expr sel = (st.task == b8(t) && (c ? st.choice : !st.choice)).simplify();
      enabled = enabled || (sel && z3::ugt(n, b8(c)) && r->valid);
      acc = acc ? merge_out(sel, r->value, *acc) : r->value;
    }
  }
  queries_ += ex.pruning_queries();
  Stepped out{s, enabled.simplify()};
  if (acc) {
    out.next = from_sym(acc->state, s);
    out.next.bad = acc->bad;
  } else {
    out.next.bad.assign(judged.size(), ff());
  }
  return out;
}

expr Enc::choices(const SState& s, int task) const {
  sym::Executor ex(z);
  prepare(ex);
  return sym::choices_all_paths(ex, to_sym(s), cfg, task);
}

void Enc::prepare(sym::Executor& ex) const {
  if (context) ex.set_context(context);
  for (const auto& [c, vals] : ranges_) ex.set_range(c, vals);
}

void Enc::set_range(const z3::expr& constant, std::vector<int64_t> values) {
  ranges_.emplace_back(constant, std::move(values));
}

std::optional<std::vector<int64_t>> Enc::value_set(const z3::expr& e) const {
  sym::Executor ex(z);
  for (const auto& [c, vals] : ranges_) ex.set_range(c, vals);
  auto vs = ex.value_set(e.simplify(), 64);
  if (!vs) return std::nullopt;
  return std::vector<int64_t>(vs->begin(), vs->end());
}

}  // namespace gup::smt
