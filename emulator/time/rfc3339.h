#pragma once
// RFC 3339 timestamps: formatting the clock's instants, parsing ASL's Timestamp fields.

#include <optional>
#include <string>
#include <string_view>

#include "emulator/time/clock.h"

namespace timeslip::time {

// "2024-01-01T01:00:00.000Z": UTC, always with milliseconds, as AWS prints timestamps.
std::string FormatRfc3339(Instant t);

// Parses ASL's profile of RFC 3339: "YYYY-MM-DDThh:mm:ss[.fraction](Z|+hh:mm|-hh:mm)", with an
// uppercase T and Z. Fractions beyond milliseconds are truncated. nullopt when `text` does not
// conform (that is what IsTimestamp asks).
std::optional<Instant> ParseRfc3339(std::string_view text);

// Seconds since the epoch as a double with millisecond precision: AWS's JSON 1.0 wire format
// for timestamps (e.g. DescribeExecution's startDate).
double EpochSeconds(Instant t);

}  // namespace timeslip::time
