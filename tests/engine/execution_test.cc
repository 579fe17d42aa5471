// Whole executions: stop, redrive, Express rules, limits, and determinism.
#include <gtest/gtest.h>

#include "tests/support/test_engine.h"

namespace timeslip::engine {
namespace {

using testing::EventTypes;
using testing::LastToken;
using testing::Step;
using testing::TestEngine;
using testing::Timeline;

TEST(StopExecutionTest, AbortsRunningStatesAndCancelsTasks) {
  TestEngine t;
  t.glue().Script({Step{std::chrono::hours(3), nlohmann::ordered_json::object()}});
  Execution& run = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::glue:startJobRun.sync","Parameters":{"JobName":"j"},"End":true}}})");
  t.RunFor(std::chrono::minutes(90));
  ASSERT_TRUE(t.emulator().StopExecution(run.arn(), "Operator", "stopped at 01:30").ok());
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kAborted);
  EXPECT_EQ(run.error(), "Operator");
  EXPECT_EQ(Timeline(run),
            "ExecutionStarted@0 TaskStateEntered@0 TaskScheduled@0 TaskStarted@0 "
            "TaskSubmitted@0 TaskStateAborted@5400 ExecutionAborted@5400");
  EXPECT_EQ(t.glue().cancelled.size(), 1u);
  json::Status missing = t.emulator().StopExecution(
      "arn:aws:states:us-east-1:123456789012:execution:machine1:nope", "", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().name, "ExecutionDoesNotExist");
}

TEST(RedriveTest, RestartsFromTheFailedStateWithItsInput) {
  TestEngine t;
  t.lambda().Script({Step{std::chrono::seconds(1), json::Error{"Flaky", "down"}},
                     Step{std::chrono::seconds(1), nlohmann::ordered_json{{"ok", true}}}});
  Execution& run = t.Start(R"({"StartAt":"First","States":{
      "First":{"Type":"Pass","Result":{"n":1},"Next":"T"},
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"n.$":"$.n"},
           "End":true}}})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  ASSERT_TRUE(t.emulator().RedriveExecution(run.arn()).ok());
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(run.redrive_count(), 1);
  EXPECT_EQ(t.lambda().calls.size(), 2u);
  EXPECT_EQ(t.lambda().calls[1].parameters["n"], 1);
  std::string types = EventTypes(run);
  EXPECT_NE(types.find("ExecutionFailed ExecutionRedriven TaskStateEntered"), std::string::npos)
      << types;
  json::Status again = t.emulator().RedriveExecution(run.arn());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().name, "ExecutionNotRedrivable");
}

TEST(RedriveTest, AnAbortedExecutionRedrivesFromTheStateItWasIn) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"First","States":{
      "First":{"Type":"Pass","Result":{"n":2},"Next":"W"},
      "W":{"Type":"Wait","Seconds":600,"Next":"Done"},
      "Done":{"Type":"Pass","End":true}}})");
  t.RunFor(std::chrono::minutes(5));
  ASSERT_TRUE(t.emulator().StopExecution(run.arn(), "Operator", "").ok());
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kAborted);
  ASSERT_TRUE(t.emulator().RedriveExecution(run.arn()).ok());
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(*run.output(), nlohmann::ordered_json::parse(R"({"n":2})"));
  EXPECT_NE(EventTypes(run).find("ExecutionAborted ExecutionRedriven WaitStateEntered"),
            std::string::npos)
      << EventTypes(run);
  // The redriven Wait starts over: 5 minutes before the stop, 10 after the redrive.
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::minutes(15));
}

TEST(ExpressTest, RejectsCallbackAndSyncPatternsAtCreation) {
  TestEngine t;
  for (const char* resource : {"arn:aws:states:::lambda:invoke.waitForTaskToken",
                               "arn:aws:states:::glue:startJobRun.sync"}) {
    CreateStateMachineParams params;
    params.name = "express";
    params.role_arn = std::string(TestEngine::kRole);
    params.type = MachineType::kExpress;
    params.definition = std::string(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")") +
                        resource + R"(","End":true}}})";
    auto created = t.emulator().CreateStateMachine(params);
    ASSERT_FALSE(created.ok()) << resource;
    EXPECT_EQ(created.error().name, "InvalidDefinition");
    EXPECT_NE(created.error().message.find("Express"), std::string::npos);
  }
}

TEST(ExpressTest, CappedAtFiveMinutes) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}})",
                           "{}", MachineType::kExpress);
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kTimedOut);
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::minutes(5));
  EXPECT_NE(run.arn().find(":express:"), std::string::npos);
}

TEST(ExpressTest, ALoopThatNeverLetsTimePassTimesOutInsteadOfHoldingTheEngine) {
  TestEngine t;
  t.engine().set_max_express_transitions_at_one_instant(1000);
  Execution& spinning = t.Start(R"({"StartAt":"P","States":{
      "P":{"Type":"Pass","Next":"C"},
      "C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"D"}],
           "Default":"P"},
      "D":{"Type":"Succeed"}}})",
                                "{}", MachineType::kExpress);
  t.RunToCompletion();  // returns: before the guard it never did
  EXPECT_EQ(spinning.status(), ExecutionStatus::kTimedOut);
  EXPECT_EQ(spinning.error(), "States.Timeout");
  EXPECT_EQ(*spinning.stop_date(), spinning.start_date());  // no virtual time passed

  // Below the budget a loop ends by itself; each Wait moves the clock and resets the count.
  Execution& bounded = t.Start(R"({"StartAt":"P","States":{
      "P":{"Type":"Pass","Result":{"stop":true},"Next":"C"},
      "C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"D"}],
           "Default":"P"},
      "D":{"Type":"Succeed"}}})",
                               "{}", MachineType::kExpress);
  Execution& waiting = t.Start(R"({"StartAt":"P","States":{
      "P":{"Type":"Pass","Next":"W"},"W":{"Type":"Wait","Seconds":1,"Next":"C"},
      "C":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"D"}],
           "Default":"P"},
      "D":{"Type":"Succeed"}}})",
                               "{}", MachineType::kExpress);
  t.RunToCompletion();
  EXPECT_EQ(bounded.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(waiting.status(), ExecutionStatus::kTimedOut);  // by the five-minute cap
  EXPECT_EQ(*waiting.stop_date() - waiting.start_date(), std::chrono::minutes(5));
}

TEST(LimitsTest, OversizeTaskResultIsDataLimitExceeded) {
  TestEngine t;
  std::string big = "\"" + std::string(300 * 1024, 'x') + "\"";
  t.lambda().Script({Step{std::chrono::seconds(0), nlohmann::ordered_json::parse(big)}});
  Execution& uncaught = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","Parameters":{},"End":true}}})");
  t.RunToCompletion();
  EXPECT_EQ(uncaught.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(uncaught.error(), "States.DataLimitExceeded");
  EXPECT_EQ(uncaught.cause(),
            "The state/task 'lambda' returned a result with a size exceeding the maximum number "
            "of bytes service limit.");
  // AWS's recordings (error_handling, test_task_lambda_catch_state_all_...) show States.ALL
  // catching a task's oversize result, though the docs call the error terminal.
  Execution& caught = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","Parameters":{},
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}],"End":true},"C":{"Type":"Succeed"}}})");
  t.RunToCompletion();
  EXPECT_EQ(caught.status(), ExecutionStatus::kSucceeded);
  ASSERT_TRUE(caught.output().has_value());
  EXPECT_EQ(caught.output()->value("Error", ""), "States.DataLimitExceeded");
}

TEST(LimitsTest, OversizeExecutionInputAndBadNamesAreRefused) {
  TestEngine t;
  t.Start(R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})");
  std::string arn = t.emulator().ListStateMachines()[0]->arn;
  StartExecutionParams params;
  params.state_machine_arn = arn;
  params.input = "[" + std::string(300 * 1024, '1') + "]";
  auto big = t.emulator().StartExecution(params);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().name, "InvalidExecutionInput");
  params.input = "{bad";
  EXPECT_EQ(t.emulator().StartExecution(params).error().name, "InvalidExecutionInput");
  params.input = "{}";
  params.name = "has space";
  EXPECT_EQ(t.emulator().StartExecution(params).error().name, "InvalidName");
  params.name = std::string(81, 'a');
  EXPECT_EQ(t.emulator().StartExecution(params).error().name, "InvalidName");
  params.name = "ok";
  params.state_machine_arn = "not-an-arn";
  EXPECT_EQ(t.emulator().StartExecution(params).error().name, "InvalidArn");
  params.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:missing";
  EXPECT_EQ(t.emulator().StartExecution(params).error().name, "StateMachineDoesNotExist");
}

TEST(StartExecutionTest, IdempotentOnNameAndInputWhileRunning) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}})");
  StartExecutionParams again;
  again.state_machine_arn = run.state_machine_arn();
  again.name = "run";
  again.input = "{}";
  auto same = t.emulator().StartExecution(again);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same.value(), &run);
  again.input = R"({"different":1})";
  EXPECT_EQ(t.emulator().StartExecution(again).error().name, "ExecutionAlreadyExists");
}

TEST(DeterminismTest, SameSeedSameHistoryByteForByte) {
  const char* kMachine = R"asl({"StartAt":"P","States":{
      "P":{"Type":"Parallel","Branches":[
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
            "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
                "Resource":"arn:aws:states:::glue:startJobRun.sync",
                "Parameters":{"JobName":"j","Arguments":{"--item.$":"States.Format('{}', $)"}},
                "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":5,"MaxAttempts":3,
                          "JitterStrategy":"FULL"}],"End":true}}},"End":true}}},
        {"StartAt":"Approve","States":{"Approve":{"Type":"Task",
            "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters":{"Payload":{"token.$":"$$.Task.Token","id.$":"States.UUID()"}},
            "TimeoutSeconds":3600,"End":true}}}],
      "End":true}}})asl";
  auto run_once = [&] {
    TestEngine t(42);
    t.glue().Script({Step{std::chrono::minutes(3), json::Error{"Glue.Flaky", "x"}},
                     Step{std::chrono::minutes(20), nlohmann::ordered_json{{"JobRunState", "SUCCEEDED"}}}});
    Execution& run = t.Start(kMachine, R"({"items":[1,2,3]})");
    t.RunFor(std::chrono::minutes(15));
    EXPECT_TRUE(t.emulator().SendTaskSuccess(LastToken(t.lambda()), R"({"ok":1})").ok());
    t.RunToCompletion();
    EXPECT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
    return run.HistoryJson().dump();
  };
  std::string first = run_once();
  EXPECT_EQ(first, run_once());
  EXPECT_NE(first.find("TaskSubmitted"), std::string::npos);
}

}  // namespace
}  // namespace timeslip::engine
