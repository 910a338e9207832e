// Spec texts shared by the input tests: the smallest machine that pins.
#pragma once

namespace gup::testing {

// One anon folio mapped writable at address 0; one task pins it and unpins.
inline constexpr const char* kOneAnonPinMachine = R"([machine]
[[machine.folio]]
kind = "anon"
[[machine.vma]]
start = 0
end = 1
kind = "anon"
[[machine.mapping]]
addr = 0
folio = 0
writable = true
[[machine.task]]
script = [{ op = "pin_user_pages" }, "unpin_user_pages"]
)";

}  // namespace gup::testing
