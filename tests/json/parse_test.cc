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

// Parse builds documents itself (a hash index for wide objects); they must be nlohmann's, key
// order and repeated keys included (the first position, the last value).
TEST(ParseTest, BuildsWhatNlohmannBuilds) {
  std::string wide = "{";
  for (int i = 0; i < 40; ++i) {  // k0 ... k9 twice, after the object has its index
    wide += "\"k" + std::to_string(i % 30) + "\":" + std::to_string(i) + ",";
  }
  wide += R"("z":{"b":1,"a":[true,null,"s",1.5,-2],"b":2}})";
  for (const std::string& text :
       {wide, std::string(R"({"b":1,"a":2,"b":{"c":[]}})"), std::string(R"([{}, [], "x", 0])"),
        std::string("7")}) {
    Result<nlohmann::ordered_json> got = Parse(text);
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got.value().dump(), nlohmann::ordered_json::parse(text).dump()) << text;
  }
}

TEST(ParseTest, HugeStringsParse) {
  std::string text = "\"" + std::string(1 << 20, 'x') + "\"";
  Result<nlohmann::ordered_json> got = Parse(text);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value().get_ref<const std::string&>().size(), 1u << 20);
}

}  // namespace
}  // namespace timeslip::json
