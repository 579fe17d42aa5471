// ToMillis: an instant read from ISO 8601 text, or from text written with an F&O date-time
// picture (the reverse of FromMillis).

#include <array>
#include <cstdlib>
#include <regex>

#include "emulator/query/jsonata/datetime_calendar_internal.h"
#include "emulator/query/jsonata/datetime_format.h"
#include "emulator/query/jsonata/datetime_picture_internal.h"
#include "emulator/query/jsonata/error.h"
#include "emulator/query/jsonata/format_text_internal.h"
#include "emulator/query/jsonata/number_words_internal.h"

namespace timeslip::query::jsonata {
namespace {

using format_internal::DateMarker;
using format_internal::DatePresentation;
using format_internal::IntegerStyle;

// What ISO 8601 text JSONata accepts without a picture: a year, a month, a date, then a time
// to the minute, second or fraction, with Z or an offset.
const std::regex& IsoPattern() {
  static const std::regex pattern(
      R"(([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?)"
      R"((Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?)");
  return pattern;
}

// std::regex recurses per character: longer text, which no date needs, could exhaust the stack.
constexpr std::size_t kMaxTimestampBytes = 1000;

int Number(const std::ssub_match& match, int fallback) {
  return match.matched ? std::atoi(match.str().c_str()) : fallback;
}

// Milliseconds of a fraction of a second given by its digits: "01987" is 19.
int FractionMillis(std::string digits) {
  digits.resize(3, '0');
  return std::atoi(digits.c_str());
}

// "+05:30", "-0500", "-5", "Z", "GMT-05:00" as minutes east of UTC.
int OffsetMinutes(std::string text) {
  if (text.rfind("GMT", 0) == 0 || text.rfind("gmt", 0) == 0) text = text.substr(3);
  if (text.empty() || text == "Z" || text == "z") return 0;
  const int sign = text.front() == '-' ? -1 : 1;
  std::string digits;
  for (char c : text.substr(1)) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  const bool has_minutes = digits.size() > 2;
  const int hours = std::atoi(digits.substr(0, has_minutes ? digits.size() - 2 : 2).c_str());
  const int minutes = has_minutes ? std::atoi(digits.substr(digits.size() - 2).c_str()) : 0;
  return sign * (hours * 60 + minutes);
}

std::int64_t IsoMillis(std::string_view timestamp) {
  std::smatch match;
  const std::string text(timestamp);
  if (text.size() > kMaxTimestampBytes || !std::regex_match(text, match, IsoPattern())) {
    throw Error("D3110", "The timestamp string '" + text +
                             "' does not match the ISO 8601 format and no picture was given");
  }
  const std::int64_t days = format_internal::DaysFromCivil(
      std::atoi(match[1].str().c_str()), Number(match[2], 1), Number(match[3], 1));
  const std::int64_t seconds =
      std::int64_t{Number(match[4], 0)} * 3600 + Number(match[5], 0) * 60 + Number(match[6], 0);
  const int millis = match[7].matched ? FractionMillis(match[7].str()) : 0;
  const int offset = match[8].matched ? OffsetMinutes(match[8].str()) : 0;
  return days * format_internal::kMillisPerDay + seconds * 1000 + millis -
         std::int64_t{offset} * 60'000;
}

std::string EscapeRegex(std::string_view literal) {
  std::string out;
  for (char c : literal) {
    if (std::string_view(R"(\^$.|?*+()[]{})").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

std::string MarkerRegex(const DateMarker& marker) {
  switch (marker.presentation) {
    case DatePresentation::kName:
      return marker.component == U'P' ? "[AaPp]\\.?[Mm]\\.?" : "[A-Za-z]+";
    case DatePresentation::kTimezone:
      return marker.component == U'z' ? "GMT(?:[+-][0-9]{1,2}(?::?[0-9]{2})?)?"
                                      : "Z|[+-][0-9]{1,2}(?::?[0-9]{2})?";
    case DatePresentation::kInteger:
      break;
  }
  const auto& picture = marker.integer;
  switch (picture.style) {
    case IntegerStyle::kLowerAlpha:
    case IntegerStyle::kUpperAlpha:
      return "[A-Za-z]+";
    case IntegerStyle::kLowerRoman:
    case IntegerStyle::kUpperRoman:
      return "[IVXLCDMivxlcdm]+";
    case IntegerStyle::kLowerWords:
    case IntegerStyle::kUpperWords:
    case IntegerStyle::kTitleWords:
      return format_internal::NumberWordsPattern();
    case IntegerStyle::kDecimal:
      break;
  }
  std::string digits = "[0-9]";
  if (!picture.separators.empty()) {
    // Any digit or separator; a '-' goes last in the class, where it means itself.
    digits = "(?:[0-9]";
    for (const auto& separator : picture.separators) {
      digits += "|" + EscapeRegex(format_internal::ToUtf8(std::u32string(1, separator.text)));
    }
    digits += ")";
  }
  std::string count = "+";
  if (marker.has_width) {
    count = "{" + std::to_string(marker.min_width.value_or(1)) + "," +
            (marker.max_width ? std::to_string(*marker.max_width) : "") + "}";
  } else if (picture.optional_digits == 0 && picture.min_digits > 1 && picture.separators.empty()) {
    count = "{" + std::to_string(picture.min_digits) + "}";
  }
  std::string out = digits + count;
  if (marker.ordinal) out += "(?:st|nd|rd|th|ST|ND|RD|TH)?";
  return out;
}

// Index of a month (1..12) from its name or an abbreviation of at least three letters.
std::optional<int> MonthFromName(const std::string& text) {
  const std::string lower = format_internal::AsciiLower(text);
  for (int i = 0; i < 12; ++i) {
    const std::string name = format_internal::AsciiLower(format_internal::MonthName(i));
    if (lower == name || (lower.size() >= 3 && name.rfind(lower, 0) == 0)) return i + 1;
  }
  return std::nullopt;
}

// The components ToMillis can combine, most significant first.
enum Part { kYear, kMonth, kDay, kDayOfYear, kHour, kMinute, kSecond, kMillis, kPartCount };

constexpr std::int64_t kMaxComponent = 1'000'000'000;

[[noreturn]] void Underspecified() {
  throw Error("D3136",
              "The date/time picture string is missing specifiers required to parse "
              "the timestamp");
}

}  // namespace

std::optional<std::int64_t> ToMillis(std::string_view timestamp,
                                     std::optional<std::string_view> picture, std::int64_t now_ms) {
  if (!picture) return IsoMillis(timestamp);
  const auto items = format_internal::ParseDatePicture(*picture);
  std::string pattern;
  std::vector<const DateMarker*> markers;
  for (const auto& item : items) {
    if (!item.marker) {
      pattern += EscapeRegex(item.literal);
      continue;
    }
    const char32_t c = item.marker->component;
    if (c == U'X' || c == U'W' || c == U'w' || c == U'x') Underspecified();
    pattern += "(" + MarkerRegex(*item.marker) + ")";
    markers.push_back(&*item.marker);
  }
  // Components must run without a gap; those before the first given come from now, those
  // after the last from the start of their range.
  std::array<bool, kPartCount> given{};
  for (const DateMarker* marker : markers) {
    switch (marker->component) {
      case U'Y':
        given[kYear] = true;
        break;
      case U'M':
        given[kMonth] = true;
        break;
      case U'D':
        given[kDay] = true;
        break;
      case U'd':
        given[kDayOfYear] = true;
        break;
      case U'H':
      case U'h':
        given[kHour] = true;
        break;
      case U'm':
        given[kMinute] = true;
        break;
      case U's':
        given[kSecond] = true;
        break;
      case U'f':
        given[kMillis] = true;
        break;
      default:
        break;
    }
  }
  const bool by_day_of_year = given[kDayOfYear];
  if (by_day_of_year && (given[kMonth] || given[kDay])) Underspecified();
  const std::vector<Part> order =
      by_day_of_year ? std::vector<Part>{kYear, kDayOfYear, kHour, kMinute, kSecond, kMillis}
                     : std::vector<Part>{kYear, kMonth, kDay, kHour, kMinute, kSecond, kMillis};
  std::size_t first = order.size();
  std::size_t last = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (!given[order[i]]) continue;
    first = std::min(first, i);
    last = i;
  }
  for (std::size_t i = first; i <= last && i < order.size(); ++i) {
    if (!given[order[i]]) Underspecified();
  }

  std::smatch match;
  const std::string text(timestamp);
  if (text.size() > kMaxTimestampBytes) return std::nullopt;
  if (!std::regex_match(text, match,
                        std::regex(pattern, std::regex::ECMAScript | std::regex::icase))) {
    return std::nullopt;
  }

  std::array<std::optional<std::int64_t>, kPartCount> parts;
  std::optional<int> hour12;
  std::optional<bool> pm;
  int offset = 0;
  bool any = false;
  for (std::size_t i = 0; i < markers.size(); ++i) {
    const DateMarker& marker = *markers[i];
    const std::string captured = match[i + 1].str();
    if (marker.presentation == DatePresentation::kTimezone) {
      offset = OffsetMinutes(captured);
      continue;
    }
    if (marker.component == U'P') {
      pm = format_internal::AsciiLower(captured).front() == 'p';
      continue;
    }
    if (marker.component == U'F' || marker.component == U'C' || marker.component == U'E') continue;
    std::optional<std::int64_t> value;
    if (marker.presentation == DatePresentation::kName) {
      value = MonthFromName(captured);
    } else if (marker.component == U'f') {
      value = FractionMillis(captured);
    } else {
      auto digits = format_internal::ParseIntegerDigits(format_internal::ToCodePoints(captured),
                                                        marker.integer);
      if (digits && digits->size() <= 10) value = std::atoll(digits->c_str());
    }
    // Beyond a billion no component makes a date JavaScript can hold; stop before overflow.
    if (!value || *value > kMaxComponent) return std::nullopt;
    any = true;
    switch (marker.component) {
      case U'Y':
        parts[kYear] = value;
        break;
      case U'M':
        parts[kMonth] = value;
        break;
      case U'D':
        parts[kDay] = value;
        break;
      case U'd':
        parts[kDayOfYear] = value;
        break;
      case U'H':
        parts[kHour] = value;
        break;
      case U'h':
        hour12 = static_cast<int>(*value);
        break;
      case U'm':
        parts[kMinute] = value;
        break;
      case U's':
        parts[kSecond] = value;
        break;
      case U'f':
        parts[kMillis] = value;
        break;
      default:
        break;
    }
  }
  if (hour12) {
    parts[kHour] = *hour12 % 12 + (pm.value_or(false) ? 12 : 0);
    any = true;
  }
  if (!any) return std::nullopt;

  const auto now = format_internal::SplitMillis(now_ms, 0);
  const std::array<std::int64_t, kPartCount> from_now = {
      now.year, now.month,  now.day,    now.day_of_year,
      now.hour, now.minute, now.second, now.millisecond};
  const std::array<std::int64_t, kPartCount> from_start = {0, 1, 1, 1, 0, 0, 0, 0};
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (parts[order[i]]) continue;
    parts[order[i]] = i < first ? from_now[order[i]] : from_start[order[i]];
  }
  std::int64_t days = 0;
  if (by_day_of_year) {
    days = format_internal::DaysFromCivil(*parts[kYear], 1, 1) + *parts[kDayOfYear] - 1;
  } else {
    if (*parts[kMonth] < 1 || *parts[kMonth] > 12) return std::nullopt;
    days = format_internal::DaysFromCivil(*parts[kYear], static_cast<int>(*parts[kMonth]),
                                          static_cast<int>(*parts[kDay]));
  }
  const std::int64_t seconds = *parts[kHour] * 3600 + *parts[kMinute] * 60 + *parts[kSecond];
  return days * format_internal::kMillisPerDay + seconds * 1000 + *parts[kMillis] -
         std::int64_t{offset} * 60'000;
}

}  // namespace timeslip::query::jsonata
