// libFuzzer target: the trace input format (entries.h). A refusal with an
// error is fine; a crash, sanitizer report, leak, hang or escaping
// exception is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "tests/fuzz/entries.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  gup::fuzz::EntryResult r =
      gup::fuzz::trace_entry(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!r.accepted && r.error.empty()) abort();  // refused without saying why
  return 0;
}
