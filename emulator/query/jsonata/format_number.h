#pragma once
// $formatNumber of the JSONata standard library: https://docs.jsonata.org/numeric-functions
// The picture follows F&O 3.1 format-number, exponents included:
// https://www.w3.org/TR/xpath-functions-31/#func-format-number

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace timeslip::query::jsonata {

// `options`: null, or an object that may override the decimal format's properties by their F&O
// names ("decimal-separator", "grouping-separator", "exponent-separator", "infinity",
// "minus-sign", "NaN", "percent", "per-mille", "zero-digit", "digit", "pattern-separator"),
// each a string. Rounds half to even. Throws Error D3080..D3093 for a picture F&O rejects.
std::string FormatNumber(double value, std::string_view picture,
                         const nlohmann::ordered_json& options);

}  // namespace timeslip::query::jsonata
