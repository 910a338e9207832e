// The proof search beside BMC (checker/smt_bmc.h): simple paths from the
// initial state, and the k-induction step with simple-path constraints.
#include <fmt/format.h>

#include "checker/smt_bmc.h"
#include "checker/solver_limit.h"

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
  // Inv(s): s is one of the states (non-frozen fields; frozen ones are
  // numerals of Config::initial in every state of the encoding).
  Unrolling u(z_, cfg_, props_, "inv");
  z3::solver chk(z_);
  chk.add(one_of(z_, cfg_, u.states[0], r.states, r.states.size()));
  chk.add(u.extend());
  chk.add(!one_of(z_, cfg_, u.states[1], r.states, r.states.size()) || u.bad(1));
  set_query_limit(z_, chk, {seconds, rlimit});
  if (chk.check() != z3::unsat) return Outcome{};
  return Outcome{true, fmt::format("1-induction strengthened by an invariant: the {} states "
                                   "reachable through the encoding (BFS depth {}) are closed "
                                   "under the transition relation and violate nothing",
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
      step_.add(!ind_.bad(last));
      // A shortest path into a violating step is loop-free up to the
      // step's source, but the step may go back to an earlier state: with
      // step parts, the last state is not required distinct (it is once
      // the path grows past it).
      if (ind_.relations && last > 0) step_.add(ind_.distinct_from_earlier(last));
      step_.add(ind_.extend());
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
