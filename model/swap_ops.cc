// lru_add_drain_all(): mm/swap.c (6.12). Every CPU's lru_add batch is
// drained and waited for: each queued folio gets PG_lru and the batch's
// reference is dropped (mm/swap.c: lru_add_drain_all(), lru_add_fn()). One atomic section: the
// model has no per-CPU work items to interleave with.
#include "model/kernel.h"
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

int drain_choices(const State& s, const Config& cfg, int t) {
  GUP_OVERRIDABLE(drain_choices, s, cfg, t);
  return 1;
}

void drain_step(State& s, const Ctx& c) {
  GUP_OVERRIDABLE(drain_step, s, c);
  lru_add_drain_all(s, c);
  finish_op(s, c);
}

#if !GUP_SYMBOLIC
void drain_info(const State&, const Config&, int, StepInfo& out) {
  out.function = "lru_add_drain_all";
  out.source = "mm/swap.c";
}
#endif

const OpImpl kOpLruAddDrainAll{drain_choices, drain_step, GUP_INFO(drain_info)};

}  // namespace kernel
GUP_DOMAIN_END
