// EventBridge Scheduler expressions: parsing and next firing times, in time zones and across DST.
#include "fakes/schedule_expression.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "emulator/time/rfc3339.h"

namespace timeslip::fakes {
namespace {

time::Instant At(std::string_view text) {
  std::optional<time::Instant> t = time::ParseRfc3339(text);
  EXPECT_TRUE(t) << text;
  return t.value_or(time::Instant{});
}

struct NextCase {
  const char* expression;
  const char* timezone;
  const char* from;               // also the rate's anchor
  std::vector<const char*> want;  // successive firings; "-" for none
};

const NextCase kNextCases[] = {
    {"cron(0 1 * * ? *)",
     "UTC",
     "2024-01-01T00:00:00Z",
     {"2024-01-01T01:00:00.000Z", "2024-01-02T01:00:00.000Z", "2024-01-03T01:00:00.000Z"}},
    {"cron(0 1 * * ? *)",
     "UTC",
     "2024-01-01T01:00:00Z",  // at `from` counts
     {"2024-01-01T01:00:00.000Z", "2024-01-02T01:00:00.000Z"}},
    {"cron(0 1 * * ? *)", "", "2024-01-01T01:00:00.001Z", {"2024-01-02T01:00:00.000Z"}},
    // Weekdays at 09:00 London: GMT before Sunday 31 March 2024, BST after.
    {"cron(0 9 ? * MON-FRI *)",
     "Europe/London",
     "2024-03-29T00:00:00Z",
     {"2024-03-29T09:00:00.000Z", "2024-04-01T08:00:00.000Z", "2024-04-02T08:00:00.000Z"}},
    // Spring forward: 01:30 does not exist on 31 March in London, so that night is skipped.
    {"cron(30 1 * * ? *)",
     "Europe/London",
     "2024-03-30T12:00:00Z",
     {"2024-04-01T00:30:00.000Z", "2024-04-02T00:30:00.000Z"}},
    // Fall back: 01:30 happens twice on 27 October; it fires once, the first time.
    {"cron(30 1 * * ? *)",
     "Europe/London",
     "2024-10-26T12:00:00Z",
     {"2024-10-27T00:30:00.000Z", "2024-10-28T01:30:00.000Z"}},
    // A zone ahead of UTC: 01:00 IST is 19:30 UTC the day before.
    {"cron(0 1 * * ? *)",
     "Asia/Kolkata",
     "2024-01-01T00:00:00Z",
     {"2024-01-01T19:30:00.000Z", "2024-01-02T19:30:00.000Z"}},
    {"cron(0/20 8-9 ? * MON *)",
     "UTC",
     "2024-01-01T00:00:00Z",
     {"2024-01-01T08:00:00.000Z", "2024-01-01T08:20:00.000Z", "2024-01-01T08:40:00.000Z",
      "2024-01-01T09:00:00.000Z", "2024-01-01T09:20:00.000Z", "2024-01-01T09:40:00.000Z",
      "2024-01-08T08:00:00.000Z"}},
    {"cron(15,45 */6 * * ? *)",
     "UTC",
     "2024-01-01T00:20:00Z",
     {"2024-01-01T00:45:00.000Z", "2024-01-01T06:15:00.000Z", "2024-01-01T06:45:00.000Z"}},
    {"cron(0 0 1 JAN,JUL ? 2024-2025)",
     "UTC",
     "2024-03-01T00:00:00Z",
     {"2024-07-01T00:00:00.000Z", "2025-01-01T00:00:00.000Z", "2025-07-01T00:00:00.000Z", "-"}},
    {"cron(0 0 ? * FRI-MON *)",
     "UTC",
     "2024-01-01T00:00:00Z",  // wraps through the week
     {"2024-01-01T00:00:00.000Z", "2024-01-05T00:00:00.000Z", "2024-01-06T00:00:00.000Z",
      "2024-01-07T00:00:00.000Z", "2024-01-08T00:00:00.000Z", "2024-01-12T00:00:00.000Z"}},
    {"cron(0 0 ? * 2,4,6 *)",
     "UTC",
     "2024-01-02T00:00:00Z",  // MON, WED, FRI
     {"2024-01-03T00:00:00.000Z", "2024-01-05T00:00:00.000Z", "2024-01-08T00:00:00.000Z"}},
    // L: the last day of the month (2024 is a leap year).
    {"cron(0 0 L * ? *)",
     "UTC",
     "2024-01-01T00:00:00Z",
     {"2024-01-31T00:00:00.000Z", "2024-02-29T00:00:00.000Z", "2024-03-31T00:00:00.000Z"}},
    // LW: the last weekday; 31 March 2024 is a Sunday.
    {"cron(0 0 LW * ? *)",
     "UTC",
     "2024-01-01T00:00:00Z",
     {"2024-01-31T00:00:00.000Z", "2024-02-29T00:00:00.000Z", "2024-03-29T00:00:00.000Z"}},
    // 15W: the weekday nearest the 15th; 15 June 2024 is a Saturday, 15 Sept a Sunday.
    {"cron(0 0 15W * ? *)",
     "UTC",
     "2024-06-01T00:00:00Z",
     {"2024-06-14T00:00:00.000Z", "2024-07-15T00:00:00.000Z", "2024-08-15T00:00:00.000Z",
      "2024-09-16T00:00:00.000Z"}},
    // 1W never leaves the month: 1 June 2024 is a Saturday, so Monday the 3rd.
    {"cron(0 0 1W * ? *)",
     "UTC",
     "2024-06-01T00:00:00Z",
     {"2024-06-03T00:00:00.000Z", "2024-07-01T00:00:00.000Z", "2024-08-01T00:00:00.000Z"}},
    // 3#2: the second Tuesday.
    {"cron(0 12 ? * 3#2 *)",
     "UTC",
     "2024-01-01T00:00:00Z",
     {"2024-01-09T12:00:00.000Z", "2024-02-13T12:00:00.000Z", "2024-03-12T12:00:00.000Z"}},
    {"cron(0 12 ? * TUE#5 *)",
     "UTC",
     "2024-01-01T00:00:00Z",  // only months with five
     {"2024-01-30T12:00:00.000Z", "2024-04-30T12:00:00.000Z"}},
    // 6L: the last Friday.
    {"cron(0 0 ? * 6L *)",
     "UTC",
     "2024-01-01T00:00:00Z",
     {"2024-01-26T00:00:00.000Z", "2024-02-23T00:00:00.000Z", "2024-03-29T00:00:00.000Z"}},
    // L in day-of-week: Saturday.
    {"cron(0 0 ? * L *)",
     "UTC",
     "2024-01-01T00:00:00Z",
     {"2024-01-06T00:00:00.000Z", "2024-01-13T00:00:00.000Z"}},
    {"cron(0 0 30 2 ? *)", "UTC", "2024-01-01T00:00:00Z", {"-"}},  // 30 February never comes
    {"rate(1 day)",
     "UTC",
     "2024-01-01T00:00:00Z",
     {"2024-01-01T00:00:00.000Z", "2024-01-02T00:00:00.000Z", "2024-01-03T00:00:00.000Z"}},
    // A day is 24 hours, DST or not.
    {"rate(1 day)",
     "Europe/London",
     "2024-03-30T12:00:00Z",
     {"2024-03-30T12:00:00.000Z", "2024-03-31T12:00:00.000Z", "2024-04-01T12:00:00.000Z"}},
    {"rate(15 minutes)",
     "UTC",
     "2024-01-01T00:00:00Z",
     {"2024-01-01T00:00:00.000Z", "2024-01-01T00:15:00.000Z", "2024-01-01T00:30:00.000Z"}},
    {"rate(2 hours)",
     "UTC",
     "2024-01-01T00:00:00Z",
     {"2024-01-01T00:00:00.000Z", "2024-01-01T02:00:00.000Z"}},
    {"rate(1 minute)",
     "UTC",
     "2024-01-01T00:00:00Z",
     {"2024-01-01T00:00:00.000Z", "2024-01-01T00:01:00.000Z"}},
    {"at(2024-01-05T10:00:00)",
     "America/New_York",
     "2024-01-01T00:00:00Z",
     {"2024-01-05T15:00:00.000Z", "-"}},
    {"at(2024-01-05T10:00:00)", "UTC", "2024-01-06T00:00:00Z", {"-"}},  // already past
    {"at(2024-03-31T01:30:00)",
     "Europe/London",
     "2024-01-01T00:00:00Z",  // skipped local time
     {"2024-03-31T01:00:00.000Z", "-"}},
};

TEST(ScheduleExpressionTest, NextFirings) {
  for (const NextCase& c : kNextCases) {
    json::Result<ScheduleExpression> e = ScheduleExpression::Parse(c.expression, c.timezone);
    ASSERT_TRUE(e.ok()) << c.expression << ": " << e.error().message;
    const time::Instant anchor = At(c.from);
    time::Instant from = anchor;
    for (std::size_t i = 0; i < c.want.size(); ++i) {
      std::optional<time::Instant> next = e.value().NextAtOrAfter(from, anchor);
      std::string got = next ? time::FormatRfc3339(*next) : "-";
      EXPECT_EQ(got, c.want[i]) << c.expression << " in " << c.timezone << ", firing " << i;
      if (!next) break;
      from = *next + time::Duration(1);
    }
  }
}

TEST(ScheduleExpressionTest, RateCountsPeriodsFromTheAnchor) {
  json::Result<ScheduleExpression> e = ScheduleExpression::Parse("rate(1 hour)");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e.value().NextAtOrAfter(At("2024-01-01T05:30:00Z"), At("2024-01-01T00:10:00Z")),
            At("2024-01-01T06:10:00Z"));
  EXPECT_EQ(e.value().NextAtOrAfter(At("2024-01-01T00:00:00Z"), At("2024-01-01T00:10:00Z")),
            At("2024-01-01T00:10:00Z"));
}

struct ErrorCase {
  const char* expression;
  const char* timezone;
};

const ErrorCase kErrorCases[] = {
    {"cron(0 1 * * * *)", "UTC"},    // both day fields given
    {"cron(0 1 ? * ? *)", "UTC"},    // neither
    {"cron(0 1 * *)", "UTC"},        // four fields
    {"cron(0 1 * * ? * *)", "UTC"},  // seven
    {"cron(60 1 * * ? *)", "UTC"},
    {"cron(0 24 * * ? *)", "UTC"},
    {"cron(0 1 32 * ? *)", "UTC"},
    {"cron(0 1 0 * ? *)", "UTC"},
    {"cron(0 1 * 13 ? *)", "UTC"},
    {"cron(0 1 * FOO ? *)", "UTC"},
    {"cron(0 1 ? * 8 *)", "UTC"},
    {"cron(0 1 ? * 3#6 *)", "UTC"},
    {"cron(0 1 ? * 3#x *)", "UTC"},
    {"cron(0 1 ? * XL *)", "UTC"},
    {"cron(0 1 32W * ? *)", "UTC"},
    {"cron(0 1 * * ? 1969)", "UTC"},
    {"cron(0/0 1 * * ? *)", "UTC"},
    {"cron(0/x 1 * * ? *)", "UTC"},
    {"cron(1-x 1 * * ? *)", "UTC"},
    {"cron(,1 1 * * ? *)", "UTC"},
    {"cron(-1 1 * * ? *)", "UTC"},
    {"cron(0 1 * * ? *", "UTC"},
    {"cron()", "UTC"},
    {"rate(0 minutes)", "UTC"},
    {"rate(-1 minutes)", "UTC"},
    {"rate(5 minute)", "UTC"},
    {"rate(1 week)", "UTC"},
    {"rate(x hours)", "UTC"},
    {"rate(1)", "UTC"},
    {"rate()", "UTC"},
    {"at(2024-02-30T00:00:00)", "UTC"},
    {"at(2024-01-01 00:00:00)", "UTC"},
    {"at(2024-01-01T24:00:00)", "UTC"},
    {"at(2024-01-01T00:00:00Z)", "UTC"},
    {"every day", "UTC"},
    {"", "UTC"},
    {"CRON(0 1 * * ? *)", "UTC"},
    {"cron(0 1 * * ? *)", "Mars/Olympus"},
};

TEST(ScheduleExpressionTest, BadExpressionsAreValidationExceptionsNamingThem) {
  for (const ErrorCase& c : kErrorCases) {
    json::Result<ScheduleExpression> e = ScheduleExpression::Parse(c.expression, c.timezone);
    ASSERT_FALSE(e.ok()) << c.expression << " in " << c.timezone;
    EXPECT_EQ(e.error().name, "ValidationException") << c.expression;
    const std::string named = std::string(c.timezone) == "UTC" ? c.expression : c.timezone;
    EXPECT_NE(e.error().message.find(named), std::string::npos)
        << c.expression << ": " << e.error().message;
  }
}

}  // namespace
}  // namespace timeslip::fakes
