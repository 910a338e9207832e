// The value domain the model's kernel code runs on.
//
// The model's state types are templates over a value policy V, and its
// transition code (model/*.cc, model/kernel.h) is written once against the
// names State, Folio, Task, ... of "its" domain. Two domains exist:
//  - concrete (this header, Plain): plain integers, a C array per array;
//    the code is ordinary C++ and runs at full speed for explore and random;
//  - symbolic (checker/bmc/sym/sym_domain.h): the same source compiled again
//    with -DGUP_DOMAIN_HEADER naming that header, on z3 expressions, into
//    namespace gup::sym. A branch on a symbolic condition is decided by the
//    symbolic executor (both arms are run, then merged), an index held in
//    the state is split into its concrete cases.
//
// Rules for code written once (docs/one-semantics.md):
//  R1. Control flow may depend on state: `if (f.refcount <= 0)` is a branch
//      in both domains. Values written back into the state must be computed
//      from state values (`f.refcount = f.refcount + refs`), never through
//      a narrowing cast such as `int16_t(...)`, which would split them.
//  R2. An index read from the state is made concrete with `int(x)`, or used
//      directly as an array index; both split on its possible values.
//  R3. A data update over many entries uses select(c, a, b), which is one
//      expression in the symbolic domain instead of a branch.
//  R4. Preconditions use GUP_ASSUME: an assert in the concrete domain, a
//      path that is cut in the symbolic one.
//  R5. A loop whose iterations branch independently (one per folio, per
//      PTE) wraps its body in join(s, log, body): in the symbolic domain
//      the body's paths are merged before the loop goes on, so the paths
//      grow with the loop's length, not exponentially.
//  R6. Code that accumulates into a local value over such a loop (the
//      properties' ledger, counts per folio) wraps the body in
//      join(acc, body): the body may change only `acc`, whose fields are
//      values of the domain (Val<T>, arrays of them, or a struct with a
//      tie() of them); its paths are merged field by field.
#pragma once

#include <cassert>

namespace gup {

// The concrete value policy: State<Plain> is the fixed-size, trivially
// copyable state of explore and random.
struct Plain {
  template <class T>
  using Int = T;
  template <class T, int N>
  using Array = T[N];
  using Bool = bool;
  static constexpr int kEventCapacity = 16;
};

// x converted to the narrower T, as C++ does on assignment (for braced
// initialisers, which refuse an implicit narrowing).
template <class T, class X>
inline T narrow(const X& x) {
  return static_cast<T>(x);
}

// The index of the lowest set bit of x, or -1 when x is 0 (the kernel's
// __ffs(); a primitive of each domain).
template <class T>
inline int lowest_set_bit(T x) {
  return x ? __builtin_ctz(unsigned(x)) : -1;
}

// A value of the current domain that kernel code computes from the state
// and may write back (R1).
template <class T>
using Val = T;

// A local array of the current domain, indexed by values read from the
// state (R2): in the symbolic domain an index out of range cuts the path.
template <class T, int N>
using Array = T[N];

// c ? a : b without a branch in the symbolic domain (R3).
template <class C, class A, class B>
inline auto select(const C& c, const A& a, const B& b) -> decltype(c ? a : b) {
  return c ? a : b;
}

}  // namespace gup

// Where the kernel code of the current domain lives.
#if defined(GUP_DOMAIN_HEADER)
#include GUP_DOMAIN_HEADER
#else
#define GUP_SYMBOLIC 0
#define GUP_DOMAIN_NS gup
#define GUP_DOMAIN_BEGIN namespace gup {
#define GUP_DOMAIN_END }
#define GUP_ASSUME(cond, why) assert((cond) && why)
#endif

#if !GUP_SYMBOLIC
namespace gup {
// R5 in the concrete domain: just the body.
template <class S, class L, class F>
inline void join(S&, L*, F&& body) {
  body();
}
// R6 in the concrete domain: just the body.
template <class A, class F>
inline void join(A&, F&& body) {
  body();
}
}  // namespace gup
#endif
