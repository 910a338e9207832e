// The symbolic domain of the model's kernel code: model/*.cc compiled with
// -DGUP_DOMAIN_HEADER="checker/bmc/sym/sym_domain.h" puts every kernel function
// into namespace gup::sym, on the types below (model/value.h).
#pragma once

#include <functional>

#include "checker/bmc/sym/sym_value.h"

#define GUP_SYMBOLIC 1
#define GUP_DOMAIN_BEGIN namespace gup::sym {
#define GUP_DOMAIN_END }
#define GUP_ASSUME(cond, why) ::gup::sym::assume(cond, why)

namespace gup {
template <class V>
struct FolioT;
template <class V>
struct VmaT;
template <class V>
struct PteT;
template <class V>
struct MmT;
template <class V>
struct PageRefT;
template <class V>
struct TaskT;
template <class V>
struct StateT;
template <class V>
struct EventT;
template <class V>
struct EventLogT;
}  // namespace gup

namespace gup::sym {
using V = SymV;
template <class T>
using Val = SymInt<T>;
using Folio = FolioT<SymV>;
using Vma = VmaT<SymV>;
using Pte = PteT<SymV>;
using Mm = MmT<SymV>;
using PageRef = PageRefT<SymV>;
using Task = TaskT<SymV>;
using State = StateT<SymV>;
using Event = EventT<SymV>;
using EventLog = EventLogT<SymV>;

// model/value.h R5: runs `body` on every path from here, merges the state
// and the events it logged, and goes on with the merged state
// (checker/bmc/sym/join.cc).
void join_paths(State& s, EventLog* log, const std::function<void()>& body);
template <class F>
void join(State& s, EventLog* log, F&& body) {
  join_paths(s, log, std::function<void()>(std::forward<F>(body)));
}
}  // namespace gup::sym
