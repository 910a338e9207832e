// Memoised concrete evaluation of encoding terms (checker/smt_eval.h).
#include "checker/smt_eval.h"

#include <stdexcept>
#include <string>

namespace gup::smt {

namespace {

uint64_t mask(unsigned w) {
  return w >= 64 ? ~uint64_t(0) : (uint64_t(1) << w) - 1;
}

int64_t sign(uint64_t v, unsigned w) {
  if (w >= 64) return int64_t(v);
  uint64_t m = uint64_t(1) << (w - 1);
  return int64_t((v ^ m) - m);
}

unsigned width(const z3::expr& e) {
  return e.is_bool() ? 1 : e.get_sort().bv_size();
}

}  // namespace

void ConcreteEval::assign(const z3::expr& c, uint64_t value) {
  consts_[c.id()] = value;
}

uint64_t ConcreteEval::value(const z3::expr& e) {
  if (auto it = memo_.find(e.id()); it != memo_.end()) return it->second;
  uint64_t r = 0;
  if (e.is_numeral()) {
    r = e.get_numeral_uint64();
  } else if (!e.is_app()) {
    throw std::domain_error("ConcreteEval: not an application: " + e.to_string());
  } else {
    unsigned n = e.num_args();
    unsigned w = width(e);
    auto arg = [&](unsigned i) { return value(e.arg(i)); };
    auto aw = [&](unsigned i) { return width(e.arg(i)); };
    switch (e.decl().decl_kind()) {
      case Z3_OP_TRUE:
        r = 1;
        break;
      case Z3_OP_FALSE:
        r = 0;
        break;
      case Z3_OP_UNINTERPRETED: {
        auto it = consts_.find(e.id());
        if (n != 0 || it == consts_.end())
          throw std::domain_error("ConcreteEval: unassigned constant " + e.to_string());
        r = it->second;
        break;
      }
      case Z3_OP_ITE:
        r = arg(0) ? arg(1) : arg(2);
        break;
      case Z3_OP_EQ:
        r = arg(0) == arg(1);
        break;
      case Z3_OP_DISTINCT:
        r = 1;
        for (unsigned i = 0; i < n; i++)
          for (unsigned j = i + 1; j < n; j++) r &= arg(i) != arg(j);
        break;
      case Z3_OP_NOT:
        r = !arg(0);
        break;
      case Z3_OP_AND:
        r = 1;
        for (unsigned i = 0; i < n && r; i++) r = arg(i) != 0;
        break;
      case Z3_OP_OR:
        r = 0;
        for (unsigned i = 0; i < n && !r; i++) r = arg(i) != 0;
        break;
      case Z3_OP_IMPLIES:
        r = !arg(0) || arg(1);
        break;
      case Z3_OP_XOR:
        r = (arg(0) != 0) != (arg(1) != 0);
        break;
      case Z3_OP_BADD:
        for (unsigned i = 0; i < n; i++) r += arg(i);
        break;
      case Z3_OP_BMUL:
        r = 1;
        for (unsigned i = 0; i < n; i++) r *= arg(i);
        break;
      case Z3_OP_BSUB:
        r = arg(0) - arg(1);
        break;
      case Z3_OP_BNEG:
        r = -arg(0);
        break;
      case Z3_OP_BAND:
        r = ~uint64_t(0);
        for (unsigned i = 0; i < n; i++) r &= arg(i);
        break;
      case Z3_OP_BOR:
        for (unsigned i = 0; i < n; i++) r |= arg(i);
        break;
      case Z3_OP_BXOR:
        for (unsigned i = 0; i < n; i++) r ^= arg(i);
        break;
      case Z3_OP_BNOT:
        r = ~arg(0);
        break;
      case Z3_OP_EXTRACT:
        r = arg(0) >> e.lo();
        break;
      case Z3_OP_CONCAT:
        for (unsigned i = 0; i < n; i++) r = (r << aw(i)) | arg(i);
        break;
      case Z3_OP_SIGN_EXT:
        r = uint64_t(sign(arg(0), aw(0)));
        break;
      case Z3_OP_ZERO_EXT:
        r = arg(0);
        break;
      case Z3_OP_ULEQ:
        r = arg(0) <= arg(1);
        break;
      case Z3_OP_UGEQ:
        r = arg(0) >= arg(1);
        break;
      case Z3_OP_ULT:
        r = arg(0) < arg(1);
        break;
      case Z3_OP_UGT:
        r = arg(0) > arg(1);
        break;
      case Z3_OP_SLEQ:
        r = sign(arg(0), aw(0)) <= sign(arg(1), aw(1));
        break;
      case Z3_OP_SGEQ:
        r = sign(arg(0), aw(0)) >= sign(arg(1), aw(1));
        break;
      case Z3_OP_SLT:
        r = sign(arg(0), aw(0)) < sign(arg(1), aw(1));
        break;
      case Z3_OP_SGT:
        r = sign(arg(0), aw(0)) > sign(arg(1), aw(1));
        break;
      default:
        throw std::domain_error("ConcreteEval: operator not supported: " + e.decl().name().str());
    }
    r &= mask(w);
  }
  memo_.emplace(e.id(), r);
  return r;
}

}  // namespace gup::smt
