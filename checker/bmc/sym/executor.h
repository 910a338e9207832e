// The symbolic executor: runs kernel code written once (model/value.h) on
// symbolic values, one path at a time, and merges the paths.
//
// A path is the sequence of decisions the code asked for (SymBool to bool,
// an index split into cases). explore() re-executes the code from the
// start with the decisions of the previous path replayed and the last
// undecided one flipped (depth first, "false" before "true"), until every
// path is done. The results are merged along the decision tree: at each
// decision the two subtrees are combined with ite, so a field that no path
// changes stays the same expression.
//
// Invariants:
//  E1. The code is deterministic given its decisions: a replayed prefix
//      asks for the same conditions in the same order.
//  E2. A condition that simplifies to true or false is not a decision.
//  E3. A path cut by infeasible() (an assumption, an index out of range)
//      contributes nothing; `valid` is the disjunction of the conditions
//      of the paths that completed.
//  E4. With a context, a side of a decision that is unsatisfiable with the
//      context and the path's decisions is not explored: the merged result
//      is exact wherever the context holds, and only there.
#pragma once

#include <z3++.h>

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace gup::sym {

// Thrown through kernel code when a path is cut (E3).
struct PathCut {
  const char* why;
};

class Executor;
// The executor running on this thread.
Executor& current();

class Executor {
 public:
  explicit Executor(z3::context& z);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  z3::context& z;

  // The values a fresh constant can take in the states the engine asks
  // about; a constant without one can only be split if it is narrow.
  void set_range(const z3::expr& constant, std::vector<int64_t> values);

  // What the engine knows about the symbolic inputs (E4): a new decision
  // is checked against `context` and the path so far, and a side the
  // solver proves impossible is not explored. Null (the default): every
  // side is explored. The solver is only queried, never changed.
  void set_context(z3::solver* context) { context_ = context; }
  // The values e can take, read off its shape and the ranges (at most
  // `limit`), or nullopt when they are not known.
  std::optional<std::set<uint64_t>> value_set(const z3::expr& e, size_t limit = 64) const {
    return values(e, limit);
  }
  // Solver queries of the pruning (E4) so far.
  size_t pruning_queries() const { return queries_; }

  template <class R>
  struct Merged {
    R value;
    z3::expr valid;  // E3
    size_t paths = 0;
  };
  // Runs `body` on every path; merge(c, a, b) combines the results of the
  // subtrees where c holds (a) and where it does not (b). Nullopt when no
  // path completes.
  template <class R>
  std::optional<Merged<R>> explore(
      const std::function<R()>& body,
      const std::function<R(const z3::expr&, const R&, const R&)>& merge);

  // Called by the symbolic values (sym_value.h).
  bool decide(const z3::expr& cond);
  int64_t concretize(const z3::expr& e, bool is_signed, int bound);

  // Statistics of the last explore().
  size_t decisions_max = 0;

 private:
  struct Decision {
    z3::expr cond;
    bool value;
    bool flipped;
  };
  std::vector<Decision> stack_;
  size_t depth_ = 0;
  // What the current path has already decided: conditions and split values.
  std::map<unsigned, bool> known_;
  std::map<unsigned, int64_t> fixed_;
  std::map<unsigned, bool> base_known_;  // what the path around a join knows
  std::map<unsigned, int64_t> base_fixed_;
  std::map<unsigned, std::vector<int64_t>> ranges_;  // constant's decl id -> values
  // e.simplify() by e's id. Each entry keeps its key alive, so z3 cannot
  // give the id to another term (z3 hash-conses terms: a path replayed
  // from the start asks for the same conditions again, E1).
  std::unordered_map<unsigned, std::pair<z3::expr, z3::expr>> simplified_;
  z3::expr simplified(const z3::expr& e);
  z3::solver* context_ = nullptr;
  size_t queries_ = 0;
  // The decisions of the paths around a nested explore, as literals (E4).
  std::vector<z3::expr> base_lits_;
  // Whether `lit` can hold with the context and the path so far (E4).
  bool feasible(const z3::expr& lit);
  Executor* outer_;
  bool debug_;
  size_t runs_ = 0;
  int dumped_ = 0;

  std::optional<std::set<uint64_t>> values(const z3::expr& e, size_t limit) const;
  // Runs the body once with the current stack; false when the path was cut.
  bool run_once(const std::function<void()>& body);
  bool backtrack();
  struct PathRec {
    std::vector<bool> values;
    std::vector<z3::expr> conds;
  };
  std::vector<PathRec> explore_paths(const std::function<void()>& body);
  z3::expr merge_valid(const std::vector<PathRec>& paths, size_t lo, size_t hi, size_t d);
  template <class R>
  R merge_tree(const std::vector<PathRec>& paths, const std::vector<R>& results, size_t lo,
               size_t hi, size_t d,
               const std::function<R(const z3::expr&, const R&, const R&)>& merge);
};

template <class R>
R Executor::merge_tree(const std::vector<PathRec>& paths, const std::vector<R>& results, size_t lo,
                       size_t hi, size_t d,
                       const std::function<R(const z3::expr&, const R&, const R&)>& merge) {
  if (hi - lo == 1 && paths[lo].values.size() == d) return results[lo];
  size_t mid = lo;
  while (mid < hi && !paths[mid].values[d]) mid++;
  if (mid == lo) return merge_tree(paths, results, mid, hi, d + 1, merge);
  if (mid == hi) return merge_tree(paths, results, lo, mid, d + 1, merge);
  const z3::expr& c = paths[lo].conds[d];
  return merge(c, merge_tree(paths, results, mid, hi, d + 1, merge),
               merge_tree(paths, results, lo, mid, d + 1, merge));
}

template <class R>
std::optional<Executor::Merged<R>> Executor::explore(
    const std::function<R()>& body,
    const std::function<R(const z3::expr&, const R&, const R&)>& merge) {
  std::vector<R> results;
  std::vector<PathRec> paths = explore_paths([&] { results.push_back(body()); });
  if (paths.empty()) return std::nullopt;
  Merged<R> out{merge_tree(paths, results, 0, paths.size(), 0, merge),
                merge_valid(paths, 0, paths.size(), 0), paths.size()};
  return out;
}

}  // namespace gup::sym
