// The symbolic domain's kernel function table of each variant
// (model/kernel_functions.h kernel_of(); model/variant.h invariant 3).
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

#include "model/variants_index.h"

namespace gup::sym::kernel {

const Kernel& kernel_of(const Variant& v) {
  static std::mutex mu;
  static std::map<std::string, Kernel, std::less<>> tables;
  if (v.name == "base") return kernel_6_12();
  std::lock_guard lock(mu);
  if (auto it = tables.find(v.name); it != tables.end()) return it->second;
  VariantDef d;
  if (v.symbolic_entry) {
    reinterpret_cast<void (*)(VariantDef&)>(v.symbolic_entry)(d);
  } else {
    for (const BuiltinVariant& b : builtin_variants()) {
      VariantDef bd;
      b.define(bd);
      if (v.name == bd.name) d = bd;
    }
  }
  if (v.name != d.name)
    throw std::logic_error("variant " + v.name + " has no symbolic-domain definition");
  return tables.emplace(v.name, d.k).first->second;
}

}  // namespace gup::sym::kernel
