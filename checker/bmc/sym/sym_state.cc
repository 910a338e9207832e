// The symbolic state (checker/bmc/sym/sym_state.h).
#include "checker/bmc/sym/sym_state.h"

#include <stdexcept>

#include "model/state_fields.h"

namespace gup::sym {

namespace {

template <class T>
unsigned width(const SymInt<T>&) {
  return kBits<T>;
}

template <class C, class T>
void set_numeral(SymInt<T>& out, const C& v) {
  out = SymInt<T>(v);
}

}  // namespace

State numerals(const gup::State& s0) {
  gup::State s = s0;
  State out;
  for_each_field(s, out, [](const std::string&, auto& c, auto& x) { set_numeral(x, c); });
  return out;
}

State fresh(const gup::State& s0, const std::string& prefix,
            const std::function<bool(const std::string&)>& keep) {
  gup::State s = s0;
  State out;
  for_each_field(s, out, [&](const std::string& name, auto& c, auto& x) {
    if (keep(name)) return set_numeral(x, c);
    x.e = ctx().bv_const((prefix + name).c_str(), width(x));
  });
  return out;
}

gup::State concrete(const State& s0, const z3::model* m) {
  gup::State out{};
  State s = s0;
  for_each_field(out, s, [&](const std::string& name, auto& c, auto& x) {
    z3::expr v = m ? m->eval(x.e, true) : x.e.simplify();
    if (!v.is_numeral()) throw std::logic_error("field " + name + " is not a numeral");
    using C = std::remove_reference_t<decltype(c)>;
    c = C(static_cast<under_t<C>>(v.get_numeral_uint64()));
  });
  return out;
}

State merge(const z3::expr& c, const State& a, const State& b0) {
  State out = a;
  State b = b0;
  for_each_field(out, b, [&](const std::string&, auto& x, auto& y) {
    if (!z3::eq(x.e, y.e)) x.e = z3::ite(c, x.e, y.e);
  });
  return out;
}

std::optional<StepResult> apply_all_paths(Executor& ex, const State& s, const Config& cfg,
                                          Step step) {
  auto r = ex.explore<State>(
      [&] {
        State x = s;
        apply(x, cfg, step, nullptr);
        return x;
      },
      [](const z3::expr& c, const State& a, const State& b) { return merge(c, a, b); });
  if (!r) return std::nullopt;
  return StepResult{r->value, r->valid, r->paths};
}

z3::expr choices_all_paths(Executor& ex, const State& s, const Config& cfg, int task) {
  auto r = ex.explore<z3::expr>([&] { return ex.z.bv_val(task_choices(s, cfg, task), 8); },
                                [](const z3::expr& c, const z3::expr& a, const z3::expr& b) {
                                  return z3::eq(a, b) ? a : z3::ite(c, a, b);
                                });
  if (!r) return ex.z.bv_val(0, 8);
  return r->value;
}

}  // namespace gup::sym
