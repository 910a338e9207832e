// The symbolic domain of the model's kernel code: model/*.cc compiled with
// -DGUP_DOMAIN_HEADER="checker/bmc/sym/sym_domain.h" puts every kernel function
// into namespace gup::sym, on the types below (model/value.h).
#pragma once

#include <functional>
#include <stdexcept>
#include <tuple>
#include <type_traits>
#include <utility>

#include "checker/bmc/sym/executor.h"
#include "checker/bmc/sym/sym_value.h"

#define GUP_SYMBOLIC 1
#define GUP_DOMAIN_NS gup::sym
#define GUP_DOMAIN_BEGIN namespace gup::sym {
#define GUP_DOMAIN_END }
#define GUP_ASSUME(cond, why) ::gup::sym::assume(cond, why)

namespace gup {
template <class V>
struct FolioT;
template <class V>
struct VmaT;
template <class V>
struct PteT;
template <class V>
struct MmT;
template <class V>
struct PageRefT;
template <class V>
struct TaskT;
template <class V>
struct StateT;
template <class V>
struct EventT;
template <class V>
struct EventLogT;
}  // namespace gup

namespace gup::sym {
using V = SymV;
template <class T>
using Val = SymInt<T>;
template <class T, int N>
using Array = SymArray<T, N>;
using Folio = FolioT<SymV>;
using Vma = VmaT<SymV>;
using Pte = PteT<SymV>;
using Mm = MmT<SymV>;
using PageRef = PageRefT<SymV>;
using Task = TaskT<SymV>;
using State = StateT<SymV>;
using Event = EventT<SymV>;
using EventLog = EventLogT<SymV>;

// model/value.h R5: runs `body` on every path from here, merges the state
// and the events it logged, and goes on with the merged state
// (checker/bmc/sym/join.cc).
void join_paths(State& s, EventLog* log, const std::function<void()>& body);
template <class F>
void join(State& s, EventLog* log, F&& body) {
  join_paths(s, log, std::function<void()>(std::forward<F>(body)));
}

// model/value.h R6: `acc` after `body` on every path, merged field by
// field; the body may change nothing else.
template <class T>
void merge_acc(const z3::expr& c, SymInt<T>& out, const SymInt<T>& a, const SymInt<T>& b) {
  out = z3::eq(a.e, b.e) ? a : SymInt<T>(z3::ite(c, a.e, b.e));
}
inline void merge_acc(const z3::expr& c, SymBool& out, const SymBool& a, const SymBool& b) {
  out = z3::eq(a.e, b.e) ? a : SymBool(z3::ite(c, a.e, b.e));
}
template <class A>
requires std::is_arithmetic_v<A> || std::is_enum_v<A> || std::is_pointer_v<A>
void merge_acc(const z3::expr&, A& out, const A& a, const A& b) {
  if (a != b)
    throw std::logic_error("join: a plain value differs between paths (model/value.h R6)");
  out = a;
}
template <class T, size_t N>
void merge_acc(const z3::expr& c, T (&out)[N], const T (&a)[N], const T (&b)[N]) {
  for (size_t i = 0; i < N; i++) merge_acc(c, out[i], a[i], b[i]);
}
template <class T, int N>
void merge_acc(const z3::expr& c, SymArray<T, N>& out, const SymArray<T, N>& a,
               const SymArray<T, N>& b) {
  merge_acc(c, out.a, a.a, b.a);
}
template <class A>
requires requires(A x) {
  x.tie();
}
void merge_acc(const z3::expr& c, A& out, const A& a, const A& b) {
  A ca = a, cb = b;
  auto to = out.tie();
  auto ta = ca.tie();
  auto tb = cb.tie();
  [&]<size_t... I>(std::index_sequence<I...>) {
    (merge_acc(c, std::get<I>(to), std::get<I>(ta), std::get<I>(tb)), ...);
  }
  (std::make_index_sequence<std::tuple_size_v<decltype(to)>>{});
}
template <class A, class F>
void join(A& acc, F&& body) {
  Executor& ex = current();
  const A before = acc;
  auto m = ex.explore<A>(
      [&] {
        acc = before;
        body();
        return acc;
      },
      [](const z3::expr& c, const A& a, const A& b) {
        A out = a;
        merge_acc(c, out, a, b);
        return out;
      });
  if (!m) infeasible("join: every path was cut");
  acc = m->value;
  if (!decide(m->valid)) infeasible("join: the path was cut");
}
}  // namespace gup::sym
