// The proof search beside BMC (checker/bmc/smt_bmc.h): simple paths from the
// initial state, and the k-induction step with simple-path constraints.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

#include "checker/bmc/smt_bmc.h"
#include "checker/bmc/solver_limit.h"

namespace gup::smt {

ProofSearch::ProofSearch(z3::context& z, const Config& cfg,
                         const std::vector<const Property*>& props, Unrolling& bmc,
                         const Reach* reach)
    : z_(z),
      bmc_(bmc),
      init_(z),
      ind_(z, cfg, props, "u"),
      step_(z),
      cfg_(cfg),
      props_(props),
      reach_(reach) {
  init_.add(states_equal(bmc.states[0], numeral_state(z, cfg, cfg.initial), cfg));
}

namespace {
// The induction step ranges over arbitrary states and is rarely decisive on
// this model; a short per-query timeout keeps it from starving BMC, and
// the first timeout switches it off (docs/internals-smt.md).
constexpr double kStepQuerySeconds = 2;

constexpr unsigned kStepRlimitShare = 64;
}  // namespace

expr one_of(z3::context& z, const Config& cfg, const SState& s, const std::vector<State>& states,
            size_t n) {
  z3::expr_vector any(z);
  for (size_t i = 0; i < n; i++)
    any.push_back(states_equal(s, numeral_state(z, cfg, states[i]), cfg));
  return z3::mk_or(any);
}

ProofSearch::Outcome ProofSearch::invariant(double seconds) {
  if (!reach_ || !reach_->complete || reach_->bad) return Outcome{};
  const Reach& r = *reach_;
  // The values each slot has in the set: the executor splits an index of
  // s into those (executor.h E4 prunes the rest with Inv(s)).
  std::vector<std::vector<int64_t>> values;
  for (const State& st : r.states) {
    SState n = numeral_state(z_, cfg_, st);
    State c = st;
    size_t i = 0;
    visit_slots(n, c, cfg_, [&](Slot& sl) {
      if (values.size() <= i) values.emplace_back();
      values[i++].push_back(int64_t(sl.e->get_numeral_uint64()));
    });
  }
  for (std::vector<int64_t>& v : values) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  // Inv(s) ∧ T(s, st, s') ⇒ Inv(s'), one query per selector (task,
  // choice): each holds the paths of one task only. The properties are not
  // judged again here: the search that built Inv judged every transition
  // out of every state of it with the same properties' code (complete and
  // clean, checked above), so closure is what is left to prove.
  for (int t = 0; t < cfg_.nr_tasks; t++)
    for (int ch = 0; ch < 2; ch++) {
      Unrolling u(z_, cfg_, {}, fmt::format("inv{}_{}_", t, ch));
      // The final query bit-blasts (QF_BV: seconds where the default
      // solver took minutes); the executor's many small pruning queries
      // go to an incremental solver that holds Inv(s) only.
      z3::solver chk(z_, "QF_BV"), prune(z_);
      expr inv = one_of(z_, cfg_, u.states[0], r.states, r.states.size());
      chk.add(inv);
      prune.add(inv);
      State c = cfg_.initial;
      size_t i = 0;
      visit_slots(u.states[0], c, cfg_, [&](Slot& sl) {
        const std::vector<int64_t>& v = values[i++];
        if (!sl.e->is_numeral()) u.enc.set_range(*sl.e, v);
      });
      u.enc.context = &prune;
      auto t0 = std::chrono::steady_clock::now();
      chk.add(u.extend(Step{uint8_t(t), uint8_t(ch)}));
      double built = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      chk.add(!one_of(z_, cfg_, u.states[1], r.states, r.states.size()));
      set_query_limit(z_, chk, {seconds, rlimit});
      z3::check_result res = chk.check();
      if (std::getenv("GUPCHECK_SMT_DEBUG"))
        fmt::print(stderr,
                   "invariant task {} choice {}: {} paths, {} pruning queries in {:.2f} s, {:.2f} "
                   "s in all, {}\n",
                   t, ch, u.enc.paths(), u.enc.queries(), built,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
                   res == z3::sat     ? "sat"
                   : res == z3::unsat ? "unsat"
                                      : "unknown");
      if (res != z3::unsat) return Outcome{};
    }
  return Outcome{true, fmt::format("1-induction strengthened by an invariant: the {} states "
                                   "reachable in the model (BFS depth {}) are closed under "
                                   "the symbolic transition relation, and no transition out "
                                   "of them violates a property",
                                   r.states.size(), r.depth)};
}

ProofSearch::Outcome ProofSearch::step(int k, double seconds) {
  if (!inv_tried_) {
    inv_tried_ = true;
    Outcome o = invariant(seconds);
    if (o.proved) return o;
  }
  // Simple paths of k steps from the initial state, on BMC's unrolling.
  if (!init_gave_up_) {
    while (init_depth_ < k) {
      init_.add(bmc_.trans[init_depth_]);
      init_depth_++;
      init_.add(bmc_.distinct_from_earlier(init_depth_));
    }
    set_query_limit(z_, init_, {seconds, rlimit});
    z3::check_result r = init_.check();
    if (r == z3::unsat)
      return Outcome{true, fmt::format("no loop-free path of {} steps from the initial state; "
                                       "every reachable state is within depth {}",
                                       k, k - 1)};
    if (r == z3::unknown) init_gave_up_ = true;
  }
  // The induction step: s_0..s_k loop-free, properties hold on s_0..s_{k-1}.
  if (!step_gave_up_ && k > 0) {
    while (int(ind_.states.size()) <= k) {
      int last = int(ind_.states.size()) - 1;
      try {
        step_.add(!ind_.bad(last));
        // A shortest path into a violating step is loop-free up to the
        // step's source, but the step may go back to an earlier state:
        // with step parts, the last state is not required distinct (it
        // is once the path grows past it).
        if (ind_.relations && last > 0) step_.add(ind_.distinct_from_earlier(last));
        step_.add(ind_.extend());
      } catch (const std::logic_error&) {
        // A free state has no value ranges for the executor to split an
        // index into: the induction step is not available.
        step_gave_up_ = true;
        return Outcome{};
      }
      if (!ind_.relations) step_.add(ind_.distinct_from_earlier(last + 1));
    }
    expr lit = z_.bool_const(fmt::format("ind_bad_{}", k).c_str());
    step_.add(z3::implies(lit, ind_.bad(k)));
    set_query_limit(z_, step_,
                    {std::min(seconds, kStepQuerySeconds),
                     rlimit ? std::max(1u, rlimit / kStepRlimitShare) : 0});
    z3::expr_vector a(z_);
    a.push_back(lit);
    z3::check_result r = step_.check(a);
    if (r == z3::unsat)
      return Outcome{true, fmt::format("{}-induction with simple-path constraints", k)};
    if (r == z3::unknown) step_gave_up_ = true;
  }
  return Outcome{};
}

}  // namespace gup::smt
