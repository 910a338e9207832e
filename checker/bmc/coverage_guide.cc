// Solver prefixes into branches (checker/bmc/coverage_guide.h). Extends
// smt::guide_to() (checker/bmc/smt_guide.cc) with the branch's choice: the
// target is the step taken in the section, not only the section.
#include "checker/bmc/coverage_guide.h"

#include <fmt/format.h>

#include <chrono>
#include <stdexcept>

#include "checker/bmc/smt.h"
#include "checker/bmc/smt_bmc.h"
#include "checker/bmc/solver_limit.h"

namespace gup::coverage {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

bool enabled(const State& s, const Config& cfg, Step step) {
  StepBuffer buf;
  enabled_steps(s, cfg, buf);
  for (const Step& e : buf)
    if (e == step) return true;
  return false;
}

// The concrete model must take the same path, and the last step must be
// the branch's: a mismatch is a bug of the encoding, never a result.
void validate(const Config& cfg, const Branch& b, const Trace& tr) {
  State st = cfg.initial;
  for (size_t j = 0; j < tr.steps.size(); j++) {
    if (!enabled(st, cfg, tr.steps[j]))
      throw std::logic_error(fmt::format("coverage guide: decoded step {} is not enabled", j + 1));
    State before = st;
    apply(st, cfg, tr.steps[j]);
    if (j + 1 == tr.steps.size()) {
      const Task& t = before.tasks[b.task];
      const Task& a = st.tasks[b.task];
      uint8_t next = a.script_pos != t.script_pos ? kOpReturned : a.pc;
      if (tr.steps[j] != Step{b.task, b.choice} || t.script_pos != b.script_pos || t.pc != b.pc ||
          (b.is_outcome() && next != b.next))
        throw std::logic_error("coverage guide: the trace does not take its branch");
    }
  }
}

}  // namespace

GuideOutcome guide_to_branches(const Config& cfg, const std::vector<Branch>& targets,
                               const GuideOptions& opts) {
  GuideOutcome out;
  Clock::time_point t0 = Clock::now();
  for (const Branch& b : targets) out.targets.push_back(Guided{b, Reach::kUnknown, {}});
  out.refused = smt::unsupported_reason(cfg);
  if (!out.refused.empty()) return out;
  std::vector<size_t> pending;
  for (size_t i = 0; i < targets.size(); i++)
    if (targets[i].task < cfg.nr_tasks && targets[i].script_pos < cfg.script_len[targets[i].task])
      pending.push_back(i);
    else
      out.targets[i].reach = Reach::kUnreachable;
  if (pending.empty()) return out;
  z3::context z;
  smt::Unrolling u(z, cfg, {}, "cov", &cfg.initial);
  z3::solver s(z);
  u.enc.context = &s;
  bool out_of_time = false;
  // Sets the query's limit; false when the time is up (never with rlimit).
  auto budget = [&] {
    double left = opts.rlimit ? 1e9 : opts.total_seconds - since(t0);
    if (left <= 0) {
      out_of_time = true;
      return false;
    }
    set_query_limit(z, s, {std::min(opts.query_seconds, left), opts.rlimit});
    return true;
  };
  int lits = 0;
  auto check = [&](const z3::expr& goal) {
    z3::expr lit = z.bool_const(fmt::format("cov_{}", lits++).c_str());
    s.add(z3::implies(lit, goal));
    z3::expr_vector a(z);
    a.push_back(lit);
    return s.check(a);
  };
  for (int k = 0; k < opts.max_depth && !pending.empty() && !out_of_time; k++) {
    s.add(u.extend());  // s_{k+1} and the selector st_k of the branch's step
    // s_k has the task in the branch's section and st_k is its step.
    // For an outcome, s_{k+1} has the task in the outcome's section.
    auto takes = [&](const Branch& b) {
      const smt::STask& t = u.states[k].t[b.task];
      z3::expr e = t.script_pos == u.enc.b8(b.script_pos) && t.pc == u.enc.b8(b.pc) &&
                   u.steps[k].task == u.enc.b8(b.task) &&
                   u.steps[k].choice == z.bool_val(b.choice != 0);
      if (!b.is_outcome()) return e;
      const smt::STask& a = u.states[k + 1].t[b.task];
      if (b.next == kOpReturned) return e && a.script_pos == u.enc.b8(b.script_pos + 1);
      return e && a.script_pos == u.enc.b8(b.script_pos) && a.pc == u.enc.b8(b.next);
    };
    auto reached = [&](size_t i, const z3::model& m) {
      Trace tr = u.decode(m, k + 1);
      validate(cfg, targets[i], tr);
      out.targets[i].reach = Reach::kReached;
      out.targets[i].prefix = std::move(tr);
    };
    // One query for every open target: a model answers each target it
    // takes (all with the same, shortest, trace) and the rest are asked
    // again, until UNSAT. Most targets are unreachable, so most depths
    // cost one UNSAT query instead of one per target.
    std::vector<size_t> open = pending;
    while (!open.empty() && budget()) {
      z3::expr_vector any(z);
      for (size_t i : open) any.push_back(takes(targets[i]));
      z3::check_result r = check(z3::mk_or(any));
      if (r == z3::unsat) break;
      if (r == z3::unknown) {
        // One by one: a target the solver gives up on is kUnknown and not
        // asked again; the others stay open.
        std::vector<size_t> rest;
        for (size_t i : open) {
          if (!budget()) {
            rest.push_back(i);
            continue;
          }
          z3::check_result one = check(takes(targets[i]));
          if (one == z3::sat)
            reached(i, s.get_model());
          else if (one == z3::unsat)
            rest.push_back(i);
        }
        open.swap(rest);
        break;
      }
      z3::model m = s.get_model();
      std::vector<size_t> rest;
      for (size_t i : open)
        if (m.eval(takes(targets[i]), true).is_true())
          reached(i, m);
        else
          rest.push_back(i);
      open.swap(rest);
    }
    pending.swap(open);
    if (!out_of_time) out.depth = k + 1;
  }
  if (!out_of_time)
    for (size_t i : pending) out.targets[i].reach = Reach::kUnreachable;
  out.seconds = since(t0);
  return out;
}

}  // namespace gup::coverage
