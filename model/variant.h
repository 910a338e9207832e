// Kernel variants: named deltas on the 6.12 base model.
//
// A variant overrides only the kernel functions (or the decisions inside
// them) that a historical kernel or a proposed patch changes. Each hook is
// named after the code it replaces; the base implementation is the 6.12.117
// behaviour. model/variants/README.md lists the hooks, and each variant
// lives in one file of model/variants/, readable as a patch.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "model/folio.h"
#include "model/mm.h"

namespace gup {

// What __gup_longterm_locked() does after migrate_pages() failed.
enum class MigrateFailure : uint8_t {
  kReturnEnomem,         // 6.12: putback, unpin, return -ENOMEM
  kPinWithoutMigrating,  // before f0f4463837da: re-walk with migration off
};

struct Variant {
  const char* name;     // kebab-case slug (model/variants/README.md)
  const char* zoo_id;   // e.g. "C1", or "" for the base
  const char* commit;   // the fix this variant undoes, or the patch it applies
  const char* summary;  // one line

  // mm/gup.c: check_vma_flags(): FOLL_LONGTERM on an fsdax VMA is -EOPNOTSUPP.
  bool check_vma_flags_refuses_longterm_fsdax;
  // mm/gup.c: gup_fast_pte_range(): refuse devmap PTEs under FOLL_LONGTERM.
  bool gup_fast_refuses_devmap_longterm;
  // mm/gup.c: try_grab_folio_fast(): drop the folio if
  // FOLL_LONGTERM && !folio_is_longterm_pinnable().
  bool try_grab_folio_fast_checks_pinnable;
  // mm/gup.c: collect_longterm_unpinnable_folios(): a folio that could not
  // be isolated still counts as collected.
  bool collect_counts_unisolated;
  // mm/gup.c: check_and_migrate_movable_pages(): returns 0 when nothing
  // was isolated, rather than when nothing was collected.
  bool check_and_migrate_returns_0_on_empty_list;
  // mm/gup.c: migrate_longterm_unpinnable_folios() after a migration failure.
  MigrateFailure on_migrate_failure;
  // check_and_migrate_movable_pages() allocates its folio array (before the
  // pofs rework) and leaks the pins when that allocation fails.
  bool check_and_migrate_kmalloc_leaks_pins;
};

// The 6.12.117 base.
const Variant& base_variant();

std::span<const Variant* const> all_variants();
const Variant* find_variant(std::string_view name);

}  // namespace gup

GUP_DOMAIN_BEGIN
// The base's check_vma_flags() (model/gup_util.cc), in either domain.
int check_vma_flags_6_12(const Vma& vma, uint32_t gup_flags);
GUP_DOMAIN_END
