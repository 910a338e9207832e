// Internal to model/variants/: one accessor per variant file.
#pragma once

#include "model/variant.h"

namespace gup {

const Variant& variant_migrate_fail_pins_anyway();
const Variant& variant_isolation_error_pins_anyway();
const Variant& variant_gupfast_longterm_cma();
const Variant& variant_cma_pinned_when_off_lru();
const Variant& variant_enomem_leaks_pins();
const Variant& variant_longterm_fsdax();

}  // namespace gup
