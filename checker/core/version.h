// The model version recorded in every saved trace.
//
// A trace is a list of (task, choice) steps: it means something only on the
// model that produced it. Bump kModelVersion whenever a change to model/
// can change which steps are enabled or what they do; `gupcheck replay`
// refuses traces of another version rather than replaying them wrongly.
#pragma once

namespace gup {

inline constexpr const char* kModelVersion = "gupcheck-model-1";

}  // namespace gup
