#include "emulator/json/equality.h"

#include <gtest/gtest.h>

#include "emulator/json/size.h"

namespace timeslip::json {
namespace {

TEST(EqualityTest, NumbersCompareByValue) {
  EXPECT_TRUE(Equal(nlohmann::ordered_json(1), nlohmann::ordered_json(1.0)));
  EXPECT_TRUE(Equal(nlohmann::ordered_json::parse(R"({"a":[1,2.0]})"), nlohmann::ordered_json::parse(R"({"a":[1.0,2]})")));
  EXPECT_FALSE(Equal(nlohmann::ordered_json(1), nlohmann::ordered_json("1")));
  EXPECT_FALSE(Equal(nlohmann::ordered_json::parse("[1,2]"), nlohmann::ordered_json::parse("[2,1]")));
  EXPECT_FALSE(Equal(nlohmann::ordered_json::parse(R"({"a":1})"), nlohmann::ordered_json::parse(R"({"b":1})")));
}

TEST(SizeTest, CountsCompactUtf8Bytes) {
  EXPECT_EQ(SerializedSize(nlohmann::ordered_json::parse(R"({ "a" : [1, 2] })")), 11u);  // {"a":[1,2]}
  EXPECT_EQ(SerializedSize(nlohmann::ordered_json("é")), 4u);
}

}  // namespace
}  // namespace timeslip::json
