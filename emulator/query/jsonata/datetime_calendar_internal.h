#pragma once
// Calendar arithmetic for the date pictures: a local date-time split into the F&O components,
// ISO weeks, the week of the month. Proleptic Gregorian; fixed offsets only.

#include <chrono>
#include <cstdint>

namespace timeslip::query::jsonata::format_internal {

struct LocalDateTime {
  std::int64_t year = 1970;
  int month = 1;        // 1..12
  int day = 1;          // 1..31
  int day_of_year = 1;  // 1..366
  int weekday = 4;      // ISO: Monday 1 .. Sunday 7
  int iso_week = 1;     // 1..53
  std::int64_t iso_week_year = 1970;
  int week_of_month = 1;  // the week (Monday to Sunday) of the month that has its Thursday
  int month_of_week = 1;  // that month, 1..12
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millisecond = 0;
};

// `ms` since the epoch, shifted by `offset_minutes` east of UTC.
LocalDateTime SplitMillis(std::int64_t ms, int offset_minutes);

// Days since 1970-01-01 of the given date; `month` and `day` may run past their range.
std::int64_t DaysFromCivil(std::int64_t year, int month, int day);

constexpr std::int64_t kMillisPerDay = 86'400'000;

}  // namespace timeslip::query::jsonata::format_internal
