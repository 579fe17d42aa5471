#include "emulator/time/rfc3339.h"

#include <gtest/gtest.h>

namespace timeslip::time {
namespace {

struct ParseCase {
  const char* text;
  const char* want;  // formatted back, or nullptr when the text must be refused
};

constexpr ParseCase kParseCases[] = {
    {"2016-03-14T01:59:00Z", "2016-03-14T01:59:00.000Z"},
    {"2016-03-14T01:59:00.123Z", "2016-03-14T01:59:00.123Z"},
    {"2016-03-14T01:59:00.1Z", "2016-03-14T01:59:00.100Z"},
    {"2016-03-14T01:59:00.123456789Z", "2016-03-14T01:59:00.123Z"},
    {"2016-03-14T01:59:00+01:00", "2016-03-14T00:59:00.000Z"},
    {"2016-03-14T01:59:00-02:30", "2016-03-14T04:29:00.000Z"},
    {"2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"},
    {"2023-02-29T00:00:00Z", nullptr},
    {"2016-03-14t01:59:00Z", nullptr},
    {"2016-03-14T01:59:00z", nullptr},
    {"2016-03-14T01:59:00", nullptr},
    {"2016-03-14 01:59:00Z", nullptr},
    {"2016-03-14T24:00:00Z", nullptr},
    {"2016-3-14T01:59:00Z", nullptr},
    {"2016-03-14T01:59:00.Z", nullptr},
    {"2016-03-14T01:59:00Zjunk", nullptr},
    {"", nullptr},
};

TEST(Rfc3339Test, ParsesAslProfile) {
  for (const ParseCase& c : kParseCases) {
    std::optional<Instant> got = ParseRfc3339(c.text);
    if (c.want == nullptr) {
      EXPECT_FALSE(got.has_value()) << c.text;
    } else {
      ASSERT_TRUE(got.has_value()) << c.text;
      EXPECT_EQ(FormatRfc3339(*got), c.want) << c.text;
    }
  }
}

TEST(Rfc3339Test, EpochSecondsKeepsMilliseconds) {
  Instant t = *ParseRfc3339("1970-01-01T00:00:01.500Z");
  EXPECT_DOUBLE_EQ(EpochSeconds(t), 1.5);
}

TEST(ClockTest, VirtualClockNeverRunsBackwards) {
  VirtualClock clock(Instant{std::chrono::seconds(100)});
  clock.AdvanceTo(Instant{std::chrono::seconds(50)});
  EXPECT_EQ(clock.Now(), Instant{std::chrono::seconds(100)});
  clock.AdvanceTo(Instant{std::chrono::seconds(3700)});
  EXPECT_EQ(clock.Now(), Instant{std::chrono::seconds(3700)});
}

}  // namespace
}  // namespace timeslip::time
