// SNS publish: messages recorded, AWS's output shape, errors.
#include "fakes/sns.h"

#include <gtest/gtest.h>

#include <regex>

#include "tests/fakes/fakes_harness.h"

namespace timeslip::fakes {
namespace {

using engine::ExecutionStatus;

constexpr const char* kPublish = "arn:aws:states:::sns:publish";
constexpr const char* kTopic = "arn:aws:sns:us-east-1:123456789012:nightly-status";

TEST(SnsTest, PublishRecordsTheMessageAndAnswersAMessageId) {
  FakesHarness h(R"({"sns": {"nightly-status": [{"latency": "200ms"}]}})");
  engine::Execution& run =
      h.Run(OneTask(kPublish, std::string(R"({"TopicArn":")") + kTopic +
                                  R"(","Subject":"Nightly build","Message.$":"$",
                               "MessageAttributes":{"run":{"DataType":"String","StringValue":"ok"}}})"),
            R"({"rows":1200})");
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  const nlohmann::ordered_json out = Output(run);
  const std::string id = out["MessageId"];
  EXPECT_TRUE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << id;
  EXPECT_EQ(out["SdkHttpMetadata"]["HttpStatusCode"], 200);
  EXPECT_TRUE(out["SdkResponseMetadata"].contains("RequestId"));

  ASSERT_EQ(h.fakes().sns().messages().size(), 1u);
  const SnsMessage& m = h.fakes().sns().messages()[0];
  EXPECT_EQ(m.message_id, id);
  EXPECT_EQ(m.topic_arn, kTopic);
  EXPECT_EQ(m.subject, "Nightly build");
  EXPECT_EQ(m.message, R"({"rows":1200})");  // a JSON Message is sent as its text
  EXPECT_EQ(m.message_attributes["run"]["StringValue"], "ok");
  EXPECT_EQ(m.execution_arn, run.arn());
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::milliseconds(200));
  EXPECT_EQ(m.published_at, *run.stop_date());
  EXPECT_EQ(h.fakes().sns().MessagesTo(kTopic).size(), 1u);
  EXPECT_EQ(ToJson(m)["Subject"], "Nightly build");
  EXPECT_EQ(h.calls().calls()[0].target, kTopic);
}

TEST(SnsTest, ErrorsPublishNothing) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"throttle": true})", "SNS.ThrottledException"},
      {R"({"error": "SNS.NotFoundException", "cause": "Topic does not exist"})",
       "SNS.NotFoundException"},
  };
  for (const auto& [step, error] : cases) {
    FakesHarness h(std::string(R"({"sns": {")") + kTopic + R"(": [)" + step + "]}}");
    engine::Execution& run = h.Run(
        OneTask(kPublish, std::string(R"({"TopicArn":")") + kTopic + R"(","Message":"hello"})"));
    EXPECT_EQ(run.error(), error) << step;
    EXPECT_TRUE(h.fakes().sns().messages().empty()) << step;
  }
  FakesHarness h;
  engine::Execution& run =
      h.Run(OneTask(kPublish, std::string(R"({"TopicArn":")") + kTopic + R"("})"));
  EXPECT_EQ(run.error(), "SNS.InvalidParameterException");
}

TEST(SnsTest, PublishApiRecordsAtOnce) {
  FakesHarness h;
  json::Result<nlohmann::ordered_json> answer =
      h.fakes().sns().Publish({{"TopicArn", kTopic}, {"Message", "from the API"}});
  ASSERT_TRUE(answer.ok());
  ASSERT_EQ(h.fakes().sns().messages().size(), 1u);
  EXPECT_EQ(h.fakes().sns().messages()[0].message_id, answer.value()["MessageId"]);
  EXPECT_EQ(h.fakes().sns().Publish({{"Message", "x"}}).error().name, "InvalidParameterException");
}

}  // namespace
}  // namespace timeslip::fakes
