#pragma once
// EvalContext: what a path, template, intrinsic or Choice rule reads while it is evaluated.

#include <nlohmann/json.hpp>

#include "emulator/time/rng.h"

namespace timeslip::query {

struct EvalContext {
  const nlohmann::json& input;    // what "$" reads: the state's (effective) input
  const nlohmann::json& context;  // what "$$" reads: the context object
  time::Rng* rng = nullptr;       // States.MathRandom and States.UUID draw here. Not owned.
};

}  // namespace timeslip::query
