// SQS sendMessage: messages recorded, SQS's digests and output shape, errors.
#include "fakes/sqs.h"

#include <gtest/gtest.h>

#include "tests/fakes/fakes_harness.h"

namespace timeslip::fakes {
namespace {

using engine::ExecutionStatus;

constexpr const char* kSend = "arn:aws:states:::sqs:sendMessage";
constexpr const char* kQueue = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs";

std::string Send(std::string_view queue, std::string_view rest) {
  return OneTask(
      kSend, std::string(R"({"QueueUrl":")") + std::string(queue) + "\"" + std::string(rest) + "}");
}

TEST(SqsTest, DigestsAreSqs) {
  EXPECT_EQ(Md5Hex("hello"), "5d41402abc4b2a76b9719d911017c592");
  // By name, each part length-prefixed, 1 for a string value's transport (checked with Python's
  // hashlib over the same encoding).
  EXPECT_EQ(MessageAttributesMd5(nlohmann::ordered_json::parse(
                R"({"b_attr":{"DataType":"String","StringValue":"World"},
                    "a_attr":{"DataType":"Number","StringValue":"1"}})")),
            "a5a1b14abfc0295c6b8c2be63aebcece");
}

TEST(SqsTest, SendRecordsTheMessageAndAnswersSqsShape) {
  FakesHarness h(R"({"sqs": {"jobs": {"latency": "1s"}}})");
  engine::Execution& run = h.Run(Send(kQueue, R"(,"MessageBody.$":"$")"), R"({"n":1})");
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  const nlohmann::ordered_json out = Output(run);
  EXPECT_EQ(out["MD5OfMessageBody"], Md5Hex(R"({"n":1})"));  // an object is sent as its text
  EXPECT_FALSE(out.contains("MD5OfMessageAttributes"));
  EXPECT_FALSE(out.contains("SequenceNumber"));
  // {"MD5OfMessageBody":"<32>","MessageId":"<36>"}
  EXPECT_EQ(out["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], "106");
  EXPECT_EQ(out["SdkHttpMetadata"]["HttpHeaders"]["Content-Type"], "application/x-amz-json-1.0");
  EXPECT_EQ(out["SdkHttpMetadata"]["HttpHeaders"]["connection"], "keep-alive");
  ASSERT_EQ(h.fakes().sqs().messages().size(), 1u);
  const SqsMessage& m = h.fakes().sqs().messages()[0];
  EXPECT_EQ(m.message_id, out["MessageId"]);
  EXPECT_EQ(m.queue_url, kQueue);
  EXPECT_EQ(m.body, R"({"n":1})");
  EXPECT_EQ(m.sent_at, *run.stop_date());
  EXPECT_EQ(h.calls().calls()[0].service, "sqs");
}

TEST(SqsTest, AttributesAreDigestedAndFifoQueuesNumberMessages) {
  FakesHarness h;
  engine::Execution& run = h.Run(Send(
      kQueue,
      R"(,"MessageBody":"b","MessageAttributes":{"a":{"DataType":"String","StringValue":"x"}})"));
  const nlohmann::ordered_json out = Output(run);
  EXPECT_EQ(out["MD5OfMessageAttributes"],
            MessageAttributesMd5({{"a", {{"DataType", "String"}, {"StringValue", "x"}}}}));
  EXPECT_EQ(out["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], "166");

  const std::string fifo = std::string(kQueue) + ".fifo";
  engine::Execution& no_group = h.Run(Send(fifo, R"(,"MessageBody":"b")"));
  EXPECT_EQ(no_group.error(), "SQS.MissingParameterException");
  engine::Execution& first = h.Run(Send(fifo, R"(,"MessageBody":"b","MessageGroupId":"g")"));
  engine::Execution& second = h.Run(Send(fifo, R"(,"MessageBody":"b","MessageGroupId":"g")"));
  const std::string a = Output(first)["SequenceNumber"];
  EXPECT_EQ(a.size(), 20u);
  EXPECT_LT(a, Output(second)["SequenceNumber"].get<std::string>());
}

TEST(SqsTest, Errors) {
  FakesHarness h(R"({"sqs": {"*": {"notFound": true}, "jobs": [{"throttle": true}]}})");
  engine::Execution& missing =
      h.Run(Send("https://sqs.us-east-1.amazonaws.com/123456789012/gone", R"(,"MessageBody":"b")"));
  EXPECT_EQ(missing.error(), "SQS.QueueDoesNotExistException");
  EXPECT_NE(missing.cause().find("Error Code: AWS.SimpleQueueService.NonExistentQueue"),
            std::string::npos)
      << missing.cause();
  engine::Execution& throttled = h.Run(Send(kQueue, R"(,"MessageBody":"b")"));
  EXPECT_EQ(throttled.error(), "SQS.RequestThrottledException");
  engine::Execution& no_body = h.Run(Send(kQueue, ""));
  EXPECT_EQ(no_body.error(), "SQS.MissingParameterException");
  EXPECT_EQ(no_body.cause().rfind("The request must contain the parameter MessageBody.", 0), 0u);
  EXPECT_TRUE(h.fakes().sqs().messages().empty());
}

}  // namespace
}  // namespace timeslip::fakes
