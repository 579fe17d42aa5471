// The wire's one URL decoder.
#include "emulator/api/url.h"

#include <gtest/gtest.h>

namespace timeslip::api {
namespace {

struct DecodeCase {
  std::string_view text;
  bool plus_is_space;
  std::optional<std::string> want;
};

TEST(UrlTest, PercentDecode) {
  const DecodeCase cases[] = {
      {"a%2Fb", false, "a/b"},
      {"a+b", false, "a+b"},
      {"a+b", true, "a b"},
      {"%41%62%63", false, "Abc"},
      {"%e2%82%AC", false, "\xe2\x82\xac"},
      {"", false, ""},
      {"%4", false, std::nullopt},
      {"%zz", true, std::nullopt},
      {"x%", false, std::nullopt},
  };
  for (const DecodeCase& c : cases) {
    EXPECT_EQ(PercentDecode(c.text, c.plus_is_space), c.want) << c.text;
  }
}

TEST(UrlTest, ParseQuery) {
  auto params = ParseQuery("Action=Publish&Message=hello+world&&flag&k=%3D1&k=2");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->at("Action"), "Publish");
  EXPECT_EQ(params->at("Message"), "hello world");
  EXPECT_EQ(params->at("flag"), "");
  EXPECT_EQ(params->at("k"), "2");  // the last one wins
  EXPECT_EQ(params->size(), 4u);
  EXPECT_FALSE(ParseQuery("a=%G1"));
  EXPECT_TRUE(ParseQuery("")->empty());
}

}  // namespace
}  // namespace timeslip::api
