// The machine state: one trivially copyable value of fixed size.
//
// Equality and hashing work on the bytes, so every member is laid out with
// no padding (static_asserts below). A Config says how many folios, mms and
// tasks are in use; unused entries stay zero-filled.
//
// Global invariants (see also folio.h F1-F5, mm.h M1-M3, task.h T1-T2):
//  S1. page_cache[file][index] names an allocated folio with kMapping whose
//      `file` field points back at that slot, or kNoFolio.
//  S2. Every folio index stored anywhere is below Config::nr_folios.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "model/constants.h"
#include "model/folio.h"
#include "model/mm.h"
#include "model/task.h"

namespace gup {

struct State {
  Folio folios[kMaxFolios];
  Mm mms[kMaxMms];
  Task tasks[kMaxTasks];
  uint8_t page_cache[kMaxFiles][kMaxAddrs];  // folio index or kNoFolio

  bool operator==(const State& o) const { return std::memcmp(this, &o, sizeof(State)) == 0; }
  uint64_t hash() const;  // 64-bit hash of the bytes (model/state.cc)
};
static_assert(std::is_trivially_copyable_v<State>);
static_assert(sizeof(State) == sizeof(Folio) * kMaxFolios + sizeof(Mm) * kMaxMms +
                                   sizeof(Task) * kMaxTasks + kMaxFiles * kMaxAddrs,
              "State must have no padding: equality and hashing read its bytes");

}  // namespace gup
