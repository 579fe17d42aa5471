// FromMillis, ToMillis and Now: the reference suite's groups, then more.

#include "emulator/query/jsonata/datetime_format.h"

#include <gtest/gtest.h>

#include "emulator/query/jsonata/error.h"
#include "tests/query/jsonata/format_suite_calls.h"

namespace timeslip::query::jsonata {
namespace {

TEST(FromMillisTest, SuiteGroup) { testing::ExpectSuiteGroup("function-fromMillis", 85); }
TEST(ToMillisTest, SuiteGroup) { testing::ExpectSuiteGroup("function-tomillis", 60); }

struct FromCase {
  std::int64_t ms;
  const char* picture;  // nullptr: ISO 8601
  const char* timezone;
  const char* want;
};

const FromCase kFromCases[] = {
    {0, nullptr, nullptr, "1970-01-01T00:00:00.000Z"},
    {-1, nullptr, nullptr, "1969-12-31T23:59:59.999Z"},
    {951782400000, nullptr, nullptr, "2000-02-29T00:00:00.000Z"},
    {0, nullptr, "+0530", "1970-01-01T05:30:00.000+05:30"},
    {0, "[H01]:[m01] [z]", "-0930", "14:30 GMT-09:30"},
    {1521801216617, "[h].[m01][P,2]", nullptr, "10.33am"},
    {1521801216617, "[MNn,3]", nullptr, "March"},
    {1521801216617, "[FN,2-2]", nullptr, "FR"},
    {1521801216617, "[f01]", nullptr, "61"},
    {1521801216617, "[D01]/[M01]/[Y01]", nullptr, "23/03/18"},
    {1104537600000, "[X0001]-W[W01]-[F1]", nullptr, "2004-W53-6"},
    // The suite's "$toMillis('2018-10-21T13:05:00Z').[...]", which the harness cannot map.
    {1540127100000, nullptr, "-0500", "2018-10-21T08:05:00.000-05:00"},
    {1540127100000, nullptr, "0000", "2018-10-21T13:05:00.000Z"},
};

TEST(FromMillisTest, Formats) {
  for (const FromCase& c : kFromCases) {
    std::optional<std::string_view> picture;
    if (c.picture) picture = c.picture;
    std::optional<std::string_view> timezone;
    if (c.timezone) timezone = c.timezone;
    EXPECT_EQ(FromMillis(c.ms, picture, timezone), c.want)
        << c.ms << " " << (c.picture ? c.picture : "");
  }
}

TEST(ToMillisTest, ReadsWhatFromMillisWrites) {
  const char* pictures[] = {
      "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]",
      "[D1o] [MNn] [Y0001], [h]:[m01]:[s01].[f001] [P] [Z]",
      "[Dw] [MNn,3-3] [Yw] [H]:[m]:[s].[f001]",
      "[Y0001]-[d001] [H01][m01][s01][f001]",
  };
  for (std::int64_t ms : {0LL, 951782400000LL, 1521801216617LL, -2777932800000LL + 123}) {
    for (const char* picture : pictures) {
      const std::string text = FromMillis(ms, picture, std::nullopt);
      EXPECT_EQ(ToMillis(text, picture), ms) << text << " with " << picture;
    }
  }
}

TEST(ToMillisTest, TakesMissingLeadingComponentsFromNow) {
  const std::int64_t now = 1'600'000'000'000;  // 2020-09-13T12:26:40Z
  EXPECT_EQ(ToMillis("13:45", "[H]:[m]", now), 1599955200000 + (13 * 60 + 45) * 60'000);
  EXPECT_EQ(ToMillis("2018", "[Y]", now), 1514764800000);
}

TEST(ToMillisTest, Rejects) {
  struct Bad {
    const char* text;
    const char* picture;
    const char* code;
  };
  const Bad bad[] = {{"2018-05", "[Y]-[d]-[M]", "D3136"}, {"12:30", "[H]:[s]", "D3136"},
                     {"2018-W05", "[X]-W[W]", "D3136"},   {"2018", "[Y", "D3135"},
                     {"2018 02", "[Y] [Mq]", "D3130"},    {"2018-02-30 12", nullptr, "D3110"}};
  for (const Bad& c : bad) {
    std::optional<std::string_view> picture;
    if (c.picture) picture = c.picture;
    try {
      ToMillis(c.text, picture);
      ADD_FAILURE() << c.text << " with " << (c.picture ? c.picture : "ISO 8601") << " was read";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), c.code) << c.text;
    }
  }
}

TEST(NowTest, IsFromMillisOfTheInstantHandedIn) {
  EXPECT_EQ(Now(1'600'000'000'000, std::nullopt, std::nullopt), "2020-09-13T12:26:40.000Z");
  EXPECT_EQ(Now(1'600'000'000'000, "[Y]-[M01]", "+1200"), "2020-09");
}

}  // namespace
}  // namespace timeslip::query::jsonata
