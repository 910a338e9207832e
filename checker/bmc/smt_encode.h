// Internal to the bmc engine (checker/bmc/smt_*.cc): the symbolic machine
// state and the encoder that mirrors the model's transitions on z3::expr.
//
// The encoding is a second copy of the model's semantics, written function
// by function after model/*.cc (each mirror names the model function and
// the kernel function it follows). tests/smt_test.cc runs thousands of
// random traces through both and requires identical states at every step.
//
// Style of the mirror: the control flow of the model is kept; a branch on a
// symbolic condition runs both arms on copies of the state and merges them
// field by field with ite (Enc::branch). A folio index held in the state is
// case-split into concrete indices (Enc::cases), so that every mirror works
// on concrete folio, mm, address and task numbers and symbolic contents.
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
  // Scratch: the step's event summary (smt_events.h), empty unless
  // Enc::ev_parts names a part.
  std::vector<expr> ev;
};

// One field of SState next to its concrete twin in a State. Frozen fields
// never change under the configuration's ops (zone and order without a
// split_huge_page op, pageblock types without split_huge_page or
// cma_alloc; VMAs of an mm with one layout: no fork creates it, no
// mprotect changes it; write_protect_seq of an mm no fork touches):
// they stay numerals of Config::initial.
struct Slot {
  expr* e;
  unsigned width;  // 8 or 16
  bool frozen;
  void* raw;  // uint8_t* or uint16_t* into the concrete State
  const char* what;
  int a, b;  // entry indices for names (-1: none)
};
void visit_slots(SState& s, State& c, const Config& cfg, const std::function<void(Slot&)>& fn);

// The VMA layouts (Mm::vmas and file_of_vma; ptes unused) each mm can have
// under the covered ops: its initial one, for a fork child every layout of
// the parent and the empty one a failed fork leaves, and for an mm that
// mprotect names every layout mprotect_fixup() makes of those. An mm with
// one layout has frozen VMA fields. Whether fork touches the mm's
// write_protect_seq (else it is frozen).
std::vector<std::vector<Mm>> vma_layouts(const Config& cfg);
bool forks_touch(const Config& cfg, int mm);
// Whether an op of the configuration writes folio order and zone
// (split_huge_page), or the pageblock types migratetype and saved_mt
// (split_huge_page, cma_alloc); else those fields are frozen.
bool ops_write_order(const Config& cfg);
bool ops_write_pageblock(const Config& cfg);
// The layout model/mprotect.cc mprotect_fixup() leaves of layout `l` under
// `op`, and the VMAs it changed (bit i: vmas[i]) in *changed
// (smt_mprotect.cc).
Mm mprotect_layout(const Mm& l, const Op& op, uint8_t* changed);
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

using Body = std::function<void(SState&)>;

// The encoder of one configuration. All mirrors below are its members,
// defined in one file per model file.
class Enc {
 public:
  Enc(z3::context& z, const Config& cfg);

  z3::context& z;
  const Config& cfg;
  const Variant& v;

  // ---- building blocks (smt_state.cc) ----
  expr b8(int v) const { return z.bv_val(v & 0xff, 8); }
  expr b16(int v) const { return z.bv_val(v & 0xffff, 16); }
  expr tt() const { return z.bool_val(true); }
  expr ff() const { return z.bool_val(false); }
  expr bit(const expr& x, int b) const { return x.extract(b, b) == z.bv_val(1, 1); }
  // then/else on a symbolic condition; both arms start from `s`.
  void branch(SState& s, const expr& c, const Body& then, const Body& els = nullptr) const;
  // For every value in [0, n): if x == value, run body(value).
  void cases(SState& s, expr x, int n, const std::function<void(SState&, int)>& body) const;
  SState merge(const expr& c, const SState& a, const SState& b) const;
  // x[i] for a symbolic index, `dflt` when out of range.
  expr select(const std::vector<expr>& xs, const expr& i, const expr& dflt) const;
  // The initial folio; no mirror reads it any more (order, zone and the
  // pageblock types are read from the state, see below).
  const Folio& fixed(int k) const { return cfg.initial.folios[k]; }
  // Zone, pageblock types and order are read from the state (numerals
  // when frozen); fold() simplifies a condition on them, pick() is an ite
  // whose condition folds, so a frozen field costs no term.
  expr fold(const expr& c) const { return c.simplify(); }
  expr pick(const expr& c, const expr& a, const expr& b) const;
  expr folio_large(const SState& s, int k) const;  // folio_test_large()
  expr nr_pages(const SState& s, int k) const;     // 16-bit 1 << order
  // VMAs: the mirror of a function that reads them runs once per layout
  // the mm can have (vma_layouts()), with the layout as a concrete Mm.
  const std::vector<Mm>& layouts(int mm) const { return layouts_[mm]; }
  expr has_layout(const SState& s, int mm, const Mm& l) const;
  void with_vmas(SState& s, int mm, const std::function<void(SState&, const Mm&)>& body) const;
  expr on_vmas(const SState& s, int mm, const std::function<expr(const Mm&)>& f) const;
  void set_vmas(SState& s, int mm, const Mm& l) const;  // Mm::vmas, file_of_vma := l's

  // ---- folio predicates (model/folio.h) ----
  expr test(const SState& s, int k, uint8_t flag) const;
  void set(SState& s, int k, uint8_t flag) const;
  void clear(SState& s, int k, uint8_t flag) const;
  expr is_kind(const SState& s, int k, FolioKind kind) const;
  // model folio_test_anon(): anon and device-coherent folios.
  expr folio_test_anon(const SState& s, int k) const {
    return is_kind(s, k, FolioKind::kAnon) || is_kind(s, k, FolioKind::kDeviceCoherent);
  }
  expr is_zero_folio(const SState& s, int k) const;
  expr folio_maybe_dma_pinned(const SState& s, int k) const;
  expr folio_is_longterm_pinnable(const SState& s, int k) const;
  expr folio_expected_ref_count(const SState& s, int k) const;  // 16-bit
  expr pae_bit(const SState& s, int k, const expr& page) const;
  // PageRef / Pte fields.
  expr ref_folio(const expr& bits) const { return bits & b8(0xf); }
  expr ref_page(const expr& bits) const { return bit(bits, 4); }
  expr ref_kind(const expr& bits) const { return bits.extract(6, 5); }
  expr ref_empty(const expr& bits) const { return ref_kind(bits) == z.bv_val(0, 2); }
  expr make_ref(int folio, const expr& page, PageRef::Kind kind) const;
  expr pte_kind(const SPte& p) const { return p.bits.extract(1, 0); }
  expr pte_none(const SPte& p) const { return pte_kind(p) == z.bv_val(0, 2); }
  expr pte_present(const SPte& p) const { return pte_kind(p) == z.bv_val(1, 2); }
  expr pte_migration(const SPte& p) const { return pte_kind(p) == z.bv_val(2, 2); }
  expr pte_write(const SPte& p) const { return bit(p.bits, 2); }
  expr pte_page(const SPte& p) const { return bit(p.bits, 3); }
  expr pte_exclusive(const SPte& p) const { return bit(p.bits, 4); }
  SPte make_present(const expr& folio, const expr& page, const expr& write) const;
  SPte make_migration(const expr& folio, const expr& page, const expr& write,
                      const expr& excl) const;
  SPte pte_none_val() const { return SPte{b8(kNoFolio), b8(0)}; }

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
  std::vector<expr> summarize(const sym::EventLog& log) const;

  // ---- events (smt_events.cc): the model's c.log(Event{...}) points ----
  // Parts of the event summary apply() keeps (smt_events.h EvPart); 0:
  // none, and the log_* calls do nothing.
  uint32_t ev_parts = 0;
  // kGrab, kRelease (`kind` a 2-bit PageRef::Kind), kUserWrite.
  void log_grab(SState& s, int task, int folio, const expr& page, PageRef::Kind kind, int mm,
                int addr, bool write) const;
  void log_release(SState& s, int task, int folio, const expr& kind, bool held = true) const;
  void log_user_write(SState& s, int task, int folio, const expr& page, int mm, int addr) const;
  // kMigrated, kFreed, kSplit, kReclaimed of `folio`.
  void log_folio(SState& s, EventKind kind, int folio) const;
  // kGupReturned, kCheckMigrateReturned with an 8-bit `value`.
  void log_return(SState& s, EventKind kind, int task, const expr& value) const;

  // A pages[] entry of task t at a symbolic index.
  expr page_at(const SState& s, int task, const expr& j) const;
  expr folio_field(const SState& s, const expr& idx, expr SFolio::*field, const expr& dflt) const;

 private:
  std::vector<std::vector<Mm>> layouts_;
  std::vector<std::pair<z3::expr, std::vector<int64_t>>> ranges_;
  mutable size_t paths_ = 0, queries_ = 0;
  mutable std::optional<SState> scratch_;  // summarize()'s
  // An executor for step() and choices(): the context and the ranges.
  void prepare(sym::Executor& ex) const;
};

// Why a configuration is outside the encoding ("" when it is covered).
std::string unsupported_reason(const Config& cfg);

}  // namespace gup::smt
