// A transient reference from another subsystem, e.g. a speculative
// page-cache lookup (mm/filemap.c: filemap_get_entry()) or a PFN walker:
// include/linux/page_ref.h: folio_try_get(), then folio_put().
//
// Contract: the extra reference exists only between the two sections, and
// only if folio_try_get() found the folio in use (refcount > 0: not free,
// not frozen). While it exists, migration's and split's refcount checks
// fail and folio_maybe_dma_pinned() sees one more reference. The shared
// zero page is left alone (nothing the model does reads its refcount).
//
// Atomic sections: (1) folio_try_get(); a failure ends the op;
// (2) folio_put(), which frees the folio if it was the last reference.
// properties/ledger counts the reference while the task is at pc 1.
#include <cstdio>

#include "model/kernel.h"
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

using namespace transient_ref_sections;

int transient_choices(const State& s, const Config& cfg, int t) {
  GUP_OVERRIDABLE(transient_choices, s, cfg, t);
  return 1;
}

void transient_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(transient_step, s, c);
  Task& t = task(s, c);
  int idx = cur_op(s, c.cfg, c.task).folio;
  Folio& f = s.folios[idx];
  if (t.pc == kPcPut) {
    folio_put_refs(s, c, idx, 1);
    return finish_op(s, c);
  }
  if (f.refcount <= 0 || is_zero_folio(f)) return finish_op(s, c);
  folio_get(f);
  t.pc = kPcPut;
}

#if !GUP_SYMBOLIC
void transient_info(const State& s, const Config& cfg, int ti, StepInfo& out) {
  bool put = s.tasks[ti].pc == kPcPut;
  out.function = put ? "folio_put" : "folio_try_get";
  out.source = put ? "include/linux/mm.h" : "include/linux/page_ref.h";
  std::snprintf(out.args, sizeof out.args, "folio %d", cur_op(s, cfg, ti).folio);
}
#endif

const OpImpl kOpTransientRef{transient_choices, transient_step, GUP_INFO(transient_info)};

}  // namespace kernel
GUP_DOMAIN_END
