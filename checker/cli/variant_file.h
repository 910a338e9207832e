// `--variant-file FILE`: a variant written outside the source tree
// (model/patch.h), built with the compiler and flags gupcheck was built
// with into a module, loaded, and selected for the run.
//
// Invariants:
//  1. The file is compiled where it is, so the compiler's diagnostics name
//     it and its own lines; a file that does not compile is bad input
//     (SpecError: exit 2) with the compiler's output.
//  2. The module is cached under the cache directory ($GUPCHECK_CACHE_DIR,
//     else $XDG_CACHE_HOME/gupcheck, else ~/.cache/gupcheck), keyed by the
//     file's text, the compile commands and the gupcheck binary; a cached
//     module is never rebuilt, and a module is written under a temporary
//     name and renamed into place, so a concurrent run never loads half a
//     module. Nothing else is written.
#pragma once

#include <string>

#include "model/variant.h"

namespace gup::cli {

struct VariantModule {
  std::string path;    // the shared object
  bool built = false;  // false: it came from the cache
};

// Builds (or finds in the cache) the module of `file`. Throws SpecError.
VariantModule build_variant_module(const std::string& file);

// build_variant_module() then load_variant_module(): the variant it defines.
const Variant& load_variant_file(const std::string& file);

struct Options;
// --variant-file given: load it and make its variant the run's (--variant).
// Throws SpecError when --variant is given too.
void select_variant_file(Options& o);

}  // namespace gup::cli
