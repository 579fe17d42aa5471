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

TEST(SnsTest, UnknownTopicIsNotFoundWhenDeclared) {
  FakesHarness h(std::string(R"({"sns": {"*": {"notFound": true}, ")") + kTopic + R"(": {}}})");
  engine::Execution& known = h.Run(
      OneTask(kPublish, std::string(R"({"TopicArn":")") + kTopic + R"(","Message":"hi"})"));
  EXPECT_EQ(known.status(), ExecutionStatus::kSucceeded) << known.cause();
  engine::Execution& missing = h.Run(OneTask(
      kPublish, R"({"TopicArn":"arn:aws:sns:us-east-1:123456789012:gone","Message":"hi"})"));
  EXPECT_EQ(missing.error(), "SNS.NotFoundException");
  EXPECT_EQ(missing.cause().rfind("Topic does not exist (Service: AmazonSNS; Status Code: 404; "
                                  "Error Code: NotFound; Request ID: ",
                                  0),
            0u)
      << missing.cause();
  EXPECT_EQ(h.fakes().sns().messages().size(), 1u);
}

TEST(SnsTest, FifoTopicsNeedAGroupAndNumberTheirMessages) {
  constexpr const char* kFifo = "arn:aws:sns:us-east-1:123456789012:orders.fifo";
  FakesHarness h;
  engine::Execution& refused = h.Run(
      OneTask(kPublish, std::string(R"({"TopicArn":")") + kFifo + R"(","Message":"m"})"));
  EXPECT_EQ(refused.error(), "SNS.InvalidParameterException");
  EXPECT_EQ(refused.cause().rfind("Invalid parameter: The MessageGroupId parameter is required "
                                  "for FIFO topics (Service: AmazonSNS; Status Code: 400; Error "
                                  "Code: InvalidParameter; Request ID: ",
                                  0),
            0u)
      << refused.cause();

  const std::string publish = std::string(R"({"TopicArn":")") + kFifo +
                              R"(","Message":"m","MessageGroupId":"g"})";
  engine::Execution& first = h.Run(OneTask(kPublish, publish));
  engine::Execution& second = h.Run(OneTask(kPublish, publish));
  ASSERT_EQ(first.status(), ExecutionStatus::kSucceeded) << first.cause();
  const std::string a = Output(first)["SequenceNumber"];
  const std::string b = Output(second)["SequenceNumber"];
  EXPECT_EQ(a.size(), 20u);
  EXPECT_LT(a, b);
  // The XML answer grows by its <SequenceNumber> line.
  EXPECT_EQ(Output(first)["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], "352");
}

TEST(SnsTest, MetadataDescribesSnsXmlAnswer) {
  FakesHarness h;
  engine::Execution& run = h.Run(
      OneTask(kPublish, std::string(R"({"TopicArn":")") + kTopic + R"(","Message":"hi"})"));
  const nlohmann::ordered_json headers = Output(run)["SdkHttpMetadata"]["HttpHeaders"];
  EXPECT_EQ(headers["Content-Length"], "294");  // the PublishResponse document, ids included
  EXPECT_EQ(headers["Content-Type"], "text/xml");
  EXPECT_EQ(headers["connection"], "keep-alive");
  EXPECT_FALSE(headers.contains("Connection"));
  EXPECT_FALSE(Output(run).contains("SequenceNumber"));
}

}  // namespace
}  // namespace timeslip::fakes
