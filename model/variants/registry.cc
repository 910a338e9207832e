// Every variant, by name. Add a new variant's accessor here.
#include <array>

#include "model/variants/variants.h"

namespace gup {

std::span<const Variant* const> all_variants() {
  static const std::array<const Variant*, 7> all = {
      &base_variant(),
      &variant_migrate_fail_pins_anyway(),
      &variant_isolation_error_pins_anyway(),
      &variant_gupfast_longterm_cma(),
      &variant_cma_pinned_when_off_lru(),
      &variant_enomem_leaks_pins(),
      &variant_longterm_fsdax(),
  };
  return all;
}

const Variant* find_variant(std::string_view name) {
  for (const Variant* v : all_variants())
    if (name == v->name) return v;
  return nullptr;
}

}  // namespace gup
