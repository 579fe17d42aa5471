#pragma once
// The one URL decoder of the wire: %XX escapes in paths, query strings and form bodies.

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace timeslip::api {

// `text` with its %XX escapes decoded; with `plus_is_space` (query strings, form bodies:
// application/x-www-form-urlencoded) a '+' is a space, in a path it stays itself. nullopt for a
// broken escape ("%4", "%zz").
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// "a=1&b=x+y" as {a: "1", b: "x y"}, decoded; a key without '=' has an empty value, empty pairs
// are skipped, and a repeated key keeps its last value. nullopt when an escape is broken.
std::optional<std::map<std::string, std::string, std::less<>>> ParseQuery(std::string_view text);

}  // namespace timeslip::api
