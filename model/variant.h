// Kernel variants: the 6.12.117 base model, or the base with some of its
// kernel functions replaced by a historical kernel's or a proposed patch's.
//
// A variant is one C++ file (model/patch.h) that copies the 6.12 functions
// it changes and edits them, so that the file reads like the kernel patch.
// Variants of model/variants/ are built in; a file outside the tree is
// built into a module and loaded at run time (load_variant_module()).
//
// Invariants:
//  1. all_variants() starts with the base; names are unique.
//  2. A Variant outlives every Config that points to it (the registry
//     never frees one).
//  3. `kernel` is the concrete domain's table; the symbolic domain finds
//     its own by name, or through `symbolic_entry` for a loaded module
//     (checker/bmc/sym/sym_variants.cc).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/folio.h"
#include "model/mm.h"

namespace gup {

namespace kernel {
struct Kernel;
}

struct Variant {
  std::string name;                   // kebab-case slug
  std::string zoo_id;                 // catalogue id, e.g. "C1", or ""
  std::string commit;                 // the fix this variant undoes, or the patch it applies
  std::string summary;                // one line
  std::string source;                 // the file it was built from ("" for the base)
  std::vector<std::string> replaced;  // the kernel functions it replaces
  const kernel::Kernel* kernel = nullptr;
  void* symbolic_entry = nullptr;  // a module's gupcheck_variant_symbolic
};

// The 6.12.117 base.
const Variant& base_variant();

std::span<const Variant* const> all_variants();
const Variant* find_variant(std::string_view name);

// Loads a variant module built from a variant file (a shared object with
// the entry points of model/patch.h) and registers its variant. Throws
// std::runtime_error when the module cannot be loaded, has no entry point,
// or names a variant that already exists.
const Variant& load_variant_module(const std::string& module_path, const std::string& source);

}  // namespace gup

GUP_DOMAIN_BEGIN
// The base's check_vma_flags() (model/gup_util.cc), in either domain.
int check_vma_flags_6_12(const Vma& vma, uint32_t gup_flags);
GUP_DOMAIN_END
