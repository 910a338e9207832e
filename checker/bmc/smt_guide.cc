// Guidance for the other engines (checker/bmc/smt.h): a shortest trace that
// brings a task to a given section of its script, e.g. an error path of the
// long-term loop that random search has not reached. The prefix is checked
// on the concrete model before it is handed out.
#include <fmt/format.h>

#include "checker/bmc/smt.h"
#include "checker/bmc/smt_bmc.h"
#include "checker/bmc/solver_limit.h"

namespace gup::smt {

std::optional<Trace> guide_to(const Config& cfg, const GuideTarget& target, int max_depth,
                              double seconds, unsigned rlimit) {
  if (!unsupported_reason(cfg).empty() || target.task >= cfg.nr_tasks) return std::nullopt;
  z3::context z;
  Unrolling u(z, cfg, {}, "g", &cfg.initial);
  z3::solver s(z);
  u.enc.context = &s;
  set_query_limit(z, s, {seconds, rlimit});
  for (int k = 0; k <= max_depth; k++) {
    if (k > 0) s.add(u.extend());
    const STask& t = u.states[k].t[target.task];
    expr lit = z.bool_const(fmt::format("reach_{}", k).c_str());
    s.add(z3::implies(lit,
                      t.script_pos == u.enc.b8(target.script_pos) && t.pc == u.enc.b8(target.pc)));
    z3::expr_vector a(z);
    a.push_back(lit);
    z3::check_result r = s.check(a);
    if (r == z3::unknown) return std::nullopt;
    if (r == z3::unsat) continue;
    Trace tr = u.decode(s.get_model(), k);
    // The concrete model must take the same path and land on the target.
    State st = cfg.initial;
    for (const Step& step : tr.steps) {
      StepBuffer buf;
      enabled_steps(st, cfg, buf);
      bool ok = false;
      for (const Step& e : buf) ok |= e == step;
      if (!ok) throw std::logic_error("smt guide_to: a decoded step is not enabled");
      apply(st, cfg, step);
    }
    const Task& ct = st.tasks[target.task];
    if (ct.script_pos != target.script_pos || ct.pc != target.pc)
      throw std::logic_error("smt guide_to: the trace does not reach its target");
    return tr;
  }
  return std::nullopt;
}

}  // namespace gup::smt
