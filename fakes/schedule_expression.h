#pragma once
// ScheduleExpression: EventBridge Scheduler's schedule expressions, parsed once and asked for
// firing times. https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
//
//   cron(minutes hours day-of-month month day-of-week year)   in the schedule's time zone;
//        , - * ? / in every field as allowed; L and W in day-of-month (L, LW, 15W); L and # in
//        day-of-week (L, 5L, 3#2); names JAN-DEC and SUN-SAT (1 = SUN); exactly one of
//        day-of-month and day-of-week is ?.
//   rate(value minute|minutes|hour|hours|day|days)            fixed durations (a day is 24 h)
//                                                             from the schedule's start
//   at(yyyy-mm-ddThh:mm:ss)                                   once, local to the time zone
//
// Daylight saving time, as AWS documents it: a cron time that does not exist (spring forward)
// is skipped; a time that happens twice (fall back) fires once, the first time.
//
// Pure: no clock, no state. Bad input never aborts.

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/json/result.h"
#include "emulator/time/clock.h"

namespace date {
class time_zone;
}

namespace timeslip::fakes {

class ScheduleExpression {
 public:
  enum class Kind { kCron, kRate, kAt };

  // Errors: ValidationException naming the expression (or the time zone) and what is wrong.
  // `timezone` is an IANA name ("Europe/London"); empty means UTC.
  static json::Result<ScheduleExpression> Parse(std::string_view expression,
                                                std::string_view timezone = "UTC");

  // The first firing at or after `from`; nullopt when there is none (an `at` already past, a
  // cron whose years have run out). Rate schedules count their periods from `anchor` (the
  // schedule's start).
  std::optional<time::Instant> NextAtOrAfter(time::Instant from, time::Instant anchor) const;

  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }
  const std::string& timezone() const { return timezone_name_; }

  // A cron field's values; public only so the parser in the .cc can fill it.
  struct CronSpec {
    std::bitset<60> minutes;
    std::bitset<24> hours;
    std::bitset<13> months;  // 1-12
    std::bitset<230> years;  // 1970-2199, as year - 1970
    // Day of month: a set (1-31), or ? (any), L, LW, or nearest weekday to `dom_n`.
    enum class Dom { kAny, kSet, kLast, kLastWeekday, kNearestWeekday } dom = Dom::kAny;
    std::bitset<32> dom_set;
    int dom_n = 0;
    // Day of week (1 = SUN ... 7 = SAT): a set, ? (any), the last `dow_n` of the month
    // ("5L"), or its `dow_k`th ("3#2").
    enum class Dow { kAny, kSet, kLastOf, kNth } dow = Dow::kAny;
    std::bitset<8> dow_set;
    int dow_n = 0;
    int dow_k = 0;
  };

 private:
  ScheduleExpression() = default;
  std::optional<time::Instant> NextCron(time::Instant from) const;

  Kind kind_ = Kind::kCron;
  std::string text_;
  std::string timezone_name_;
  const date::time_zone* zone_ = nullptr;  // Not owned: date's database lives forever.
  CronSpec cron_;
  time::Duration period_{0};  // rate
  time::Instant at_{};        // at, in UTC
};

}  // namespace timeslip::fakes
