// What a variant file includes: the model's kernel code and the two macros
// that make a file a variant (model/variants/README.md, docs/patches.md).
//
//   #include "model/patch.h"
//   GUP_DOMAIN_BEGIN
//   namespace kernel::my_patch {
//   // A copy of the 6.12 function from model/gup_longterm.cc, edited.
//   void collect_longterm_unpinnable_folios(State& s, const Ctx& c) { ... }
//   }  // namespace kernel::my_patch
//   GUP_VARIANT(my_patch) {
//     v.name = "my-patch";
//     v.commit = "...";
//     v.summary = "...";
//     GUP_REPLACE(collect_longterm_unpinnable_folios);
//   }
//   GUP_DOMAIN_END
//
// Contract:
//  1. The file is compiled in both domains (model/value.h), like the model,
//     so one replacement reaches explore, random and bmc.
//  2. GUP_VARIANT(ident) defines kernel::ident::define(VariantDef&), which
//     fills in the variant's name and replaces entries of its table; the
//     table starts as the 6.12 one. `ident` is the file name with '-' as
//     '_' for the files of model/variants/ (their index is generated).
//  3. GUP_REPLACE(fn) puts kernel::ident::fn in the table for `fn`. It must
//     name a function of the model's table (a compile error otherwise) and
//     the variant must define its own `fn` (VariantDef::replace() throws
//     std::logic_error when the entry would be the base function itself).
//  4. A replacement calls other kernel functions by their plain names; such
//     calls go through the running table, so two replacements of one
//     variant see each other.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "model/gup_internal.h"
#include "model/kernel_functions.h"

GUP_DOMAIN_BEGIN
namespace kernel {

struct VariantDef {
  const char* name = "";
  const char* zoo_id = "";   // catalogue id, e.g. "C1" (docs/zoo.md), or ""
  const char* commit = "";   // the fix it undoes or the patch it applies
  const char* summary = "";  // one line
  Kernel k = kernel_6_12();
  std::vector<std::string> replaced;  // names, in GUP_REPLACE order

  template <class F>
  void replace(F Kernel::*slot, F fn, const char* fn_name) {
    if (fn == kernel_6_12().*slot)
      throw std::logic_error(std::string("GUP_REPLACE(") + fn_name +
                             "): the variant defines no function of that name in its namespace");
    k.*slot = fn;
    replaced.emplace_back(fn_name);
  }
};

}  // namespace kernel
GUP_DOMAIN_END

#if GUP_SYMBOLIC
#define GUP_VARIANT_DOMAIN_ gupcheck_variant_symbolic
#else
#define GUP_VARIANT_DOMAIN_ gupcheck_variant_concrete
#endif

// A variant module (a file built outside the tree by `--variant-file`) has
// one entry point per domain, found by dlsym().
#ifdef GUP_VARIANT_MODULE
#define GUP_VARIANT_ENTRY_(ident)                              \
  extern "C" void GUP_VARIANT_DOMAIN_(kernel::VariantDef& v) { \
    kernel::ident::define(v);                                  \
  }
#else
#define GUP_VARIANT_ENTRY_(ident)
#endif

#define GUP_VARIANT(ident)    \
  namespace kernel::ident {   \
  void define(VariantDef& v); \
  }                           \
  GUP_VARIANT_ENTRY_(ident)   \
  void kernel::ident::define([[maybe_unused]] VariantDef& v)

#define GUP_REPLACE(fn) v.replace(&Kernel::fn, &fn, #fn)
