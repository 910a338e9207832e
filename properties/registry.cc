// The property registry and the shared formatting of findings.
#include <fmt/format.h>

#include <array>

#include "properties/common.h"

GUP_DOMAIN_BEGIN

namespace {
// The order in which engines check, and so which of several violated
// properties a step reports first: the call contracts of the long-term
// path (they fire at the exit that breaks them, often a step before a pin
// rests where it must not), where long-term pins rest, accounting, identity
// and coherence, then liveness.
const std::array<const Property*, 14> kAll = {
    &kLongtermPinContract,  &kRefcountsRestoredAfterFailedMigration,
    &kNoLongtermPinOnFsdax, &kNoLongtermPinInMovable,
    &kRefcountAccounting,   &kPinUnpinBalance,
    &kNoUseAfterFree,       &kPinnedNeverMigratedOrFreed,
    &kPinCoherence,         &kNoWriteWithoutPermission,
    &kCowIsolation,         &kFastPathSubset,
    &kNoFalseRefusal,       &kPinLoopTerminates,
};
}  // namespace

std::span<const Property* const> all_properties() {
  return kAll;
}

const Property* find_property(std::string_view name) {
  for (const Property* p : kAll)
    if (name == p->name) return p;
  return nullptr;
}

namespace props {

uint32_t gup_flags_of_op(const Op& op) {
  switch (op.kind) {
    case OpKind::kGetUserPages:
    case OpKind::kGetUserPagesFast:
      return op.flags | FOLL_GET;
    case OpKind::kPinUserPages:
    case OpKind::kPinUserPagesFast:
      return op.flags | FOLL_PIN;
    default:
      return op.flags;
  }
}

}  // namespace props

GUP_DOMAIN_END

#if !GUP_SYMBOLIC
namespace gup {

const char* property_kind_name(PropertyKind k) {
  switch (k) {
    case PropertyKind::kStateInvariant:
      return "state invariant";
    case PropertyKind::kStepRelation:
      return "relation over one step";
    case PropertyKind::kCallRelation:
      return "relation over one GUP call";
  }
  return "?";
}

}  // namespace gup

namespace gup::props {

std::string format_finding(const Transition& tr, const Config& cfg, const Finding& f) {
  std::string out;
  if (f.task >= 0) out += fmt::format("T{} ", f.task);
  if (f.folio >= 0 && f.folio < cfg.nr_folios) {
    const Folio& fo = tr.after.folios[f.folio];
    out += fmt::format("folio {} [{}, {}, {}, refcount {}, pincount {}, mapcount {}] ", f.folio,
                       folio_kind_name(fo.kind), zone_name(fo.zone),
                       migratetype_name(fo.migratetype), fo.refcount, fo.pincount, fo.mapcount);
  }
  if (f.entry >= 0) out += fmt::format("pages[{}] ", f.entry);
  if (f.mm >= 0) out += fmt::format("mm{} addr {} ", f.mm, f.addr);
  if (!out.empty()) out.back() = ':', out += ' ';
  out += f.what;
  if (f.has_value) out += fmt::format(" (got {}, expected {})", f.value, f.expected);
  return out;
}

}  // namespace gup::props
#endif  // !GUP_SYMBOLIC
