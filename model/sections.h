// The atomic sections of each op other than GUP (whose sections are GupPc,
// model/gup_internal.h): the values of Task::pc between two steps. Each op's
// own namespace, so that a variant file patching one op can name them
// (`using namespace fork_sections;`) without clashing with another op's.
#pragma once

#include <cstdint>

#include "model/state.h"

GUP_DOMAIN_BEGIN
namespace kernel {

// model/cma.cc
namespace cma_sections {
enum CmaPc : uint8_t { kPcStartIsolate, kPcDrain, kPcIsolate, kPcMigrate, kPcPutback, kPcTest };
}  // namespace cma_sections

// model/compaction.cc
namespace compaction_sections {
enum CompactPc : uint8_t { kPcIsolate, kPcMigrate, kPcPutback };
}  // namespace compaction_sections

// model/fork.cc
namespace fork_sections {
enum ForkPc : uint8_t {
  kPcDupMmap,  // dup_mmap(): locks and VMAs
  kPcCopy,     // the next PTE: copied whole, or its folio_try_dup_anon_rmap_pte()
  kPcCopyWp,   // __copy_present_ptes() of the PTE checked at Task::i (Task::snap)
};
}  // namespace fork_sections

// model/huge_memory.cc
namespace split_sections {
enum SplitPc : uint8_t { kPcTryGet, kPcSplit };
}  // namespace split_sections

// model/madvise.cc
namespace madvise_sections {
enum MadvisePc : uint8_t { kPcLock, kPcZap };
}  // namespace madvise_sections

// model/mprotect.cc
namespace mprotect_sections {
enum MprotectPc : uint8_t { kPcFixup, kPcChangePte };
constexpr uint8_t kProt = VM_READ | VM_WRITE;
}  // namespace mprotect_sections

// model/transient_ref.cc
namespace transient_ref_sections {
enum TransientPc : uint8_t { kPcTryGet, kPcPut };
}  // namespace transient_ref_sections

// model/vmscan.cc
namespace reclaim_sections {
enum ReclaimPc : uint8_t { kPcIsolate, kPcShrink };
}  // namespace reclaim_sections

}  // namespace kernel
GUP_DOMAIN_END
