// TEMPORARY: the racing operations are being written in their own files
// (fork.cc, madvise.cc, ...). Each definition here disappears when its file
// lands. An op defined here is never enabled.
#include "model/kernel.h"

namespace gup::kernel {
namespace {
int never(const State&, const Config&, int) { return 0; }
void no_step(State&, const Ctx&) {}
void no_info(const State&, const Config&, int, StepInfo& out) { out.function = "(not modelled yet)"; }
}  // namespace
const OpImpl kOpFork{never, no_step, no_info};
const OpImpl kOpMadviseDontneed{never, no_step, no_info};
const OpImpl kOpWriteFault{never, no_step, no_info};
const OpImpl kOpReadFault{never, no_step, no_info};
const OpImpl kOpMprotect{never, no_step, no_info};
const OpImpl kOpReclaim{never, no_step, no_info};
const OpImpl kOpSplitHugePage{never, no_step, no_info};
const OpImpl kOpTruncate{never, no_step, no_info};
const OpImpl kOpLruAddDrainAll{never, no_step, no_info};
const OpImpl kOpCompact{never, no_step, no_info};
const OpImpl kOpCmaAlloc{never, no_step, no_info};
const OpImpl kOpTransientRef{never, no_step, no_info};
}  // namespace gup::kernel
