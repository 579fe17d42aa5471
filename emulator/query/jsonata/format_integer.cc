#include "emulator/query/jsonata/format_integer.h"

#include <cmath>
#include <cstdlib>

#include "emulator/query/jsonata/format_text_internal.h"
#include "emulator/query/jsonata/integer_picture_internal.h"

namespace timeslip::query::jsonata {

using format_internal::IntegerPicture;

std::string FormatInteger(double value, std::string_view picture) {
  const IntegerPicture parsed =
      format_internal::ParseIntegerPicture(format_internal::ToCodePoints(picture));
  const double whole = std::trunc(value);
  std::string out = whole < 0 ? "-" : "";
  return out + format_internal::ToUtf8(format_internal::FormatIntegerDigits(
                   format_internal::IntegerDigits(whole), parsed));
}

std::optional<double> ParseInteger(std::string_view text, std::string_view picture) {
  const IntegerPicture parsed =
      format_internal::ParseIntegerPicture(format_internal::ToCodePoints(picture));
  std::u32string_view body;
  std::u32string code_points = format_internal::ToCodePoints(text);
  body = code_points;
  bool negative = false;
  if (parsed.style == format_internal::IntegerStyle::kDecimal && !body.empty() &&
      body.front() == U'-') {
    negative = true;
    body.remove_prefix(1);
  }
  // An empty roman numeral or letter sequence is zero, as FormatInteger writes zero.
  if (body.empty() && parsed.style != format_internal::IntegerStyle::kDecimal) return 0.0;
  std::optional<std::string> digits = format_internal::ParseIntegerDigits(body, parsed);
  if (!digits) return std::nullopt;
  const double magnitude = std::strtod(digits->c_str(), nullptr);
  return negative ? -magnitude : magnitude;
}

}  // namespace timeslip::query::jsonata
