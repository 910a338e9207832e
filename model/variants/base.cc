// The 6.12.117 base: every hook as the kernel has it.
#include "model/variant.h"

namespace gup {

const Variant& base_variant() {
  static const Variant v{
      .name = "base",
      .zoo_id = "",
      .commit = "v6.12.117",
      .summary = "Linux 6.12.117 as shipped (docs/model.md)",
      .check_vma_flags_refuses_longterm_fsdax = true,
      .gup_fast_refuses_devmap_longterm = true,
      .try_grab_folio_fast_checks_pinnable = true,
      .collect_counts_unisolated = true,
      .check_and_migrate_returns_0_on_empty_list = false,
      .on_migrate_failure = MigrateFailure::kReturnEnomem,
      .check_and_migrate_kmalloc_leaks_pins = false,
  };
  return v;
}

}  // namespace gup
