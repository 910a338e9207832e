// Which configurations the bmc engine takes: the ops whose state slots it
// encodes. The transitions themselves are the model's code
// (checker/bmc/smt_sym.cc).
#include <fmt/format.h>

#include "checker/bmc/smt_encode.h"

namespace gup::smt {

namespace {

bool covered(OpKind k) {
  switch (k) {
    case OpKind::kPinUserPages:
    case OpKind::kGetUserPages:
    case OpKind::kPinUserPagesFast:
    case OpKind::kGetUserPagesFast:
    case OpKind::kUnpinUserPages:
    case OpKind::kWriteFault:
    case OpKind::kReadFault:
    case OpKind::kLruAddDrainAll:
    case OpKind::kTransientRef:
    case OpKind::kFork:
    case OpKind::kMadviseDontneed:
    case OpKind::kCmaAlloc:
    case OpKind::kCompact:
    case OpKind::kSplitHugePage:
    case OpKind::kTruncate:
    case OpKind::kReclaim:
    case OpKind::kMprotect:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string unsupported_reason(const Config& cfg) {
  for (int t = 0; t < cfg.nr_tasks; t++)
    for (int p = 0; p < cfg.script_len[t]; p++) {
      const Op& op = cfg.op(t, p);
      if (!covered(op.kind))
        return fmt::format("the bmc encoding does not cover op '{}' (task {}, op {})",
                           op_name(op.kind), t, p);
      if (op_is_gup(op.kind) && op.start + op.nr > kMaxAddrs)
        return fmt::format("task {} op {} walks past the address space", t, p);
    }
  return "";
}

}  // namespace gup::smt
