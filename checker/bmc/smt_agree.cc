// The agreement harness (checker/bmc/smt.h): the bmc engine's relation on
// concrete states. The state and the selector are numerals, so the
// symbolic executor runs the model's code on one path and every term
// simplifies to a numeral; the test compares them with the concrete model,
// and the properties' verdicts (properties/ run by the executor) with
// Property::holds().
#include <fmt/format.h>

#include "checker/bmc/smt.h"
#include "checker/bmc/smt_encode.h"
#include "checker/bmc/sym/sym_properties.h"

namespace gup::smt {

struct Agreement::Impl {
  z3::context z;
  const Config& cfg;
  Enc enc;
  Impl(const Config& c, std::span<const Property* const> selected) : cfg(c), enc(z, c) {
    for (const Property* p : selected) enc.judged.push_back(sym::property_index(p->name));
  }
  SStep sel(Step st) { return SStep{z.bv_val(st.task, 8), z.bool_val(st.choice != 0)}; }
  // The last step taken, kept for the property checks that follow it.
  std::optional<std::pair<State, Step>> last;
  std::optional<Enc::Stepped> last_step;
  const Enc::Stepped& step(const State& s, Step st) {
    if (!last || !(last->first == s) || !(last->second == st)) {
      last_step = enc.step(numeral_state(z, cfg, s), sel(st));
      last = {s, st};
    }
    return *last_step;
  }
  static bool truth(const expr& e) {
    expr v = e.simplify();
    if (!v.is_true() && !v.is_false())
      throw std::logic_error("smt agreement: a term on numerals is not a constant");
    return v.is_true();
  }
};

Agreement::Agreement(const Config& cfg, std::span<const Property* const> props)
    : impl_(std::make_unique<Impl>(cfg, props)) {}
Agreement::~Agreement() = default;

void Agreement::choices(const State& s, int out[kMaxTasks]) {
  Impl& im = *impl_;
  SState n = numeral_state(im.z, im.cfg, s);
  for (int t = 0; t < kMaxTasks; t++) out[t] = 0;
  for (int t = 0; t < im.cfg.nr_tasks; t++) {
    expr v = im.enc.choices(n, t).simplify();
    if (!v.is_numeral()) throw std::logic_error("smt agreement: choices on numerals");
    out[t] = int(v.get_numeral_uint64());
  }
}

State Agreement::apply(const State& s, Step step) {
  Impl& im = *impl_;
  Enc::Stepped sp = im.step(s, step);
  State out = s;
  visit_slots(sp.next, out, im.cfg, [&](Slot& sl) {
    expr v = sl.e->simplify();
    if (!v.is_numeral())
      throw std::logic_error(fmt::format("smt agreement: slot {} is not a numeral", slot_name(sl)));
    uint64_t x = v.get_numeral_uint64();
    if (sl.width == 16)
      *static_cast<uint16_t*>(sl.raw) = uint16_t(x);
    else
      *static_cast<uint8_t*>(sl.raw) = uint8_t(x);
  });
  return out;
}

std::optional<bool> Agreement::violated(const State* before, Step step, const State& after,
                                        const Property& p) {
  Impl& im = *impl_;
  int index = sym::property_index(p.name);
  if (!before) {
    Enc e(im.z, im.cfg);
    e.judged = {index};
    return Impl::truth(e.initial_bad(numeral_state(im.z, im.cfg, after)));
  }
  const Enc::Stepped& sp = im.step(*before, step);
  for (size_t k = 0; k < im.enc.judged.size(); k++)
    if (im.enc.judged[k] == index) return Impl::truth(sp.next.bad[k]);
  return std::nullopt;
}

std::string Agreement::diff(const State& a, const State& b) const {
  if (a == b) return "";
  Impl& im = *impl_;
  SState sa = numeral_state(im.z, im.cfg, a), sb = sa;
  State ca = a, cb = b;
  std::vector<std::pair<std::string, uint32_t>> va, vb;
  auto rd = [](const Slot& sl) {
    return sl.width == 16 ? uint32_t(*static_cast<uint16_t*>(sl.raw))
                          : uint32_t(*static_cast<uint8_t*>(sl.raw));
  };
  visit_slots(sa, ca, im.cfg, [&](Slot& sl) { va.emplace_back(slot_name(sl), rd(sl)); });
  visit_slots(sb, cb, im.cfg, [&](Slot& sl) { vb.emplace_back(slot_name(sl), rd(sl)); });
  for (size_t i = 0; i < va.size(); i++)
    if (va[i].second != vb[i].second)
      return fmt::format("{}: {} vs {}", va[i].first, va[i].second, vb[i].second);
  return "a field outside the encoding (unused entries) differs";
}

}  // namespace gup::smt
