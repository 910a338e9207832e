// The agreement harness (checker/bmc/smt.h): the bmc engine's relation on
// concrete states. The state and the selector are numerals, so the
// symbolic executor runs the model's code on one path and every term
// simplifies to a numeral; the test compares them with the concrete model.
#include <fmt/format.h>

#include "checker/bmc/smt.h"
#include "checker/bmc/smt_encode.h"
#include "checker/bmc/smt_props.h"

namespace gup::smt {

struct Agreement::Impl {
  z3::context z;
  const Config& cfg;
  Enc enc;
  Impl(const Config& c, std::span<const Property* const> selected) : cfg(c), enc(z, c) {
    enc.ev_parts = event_parts(selected);
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

std::optional<bool> Agreement::violated(const State& s, const Property& p) {
  Impl& im = *impl_;
  auto v = smt::violated(im.enc, numeral_state(im.z, im.cfg, s), p);
  if (!v) return std::nullopt;
  return Impl::truth(*v);
}

std::optional<bool> Agreement::violated_step(const State& s, Step step, const Property& p) {
  Impl& im = *impl_;
  if (!(im.enc.ev_parts & event_parts(std::span<const Property* const>(std::array{&p}))) &&
      event_parts(std::span<const Property* const>(std::array{&p})))
    return std::nullopt;
  SState n = numeral_state(im.z, im.cfg, s);
  SStep st = im.sel(step);
  const Enc::Stepped& sp = im.step(s, step);
  auto v = smt::violated_step(im.enc, n, st, sp.next.ev, sp.next, p);
  if (!v) return std::nullopt;
  return Impl::truth(*v);
}

std::optional<bool> Agreement::violated(const State* before, Step step, const State& after,
                                        const Property& p) {
  if (!encoded(p)) return std::nullopt;
  if (violated(after, p).value_or(false)) return true;
  return before && violated_step(*before, step, p).value_or(false);
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
