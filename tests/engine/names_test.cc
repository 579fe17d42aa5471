#include "emulator/engine/names.h"

#include <gtest/gtest.h>

namespace timeslip::engine {
namespace {

TEST(NamesTest, AwsNameRules) {
  for (const char* ok : {"a", "nightly-2024_01.01", "Ünïcode"}) {
    EXPECT_TRUE(CheckName(ok, "execution").ok()) << ok;
  }
  for (const char* bad : {"", "has space", "a/b", "a:b", "a*", "tab\there", "a$b", "q?"}) {
    json::Status s = CheckName(bad, "execution");
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().name, "InvalidName");
  }
  EXPECT_FALSE(CheckName(std::string(81, 'x'), "x").ok());
  EXPECT_TRUE(CheckName(std::string(80, 'x'), "x").ok());
}

TEST(NamesTest, ArnsRoundTrip) {
  std::string arn = ExecutionArn("eu-west-1", "sm", "run1");
  EXPECT_EQ(arn, "arn:aws:states:eu-west-1:123456789012:execution:sm:run1");
  auto parts = ParseArn(arn, "execution");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts.value().region, "eu-west-1");
  EXPECT_EQ(parts.value().name, "sm");
  EXPECT_EQ(parts.value().sub, "run1");
  // Express: AWS adds a run id, since an Express execution's name may repeat.
  std::string express = ExecutionArn("us-east-1", "sm", "r", "0f6e");
  EXPECT_EQ(express, "arn:aws:states:us-east-1:123456789012:express:sm:r:0f6e");
  ASSERT_TRUE(ParseArn(express, "execution").ok());
  EXPECT_EQ(ParseArn(express, "execution").value().sub, "r");
  EXPECT_EQ(ParseArn(express, "execution").value().run_id, "0f6e");
  EXPECT_FALSE(ParseArn("arn:aws:states:us-east-1:123456789012:express:sm:r", "execution").ok());
  EXPECT_EQ(ParseArn("arn:aws:states:us-east-1:123456789012:stateMachine:sm", "execution")
                .error()
                .name,
            "InvalidArn");
  EXPECT_EQ(ParseArn("garbage", "stateMachine").error().name, "InvalidArn");
  EXPECT_TRUE(ParseArn(StateMachineArn("us-east-1", "sm"), "stateMachine").ok());
  EXPECT_TRUE(ParseArn(ActivityArn("us-east-1", "a"), "activity").ok());
}

}  // namespace
}  // namespace timeslip::engine
