// Values of the symbolic domain: the model's kernel code (model/value.h)
// compiled on z3 expressions.
//
// SymInt<T> is a bit-vector of T's width and signedness; its operators
// follow C++'s usual arithmetic conversions, so `f.refcount + refs` has
// the width and wrap-around of the concrete code. SymBool is a Boolean
// expression. Whenever kernel code needs a concrete answer (an `if`, a
// `switch`, an array index, `int(x)`), the current Executor
// (checker/bmc/sym/executor.h) decides it: both outcomes are explored, each
// on its own path, and the paths are merged afterwards.
//
// Invariants:
//  V1. Every value lives in the z3::context of the current Executor.
//  V2. A value never becomes concrete except through Executor::decide()
//      or Executor::concretize(), which record the path condition.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <type_traits>

namespace gup::sym {

// The context and the decisions of the path being executed (executor.cc).
z3::context& ctx();
bool decide(const z3::expr& cond);
int64_t concretize(const z3::expr& e, bool is_signed, int bound);
[[noreturn]] void infeasible(const char* why);

template <class T>
struct Under {
  using type = T;
};
template <class T>
requires std::is_enum_v<T>
struct Under<T> {
  using type = std::underlying_type_t<T>;
};
template <class T>
using under_t = typename Under<T>::type;
template <class T>
inline constexpr unsigned kBits = sizeof(under_t<T>) * 8;
template <class T>
inline constexpr bool kSigned = std::is_signed_v<under_t<T>>;

// Converts a bit-vector of `from` bits (signed or not) to `to` bits.
inline z3::expr resize(const z3::expr& e, unsigned from, bool from_signed, unsigned to) {
  if (to == from) return e;
  if (to < from) return e.extract(to - 1, 0);
  return from_signed ? z3::sext(e, to - from) : z3::zext(e, to - from);
}

class SymBool {
 public:
  SymBool(bool b) : e(ctx().bool_val(b)) {}  // NOLINT: constants lift implicitly
  explicit SymBool(const z3::expr& x) : e(x) {}
  // A branch of the kernel code: decided on the current path (V2).
  operator bool() const { return decide(e); }  // NOLINT
  z3::expr e;
};

template <class T>
class SymInt {
 public:
  using value_type = T;
  SymInt() : e(ctx().bv_val(0, kBits<T>)) {}
  template <class C>
  requires std::is_integral_v<C> || std::is_enum_v<C> SymInt(
      C v)  // NOLINT: constants lift implicitly
      : e(ctx().bv_val(static_cast<uint64_t>(static_cast<int64_t>(static_cast<under_t<C>>(v))),
                       kBits<T>)) {}
  template <class U>
  SymInt(const SymInt<U>& o)  // NOLINT: as C++ converts on assignment
      : e(resize(o.e, kBits<U>, kSigned<U>, kBits<T>)) {}
  SymInt(const SymBool& b)  // NOLINT: bool to integer, without a branch
      : e(z3::ite(b.e, ctx().bv_val(1, kBits<T>), ctx().bv_val(0, kBits<T>))) {}
  explicit SymInt(const z3::expr& x) : e(x) {}

  // Concrete value on the current path (V2): splits on every value x can
  // have.
  explicit operator int() const { return int(concretize(e, kSigned<T>, -1)); }
  explicit operator bool() const { return decide(e != ctx().bv_val(0, kBits<T>)); }

  SymInt& operator++() { return *this = SymInt(e + ctx().bv_val(1, kBits<T>)); }
  SymInt& operator--() { return *this = SymInt(e - ctx().bv_val(1, kBits<T>)); }
  SymInt operator++(int) {
    SymInt old = *this;
    ++*this;
    return old;
  }
  SymInt operator--(int) {
    SymInt old = *this;
    --*this;
    return old;
  }
  template <class X>
  SymInt& operator+=(const X& x) {
    return *this = *this + x;
  }
  template <class X>
  SymInt& operator-=(const X& x) {
    return *this = *this - x;
  }
  template <class X>
  SymInt& operator|=(const X& x) {
    return *this = *this | x;
  }
  template <class X>
  SymInt& operator&=(const X& x) {
    return *this = *this & x;
  }

  z3::expr e;
};

template <class X>
struct IsSym : std::false_type {};
template <class T>
struct IsSym<SymInt<T>> : std::true_type {};
template <class X>
struct ValueOf {
  using type = X;
};
template <class T>
struct ValueOf<SymInt<T>> {
  using type = T;
};
template <class X>
using value_of_t = under_t<typename ValueOf<X>::type>;

template <class X>
concept IntLike = IsSym<X>::value || std::is_integral_v<X> || std::is_enum_v<X>;
template <class A, class B>
concept SymOperands = IntLike<A> && IntLike<B> &&(IsSym<A>::value || IsSym<B>::value);

// x as a bit-vector of R.
template <class R, class X>
z3::expr lift(const X& x) {
  if constexpr (IsSym<X>::value)
    return resize(x.e, kBits<typename X::value_type>, kSigned<typename X::value_type>, kBits<R>);
  else
    return SymInt<R>(x).e;
}

template <class A, class B>
using arith_t = decltype(std::declval<value_of_t<A>>() + std::declval<value_of_t<B>>());

#define GUP_SYM_ARITH(op, z3op)                     \
  template <class A, class B>                       \
  requires SymOperands<A, B>                        \
  auto operator op(const A& a, const B& b) {        \
    using R = arith_t<A, B>;                        \
    return SymInt<R>(z3op(lift<R>(a), lift<R>(b))); \
  }
GUP_SYM_ARITH(+, [](const z3::expr& x, const z3::expr& y) { return x + y; })
GUP_SYM_ARITH(-, [](const z3::expr& x, const z3::expr& y) { return x - y; })
GUP_SYM_ARITH(*, [](const z3::expr& x, const z3::expr& y) { return x * y; })
GUP_SYM_ARITH(&, [](const z3::expr& x, const z3::expr& y) { return x & y; })
GUP_SYM_ARITH(|, [](const z3::expr& x, const z3::expr& y) { return x | y; })
GUP_SYM_ARITH(^, [](const z3::expr& x, const z3::expr& y) {
  return x ^ y;
})
#undef GUP_SYM_ARITH

#define GUP_SYM_CMP(op, sop, uop)                                          \
  template <class A, class B>                                              \
  requires SymOperands<A, B> SymBool operator op(const A& a, const B& b) { \
    using R = arith_t<A, B>;                                               \
    z3::expr x = lift<R>(a), y = lift<R>(b);                               \
    return SymBool(std::is_signed_v<R> ? sop : uop);                       \
  }
GUP_SYM_CMP(==, x == y, x == y)
GUP_SYM_CMP(!=, x != y, x != y)
GUP_SYM_CMP(<, x < y, z3::ult(x, y))
GUP_SYM_CMP(<=, x <= y, z3::ule(x, y))
GUP_SYM_CMP(>, x > y, z3::ugt(x, y))
GUP_SYM_CMP(>=, x >= y, z3::uge(x, y))
#undef GUP_SYM_CMP

// Shifts: the result has the promoted type of the left operand.
template <class A, class B>
requires SymOperands<A, B>
auto operator<<(const A& a, const B& b) {
  using R = decltype(+std::declval<value_of_t<A>>());
  return SymInt<R>(z3::shl(lift<R>(a), lift<R>(b)));
}
template <class A, class B>
requires SymOperands<A, B>
auto operator>>(const A& a, const B& b) {
  using R = decltype(+std::declval<value_of_t<A>>());
  return SymInt<R>(std::is_signed_v<R> ? z3::ashr(lift<R>(a), lift<R>(b))
                                       : z3::lshr(lift<R>(a), lift<R>(b)));
}
template <class T>
auto operator~(const SymInt<T>& a) {
  using R = decltype(+std::declval<under_t<T>>());
  return SymInt<R>(~lift<R>(a));
}
template <class T>
auto operator-(const SymInt<T>& a) {
  using R = decltype(+std::declval<under_t<T>>());
  return SymInt<R>(-lift<R>(a));
}

// An array of the symbolic state: an index outside it ends the path (the
// concrete domain has no such index in a reachable state); a symbolic
// index splits on the entries it can name (model/value.h R2).
template <class T, int N>
struct SymArray {
  T a[N];
  T& operator[](int i) {
    if (i < 0 || i >= N) infeasible("array index out of range");
    return a[i];
  }
  const T& operator[](int i) const {
    if (i < 0 || i >= N) infeasible("array index out of range");
    return a[i];
  }
  template <class I>
  T& operator[](const SymInt<I>& i) {
    return a[concretize(i.e, kSigned<I>, N)];
  }
  template <class I>
  const T& operator[](const SymInt<I>& i) const {
    return a[concretize(i.e, kSigned<I>, N)];
  }
  T* begin() { return a; }
  T* end() { return a + N; }
  const T* begin() const { return a; }
  const T* end() const { return a + N; }
};

// The symbolic value policy (model/value.h).
struct SymV {
  template <class T>
  using Int = SymInt<T>;
  template <class T, int N>
  using Array = SymArray<T, N>;
  using Bool = SymBool;
  static constexpr int kEventCapacity = 64;
};

// c ? a : b as one expression (model/value.h R3).
template <class A, class B>
requires IntLike<A> && IntLike<B> SymInt<arith_t<A, B>> select(const SymBool& c, const A& a,
                                                               const B& b) {
  using R = arith_t<A, B>;
  return SymInt<R>(z3::ite(c.e, lift<R>(a), lift<R>(b)));
}

// model/value.h narrow().
template <class T, class X>
SymInt<T> narrow(const X& x) {
  return SymInt<T>(x);
}

// model/value.h lowest_set_bit(): splits on the position of the lowest set
// bit.
template <class T>
int lowest_set_bit(const SymInt<T>& x) {
  for (unsigned b = 0; b < kBits<T>; b++)
    if (decide(x.e.extract(b, b) == ctx().bv_val(1, 1))) return int(b);
  return -1;
}

// GUP_ASSUME in the symbolic domain: the path where `c` is false is cut.
inline void assume(bool c, const char* why) {
  if (!c) infeasible(why);
}

}  // namespace gup::sym
