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

template <class V>
struct StateT {
  typename V::template Array<FolioT<V>, kMaxFolios> folios;
  typename V::template Array<MmT<V>, kMaxMms> mms;
  typename V::template Array<TaskT<V>, kMaxTasks> tasks;
  // folio index or kNoFolio
  typename V::template Array<
      typename V::template Array<typename V::template Int<uint8_t>, kMaxAddrs>, kMaxFiles>
      page_cache;

  // Concrete domain only: equality and hashing read the bytes.
  bool operator==(const StateT& o) const { return std::memcmp(this, &o, sizeof(StateT)) == 0; }
  uint64_t hash() const;  // 64-bit hash of the bytes (model/state.cc)
};
using State = StateT<Plain>;
static_assert(std::is_trivially_copyable_v<State>);
static_assert(sizeof(State) == sizeof(Folio) * kMaxFolios + sizeof(Mm) * kMaxMms +
                                   sizeof(Task) * kMaxTasks + kMaxFiles * kMaxAddrs,
              "State must have no padding: equality and hashing read its bytes");

}  // namespace gup
