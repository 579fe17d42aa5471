// states:startExecution: request-response, .sync, .sync:2 and .waitForTaskToken.
#include "emulator/engine/nested_executions.h"

#include <gtest/gtest.h>

#include "tests/support/test_engine.h"
#include "tests/support/same_json.h"

namespace timeslip::engine {
namespace {

using testing::TestEngine;
using testing::Timeline;

constexpr char kChildArn[] = "arn:aws:states:us-east-1:123456789012:stateMachine:child";
constexpr std::int64_t kStartMillis = 1704067200000;  // 2024-01-01T00:00:00Z

// A child that waits an hour and answers {"done": <its input's n>}.
constexpr char kHourChild[] = R"({"StartAt":"W","States":{
    "W":{"Type":"Wait","Seconds":3600,"Next":"P"},
    "P":{"Type":"Pass","Parameters":{"done.$":"$.n"},"End":true}}})";

void CreateChild(TestEngine& t, const char* definition) {
  CreateStateMachineParams params;
  params.name = "child";
  params.definition = definition;
  params.role_arn = std::string(TestEngine::kRole);
  auto created = t.emulator().CreateStateMachine(std::move(params));
  ASSERT_TRUE(created.ok()) << created.error().message;
}

std::string Parent(const std::string& resource, const std::string& extra = "") {
  return R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")" + resource +
         R"(","Parameters":{"StateMachineArn":")" + kChildArn +
         R"(","Name":"c1","Input":{"n":7,"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":"$$.Execution.Id"}})" +
         extra + R"(,"End":true}}})";
}

Execution& Child(TestEngine& t) {
  Execution* child = t.engine().Find("arn:aws:states:us-east-1:123456789012:execution:child:c1");
  EXPECT_NE(child, nullptr);
  return *child;
}

TEST(NestedExecutionsTest, RequestResponseAnswersArnAndStartDate) {
  TestEngine t;
  CreateChild(t, kHourChild);
  Execution& run = t.Start(Parent("arn:aws:states:::states:startExecution"));
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(
      *run.output(),
      (nlohmann::ordered_json{{"ExecutionArn", "arn:aws:states:us-east-1:123456789012:execution:child:c1"},
                      {"StartDate", kStartMillis}}));
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::seconds(0));
  Execution& child = Child(t);
  EXPECT_EQ(child.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(child.input(),
            (nlohmann::ordered_json{{"n", 7}, {"AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID", run.arn()}}));
  EXPECT_EQ(*child.stop_date() - child.start_date(), std::chrono::hours(1));
}

TEST(NestedExecutionsTest, SyncWaitsForTheChildAndAnswersItsDescriptionAsText) {
  TestEngine t;
  CreateChild(t, kHourChild);
  Execution& run = t.Start(Parent("arn:aws:states:::states:startExecution.sync"));
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(Timeline(run),
            "ExecutionStarted@0 TaskStateEntered@0 TaskScheduled@0 TaskStarted@0 "
            "TaskSubmitted@0 TaskSucceeded@3600 TaskStateExited@3600 ExecutionSucceeded@3600");
  Execution& child = Child(t);
  nlohmann::ordered_json want = {{"ExecutionArn", child.arn()},
                         {"Input", child.input().dump()},
                         {"InputDetails", {{"Included", true}}},
                         {"Name", "c1"},
                         {"Output", R"({"done":7})"},
                         {"OutputDetails", {{"Included", true}}},
                         {"StartDate", kStartMillis},
                         {"StateMachineArn", kChildArn},
                         {"Status", "SUCCEEDED"},
                         {"StopDate", kStartMillis + 3600 * 1000}};
  EXPECT_TRUE(timeslip::testing::SameJson(*run.output(), want));
  // TaskSubmitted carries StartExecution's answer.
  EXPECT_EQ(nlohmann::ordered_json::parse(run.history()[4].details["output"].get<std::string>()),
            (nlohmann::ordered_json{{"ExecutionArn", child.arn()}, {"StartDate", kStartMillis}}));
}

TEST(NestedExecutionsTest, Sync2AnswersParsedInputAndOutput) {
  TestEngine t;
  CreateChild(t, kHourChild);
  Execution& run = t.Start(Parent("arn:aws:states:::states:startExecution.sync:2",
                                  R"(,"ResultSelector":{"out.$":"$.Output","in.$":"$.Input.n"})"));
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(), nlohmann::ordered_json::parse(R"({"out":{"done":7},"in":7})"));
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::hours(1));
}

TEST(NestedExecutionsTest, FailedChildFailsTheTaskWithItsDescription) {
  TestEngine t;
  CreateChild(t, R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"Next":"F"},
      "F":{"Type":"Fail","Error":"Child.Broke","Cause":"no rows"}}})");
  Execution& run = t.Start(Parent("arn:aws:states:::states:startExecution.sync:2"));
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.TaskFailed");
  nlohmann::ordered_json cause = nlohmann::ordered_json::parse(run.cause());
  EXPECT_EQ(cause["Status"], "FAILED");
  EXPECT_EQ(cause["Error"], "Child.Broke");
  EXPECT_EQ(cause["Cause"], "no rows");
  EXPECT_EQ(cause["StopDate"], kStartMillis + 60 * 1000);
  EXPECT_FALSE(cause.contains("Output"));
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::minutes(1));
}

TEST(NestedExecutionsTest, CatchHandlesAFailedChild) {
  TestEngine u;
  CreateChild(u, R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"c"}}})");
  Execution& caught = u.Start(std::string(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
           "Parameters":{"StateMachineArn":")") +
                              kChildArn + R"(","Name":"c1"},
           "Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.err","Next":"H"}],
           "End":true},
      "H":{"Type":"Pass","Parameters":{"error.$":"$.err.Error"},"End":true}}})");
  u.RunToCompletion();
  ASSERT_EQ(caught.status(), ExecutionStatus::kSucceeded) << caught.cause();
  EXPECT_EQ(*caught.output(), (nlohmann::ordered_json{{"error", "States.TaskFailed"}}));
}

TEST(NestedExecutionsTest, StoppingTheParentStopsASyncChild) {
  TestEngine t;
  CreateChild(t, kHourChild);
  Execution& run = t.Start(Parent("arn:aws:states:::states:startExecution.sync"));
  t.RunFor(std::chrono::minutes(10));
  ASSERT_TRUE(t.emulator().StopExecution(run.arn(), "Operator", "stopped at 00:10").ok());
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kAborted);
  Execution& child = Child(t);
  EXPECT_EQ(child.status(), ExecutionStatus::kAborted);
  EXPECT_EQ(*child.stop_date() - child.start_date(), std::chrono::minutes(10));
}

TEST(NestedExecutionsTest, RequestResponseChildOutlivesAStoppedParent) {
  TestEngine t;
  CreateChild(t, kHourChild);
  Execution& run = t.Start(std::string(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
           "Parameters":{"StateMachineArn":")") +
                           kChildArn + R"(","Name":"c1",
                         "Input":{"n":1}},"Next":"W"},
      "W":{"Type":"Wait","Seconds":7200,"End":true}}})");
  t.RunFor(std::chrono::minutes(10));
  ASSERT_TRUE(t.emulator().StopExecution(run.arn(), "", "").ok());
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kAborted);
  EXPECT_EQ(Child(t).status(), ExecutionStatus::kSucceeded);
}

TEST(NestedExecutionsTest, WaitForTaskTokenWaitsForTheTokenInTheChildsInput) {
  TestEngine t;
  CreateChild(t, R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})");
  Execution& run = t.Start(std::string(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.waitForTaskToken",
           "Parameters":{"StateMachineArn":")") +
                           kChildArn + R"(","Name":"c1",
                         "Input":{"token.$":"$$.Task.Token"}},"End":true}}})");
  t.RunFor(std::chrono::minutes(15));
  ASSERT_EQ(run.status(), ExecutionStatus::kRunning);
  Execution& child = Child(t);
  ASSERT_EQ(child.status(), ExecutionStatus::kSucceeded);
  std::string token = child.input()["token"].get<std::string>();
  ASSERT_TRUE(t.emulator().SendTaskSuccess(token, R"({"approved":true})").ok());
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(), (nlohmann::ordered_json{{"approved", true}}));
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::minutes(15));
}

struct ErrorCase {
  const char* name;
  std::string parameters;
  const char* want_error;
};

TEST(NestedExecutionsTest, BadRequestsFailTheTaskWithAwsNames) {
  const std::string arn = kChildArn;
  const ErrorCase cases[] = {
      {"no machine",
       R"({"StateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:nope"})",
       "StepFunctions.StateMachineDoesNotExist"},
      {"bad arn", R"({"StateMachineArn":"not-an-arn"})", "StepFunctions.InvalidArn"},
      {"missing arn", R"({"Input":{}})", "States.Runtime"},
      {"arn not a string", R"({"StateMachineArn":5})", "States.Runtime"},
      {"bad name", R"({"StateMachineArn":")" + arn + R"(","Name":"a b"})",
       "StepFunctions.InvalidName"},
      {"name not a string", R"({"StateMachineArn":")" + arn + R"(","Name":1})", "States.Runtime"},
      {"input text not JSON", R"({"StateMachineArn":")" + arn + R"(","Input":"{nope"})",
       "StepFunctions.InvalidExecutionInput"},
  };
  for (const ErrorCase& c : cases) {
    TestEngine t;
    CreateChild(t, kHourChild);
    Execution& run = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:states:::states:startExecution.sync","Parameters":)" +
                             c.parameters + R"(,"End":true}}})");
    t.RunToCompletion();
    EXPECT_EQ(run.status(), ExecutionStatus::kFailed) << c.name;
    EXPECT_EQ(run.error(), c.want_error) << c.name << ": " << run.cause();
  }
}

TEST(NestedExecutionsTest, InputAsJsonTextAndNameReuse) {
  TestEngine t;
  CreateChild(t, kHourChild);
  Execution& run = t.Start(std::string(R"({"StartAt":"A","States":{
      "A":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
           "Parameters":{"StateMachineArn":")") +
                           kChildArn + R"(","Name":"c1",
                         "Input":"{\"n\":3}"},"ResultSelector":{"o.$":"$.Output"},"Next":"B"},
      "B":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
           "Parameters":{"StateMachineArn":")" +
                           kChildArn + R"(","Name":"c1",
                         "Input":"{\"n\":4}"},"End":true}}})");
  t.RunToCompletion();
  EXPECT_EQ(Child(t).input(), (nlohmann::ordered_json{{"n", 3}}));
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "StepFunctions.ExecutionAlreadyExists");
}

}  // namespace
}  // namespace timeslip::engine
