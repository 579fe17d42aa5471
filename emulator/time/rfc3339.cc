#include "emulator/time/rfc3339.h"

#include <date/date.h>
#include <fmt/format.h>

namespace timeslip::time {
namespace {

// Reads exactly `n` digits at `pos`; nullopt if any is not a digit.
std::optional<int> Digits(std::string_view s, std::size_t pos, int n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool At(std::string_view s, std::size_t pos, char c) { return pos < s.size() && s[pos] == c; }

}  // namespace

std::string FormatRfc3339(Instant t) {
  auto day = std::chrono::floor<date::days>(t);
  date::year_month_day ymd{day};
  date::hh_mm_ss<Duration> tod{t - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     tod.hours().count(), tod.minutes().count(), tod.seconds().count(),
                     tod.subseconds().count());
}

std::optional<Instant> ParseRfc3339(std::string_view s) {
  auto year = Digits(s, 0, 4);
  auto month = Digits(s, 5, 2);
  auto day = Digits(s, 8, 2);
  auto hour = Digits(s, 11, 2);
  auto minute = Digits(s, 14, 2);
  auto second = Digits(s, 17, 2);
  if (!year || !month || !day || !hour || !minute || !second || !At(s, 4, '-') ||
      !At(s, 7, '-') || !At(s, 10, 'T') || !At(s, 13, ':') || !At(s, 16, ':')) {
    return std::nullopt;
  }
  date::year_month_day ymd{date::year{*year}, date::month(static_cast<unsigned>(*month)),
                           date::day(static_cast<unsigned>(*day))};
  if (!ymd.ok() || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;

  std::size_t pos = 19;
  int millis = 0;
  if (At(s, pos, '.')) {
    ++pos;
    int digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 3) millis = millis * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 3; ++i) millis *= 10;
  }

  int offset_minutes = 0;
  if (At(s, pos, 'Z')) {
    ++pos;
  } else if (At(s, pos, '+') || At(s, pos, '-')) {
    int sign = s[pos] == '-' ? -1 : 1;
    auto oh = Digits(s, pos + 1, 2);
    auto om = Digits(s, pos + 4, 2);
    if (!oh || !om || !At(s, pos + 3, ':') || *oh > 23 || *om > 59) return std::nullopt;
    offset_minutes = sign * (*oh * 60 + *om);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;

  Instant t = date::sys_days{ymd} + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
              std::chrono::seconds(*second) + std::chrono::milliseconds(millis);
  return t - std::chrono::minutes(offset_minutes);
}

double EpochSeconds(Instant t) {
  return static_cast<double>(t.time_since_epoch().count()) / 1000.0;
}

}  // namespace timeslip::time
