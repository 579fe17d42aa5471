#include "emulator/json/parse.h"

#include <string>

#include <gtest/gtest.h>

namespace timeslip::json {
namespace {

TEST(ParseTest, ParsesValidJson) {
  Result<nlohmann::ordered_json> got = Parse(R"({"a":[1,2,{"b":null}]})");
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got.value()["a"][1], 2);
}

TEST(ParseTest, MalformedJsonIsSerializationExceptionWithPosition) {
  Result<nlohmann::ordered_json> got = Parse(R"({"a": )");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().name, "SerializationException");
  EXPECT_NE(got.error().message.find("column"), std::string::npos) << got.error().message;
}

TEST(ParseTest, NumbersBeyondDoubleAreErrorsNotExceptions) {
  Result<nlohmann::ordered_json> got = Parse("[1e999]");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().name, "SerializationException");
}

TEST(ParseTest, CallerChoosesTheErrorName) {
  Result<nlohmann::ordered_json> got = Parse("nope", "SCHEMA_VALIDATION_FAILED");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().name, "SCHEMA_VALIDATION_FAILED");
}

TEST(ParseTest, RefusesTenThousandLevelsOfNesting) {
  std::string deep = std::string(10000, '[') + std::string(10000, ']');
  Result<nlohmann::ordered_json> got = Parse(deep);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.error().message.find("nesting"), std::string::npos);
}

TEST(ParseTest, BracketsInsideStringsDoNotCountAsNesting) {
  EXPECT_EQ(NestingDepth(R"({"a":"[[[[\"{{{"})"), 1);
  EXPECT_EQ(NestingDepth(R"([[1],[2,[3]]])"), 3);
}

TEST(ParseTest, HugeStringsParse) {
  std::string text = "\"" + std::string(1 << 20, 'x') + "\"";
  Result<nlohmann::ordered_json> got = Parse(text);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value().get_ref<const std::string&>().size(), 1u << 20);
}

}  // namespace
}  // namespace timeslip::json
