#pragma once
// The functions Step Functions adds to JSONata, in place of the JSONPath intrinsics:
// $partition, $range, $hash, $random (with an optional seed), $uuid and $parse.
// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html

#include <string>
#include <vector>

#include "emulator/query/jsonata/jsonata.h"
#include "emulator/time/rng.h"

namespace timeslip::query {

// Which of them an expression names (a bit each): only those are bound when it runs.
using StepFunctionsFunctions = unsigned;

// From the "$name" references of an expression.
StepFunctionsFunctions StepFunctionsFunctionsNamed(const std::vector<std::string>& names);

// Binds `which` into `bindings`. $random() without a seed and $uuid() draw from `rng` (the
// execution's seeded generator; not owned, may be null when neither is named).
void AddStepFunctionsFunctions(StepFunctionsFunctions which, time::Rng* rng,
                               jsonata::Bindings& bindings);

}  // namespace timeslip::query
