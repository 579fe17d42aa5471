#pragma once
// Reading a scenario's assertions: "expect", "expectAll" and "expectCount" (scenario_file.h
// describes their keys). Private to the scenario loader.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "emulator/cli/scenario_file.h"
#include "emulator/cli/scenario_reader_internal.h"

namespace timeslip::cli::internal {

// An "expect" or "expectAll" object. State names must be known to `in` already.
bool ReadExpectation(ScenarioReader& in, const FieldReader& v, Expectation& out);

// An "expectCount" object: execution status -> how many executions end in it.
bool ReadExpectCount(ScenarioReader& in, const FieldReader& v, std::map<std::string, int>& out);

// A "duration" object {"min"?, "max"?} into `min` and `max`; min may not exceed max.
bool ReadDuration(ScenarioReader& in, const FieldReader& d, std::optional<time::Duration>& min,
                  std::optional<time::Duration>& max);

}  // namespace timeslip::cli::internal
