#pragma once
// $fromMillis, $toMillis and $now of the JSONata standard library:
// https://docs.jsonata.org/date-time-functions
// Pictures follow F&O 3.1 format-dateTime (components [Y] [M] [D] [d] [F] [W] [w] [X] [x] [H]
// [h] [P] [m] [s] [f] [Z] [z] [C] [E], presentation and width modifiers):
// https://www.w3.org/TR/xpath-functions-31/#rules-for-datetime-formatting
// No clock is read here: "now" is always handed in.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace timeslip::query::jsonata {

// `ms` since the epoch written with `picture` (ISO 8601 with milliseconds when absent) in the
// fixed offset `timezone` ("+HHMM", "-HHMM" or "HHMM"; UTC when absent).
// Throws Error D3132..D3135 for a bad picture; D3110 for a timezone that is not four digits at
// most, or an instant beyond JavaScript's dates (+-8.64e15 ms).
std::string FromMillis(std::int64_t ms, std::optional<std::string_view> picture,
                       std::optional<std::string_view> timezone);

// The instant `timestamp` names: ISO 8601 when `picture` is absent (throws Error D3110 when it is
// not), else read with `picture`. Components the picture leaves out are taken, when more
// significant than those it has, from `now_ms` (the date of "[H]:[m]"), and otherwise from
// the start of their range. nullopt when the text does not match the picture, the picture
// has no component, or the text is longer than 1000 bytes (no date is). Throws D3132..D3135 for a
// bad picture, D3136 when its components leave a gap ("[Y]-[D]") or use week dates.
std::optional<std::int64_t> ToMillis(std::string_view timestamp,
                                     std::optional<std::string_view> picture,
                                     std::int64_t now_ms = 0);

// $now([picture [, timezone]]): FromMillis of the evaluation's instant, handed in.
inline std::string Now(std::int64_t now_ms, std::optional<std::string_view> picture,
                       std::optional<std::string_view> timezone) {
  return FromMillis(now_ms, picture, timezone);
}

}  // namespace timeslip::query::jsonata
