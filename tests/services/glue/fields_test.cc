// The Glue wire's member checks and page tokens.
#include "emulator/services/glue/fields.h"

#include <gtest/gtest.h>

namespace timeslip::services::glue {
namespace {

struct CheckCase {
  const char* input;
  const char* want;  // "" when valid
};
const CheckCase kCheckCases[] = {
    {R"({"JobName":"a"})", ""},
    {R"({})",
     "1 validation error detected: Value null at 'jobName' failed to satisfy constraint: Member "
     "must not be null"},
    {R"({"JobName":""})",
     "1 validation error detected: Value '' at 'jobName' failed to satisfy constraint: Member "
     "must have length greater than or equal to 1"},
    {R"({"JobName":"a","Timeout":"x"})",
     "1 validation error detected: Value 'x' at 'timeout' failed to satisfy constraint: Member "
     "must be an integer"},
    {R"({"JobName":"a","Timeout":0,"ExecutionClass":"FAST"})",
     "2 validation errors detected: Value '0' at 'timeout' failed to satisfy constraint: Member "
     "must have value greater than or equal to 1; Value 'FAST' at 'executionClass' failed to "
     "satisfy constraint: Member must satisfy enum value set: [FLEX, STANDARD]"},
    {R"({"JobName":"a","Arguments":{"--x":1}})",
     "1 validation error detected: Value '{\"--x\":1}' at 'arguments' failed to satisfy "
     "constraint: Member must be a map of strings to strings"},
};

TEST(GlueFieldsTest, ChecksMembersInAwsWords) {
  for (const CheckCase& c : kCheckCases) {
    json::Status got =
        CheckFields(Json::parse(c.input),
                    {{.name = "JobName", .required = true, .min = 1, .max = 255},
                     {.name = "Timeout", .kind = FieldKind::kInteger, .min = 1, .max = 10080},
                     {.name = "ExecutionClass", .enum_values = "FLEX,STANDARD"},
                     {.name = "Arguments", .kind = FieldKind::kStringMap}});
    if (std::string(c.want).empty()) {
      EXPECT_TRUE(got.ok()) << c.input;
      continue;
    }
    ASSERT_FALSE(got.ok()) << c.input;
    EXPECT_EQ(got.error().name, "InvalidInputException") << c.input;
    EXPECT_EQ(got.error().message, c.want) << c.input;
  }
}

TEST(GlueFieldsTest, NestedMembersCarryTheirParent) {
  json::Status got =
      CheckFields(Json::parse(R"({"Timeout":-1})"),
                  {{.name = "Timeout", .kind = FieldKind::kInteger, .min = 1}}, "jobUpdate");
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.error().message.find("'jobUpdate.timeout'"), std::string::npos);
}

TEST(GlueFieldsTest, PageTokensRoundTripAndBelongToOneListing) {
  const std::string token = EncodePageToken("GetJobs", "job-7");
  json::Result<std::string> back = DecodePageToken(token, "GetJobs");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value(), "job-7");
  for (std::string_view bad :
       {std::string_view("zz"), std::string_view("abc"), std::string_view(token)}) {
    json::Result<std::string> got = DecodePageToken(bad, "ListJobs\n{}");
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.error().name, "InvalidInputException");
  }
}

TEST(GlueFieldsTest, TimestampsAreEpochSecondsWithMilliseconds) {
  EXPECT_EQ(EpochSeconds(time::Instant(std::chrono::milliseconds(1704067200250))), 1704067200.25);
}

}  // namespace
}  // namespace timeslip::services::glue
