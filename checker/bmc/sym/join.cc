// Join points of the symbolic domain (model/value.h R5).
#include <utility>

#include "checker/bmc/sym/sym_state.h"

namespace gup::sym {

namespace {
using Result = std::pair<State, EventLog>;

// The events a path inside the join logged, guarded by `c`.
void append_guarded(EventLog& out, const EventLog& in, int from, const z3::expr& c) {
  z3::expr zero = ctx().bv_val(0, 8);
  for (int i = from; i < in.n; i++) {
    Event e = in.events[i];
    e.guard = SymInt<uint8_t>(z3::ite(c, e.guard.e, zero));
    if (out.n == EventLog::kCapacity) throw std::logic_error("join: too many events to merge");
    out.add(e);
  }
}
}  // namespace

void join_paths(State& s, EventLog* log, const std::function<void()>& body) {
  Executor& ex = current();
  const State before = s;
  const EventLog log_before = log ? *log : EventLog{};
  const int n0 = log_before.n;
  auto m = ex.explore<Result>(
      [&] {
        s = before;
        if (log) *log = log_before;
        body();
        return Result{s, log ? *log : EventLog{}};
      },
      [&](const z3::expr& c, const Result& a, const Result& b) {
        Result out{merge(c, a.first, b.first), log_before};
        append_guarded(out.second, a.second, n0, c);
        append_guarded(out.second, b.second, n0, !c);
        return out;
      });
  if (!m) infeasible("join: every path was cut");
  s = m->value.first;
  if (log) *log = m->value.second;
  if (!decide(m->valid)) infeasible("join: the path was cut");
}

}  // namespace gup::sym
