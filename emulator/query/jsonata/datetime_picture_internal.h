#pragma once
// The F&O format-dateTime picture ("[Y0001]-[M01]-[D01]", "[FNn], [D1o] [MNn]", "[Z01:01t]"),
// split into literal text and variable markers, shared by $fromMillis and $toMillis:
// https://www.w3.org/TR/xpath-functions-31/#rules-for-datetime-formatting

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/query/jsonata/integer_picture_internal.h"

namespace timeslip::query::jsonata::format_internal {

enum class DatePresentation {
  kInteger,   // a format-integer picture: digits, roman, letters, words
  kName,      // N, n or Nn: a month or day name, am/pm, ...
  kTimezone,  // the digits of a Z or z marker
};

struct DateMarker {
  char32_t component = 0;  // Y M D d F W w X x H h P m s f Z z C E
  DatePresentation presentation = DatePresentation::kInteger;
  std::u32string modifier;         // the first presentation modifier: "0001", "Nn", "01:01"
  bool explicit_modifier = false;  // false when `modifier` is the component's default
  IntegerPicture integer;          // for kInteger
  bool ordinal = false;            // second modifier 'o'
  bool traditional = false;        // second modifier 't' ("Z" for UTC with [Z01:01t])
  std::optional<int> min_width;    // ",min-max"; nullopt for '*' or absent
  std::optional<int> max_width;
  bool has_width = false;
};

struct DatePictureItem {
  std::string literal;  // when `marker` is empty
  std::optional<DateMarker> marker;
};

// Throws D3135 (a '[' without its ']'), D3132 (an unknown component), D3133 (a name asked of a
// component that has none), D3134 (a timezone picture of more than four digits).
std::vector<DatePictureItem> ParseDatePicture(std::string_view picture);

// The picture of ISO 8601 with milliseconds: [Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]
constexpr std::string_view kIsoPicture = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

// Month and day names, in English; `index` from 0 (January, Monday).
std::string_view MonthName(int index);
std::string_view DayName(int index);

}  // namespace timeslip::query::jsonata::format_internal
