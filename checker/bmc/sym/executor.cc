// The symbolic executor (checker/bmc/sym/executor.h).
#include "checker/bmc/sym/executor.h"

#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>

#include "checker/bmc/sym/sym_value.h"

namespace gup::sym {

namespace {
thread_local Executor* g_current = nullptr;

// Values of a narrow bit-vector: all of them.
std::optional<std::set<uint64_t>> all_values(unsigned bits, size_t limit) {
  if (bits > 16 || (uint64_t(1) << bits) > limit) return std::nullopt;
  std::set<uint64_t> out;
  for (uint64_t v = 0; v < (uint64_t(1) << bits); v++) out.insert(v);
  return out;
}

uint64_t mask_of(unsigned bits) {
  return bits >= 64 ? ~uint64_t(0) : (uint64_t(1) << bits) - 1;
}

}  // namespace

Executor& current() {
  if (!g_current) throw std::logic_error("symbolic kernel code run outside an Executor");
  return *g_current;
}

z3::context& ctx() {
  return current().z;
}
bool decide(const z3::expr& cond) {
  return current().decide(cond);
}
int64_t concretize(const z3::expr& e, bool is_signed, int bound) {
  return current().concretize(e, is_signed, bound);
}
void infeasible(const char* why) {
  throw PathCut{why};
}

Executor::Executor(z3::context& z_)
    : z(z_), outer_(g_current), debug_(std::getenv("GUPCHECK_SYM_DEBUG") != nullptr) {
  g_current = this;
}

Executor::~Executor() {
  g_current = outer_;
}

void Executor::set_range(const z3::expr& constant, std::vector<int64_t> values) {
  ranges_[constant.decl().id()] = std::move(values);
}

z3::expr Executor::simplified(const z3::expr& e) {
  auto it = simplified_.find(e.id());
  if (it != simplified_.end()) return it->second.second;
  z3::expr out = e.simplify();
  simplified_.emplace(e.id(), std::make_pair(e, out));
  return out;
}

bool Executor::decide(const z3::expr& cond0) {
  z3::expr cond = simplified(cond0);
  if (cond.is_true()) return true;
  if (cond.is_false()) return false;
  if (auto it = known_.find(cond.id()); it != known_.end()) return it->second;
  if (cond.is_app() && cond.decl().decl_kind() == Z3_OP_NOT)
    if (auto it = known_.find(cond.arg(0).id()); it != known_.end()) return !it->second;
  bool v;
  if (depth_ < stack_.size()) {
    v = stack_[depth_++].value;
  } else {
    // E4: a side the context rules out is not a decision.
    bool can_false = !context_ || feasible(!cond);
    bool can_true = !context_ || !can_false || feasible(cond);
    v = !can_false;
    stack_.push_back(Decision{cond, v, !(can_false && can_true)});
    depth_++;
    decisions_max = std::max(decisions_max, stack_.size());
  }
  known_[cond.id()] = v;
  return v;
}

bool Executor::feasible(const z3::expr& lit) {
  z3::expr_vector a(z);
  for (const z3::expr& l : base_lits_) a.push_back(l);
  for (size_t i = 0; i < depth_; i++)
    a.push_back(stack_[i].value ? stack_[i].cond : !stack_[i].cond);
  a.push_back(lit);
  queries_++;
  return context_->check(a) != z3::unsat;
}

// The values e can take, if at most `limit` and known from its shape.
std::optional<std::set<uint64_t>> Executor::values(const z3::expr& e, size_t limit) const {
  unsigned bits = e.get_sort().bv_size();
  uint64_t m = mask_of(bits);
  if (e.is_numeral()) return std::set<uint64_t>{e.get_numeral_uint64()};
  if (!e.is_app()) return all_values(bits, limit);
  Z3_decl_kind k = e.decl().decl_kind();
  auto map1 = [&](const std::function<uint64_t(uint64_t)>& f,
                  const z3::expr& a) -> std::optional<std::set<uint64_t>> {
    auto va = values(a, limit);
    if (!va) return std::nullopt;
    std::set<uint64_t> out;
    for (uint64_t v : *va) out.insert(f(v) & m);
    return out;
  };
  auto map2 = [&](const std::function<uint64_t(uint64_t, uint64_t)>& f)
      -> std::optional<std::set<uint64_t>> {
    if (e.num_args() != 2) return std::nullopt;
    auto va = values(e.arg(0), limit), vb = values(e.arg(1), limit);
    if (!va || !vb || va->size() * vb->size() > limit * 4) return std::nullopt;
    std::set<uint64_t> out;
    for (uint64_t a : *va)
      for (uint64_t b : *vb) out.insert(f(a, b) & m);
    if (out.size() > limit) return std::nullopt;
    return out;
  };
  switch (k) {
    case Z3_OP_UNINTERPRETED:
      if (e.num_args() == 0) {
        auto it = ranges_.find(e.decl().id());
        if (it != ranges_.end()) {
          std::set<uint64_t> out;
          for (int64_t v : it->second) out.insert(uint64_t(v) & m);
          return out;
        }
      }
      return all_values(bits, limit);
    case Z3_OP_ITE: {
      auto a = values(e.arg(1), limit), b = values(e.arg(2), limit);
      if (!a || !b) return all_values(bits, limit);
      a->insert(b->begin(), b->end());
      if (a->size() > limit) return std::nullopt;
      return a;
    }
    case Z3_OP_BAND: {
      if (e.num_args() == 2) {
        for (int i = 0; i < 2; i++) {
          const z3::expr mask = e.arg(i);
          if (!mask.is_numeral()) continue;
          uint64_t mk = mask.get_numeral_uint64();
          if (auto v = values(e.arg(1 - i), limit)) {
            std::set<uint64_t> out;
            for (uint64_t x : *v) out.insert(x & mk);
            return out;
          }
          if (__builtin_popcountll(mk) <= 6) {
            std::set<uint64_t> out;
            for (uint64_t s = mk;; s = (s - 1) & mk) {
              out.insert(s);
              if (!s) break;
            }
            return out;
          }
        }
      }
      auto r = map2([](uint64_t a, uint64_t b) { return a & b; });
      return r ? r : all_values(bits, limit);
    }
    case Z3_OP_EXTRACT: {
      unsigned lo = Z3_get_decl_int_parameter(z, e.decl(), 1);
      auto r = map1([lo](uint64_t v) { return v >> lo; }, e.arg(0));
      return r ? r : all_values(bits, limit);
    }
    case Z3_OP_ZERO_EXT: {
      auto r = map1([](uint64_t v) { return v; }, e.arg(0));
      return r ? r : all_values(bits, limit);
    }
    case Z3_OP_SIGN_EXT: {
      unsigned from = e.arg(0).get_sort().bv_size();
      auto r = map1([from](uint64_t v) { return (v >> (from - 1)) & 1 ? v | ~mask_of(from) : v; },
                    e.arg(0));
      return r ? r : all_values(bits, limit);
    }
    case Z3_OP_BADD:
      if (auto r = map2([](uint64_t a, uint64_t b) { return a + b; })) return r;
      break;
    case Z3_OP_BSUB:
      if (auto r = map2([](uint64_t a, uint64_t b) { return a - b; })) return r;
      break;
    case Z3_OP_BOR:
      if (auto r = map2([](uint64_t a, uint64_t b) { return a | b; })) return r;
      break;
    case Z3_OP_BXOR:
      if (auto r = map2([](uint64_t a, uint64_t b) { return a ^ b; })) return r;
      break;
    case Z3_OP_BSHL:
      if (auto r = map2([](uint64_t a, uint64_t b) { return b >= 64 ? 0 : a << b; })) return r;
      break;
    case Z3_OP_BLSHR:
      if (auto r = map2([](uint64_t a, uint64_t b) { return b >= 64 ? 0 : a >> b; })) return r;
      break;
    case Z3_OP_CONCAT: {
      if (e.num_args() != 2) break;
      unsigned lb = e.arg(1).get_sort().bv_size();
      if (auto r = map2([lb](uint64_t a, uint64_t b) { return (a << lb) | b; })) return r;
      break;
    }
    default:
      break;
  }
  return all_values(bits, limit);
}

int64_t Executor::concretize(const z3::expr& e0, bool is_signed, int bound) {
  z3::expr e = simplified(e0);
  unsigned bits = e.get_sort().bv_size();
  auto as_int = [&](uint64_t v) -> int64_t {
    if (is_signed && bits < 64 && ((v >> (bits - 1)) & 1)) return int64_t(v | ~mask_of(bits));
    return int64_t(v);
  };
  if (e.is_numeral()) {
    int64_t v = as_int(e.get_numeral_uint64());
    if (bound >= 0 && (v < 0 || v >= bound)) infeasible("index out of range");
    return v;
  }
  if (auto it = fixed_.find(e.id()); it != fixed_.end()) return it->second;
  auto vs = values(e, 64);
  if (!vs)
    throw std::logic_error(
        fmt::format("the symbolic executor cannot split a value of unknown range: {}",
                    e.to_string().substr(0, 200)));
  std::vector<int64_t> cands;
  bool dropped = false;
  for (uint64_t v : *vs) {
    int64_t x = as_int(v);
    if (bound >= 0 && (x < 0 || x >= bound)) {
      dropped = true;
      continue;
    }
    cands.push_back(x);
  }
  for (size_t i = 0; i < cands.size(); i++) {
    bool last = i + 1 == cands.size();
    if ((last && !dropped) || decide(e == z.bv_val(uint64_t(cands[i]) & mask_of(bits), bits))) {
      fixed_[e.id()] = cands[i];
      return cands[i];
    }
  }
  infeasible("index out of range");
}

bool Executor::run_once(const std::function<void()>& body) {
  depth_ = 0;
  known_ = base_known_;
  fixed_ = base_fixed_;
  try {
    body();
  } catch (const PathCut&) {
    stack_.erase(stack_.begin() + long(depth_), stack_.end());
    return false;
  }
  stack_.erase(stack_.begin() + long(depth_), stack_.end());
  return true;
}

bool Executor::backtrack() {
  while (!stack_.empty() && stack_.back().flipped) stack_.pop_back();
  if (stack_.empty()) return false;
  stack_.back().value = true;
  stack_.back().flipped = true;
  return true;
}

std::vector<Executor::PathRec> Executor::explore_paths(const std::function<void()>& body) {
  Executor* saved = g_current;
  g_current = this;
  std::vector<Decision> outer_stack;
  std::swap(outer_stack, stack_);
  size_t outer_depth = depth_;
  // A nested explore (a join) starts from what the outer path knows.
  auto outer_known = known_;
  auto outer_fixed = fixed_;
  auto saved_base_known = base_known_;
  auto saved_base_fixed = base_fixed_;
  base_known_ = known_;
  base_fixed_ = fixed_;
  std::vector<z3::expr> saved_base_lits = base_lits_;
  for (size_t i = 0; i < outer_depth && i < outer_stack.size(); i++)
    base_lits_.push_back(outer_stack[i].value ? outer_stack[i].cond : !outer_stack[i].cond);
  auto restore = [&] {
    std::swap(outer_stack, stack_);
    depth_ = outer_depth;
    known_ = std::move(outer_known);
    fixed_ = std::move(outer_fixed);
    base_known_ = std::move(saved_base_known);
    base_fixed_ = std::move(saved_base_fixed);
    base_lits_ = std::move(saved_base_lits);
    g_current = saved;
  };
  std::vector<PathRec> paths;
  try {
    do {
      if (debug_ && ++runs_ % 1000 == 0)
        fmt::print(stderr, "sym: {} runs, {} paths, stack {}\n", runs_, paths.size(),
                   stack_.size());
      if (debug_ && paths.size() >= 2000 && !dumped_++)
        for (const Decision& d : stack_)
          fmt::print(stderr, "  {} = {}\n", d.cond.to_string().substr(0, 160), d.value);
      if (run_once(body)) {
        PathRec p;
        for (const Decision& d : stack_) {
          p.values.push_back(d.value);
          p.conds.push_back(d.cond);
        }
        paths.push_back(std::move(p));
      }
    } while (backtrack());
  } catch (...) {
    restore();
    throw;
  }
  restore();
  return paths;
}

z3::expr Executor::merge_valid(const std::vector<PathRec>& paths, size_t lo, size_t hi, size_t d) {
  if (hi - lo == 1 && paths[lo].values.size() == d) return z.bool_val(true);
  size_t mid = lo;
  while (mid < hi && !paths[mid].values[d]) mid++;
  const z3::expr& c = paths[lo].conds[d];
  if (mid == lo) return c && merge_valid(paths, mid, hi, d + 1);
  if (mid == hi) return !c && merge_valid(paths, lo, mid, d + 1);
  return z3::ite(c, merge_valid(paths, mid, hi, d + 1), merge_valid(paths, lo, mid, d + 1));
}

}  // namespace gup::sym
