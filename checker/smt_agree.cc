// The agreement harness (checker/smt.h): one symbolic step of the
// configuration, evaluated on concrete states.
#include <fmt/format.h>

#include "checker/smt.h"
#include "checker/smt_encode.h"
#include "checker/smt_eval.h"
#include "checker/smt_props.h"

namespace gup::smt {

struct Agreement::Impl {
  z3::context z;
  const Config& cfg;
  Enc enc;
  SState s0;
  SStep st;
  std::vector<expr> next;                // per task: every slot of the successor, concatenated
  std::vector<std::vector<expr>> slots;  // per task: the successor's slots
  ConcreteEval fast;
  int calls = 0;
  std::vector<std::pair<const Property*, expr>> props;  // state parts, on s0
  // Per task: step parts, on s0, the step of that task and its successor.
  std::vector<std::vector<std::pair<const Property*, expr>>> step_props;
  std::vector<unsigned> widths;  // of the slots, in visit order
  std::vector<expr> nchoices;    // per task
  bool assigned = false;         // last_state and last_step are what `fast` holds
  State last_state{};
  Step last_step{};

  Impl(const Config& c, std::span<const Property* const> selected)
      : cfg(c),
        enc(z, c),
        s0(fresh_state(z, c, "a_")),
        st{z.bv_const("sel_task", 8), z.bool_const("sel_choice")} {
    enc.ev_parts = event_parts(selected);
    for (int t = 0; t < cfg.nr_tasks; t++) {
      SState n = enc.apply_task(s0, t, st.choice);
      step_props.emplace_back();
      for (const Property* p : selected)
        if (auto v = smt::violated_step(enc, s0, SStep{z.bv_val(t, 8), st.choice}, n.ev, n, *p))
          step_props.back().emplace_back(p, *v);
      State scratch = cfg.initial;
      z3::expr_vector parts(z);
      widths.clear();
      visit_slots(n, scratch, cfg, [&](Slot& sl) {
        parts.push_back(*sl.e);
        widths.push_back(sl.width);
      });
      slots.emplace_back();
      for (unsigned i = 0; i < parts.size(); i++) slots.back().push_back(parts[i]);
      expr all = parts[0];
      for (unsigned i = 1; i < parts.size(); i++) all = z3::concat(all, parts[i]);
      next.push_back(all);
    }
    for (int t = 0; t < cfg.nr_tasks; t++) nchoices.push_back(enc.choices(s0, t));
    for (const Property* p : all_properties())
      if (auto v = smt::violated(enc, s0, *p)) props.emplace_back(p, *v);
  }

  // Fixes the free constants to `s` and `step`: always for the fast
  // evaluator, and in the returned Z3 model when `z3_model` is set.
  z3::model assign(const State& s, Step step, bool z3_model) {
    z3::model m(z);
    // The same values as the last call: the memo is still good.
    if (!z3_model && assigned && step == last_step && s == last_state) return m;
    assigned = true;
    last_state = s;
    last_step = step;
    State c = s;
    SState vars_state = s0;
    visit_slots(vars_state, c, cfg, [&](Slot& sl) {
      if (sl.frozen) return;
      uint32_t v =
          sl.width == 16 ? *static_cast<uint16_t*>(sl.raw) : *static_cast<uint8_t*>(sl.raw);
      fast.assign(*sl.e, v);
      if (!z3_model) return;
      z3::func_decl d = sl.e->decl();
      expr val = z.bv_val(v, sl.width);
      m.add_const_interp(d, val);
    });
    fast.assign(st.task, step.task);
    fast.assign(st.choice, step.choice != 0);
    fast.clear_memo();
    if (z3_model) {
      z3::func_decl td = st.task.decl(), cd = st.choice.decl();
      expr tv = z.bv_val(step.task, 8), cv = z.bool_val(step.choice != 0);
      m.add_const_interp(td, tv);
      m.add_const_interp(cd, cv);
    }
    return m;
  }
};

Agreement::Agreement(const Config& cfg, std::span<const Property* const> props)
    : impl_(std::make_unique<Impl>(cfg, props)) {}
Agreement::~Agreement() = default;

void Agreement::choices(const State& s, int out[kMaxTasks]) {
  impl_->assign(s, Step{}, false);
  for (int t = 0; t < kMaxTasks; t++) out[t] = 0;
  for (int t = 0; t < impl_->cfg.nr_tasks; t++) out[t] = int(impl_->fast.value(impl_->nchoices[t]));
}

State Agreement::apply(const State& s, Step step) {
  Impl& im = *impl_;
  bool verify = im.calls++ % 16 == 0;
  z3::model m = im.assign(s, step, verify);
  std::vector<uint64_t> values;
  for (const expr& e : im.slots[step.task]) values.push_back(im.fast.value(e));
  // Every 16th step is also read back through Z3's own model evaluation,
  // which must give the same bits as the fast evaluator.
  if (verify) {
    std::string bits;
    if (!m.eval(im.next[step.task], true).as_binary(bits))
      throw std::logic_error("smt agreement: the successor did not evaluate to a numeral");
    unsigned total = 0;
    for (unsigned w : im.widths) total += w;
    bits = std::string(total - bits.size(), '0') + bits;  // leading zeros are dropped
    size_t pos = 0;
    for (size_t i = 0; i < values.size(); i++) {
      uint64_t z3v = std::stoull(bits.substr(pos, im.widths[i]), nullptr, 2);
      pos += im.widths[i];
      if (z3v != values[i])
        throw std::logic_error(fmt::format("smt agreement: slot {} evaluates to {} by Z3, {} fast",
                                           i, z3v, values[i]));
    }
  }
  State out = im.cfg.initial;
  SState copy = im.s0;
  size_t i = 0;
  visit_slots(copy, out, im.cfg, [&](Slot& sl) {
    uint64_t v = values[i++];
    if (sl.width == 16)
      *static_cast<uint16_t*>(sl.raw) = uint16_t(v);
    else
      *static_cast<uint8_t*>(sl.raw) = uint8_t(v);
  });
  // Entries beyond the configuration are not encoded: the model never
  // changes them under the covered ops, so they keep `s`'s values.
  for (int k = im.cfg.nr_folios; k < kMaxFolios; k++) out.folios[k] = s.folios[k];
  return out;
}

std::optional<bool> Agreement::violated(const State& s, const Property& p) {
  for (const auto& [prop, v] : impl_->props) {
    if (prop != &p) continue;
    impl_->assign(s, Step{}, false);
    return impl_->fast.value(v) != 0;
  }
  return std::nullopt;
}

std::optional<bool> Agreement::violated_step(const State& s, Step step, const Property& p) {
  if (step.task >= impl_->step_props.size()) return std::nullopt;
  for (const auto& [prop, v] : impl_->step_props[step.task]) {
    if (prop != &p) continue;
    impl_->assign(s, step, false);
    return impl_->fast.value(v) != 0;
  }
  return std::nullopt;
}

std::optional<bool> Agreement::violated(const State* before, Step step, const State& after,
                                        const Property& p) {
  if (!encoded(p)) return std::nullopt;
  if (violated(after, p).value_or(false)) return true;
  return before && violated_step(*before, step, p).value_or(false);
}

std::string Agreement::diff(const State& a, const State& b) const {
  if (a == b) return "";
  SState sa = impl_->s0, sb = impl_->s0;
  State ca = a, cb = b;
  std::vector<std::pair<std::string, uint32_t>> va, vb;
  auto rd = [](const Slot& sl) {
    return sl.width == 16 ? uint32_t(*static_cast<uint16_t*>(sl.raw))
                          : uint32_t(*static_cast<uint8_t*>(sl.raw));
  };
  visit_slots(sa, ca, impl_->cfg, [&](Slot& sl) { va.emplace_back(slot_name(sl), rd(sl)); });
  visit_slots(sb, cb, impl_->cfg, [&](Slot& sl) { vb.emplace_back(slot_name(sl), rd(sl)); });
  for (size_t i = 0; i < va.size(); i++)
    if (va[i].second != vb[i].second)
      return fmt::format("{}: {} vs {}", va[i].first, va[i].second, vb[i].second);
  return "a field outside the encoding (unused entries) differs";
}

}  // namespace gup::smt
