// Internal to the bmc engine: evaluation of the encoding's terms on
// concrete values, for the agreement harness. A memoised walk over the
// term DAG (Z3's own model evaluation re-simplifies the whole DAG per
// call, which makes thousands of traces too slow); it knows the operators
// the encoding builds and throws std::domain_error on any other, and the
// harness cross-checks it against z3::model::eval (checker/smt_agree.cc).
#pragma once

#include <z3++.h>

#include <cstdint>
#include <unordered_map>

namespace gup::smt {

class ConcreteEval {
 public:
  // Values of the free constants, by their Z3 AST id.
  void assign(const z3::expr& constant, uint64_t value);
  void clear_memo() { memo_.clear(); }
  // Bit-vector value (or 0/1 for a Boolean) of a term of at most 64 bits.
  uint64_t value(const z3::expr& e);

 private:
  std::unordered_map<unsigned, uint64_t> consts_, memo_;
};

}  // namespace gup::smt
