#include "emulator/query/jsonata/datetime_calendar_internal.h"

namespace timeslip::query::jsonata::format_internal {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// Monday of the ISO week that holds `day`.
sys_days WeekStart(sys_days day) {
  const unsigned iso = std::chrono::weekday(day).iso_encoding();
  return day - days(iso - 1);
}

}  // namespace

std::int64_t DaysFromCivil(std::int64_t year, int month, int day) {
  // Months past December or before January roll the year.
  std::int64_t month_index = month - 1;
  year += month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
  month_index = ((month_index % 12) + 12) % 12;
  const sys_days first = std::chrono::year(static_cast<int>(year)) /
                         std::chrono::month(static_cast<unsigned>(month_index + 1)) /
                         std::chrono::day(1);
  return first.time_since_epoch().count() + (day - 1);
}

LocalDateTime SplitMillis(std::int64_t ms, int offset_minutes) {
  const std::int64_t local = ms + std::int64_t{offset_minutes} * 60'000;
  std::int64_t day_count = local / kMillisPerDay;
  std::int64_t time_of_day = local % kMillisPerDay;
  if (time_of_day < 0) {
    time_of_day += kMillisPerDay;
    --day_count;
  }
  const sys_days day{days(day_count)};
  const year_month_day ymd{day};
  LocalDateTime out;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  out.day_of_year = static_cast<int>((day - sys_days(ymd.year() / 1 / 1)).count()) + 1;
  out.weekday = static_cast<int>(std::chrono::weekday(day).iso_encoding());

  // ISO 8601: a week belongs to the year that holds its Thursday.
  const sys_days thursday = WeekStart(day) + days(3);
  const year_month_day thursday_ymd{thursday};
  out.iso_week_year = static_cast<int>(thursday_ymd.year());
  out.iso_week =
      static_cast<int>((thursday - sys_days(thursday_ymd.year() / 1 / 1)).count()) / 7 + 1;
  // Likewise a week belongs to the month that holds its Thursday; the month's first week is
  // the one with its first Thursday.
  out.month_of_week = static_cast<int>(static_cast<unsigned>(thursday_ymd.month()));
  const sys_days first_of_month = thursday_ymd.year() / thursday_ymd.month() / 1;
  const unsigned first_iso = std::chrono::weekday(first_of_month).iso_encoding();
  const sys_days first_thursday = first_of_month + days((4 + 7 - first_iso) % 7);
  out.week_of_month =
      static_cast<int>((WeekStart(day) - WeekStart(first_thursday)).count()) / 7 + 1;

  out.hour = static_cast<int>(time_of_day / 3'600'000);
  out.minute = static_cast<int>(time_of_day / 60'000 % 60);
  out.second = static_cast<int>(time_of_day / 1000 % 60);
  out.millisecond = static_cast<int>(time_of_day % 1000);
  return out;
}

}  // namespace timeslip::query::jsonata::format_internal
