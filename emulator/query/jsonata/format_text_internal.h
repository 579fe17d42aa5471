#pragma once
// Text helpers shared by the picture-string functions ($formatNumber, $formatInteger,
// $parseInteger, $fromMillis, $toMillis): UTF-8 <-> code points, Unicode decimal digits, and the
// decimal digits of a double as JavaScript's String(n) writes them.

#include <string>
#include <string_view>

namespace timeslip::query::jsonata::format_internal {

// Invalid UTF-8 bytes become U+FFFD.
std::u32string ToCodePoints(std::string_view utf8);
std::string ToUtf8(std::u32string_view text);

// The zero of the Unicode decimal digit family (category Nd) that `c` belongs to, or 0 when `c`
// is no decimal digit.
char32_t DigitFamilyZero(char32_t c);
bool IsLetter(char32_t c);  // ASCII letters and, roughly, any letter outside ASCII

// The shortest round-trip decimal form of `value` (finite, not negative): `digits` without
// leading or trailing zeros ("0" for zero) and `exponent` such that value = d.ddd x 10^exponent.
struct DecimalForm {
  std::string digits;
  int exponent = 0;
};
DecimalForm ShortestDecimal(double value);

// The digits of floor(|value|) from its shortest decimal form: 1e46 gives "1" and 46 zeros.
std::string IntegerDigits(double value);

// Sum of two strings of ASCII decimal digits.
std::string AddDigits(std::string_view a, std::string_view b);

std::string AsciiLower(std::string_view text);

}  // namespace timeslip::query::jsonata::format_internal
