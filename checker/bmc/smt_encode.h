// Internal to the bmc engine (checker/smt_*.cc): the machine state as z3
// terms, one term per slot of the concrete State (SState), and the encoder
// that derives the transition relation and the properties from the model's
// and properties/' own code, run on those terms by the symbolic executor
// (checker/bmc/sym/): nothing here restates a transition or a property.
//
//  - Enc::step(): model/ops.cc apply() and task_choices() on every path
//    from a state, merged over the step selector (smt_sym.cc);
//  - Enc::judge(): properties/ holds() on each path's transition
//    (smt_judge.cc);
//  - the building blocks below (branch, cases, merge, predicates on slots)
//    serve the engine's own constraints: state equality, frozen slots,
//    VMA layouts, decoding a model.
#pragma once

#include <z3++.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "checker/bmc/sym/executor.h"
#include "checker/bmc/sym/sym_model.h"
#include "model/model.h"

namespace gup::smt {

using z3::expr;

struct SPte {
  expr folio, bits;
};
struct SFolio {
  expr refcount, mapcount, pincount, kind, zone, migratetype, saved_mt, order, flags,
      anon_exclusive, file;
};
struct SMm {
  std::vector<SPte> ptes;  // kMaxAddrs
  expr flags, mmap_lock, write_protect_seq;
  std::vector<expr> vmas;  // kMaxVmas x {start, end, kind, vm_flags}
  expr file_of_vma;
};
struct STask {
  expr script_pos, pc, i, j, ret, nr_done, drained, collected, isolated, failed;
  SPte snap;
  expr seq, target, ghost, rounds, fault, locked;
  std::vector<expr> pages;  // kMaxPages PageRef bits
};

// The machine state in z3 terms, for the entries a Config uses. Unused
// entries of State stay as in Config::initial. The scratch registers carry
// return values of mirrored functions through branch merges; they are not
// part of the state.
struct SState {
  std::vector<SFolio> f;
  std::vector<SMm> m;
  std::vector<STask> t;
  std::vector<expr> page_cache;  // [file * kMaxAddrs + index]
  expr ret, idx, ok, exited;     // scratch
  // Scratch: per property of Enc::judged, whether the step into this
  // state violates it (properties/ run on the step's terms, smt_judge.cc).
  std::vector<expr> bad;
};

// One field of SState next to its concrete twin in a State. Frozen fields
// are those no op of the configuration can write (ops_write_*): zone and
// order without a split_huge_page op, pageblock types without
// split_huge_page or cma_alloc, the VMAs of an mm that no mprotect names
// and no fork creates, write_protect_seq of an mm no fork touches. They
// stay numerals of Config::initial; a model that writes one anyway is an
// internal error of the engine (smt_sym.cc S2), never a wrong relation.
struct Slot {
  expr* e;
  unsigned width;  // 8 or 16
  bool frozen;
  void* raw;  // uint8_t* or uint16_t* into the concrete State
  const char* what;
  int a, b;  // entry indices for names (-1: none)
};
void visit_slots(SState& s, State& c, const Config& cfg, const std::function<void(Slot&)>& fn);

bool forks_touch(const Config& cfg, int mm);
bool ops_write_vmas(const Config& cfg, int mm);
bool ops_write_order(const Config& cfg);
bool ops_write_pageblock(const Config& cfg);
std::string slot_name(const Slot& sl);

// Builds an SState of fresh constants named with `prefix` (frozen fields
// are numerals), a numeral copy of a concrete state, or decodes one.
SState fresh_state(z3::context& z, const Config& cfg, const std::string& prefix);
SState numeral_state(z3::context& z, const Config& cfg, const State& st);
State decode_state(const SState& s, const Config& cfg, const z3::model& mdl);
// Conjunction of a == b over every non-frozen field; and its negation.
expr states_equal(const SState& a, const SState& b, const Config& cfg);

// The step selector of one transition: which task, and choice 1 or 0.
struct SStep {
  expr task;    // 8-bit
  expr choice;  // bool
};

// The encoder of one configuration: the model's and the properties' code
// run on SState terms.
class Enc {
 public:
  Enc(z3::context& z, const Config& cfg);

  z3::context& z;
  const Config& cfg;

  expr b8(int v) const { return z.bv_val(v & 0xff, 8); }
  expr tt() const { return z.bool_val(true); }
  expr ff() const { return z.bool_val(false); }

  // ---- the transition relation (smt_sym.cc): the model's own code ----
  // The successor of `s` under the selector `st` (model/ops.cc apply() on
  // every path, merged) and whether `st` is enabled (task_choices()).
  struct Stepped {
    SState next;
    expr enabled;
  };
  Stepped step(const SState& s, const SStep& st) const;
  // model/ops.cc task_choices() of `task` on every path (8 bits).
  expr choices(const SState& s, int task) const;
  // The symbolic executor prunes with this solver's assertions (and only
  // there is the relation exact; checker/bmc/sym/executor.h E4). Null: none.
  z3::solver* context = nullptr;
  // The values a fresh constant of the unrolling can have (its defining
  // term's value set), for the executor's index splits.
  void set_range(const z3::expr& constant, std::vector<int64_t> values);
  std::optional<std::vector<int64_t>> value_set(const z3::expr& e) const;
  // Paths run and pruning queries asked by step() so far.
  size_t paths() const { return paths_; }
  size_t queries() const { return queries_; }
  sym::State to_sym(const SState& s) const;
  SState from_sym(const sym::State& x, const SState& like) const;

  // ---- properties (smt_judge.cc): properties/ run on z3 terms ----
  // The properties step() judges every transition by (indices of
  // checker/bmc/sym/sym_properties.h); Stepped::next.bad has one term each.
  std::vector<int> judged;
  // Some judged property is violated by the initial state `s` (a
  // transition with no state before it).
  expr initial_bad(const SState& s) const;
  // The judged properties on one path's transition, each "violated", run
  // on `ex`'s current path (its pruning context is set aside).
  std::vector<expr> judge(sym::Executor& ex, const sym::State* before, Step step,
                          const sym::EventLog* log, const sym::State& after) const;

 private:
  std::vector<std::pair<z3::expr, std::vector<int64_t>>> ranges_;
  mutable size_t paths_ = 0, queries_ = 0;
  // An executor for step() and choices(): the context and the ranges.
  void prepare(sym::Executor& ex) const;
};

// Why a configuration is outside the encoding ("" when it is covered).
std::string unsupported_reason(const Config& cfg);

}  // namespace gup::smt
