#pragma once
// A document as compact JSON text, the way AWS shows inputs, outputs and payloads.

#include <nlohmann/json.hpp>
#include <string>

namespace timeslip::json {

// `value` dumped without spaces. Strings may carry a client's bytes: invalid UTF-8 is replaced
// (U+FFFD) rather than thrown on, so a text is always there to answer with.
std::string Text(const nlohmann::ordered_json& value);

}  // namespace timeslip::json
