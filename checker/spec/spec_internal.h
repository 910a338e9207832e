// Internal to the spec loader: the parts of a spec file, one parser each.
#pragma once

#include <string>

#include "checker/spec/spec_toml.h"
#include "model/config_builder.h"

namespace gup::spec {

// What ops may refer to: folios and address spaces the machine defines.
struct MachineShape {
  int folios = 0;
  int mms = 1;
  unsigned live = 1;  // bit m: mm m is live at the start
};

// [machine] -> Config (spec_machine.cc).
Config parse_machine(const Reader& r, const toml::table& machine, const std::string& name,
                     const Variant& variant);

// One entry of a task's script (spec_ops.cc): an inline table
// { op = "pin_user_pages", start = 0, ... } or a bare op name.
Op parse_op(const Reader& r, const toml::node& n, const MachineShape& shape);

// A protection: "r", "w", "rw" or "none" -> VM_READ|VM_WRITE.
uint8_t parse_prot(const Reader& r, const toml::node& n);

// Index checks shared by the machine and the ops.
int parse_folio_ref(const Reader& r, const toml::table& t, std::string_view key,
                    const MachineShape& shape);
int parse_mm_ref(const Reader& r, const toml::table& t, const MachineShape& shape);

}  // namespace gup::spec
