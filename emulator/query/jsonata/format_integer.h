#pragma once
// $formatInteger, $parseInteger and $formatBase of the JSONata standard library:
// https://docs.jsonata.org/numeric-functions
// Pictures follow F&O 3.1 format-integer: decimal digit patterns with grouping separators
// ("#,##0", "0001", any one Unicode digit family), "a"/"A", "i"/"I", "w"/"W"/"Ww", and the
// ";o" modifier for ordinals: https://www.w3.org/TR/xpath-functions-31/#func-format-integer

#include <optional>
#include <string>
#include <string_view>

namespace timeslip::query::jsonata {

// `value` is truncated to an integer (12.6 writes 12); a negative one gets a leading '-'.
// Throws Error D3130 (a picture this does not support) or D3131 (digits of two families).
std::string FormatInteger(double value, std::string_view picture);

// The inverse of FormatInteger: nullopt when `text` does not fit `picture`.
// Throws as FormatInteger does for a bad picture.
std::optional<double> ParseInteger(std::string_view text, std::string_view picture);

// `value` rounded half to even, written in `radix` (default 10; truncated) with digits 0-9a-z.
// Throws Error D3100 when the radix is outside 2..36.
std::string FormatBase(double value, std::optional<double> radix);

}  // namespace timeslip::query::jsonata
