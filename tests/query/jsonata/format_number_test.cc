// FormatNumber: the reference suite's function-formatNumber cases, then what they leave out.

#include "emulator/query/jsonata/format_number.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "emulator/query/jsonata/error.h"
#include "tests/query/jsonata/format_suite_calls.h"

namespace timeslip::query::jsonata {
namespace {

using Json = nlohmann::ordered_json;

TEST(FormatNumberTest, SuiteGroup) { testing::ExpectSuiteGroup("function-formatNumber", 45); }

struct FormatCase {
  double value;
  const char* picture;
  const char* options;  // JSON, or nullptr
  const char* want;
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

const FormatCase kFormatCases[] = {
    {1234.5, "#,##0.00", nullptr, "1,234.50"},
    {-1234.5, "#,##0.00", nullptr, "-1,234.50"},
    {0.125, "0.00", nullptr, "0.12"},  // half to even
    {0.135, "0.00", nullptr, "0.14"},
    {2.5, "0", nullptr, "2"},
    {3.5, "0", nullptr, "4"},
    {9.999, "0.00", nullptr, "10.00"},
    {0.5, "#.##", nullptr, ".5"},
    {0, "#", nullptr, "0"},
    {1234567.891, "#.##0,000", R"({"decimal-separator": ",", "grouping-separator": "."})",
     "1.234.567,891"},
    {-5, "0", R"({"minus-sign": "~"})", "~5"},
    {-5, "0;(0)", nullptr, "(5)"},
    {kNaN, "0", nullptr, "NaN"},
    {kNaN, "0", R"({"NaN": "not a number"})", "not a number"},
    {kInf, "#,##0", nullptr, "Infinity"},
    {-kInf, "#,##0", R"({"infinity": "inf"})", "-inf"},
    {0.25, "0%", nullptr, "25%"},
    {0.25, "0pc", R"({"percent": "pc"})", "25pc"},
    {99999, "0.0e0", nullptr, "1.0e5"},
    {12345, "0.00E0", R"({"exponent-separator": "E"})", "1.23E4"},
    {42, "\u0661\u0660", R"({"zero-digit": "\u0660"})", "\u0664\u0662"},
    {1234, "$#,##0 USD", nullptr, "$1,234 USD"},
    {1e21, "0", nullptr, "1000000000000000000000"},
};

TEST(FormatNumberTest, Formats) {
  for (const FormatCase& c : kFormatCases) {
    const Json options = c.options ? Json::parse(c.options) : Json();
    EXPECT_EQ(FormatNumber(c.value, c.picture, options), c.want)
        << c.value << " with " << c.picture;
  }
}

TEST(FormatNumberTest, RejectsBadPictures) {
  struct Bad {
    const char* picture;
    const char* code;
  };
  const Bad bad[] = {{"#;#;#", "D3080"}, {"0.0.0", "D3081"}, {"0%%", "D3082"},
                     {"abc", "D3086"},   {"0,", "D3088"},    {"#.0#0", "D3091"}};
  for (const Bad& c : bad) {
    try {
      FormatNumber(1, c.picture, Json());
      ADD_FAILURE() << c.picture << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), c.code) << c.picture;
    }
  }
}

}  // namespace
}  // namespace timeslip::query::jsonata
