// Internal to the bmc engine: an unrolling of the transition relation and
// the proof search that runs beside BMC.
#pragma once

#include <string>
#include <vector>

#include "checker/bmc/smt_encode.h"
#include "checker/core/result.h"
#include "properties/property.h"

namespace gup::smt {

// States s_0..s_k and selectors st_0..st_{k-1} of one path; constraints
// are returned, never asserted here. s_0 is the numerals of `initial`, or
// fresh constants when it is null. Each later slot is the numeral its
// defining term simplifies to, or a fresh constant whose range (for the
// symbolic executor's splits) is that term's value set.
struct Unrolling {
  Unrolling(z3::context& z, const Config& cfg, const std::vector<const Property*>& props,
            const std::string& prefix, const State* initial = nullptr);
  z3::context& z;
  const Config& cfg;
  Enc enc;
  std::vector<const Property*> props;  // judged on every step (Enc::judged)
  std::string prefix;
  std::vector<SState> states;
  std::vector<SStep> steps;
  std::vector<expr> trans;  // trans[k] = T(s_k, st_k, s_{k+1})
  // evs[k]: per property, whether step k violates it (Enc::judge(), the
  // properties' own code on the step's terms).
  std::vector<std::vector<expr>> evs;
  bool relations = false;  // some property has a step part

  expr extend();                   // adds s_{k+1}; returns T(s_k, st_k, s_{k+1})
  expr extend(const Step& fixed);  // the same with st_k fixed to `fixed`
  expr extend_with(const SStep& st);
  // Some property is violated in s_k, or (k > 0) by the step into s_k.
  expr bad(int k) const;
  expr distinct_from_earlier(int k) const;  // s_k differs from s_0..s_{k-1}
  Trace decode(const z3::model& m, int k) const;
};

// The states reachable from Config::initial through the encoding's
// transition terms (smt_reach.cc), breadth first. complete: the set is
// closed under every enabled step; bad: a selected property is violated in
// one of them (then the set is cut short, and `trace` is a shortest path
// to it). Gives up past max_states or `seconds`.
struct Reach {
  bool complete = false, bad = false;
  int depth = 0;  // the largest BFS distance from the initial state
  std::vector<State> states;
  // states[0, level_end[j]) are all the states within distance j, for
  // every level j the search completed.
  std::vector<size_t> level_end;
  std::vector<int> parent;  // per state: the state it was reached from (-1: initial)
  std::vector<Step> via;    // per state: the step from its parent
  Trace trace;              // when bad
};
// s is one of states[0, n): a disjunction of equalities on the non-frozen
// fields.
expr one_of(z3::context& z, const Config& cfg, const SState& s, const std::vector<State>& states,
            size_t n);
Reach reach_through_encoding(const Config& cfg, const std::vector<const Property*>& props,
                             size_t max_states, double seconds);

// Unbounded proofs beside BMC, all sound for the finite configuration:
//  - simple paths from the initial state: when no loop-free path of k
//    steps exists, every reachable state lies within depth k-1, which BMC
//    has already checked (the completeness threshold of k-induction);
//  - the k-induction step: no loop-free path of k+1 states from any state
//    has the properties on its first k states and a violation on its last;
//  - 1-induction strengthened by an invariant: Inv = the states reachable
//    in the model (reach_through_encoding()), whose search judged every
//    transition out of them with the properties' own code; Z3 checks
//    Inv(s) ∧ T(s, st, s') ⇒ Inv(s') on the symbolic relation, and
//    Inv(initial) holds by construction. Tried once, first, when the
//    search completed without a violation.
class ProofSearch {
 public:
  ProofSearch(z3::context& z, const Config& cfg, const std::vector<const Property*>& props,
              Unrolling& bmc, const Reach* reach);
  struct Outcome {
    bool proved = false;
    std::string how;
  };
  // Called after BMC found no violation up to depth k.
  Outcome step(int k, double seconds);
  // A Z3 resource limit per query instead of `seconds` (0: none;
  // checker/bmc/solver_limit.h); the induction step gets a sixty-fourth of it.
  unsigned rlimit = 0;

 private:
  z3::context& z_;
  Unrolling& bmc_;   // shares the initial-path states with BMC
  z3::solver init_;  // init, T, all distinct
  Unrolling ind_;    // the free path of the induction step
  z3::solver step_;  // T, distinct, properties hold before the last state
  int init_depth_ = 0;
  bool init_gave_up_ = false, step_gave_up_ = false, inv_tried_ = false;
  const Config& cfg_;
  std::vector<const Property*> props_;
  const Reach* reach_;  // may be null
  Outcome invariant(double seconds);
};

}  // namespace gup::smt
