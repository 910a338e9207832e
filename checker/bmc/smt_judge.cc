// The properties of the bmc engine: properties/ holds() compiled on z3
// terms (checker/bmc/sym/sym_properties.h) and run by the symbolic executor on
// each path's transition, so bmc judges a transition with the code explore
// and random run. Nothing here restates a property.
//
// Invariants:
//  J1. A property is judged inside the path of the step that made the
//      transition: `before` is the state the step started from, `log` the
//      events that path logged (guarded where a join merged them), `after`
//      the path's successor. Its own branches are explored and merged into
//      one term per path, so a property adds no paths to the relation.
//  J2. Its decisions are not pruned against the context: the term is exact
//      for every value of the inputs, not only where the context holds.
//  J3. A path of the property code that is cut (an index out of range the
//      code did not guard) counts as "holds": the engine may miss that
//      violation, never report one the concrete replay would not confirm
//      (every counterexample is replayed before it is reported).
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "checker/bmc/smt_encode.h"
#include "checker/bmc/sym/sym_properties.h"

namespace gup::smt {

std::vector<expr> Enc::judge(sym::Executor& ex, const sym::State* before, Step step,
                             const sym::EventLog* log, const sym::State& after) const {
  std::vector<expr> out;
  out.reserve(judged.size());
  ex.set_context(nullptr);  // J2
  static const bool debug = std::getenv("GUPCHECK_JUDGE_DEBUG") != nullptr;
  for (int p : judged) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = ex.explore<expr>(
        [&] { return z.bool_val(!sym::property_holds(p, before, step, log, after, cfg)); },
        [](const z3::expr& c, const expr& a, const expr& b) {
          return z3::eq(a, b) ? a : z3::ite(c, a, b);
        });
    out.push_back(r ? (r->valid && r->value).simplify() : ff());  // J3
    if (debug)
      fmt::print(stderr, "judge {}: {} paths, {:.3f} s\n", p, r ? r->paths : 0,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  ex.set_context(context);
  return out;
}

expr Enc::initial_bad(const SState& s) const {
  sym::Executor ex(z);
  prepare(ex);
  const sym::State x = to_sym(s);
  expr any = ff();
  for (const expr& b : judge(ex, nullptr, Step{}, nullptr, x)) any = any || b;
  return any.simplify();
}

}  // namespace gup::smt
