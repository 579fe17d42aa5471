#pragma once
// A document as compact JSON text, the way AWS shows inputs, outputs and payloads.

#include <nlohmann/json.hpp>
#include <string>

namespace timeslip::json {

// `value` dumped without spaces. Strings may carry a client's bytes: invalid UTF-8 is replaced
// (U+FFFD) rather than thrown on, so a text is always there to answer with.
// `expected_size`, when the caller knows about how long the text comes out (the previous
// state's output, say), is reserved up front instead of growing the text step by step.
std::string Text(const nlohmann::ordered_json& value, std::size_t expected_size = 0);

}  // namespace timeslip::json
