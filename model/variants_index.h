// The built-in variants: one per file of model/variants/, listed by the
// index model/CMakeLists.txt generates (build/model/variants_index.cc), in
// both domains. No list to edit: adding a file adds a variant.
#pragma once

#include <span>

#include "model/patch.h"

GUP_DOMAIN_BEGIN
namespace kernel {

struct BuiltinVariant {
  void (*define)(VariantDef&);
  const char* source;  // path from the source root
};

std::span<const BuiltinVariant> builtin_variants();

}  // namespace kernel
GUP_DOMAIN_END
