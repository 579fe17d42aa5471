// FromMillis: an instant written with an F&O date-time picture.

#include "emulator/query/jsonata/datetime_format.h"

#include <cstdlib>

#include "emulator/query/jsonata/datetime_calendar_internal.h"
#include "emulator/query/jsonata/datetime_picture_internal.h"
#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/format_text_internal.h"

namespace timeslip::query::jsonata {
namespace {

using format_internal::DateMarker;
using format_internal::DatePresentation;
using format_internal::IntegerPicture;
using format_internal::IntegerStyle;
using format_internal::LocalDateTime;

// JavaScript's dates reach 10^8 days either side of the epoch.
constexpr std::int64_t kMaxMillis = 8'640'000'000'000'000;

// "+HHMM", "-HHMM" or "HHMM" as minutes east of UTC.
int ParseTimezone(std::string_view timezone) {
  int sign = 1;
  if (!timezone.empty() && (timezone.front() == '+' || timezone.front() == '-')) {
    sign = timezone.front() == '-' ? -1 : 1;
    timezone.remove_prefix(1);
  }
  int value = 0;
  if (timezone.empty() || timezone.size() > 4) {
    throw Error("D3110", "The timezone '" + std::string(timezone) + "' is not +HHMM or -HHMM");
  }
  for (char c : timezone) {
    if (c < '0' || c > '9') {
      throw Error("D3110", "The timezone '" + std::string(timezone) + "' is not +HHMM or -HHMM");
    }
    value = value * 10 + (c - '0');
  }
  const int hours = timezone.size() <= 2 ? value : value / 100;
  const int minutes = timezone.size() <= 2 ? 0 : value % 100;
  return sign * (hours * 60 + minutes);
}

std::string Padded(int value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

std::string FormatOffset(int offset, const DateMarker& marker) {
  const bool gmt = marker.component == U'z';
  if (marker.traditional && offset == 0 && !gmt) return "Z";
  const std::string sign = offset < 0 ? "-" : "+";
  const int hours = std::abs(offset) / 60;
  const int minutes = std::abs(offset) % 60;
  int digits_before = 0;
  int digits = 0;
  std::string separator;
  for (char32_t c : marker.modifier) {
    if (format_internal::DigitFamilyZero(c) != 0) {
      ++digits;
      if (separator.empty()) ++digits_before;
    } else if (separator.empty()) {
      separator = format_internal::ToUtf8(std::u32string(1, c));
    }
  }
  std::string out = gmt ? "GMT" + sign : sign;
  if (!separator.empty()) {
    out += Padded(hours, digits_before) + separator + Padded(minutes, 2);
  } else if (digits <= 2) {
    out += Padded(hours, digits);
    if (minutes != 0) out += ":" + Padded(minutes, 2);
  } else {
    out += Padded(hours, digits - 2) + Padded(minutes, 2);
  }
  return out;
}

std::string CaseAs(std::string_view name, std::u32string_view modifier) {
  std::string out(name);
  if (modifier == U"N") {
    for (char& c : out) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  } else if (modifier == U"n") {
    out = format_internal::AsciiLower(out);
  }
  return out;
}

std::string FormatName(const DateMarker& marker, const LocalDateTime& t) {
  std::string name;
  switch (marker.component) {
    case U'M':
      name = format_internal::MonthName(t.month - 1);
      break;
    case U'x':
      name = format_internal::MonthName(t.month_of_week - 1);
      break;
    case U'F':
      name = format_internal::DayName(t.weekday - 1);
      break;
    case U'P':
      name = t.hour < 12 ? "am" : "pm";
      break;
    default:  // C, E: the calendar and era JSONata names
      return "ISO";
  }
  name = CaseAs(name, marker.modifier);
  if (marker.max_width && static_cast<int>(name.size()) > *marker.max_width) {
    name.resize(*marker.max_width);
  }
  return name;
}

std::string FormatFraction(int millisecond, const DateMarker& marker) {
  std::string digits = Padded(millisecond, 3);
  const IntegerPicture& picture = marker.integer;
  int min = picture.min_digits;
  int max = picture.min_digits + picture.optional_digits;
  if (max <= 1) max = 3;
  if (marker.has_width) {
    min = marker.min_width.value_or(1);
    max = marker.max_width.value_or(std::max(min, 3));
  }
  if (static_cast<int>(digits.size()) > max) digits.resize(max);
  while (static_cast<int>(digits.size()) > min && digits.back() == '0') digits.pop_back();
  if (static_cast<int>(digits.size()) < min) digits.append(min - digits.size(), '0');
  return digits;
}

std::int64_t ComponentValue(char32_t component, const LocalDateTime& t) {
  switch (component) {
    case U'Y':
      return t.year;
    case U'M':
      return t.month;
    case U'D':
      return t.day;
    case U'd':
      return t.day_of_year;
    case U'F':
      return t.weekday;
    case U'W':
      return t.iso_week;
    case U'X':
      return t.iso_week_year;
    case U'w':
      return t.week_of_month;
    case U'x':
      return t.month_of_week;
    case U'H':
      return t.hour;
    case U'h':
      return t.hour % 12 == 0 ? 12 : t.hour % 12;
    case U'm':
      return t.minute;
    case U's':
      return t.second;
    default:
      return 0;
  }
}

std::string FormatMarker(const DateMarker& marker, const LocalDateTime& t, int offset) {
  switch (marker.presentation) {
    case DatePresentation::kName:
      return FormatName(marker, t);
    case DatePresentation::kTimezone:
      return FormatOffset(offset, marker);
    case DatePresentation::kInteger:
      break;
  }
  if (marker.component == U'f' && marker.integer.style == IntegerStyle::kDecimal) {
    return FormatFraction(t.millisecond, marker);
  }
  const std::int64_t value = ComponentValue(marker.component, t);
  IntegerPicture picture = marker.integer;
  std::string digits = std::to_string(value < 0 ? -value : value);
  if (picture.style == IntegerStyle::kDecimal && marker.has_width) {
    picture.min_digits = marker.min_width.value_or(1);
  }
  if (marker.component == U'Y' && picture.style == IntegerStyle::kDecimal) {
    // A year with a maximum width keeps its last digits: [Y,2] and [Y0001,2-2] write 18.
    // So does one whose digit pattern has two or more mandatory digits: [Y01] writes 18.
    std::optional<int> max = marker.max_width;
    if (!max && marker.has_width && !marker.explicit_modifier) max = marker.min_width;
    if (!max && !marker.has_width && picture.min_digits >= 2) max = picture.min_digits;
    if (max && static_cast<int>(digits.size()) > *max) digits = digits.substr(digits.size() - *max);
  }
  std::string out = value < 0 ? "-" : "";
  return out + format_internal::ToUtf8(format_internal::FormatIntegerDigits(digits, picture));
}

}  // namespace

std::string FromMillis(std::int64_t ms, std::optional<std::string_view> picture,
                       std::optional<std::string_view> timezone) {
  const auto items =
      format_internal::ParseDatePicture(picture ? *picture : format_internal::kIsoPicture);
  const int offset = timezone ? ParseTimezone(*timezone) : 0;
  if (ms > kMaxMillis || ms < -kMaxMillis) {
    throw Error("D3110", "The instant " + std::to_string(ms) + " is outside the range of dates");
  }
  const LocalDateTime local = format_internal::SplitMillis(ms, offset);
  std::string out;
  for (const auto& item : items) {
    out += item.marker ? FormatMarker(*item.marker, local, offset) : item.literal;
  }
  return out;
}

}  // namespace timeslip::query::jsonata
