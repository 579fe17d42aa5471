#pragma once
// The F&O format-integer picture ("#,##0", "0001;o", "I", "w", "Ww", "A"), compiled once and
// used by $formatInteger, $parseInteger and the numeric components of date pictures:
// https://www.w3.org/TR/xpath-functions-31/#formatting-integers

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace timeslip::query::jsonata::format_internal {

enum class IntegerStyle {
  kDecimal,     // a decimal digit pattern
  kLowerAlpha,  // a
  kUpperAlpha,  // A
  kLowerRoman,  // i
  kUpperRoman,  // I
  kLowerWords,  // w
  kUpperWords,  // W
  kTitleWords,  // Ww
};

struct IntegerPicture {
  IntegerStyle style = IntegerStyle::kDecimal;
  bool ordinal = false;
  // Decimal digit patterns only.
  char32_t zero = U'0';
  int min_digits = 1;       // mandatory digits
  int optional_digits = 0;  // '#'
  struct Separator {
    int position;  // digits to its right
    char32_t text;
  };
  std::vector<Separator> separators;  // right to left
  int regular_interval = 0;           // separators repeat every this many digits; 0: they do not
};

// A primary format token without modifier. Throws D3130 (not a picture this supports) or D3131
// (digits from two digit families).
IntegerPicture ParseIntegerToken(std::u32string_view token);
// A whole $formatInteger picture: the token, then ";o" (ordinal) or ";c" (cardinal).
IntegerPicture ParseIntegerPicture(std::u32string_view picture);

// `digits`: ASCII decimal digits of a non-negative integer. No sign.
std::u32string FormatIntegerDigits(const std::string& digits, const IntegerPicture& picture);
// The ASCII digits `text` spells under `picture`, or nullopt when it does not fit.
std::optional<std::string> ParseIntegerDigits(std::u32string_view text,
                                              const IntegerPicture& picture);

}  // namespace timeslip::query::jsonata::format_internal
