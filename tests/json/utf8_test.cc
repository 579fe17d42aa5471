#include "emulator/json/utf8.h"

#include <gtest/gtest.h>

namespace timeslip::json {
namespace {

TEST(Utf8, CodePointsOfEveryWidth) {
  // a (1 byte), é (2), € (3), 😀 (4)
  EXPECT_EQ(CodePoints("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"),
            (std::vector<char32_t>{U'a', U'\u00E9', U'\u20AC', U'\U0001F600'}));
  EXPECT_TRUE(CodePoints("").empty());
}

TEST(Utf8, AppendRoundTrips) {
  std::string text;
  for (char32_t cp : {U'a', U'\u00E9', U'\u20AC', U'\U0001F600'}) AppendUtf8(cp, text);
  EXPECT_EQ(text, "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  EXPECT_EQ(CodePoints(text).size(), 4U);
}

}  // namespace
}  // namespace timeslip::json
