// FormatInteger, ParseInteger and FormatBase: the reference suite's groups, then more.

#include "emulator/query/jsonata/format_integer.h"

#include <gtest/gtest.h>

#include "emulator/query/jsonata/error.h"
#include "tests/query/jsonata/format_suite_calls.h"

namespace timeslip::query::jsonata {
namespace {

TEST(FormatIntegerTest, SuiteGroup) { testing::ExpectSuiteGroup("function-formatInteger", 64); }
TEST(ParseIntegerTest, SuiteGroup) { testing::ExpectSuiteGroup("function-parseInteger", 60); }
TEST(FormatBaseTest, SuiteGroup) { testing::ExpectSuiteGroup("function-formatBase", 9); }

struct IntegerCase {
  double value;
  const char* picture;
  const char* want;
};

const IntegerCase kIntegerCases[] = {
    {0, "w", "zero"},
    {0, "w;o", "zeroth"},
    {1005, "w", "one thousand and five"},
    {2000000, "w", "two million"},
    {11, "0;o", "11th"},
    {112, "0;o", "112th"},
    {22, "0;o", "22nd"},
    {3999, "I", "MMMCMXCIX"},
    {702, "A", "ZZ"},
    {-12, "#,##0", "-12"},
    {1234567, "0 000", "1 234 567"},
    {1234, "w", "one thousand, two hundred and thirty-four"},
    {40, "Ww;o", "Fortieth"},
};

TEST(FormatIntegerTest, Formats) {
  for (const IntegerCase& c : kIntegerCases) {
    EXPECT_EQ(FormatInteger(c.value, c.picture), c.want) << c.value << " with " << c.picture;
  }
}

TEST(FormatIntegerTest, WritesDigitsForHugeRomanNumeralsAndLetters) {
  EXPECT_EQ(FormatInteger(1e300, "I"), "1" + std::string(300, '0'));
  EXPECT_EQ(FormatInteger(2e6, "a"), "2000000");
  EXPECT_EQ(FormatInteger(1e6, "I"), std::string(1000, 'M'));
}

TEST(ParseIntegerTest, ReadsWhatFormatIntegerWrites) {
  const char* pictures[] = {"#,##0", "0001", "w", "W;o", "Ww", "i", "I", "a", "A", "0;o"};
  for (double value : {1.0, 7.0, 19.0, 42.0, 100.0, 999.0, 1001.0, 12345.0, 654321.0}) {
    for (const char* picture : pictures) {
      const std::string text = FormatInteger(value, picture);
      EXPECT_EQ(ParseInteger(text, picture), value) << text << " with " << picture;
    }
  }
}

TEST(ParseIntegerTest, AnswersNothingForTextThatDoesNotFit) {
  EXPECT_EQ(ParseInteger("twelve-ish", "w"), std::nullopt);
  EXPECT_EQ(ParseInteger("12a", "0"), std::nullopt);
  EXPECT_EQ(ParseInteger("XIZ", "I"), std::nullopt);
}

TEST(FormatBaseTest, Formats) {
  EXPECT_EQ(FormatBase(255, 16), "ff");
  EXPECT_EQ(FormatBase(2.5, 10), "2");  // half to even
  EXPECT_EQ(FormatBase(3.5, std::nullopt), "4");
  EXPECT_EQ(FormatBase(0, 2), "0");
  EXPECT_EQ(FormatBase(9007199254740993.0, 16), "20000000000000");
  EXPECT_EQ(FormatBase(1e20, 16), "56bc75e2d63100000");
  EXPECT_EQ(FormatBase(-35, 36), "-z");
}

TEST(FormatIntegerTest, RejectsBadPictures) {
  for (const char* picture : {"#", "x", "0a", ""}) {
    try {
      FormatInteger(1, picture);
      ADD_FAILURE() << picture << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "D3130") << picture;
    }
  }
  try {
    FormatBase(1, 40);
    ADD_FAILURE() << "radix 40 was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "D3100");
  }
}

}  // namespace
}  // namespace timeslip::query::jsonata
