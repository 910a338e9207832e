// The bmc engine's driver (checker/bmc/smt.h): incremental BMC with one solver
// and an assumption literal per depth, a proof search beside it
// (checker/bmc/smt_proof.cc), and decoding plus replay of every model.
#include "checker/bmc/smt_bmc.h"

#include <fmt/format.h>

#include <chrono>
#include <iostream>

#include "checker/core/replay.h"
#include "checker/bmc/smt.h"
#include "checker/bmc/solver_limit.h"
#include "checker/bmc/sym/sym_properties.h"

namespace gup::smt {

Unrolling::Unrolling(z3::context& z_, const Config& cfg_, const std::vector<const Property*>& p,
                     const std::string& prefix_, const State* initial)
    : z(z_), cfg(cfg_), enc(z_, cfg_), props(p), prefix(prefix_) {
  for (const Property* q : props) {
    int i = sym::property_index(q->name);
    if (i < 0) throw std::logic_error(fmt::format("property {} has no symbolic twin", q->name));
    enc.judged.push_back(i);
    relations |= q->kind != PropertyKind::kStateInvariant;
  }
  states.push_back(initial ? numeral_state(z, cfg, *initial) : fresh_state(z, cfg, prefix + "0_"));
}

// The transition from the last state to a new one: T(s_k, st_k, s_{k+1}).
expr Unrolling::extend() {
  int k = int(steps.size());
  return extend_with(SStep{z.bv_const(fmt::format("{}task{}", prefix, k).c_str(), 8),
                           z.bool_const(fmt::format("{}choice{}", prefix, k).c_str())});
}

expr Unrolling::extend(const Step& fixed) {
  return extend_with(SStep{z.bv_val(fixed.task, 8), z.bool_val(fixed.choice != 0)});
}

expr Unrolling::extend_with(const SStep& st) {
  int k = int(steps.size());
  SState next = fresh_state(z, cfg, fmt::format("{}{}_", prefix, k + 1));
  Enc::Stepped sp = enc.step(states.back(), st);
  SState& applied = sp.next;
  std::vector<expr*> terms, slots;
  State c1 = cfg.initial, c2 = cfg.initial;
  visit_slots(applied, c1, cfg, [&](Slot& sl) { terms.push_back(sl.e); });
  visit_slots(next, c2, cfg, [&](Slot& sl) { slots.push_back(sl.e); });
  for (size_t i = 0; i < slots.size(); i++) {
    if (terms[i]->is_numeral()) {
      *slots[i] = *terms[i];
    } else if (!slots[i]->is_numeral()) {
      if (auto vs = enc.value_set(*terms[i])) enc.set_range(*slots[i], *vs);
    }
  }
  expr t = sp.enabled && states_equal(next, applied, cfg);
  evs.push_back(std::move(applied.bad));
  steps.push_back(st);
  states.push_back(next);
  trans.push_back(t);
  return t;
}

expr Unrolling::bad(int k) const {
  if (k == 0) return enc.initial_bad(states[0]);
  expr any = z.bool_val(false);
  for (const expr& b : evs[k - 1]) any = any || b;
  return any;
}

expr Unrolling::distinct_from_earlier(int k) const {
  expr all = z.bool_val(true);
  for (int j = 0; j < k; j++) all = all && !states_equal(states[j], states[k], cfg);
  return all;
}

Trace Unrolling::decode(const z3::model& m, int k) const {
  Trace tr;
  for (int j = 0; j < k; j++)
    tr.steps.push_back(Step{uint8_t(m.eval(steps[j].task, true).get_numeral_uint()),
                            uint8_t(m.eval(steps[j].choice, true).is_true() ? 1 : 0)});
  return tr;
}

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Replays the decoded trace and checks that every decoded state is the
// concrete one: a mismatch is a bug of the encoding, never a result.
std::string validate(const Unrolling& u, const z3::model& m, const Trace& tr) {
  State s = u.cfg.initial;
  for (size_t j = 0; j <= tr.steps.size(); j++) {
    State d = decode_state(u.states[j], u.cfg, m);
    if (!(d == s)) return fmt::format("decoded state {} differs from the model's", j);
    if (j == tr.steps.size()) break;
    StepBuffer buf;
    enabled_steps(s, u.cfg, buf);
    bool ok = false;
    for (const Step& st : buf) ok |= st == tr.steps[j];
    if (!ok)
      return fmt::format("step {} (task {}) is not enabled in the model", j, tr.steps[j].task);
    apply(s, u.cfg, tr.steps[j]);
  }
  return "";
}

void internal_error(EngineResult& r, const std::string& what) {
  r.verdict = Verdict::kIncomplete;
  r.why = "INTERNAL ERROR in the bmc engine: " + what +
          " (the counterexample is not reported; please file the configuration)";
  r.stats["internal_error"] = true;
  std::cerr << "gupcheck bmc: " << r.why << "\n";
}

}  // namespace

EngineResult run_bmc(const Config& cfg, std::span<const Property* const> all_props,
                     const EngineOptions& opts, const BmcOptions& bopts) {
  auto t0 = Clock::now();
  EngineResult r;
  r.engine = "bmc";
  r.config = cfg.name;
  r.variant = cfg.variant->name;
  if (std::string why = unsupported_reason(cfg); !why.empty()) {
    r.why = why;
    r.seconds = since(t0);
    return r;
  }
  z3::context z;
  std::vector<const Property*> props(all_props.begin(), all_props.end());
  int max_depth = opts.max_depth > 0 ? opts.max_depth : bopts.max_depth;
  Unrolling u(z, cfg, props, "s", &cfg.initial);
  z3::solver base(z);
  u.enc.context = &base;
  auto budget_left = [&] { return opts.time_limit <= 0 ? 1e9 : opts.time_limit - since(t0); };
  // One query's limit: the wall clock, or Z3's resource count only.
  auto query_limit = [&](double left) {
    return QueryLimit{std::min(left, bopts.query_timeout), opts.solver_rlimit};
  };
  Reach reach;
  if (bopts.reach_states > 0)
    reach = reach_through_encoding(
        cfg, props, bopts.reach_states,
        opts.solver_rlimit ? budget_left() : std::min(budget_left(), bopts.query_timeout));
  r.stats["reach"] = {{"states", reach.states.size()},
                      {"complete_levels", reach.level_end.size()},
                      {"closed", reach.complete},
                      {"violation", reach.bad},
                      {"seconds", since(t0)}};
  // Reports the violation in the model of `solver` at depth k of `uu`,
  // after validation and replay (false: an internal error was reported).
  auto report = [&](const Unrolling& uu, z3::solver& solver, int k, const char* found_by) {
    z3::model m = solver.get_model();
    Trace tr = uu.decode(m, k);
    if (std::string err = validate(uu, m, tr); !err.empty()) return internal_error(r, err);
    ReplayOutcome out = replay(cfg, tr, all_props);
    if (!out.ok || !out.violated)
      return internal_error(r, fmt::format("a depth-{} trace does not replay to a violation{}", k,
                                           out.ok ? "" : ": " + out.error));
    tr.steps.resize(out.violation_step);
    r.verdict = Verdict::kViolated;
    r.property = out.property;
    r.why = out.why;
    r.trace = tr;
    r.bound = k;
    r.stats["found_by"] = found_by;
  };
  // A violation the reachable-state search found at distance d: its levels
  // before d are complete and clean, so no depth below d has one. Z3
  // confirms the search's path on an unrolling whose selectors are fixed to
  // its steps (one query on a fresh solver, which preprocesses: the initial
  // state propagates through the unrolling), and the model goes through
  // the same validation and replay as BMC's.
  if (reach.bad && int(reach.trace.steps.size()) <= max_depth) {
    int d = int(reach.trace.steps.size());
    Unrolling uc(z, cfg, props, "c", &cfg.initial);
    z3::solver confirm(z);
    for (const Step& st : reach.trace.steps) confirm.add(uc.extend(st));
    confirm.add(uc.bad(d));
    set_query_limit(z, confirm, query_limit(budget_left()));
    z3::check_result res = confirm.check();
    if (res == z3::sat)
      report(uc, confirm, d,
             "the reachable-state search through the encoding; its path confirmed on the "
             "unrolling by Z3");
    else if (res == z3::unsat)
      internal_error(r, fmt::format("the reachable-state search's depth-{} path is not a path "
                                    "of the unrolling into a violation",
                                    d));
    else
      r.why = fmt::format("solver gave up confirming the depth-{} path ({})", d,
                          confirm.reason_unknown());
    r.seconds = since(t0);
    return r;
  }
  std::unique_ptr<ProofSearch> proof;
  if (bopts.induction) proof = std::make_unique<ProofSearch>(z, cfg, props, u, &reach);
  if (proof) proof->rlimit = opts.solver_rlimit;
  nlohmann::json per_depth = nlohmann::json::array();
  r.bound = -1;
  for (int k = 0; k <= max_depth; k++) {
    double left = budget_left();
    if (left <= 0) break;
    if (k > 0) base.add(u.extend());
    // Reachability lemma: s_k lies within distance k (checker/bmc/smt.h).
    if (size_t(k) < reach.level_end.size())
      base.add(one_of(z, cfg, u.states[k], reach.states, reach.level_end[k]));
    double built = since(t0);
    expr lit = z.bool_const(fmt::format("bad_at_{}", k).c_str());
    base.add(z3::implies(lit, u.bad(k)));
    set_query_limit(z, base, query_limit(left));
    z3::expr_vector assumptions(z);
    assumptions.push_back(lit);
    z3::check_result res = base.check(assumptions);
    if (res == z3::unknown && budget_left() > 0) {
      // Solver times are heavy-tailed (docs/internals-smt.md): one retry
      // with another seed before giving up.
      z3::params seed(z);
      seed.set("random_seed", unsigned(k + 1));
      base.set(seed);
      res = base.check(assumptions);
    }
    per_depth.push_back({built, since(t0)});
    if (res == z3::unknown) {
      r.why = budget_left() <= 0.05
                  ? fmt::format("time limit reached: incomplete at depth {}", r.bound)
                  : fmt::format("solver gave up at depth {} ({})", k, base.reason_unknown());
      break;
    }
    if (res == z3::sat) {
      report(u, base, k, "BMC");
      break;
    }
    r.bound = k;
    if (proof) {
      ProofSearch::Outcome po = proof->step(k, std::min(budget_left(), bopts.query_timeout));
      if (po.proved) {
        r.verdict = Verdict::kProved;
        r.stats["proof"] = po.how;
        break;
      }
    }
    if (k == max_depth) r.verdict = Verdict::kBounded;
  }
  if (r.verdict == Verdict::kIncomplete && r.why.empty())
    r.why = fmt::format("budget exhausted: incomplete at depth {}", r.bound);
  r.stats["depth_times"] = per_depth;
  r.seconds = since(t0);
  return r;
}

}  // namespace gup::smt

namespace gup {

namespace {
EngineResult run_bmc_engine(const Config& cfg, std::span<const Property* const> props,
                            const EngineOptions& opts) {
  return smt::run_bmc(cfg, props, opts, smt::BmcOptions{});
}
}  // namespace

const Engine kBmcEngine{
    "bmc",
    "SMT (Z3) bounded model checking with k-induction and a reachable-state invariant; covers "
    "the GUP entry points, unpin, faults, drains, transient references, fork, "
    "madvise(MADV_DONTNEED), mprotect, truncate, reclaim, THP split, compaction and cma_alloc",
    run_bmc_engine,
};

}  // namespace gup
