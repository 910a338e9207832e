// Internal to the bmc engine: properties as symbolic predicates over one
// state, mirroring properties/*.cc.
#pragma once

#include <optional>

#include "checker/smt_encode.h"
#include "properties/property.h"

namespace gup::smt {

// "The property is violated in s", or nullopt when the property is not
// encoded (step and call relations read events the encoding does not keep).
std::optional<expr> violated(const Enc& e, const SState& s, const Property& p);

}  // namespace gup::smt
