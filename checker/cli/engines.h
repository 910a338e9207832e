// The engine registry: every engine the CLI and specs can name
// (checker/core/engine.h kEngineNames), with the code that runs it. Linking
// it links every engine, the bmc engine's solver included.
#pragma once

#include <span>
#include <string_view>

#include "checker/core/engine.h"

namespace gup {

std::span<const Engine* const> all_engines();
// Null when no engine has that name.
const Engine* find_engine(std::string_view name);

}  // namespace gup
