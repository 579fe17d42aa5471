// Step Functions Local's mock configuration, from AWS's documented example.
#include "emulator/engine/mock_config.h"

#include <gtest/gtest.h>

#include "tests/support/test_engine.h"

namespace timeslip::engine {
namespace {

using testing::EventTypes;
using testing::TestEngine;

// The example of https://docs.aws.amazon.com/step-functions/latest/dg/sfn-local-mock-cfg-file.html
constexpr const char* kMockConfig = R"({
  "StateMachines": {
    "LambdaSQSIntegration": {
      "TestCases": {
        "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
        "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"},
        "HybridPath": {"LambdaState": "MockedLambdaSuccess"}
      }
    }
  },
  "MockedResponses": {
    "MockedLambdaSuccess": {
      "0": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}
    },
    "LambdaMockedResourceNotReady": {
      "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}}
    },
    "MockedSQSSuccess": {
      "0": {"Return": {"MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51",
                       "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}}
    },
    "MockedLambdaRetry": {
      "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}},
      "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
      "3": {"Return": {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}}
    }
  }
})";

// The machine of AWS's mock-config walkthrough: a Lambda with Retry, then an SQS send.
constexpr const char* kMachine = R"({"StartAt":"LambdaState","States":{
  "LambdaState":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
    "Parameters":{"Payload.$":"$","FunctionName":"HelloWorldFunction"},
    "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":2,"MaxAttempts":3,"BackoffRate":2}],
    "Next":"SQSState"},
  "SQSState":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
    "Parameters":{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/myQueue",
                  "MessageBody.$":"$"},
    "End":true}}})";

class MockConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = MockConfig::Parse(kMockConfig);
    ASSERT_TRUE(config.ok()) << config.error().message;
    t_.emulator().SetMockConfig(std::move(config).value());
    CreateStateMachineParams params;
    params.name = "LambdaSQSIntegration";
    params.definition = kMachine;
    params.role_arn = std::string(TestEngine::kRole);
    auto created = t_.emulator().CreateStateMachine(params);
    ASSERT_TRUE(created.ok()) << created.error().message;
    arn_ = created.value()->arn;
  }

  json::Result<Execution*> Start(const std::string& test_case) {
    StartExecutionParams params;
    params.state_machine_arn = arn_ + "#" + test_case;
    params.name = test_case;
    return t_.emulator().StartExecution(params);
  }

  TestEngine t_;
  std::string arn_;
};

TEST_F(MockConfigTest, HappyPathAnswersFromTheMocks) {
  auto run = Start("HappyPath");
  ASSERT_TRUE(run.ok()) << run.error().message;
  t_.RunToCompletion();
  ASSERT_EQ(run.value()->status(), ExecutionStatus::kSucceeded) << run.value()->cause();
  EXPECT_EQ((*run.value()->output())["MessageId"], "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51");
  EXPECT_TRUE(t_.lambda().calls.empty()) << "mocked states never reach the integration";
}

TEST_F(MockConfigTest, RetryPathPlaysInvocationsInOrder) {
  auto run = Start("RetryPath");
  ASSERT_TRUE(run.ok());
  t_.RunToCompletion();
  ASSERT_EQ(run.value()->status(), ExecutionStatus::kSucceeded) << run.value()->cause();
  // Three failures (0, 1-2), retried after 2, 4 and 8 seconds, then the Return of "3".
  EXPECT_EQ(*run.value()->stop_date() - run.value()->start_date(), std::chrono::seconds(14));
  std::string types = EventTypes(*run.value());
  std::size_t failures = 0;
  for (std::size_t at = types.find("TaskFailed"); at != std::string::npos;
       at = types.find("TaskFailed", at + 1)) {
    ++failures;
  }
  EXPECT_EQ(failures, 3u);
}

TEST_F(MockConfigTest, HybridPathCallsTheIntegrationForUnmockedStates) {
  auto run = Start("HybridPath");
  ASSERT_TRUE(run.ok());
  t_.RunToCompletion();
  // SQSState is not mocked and TestEngine registers no SQS integration: the task cannot start.
  EXPECT_EQ(run.value()->status(), ExecutionStatus::kFailed);
  EXPECT_NE(EventTypes(*run.value()).find("TaskStartFailed"), std::string::npos);
}

TEST_F(MockConfigTest, UnknownTestCaseIsRefused) {
  auto run = Start("NoSuchCase");
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error().name, "ValidationException");
}

TEST(MockConfigParseTest, BadFilesSayWhatIsWrong) {
  struct Case {
    const char* text;
    const char* says;
  };
  const Case kCases[] = {
      {"{bad", "Malformed"},
      {R"({"Other":{}})", "unknown field 'Other'"},
      {R"({"MockedResponses":{"R":{"x":{"Return":1}}}})", "invocation number"},
      {R"({"MockedResponses":{"R":{"0":{"Return":1,"Throw":{"Error":"E"}}}}})", "exactly one"},
      {R"({"MockedResponses":{"R":{"0-2":{"Return":1},"1":{"Return":2}}}})", "covered twice"},
      {R"({"MockedResponses":{"R":{"0":{"Throw":{"Cause":"c"}}}}})", "\"Error\""},
      {R"({"StateMachines":{"M":{"TestCases":{"T":{"S":"Missing"}}}}})", "does not define"},
  };
  for (const Case& c : kCases) {
    auto got = MockConfig::Parse(c.text);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_EQ(got.error().name, "ValidationException");
    EXPECT_NE(got.error().message.find(c.says), std::string::npos) << got.error().message;
  }
}

}  // namespace
}  // namespace timeslip::engine
