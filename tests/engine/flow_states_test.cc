// Pass, Choice, Wait, Succeed and Fail: output and the exact history, on virtual time.
#include <gtest/gtest.h>

#include "tests/support/test_engine.h"

namespace timeslip::engine {
namespace {

using testing::EventTypes;
using testing::TestEngine;
using testing::Timeline;

TEST(PassStateTest, ResultAndResultPathShapeTheOutput) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"P","States":{
      "P":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","Next":"Q"},
      "Q":{"Type":"Pass","Parameters":{"sum.$":"$.r.x","in.$":"$.in"},"End":true}}})",
                           R"({"in":"a"})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.error() << run.cause();
  EXPECT_EQ(*run.output(), nlohmann::ordered_json::parse(R"({"sum":1,"in":"a"})"));
  EXPECT_EQ(EventTypes(run),
            "ExecutionStarted PassStateEntered PassStateExited PassStateEntered PassStateExited "
            "ExecutionSucceeded");
}

TEST(PassStateTest, HistoryIdsChainAndDetailsAreAwsShaped) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})",
                           R"({"a":1})");
  t.RunToCompletion();
  const auto& h = run.history();
  ASSERT_EQ(h.size(), 4u);
  for (std::size_t i = 0; i < h.size(); ++i) {
    EXPECT_EQ(h[i].id, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(h[i].previous_event_id, static_cast<std::int64_t>(i));
  }
  EXPECT_EQ(h[0].details_key, "executionStartedEventDetails");
  EXPECT_EQ(h[0].details["input"], R"({"a":1})");
  EXPECT_EQ(h[0].details["roleArn"], TestEngine::kRole);
  EXPECT_EQ(h[1].details_key, "stateEnteredEventDetails");
  EXPECT_EQ(h[1].details["name"], "P");
  EXPECT_EQ(h[2].details["output"], R"({"a":1})");
  EXPECT_EQ(h[3].details_key, "executionSucceededEventDetails");
  nlohmann::ordered_json wire = ToWireJson(h[0]);
  EXPECT_EQ(wire["type"], "ExecutionStarted");
  EXPECT_DOUBLE_EQ(wire["timestamp"].get<double>(), 1704067200.0);
  EXPECT_FALSE(ToWireJson(h[0], false)["executionStartedEventDetails"].contains("input"));
}

TEST(ChoiceStateTest, FirstMatchingRuleWinsThenDefault) {
  const char* kMachine = R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[
          {"Variable":"$.n","NumericGreaterThan":10,"Next":"Big"},
          {"Variable":"$.n","NumericGreaterThan":5,"Next":"Medium"}],
        "Default":"Small"},
      "Big":{"Type":"Pass","Result":"big","End":true},
      "Medium":{"Type":"Pass","Result":"medium","End":true},
      "Small":{"Type":"Pass","Result":"small","End":true}}})";
  for (auto [input, want] : {std::pair{R"({"n":11})", "big"}, {R"({"n":6})", "medium"},
                             {R"({"n":1})", "small"}}) {
    TestEngine t;
    Execution& run = t.Start(kMachine, input);
    t.RunToCompletion();
    ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << input;
    EXPECT_EQ(*run.output(), want) << input;
  }
}

TEST(ChoiceStateTest, NoMatchAndNoDefaultIsNoChoiceMatched) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"X"}]},
      "X":{"Type":"Succeed"}}})",
                           R"({"n":2})");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.NoChoiceMatched");
  EXPECT_EQ(EventTypes(run), "ExecutionStarted ChoiceStateEntered ExecutionFailed");
}

TEST(WaitStateTest, OneHourWaitAdvancesVirtualTimeOnly) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":3600,"End":true}}})");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::hours(1));
  EXPECT_EQ(Timeline(run),
            "ExecutionStarted@0 WaitStateEntered@0 WaitStateExited@3600 ExecutionSucceeded@3600");
}

TEST(WaitStateTest, SecondsPathTimestampAndTimestampPath) {
  struct Case {
    const char* field;
    const char* input;
    int want_seconds;
  };
  const Case kCases[] = {
      {R"("SecondsPath":"$.s")", R"({"s":90})", 90},
      {R"("Timestamp":"2024-01-01T02:00:00Z")", "{}", 7200},
      {R"("TimestampPath":"$.t")", R"({"t":"2024-01-01T00:00:30+00:00"})", 30},
      {R"("Timestamp":"2023-12-31T00:00:00Z")", "{}", 0},  // in the past: no wait
  };
  for (const Case& c : kCases) {
    TestEngine t;
    Execution& run = t.Start(std::string(R"({"StartAt":"W","States":{"W":{"Type":"Wait",)") +
                                 c.field + R"(,"End":true}}})",
                             c.input);
    t.RunToCompletion();
    ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << c.field << run.cause();
    EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::seconds(c.want_seconds))
        << c.field;
  }
}

TEST(WaitStateTest, BadSecondsPathIsStatesRuntime) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"W","States":{
      "W":{"Type":"Wait","SecondsPath":"$.s","End":true}}})",
                           R"({"s":"soon"})");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.Runtime");
}

TEST(SucceedStateTest, OutputPathApplies) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"S","States":{
      "S":{"Type":"Succeed","OutputPath":"$.keep"}}})",
                           R"({"keep":{"a":1},"drop":2})");
  t.RunToCompletion();
  EXPECT_EQ(*run.output(), nlohmann::ordered_json::parse(R"({"a":1})"));
  EXPECT_EQ(EventTypes(run),
            "ExecutionStarted SucceedStateEntered SucceedStateExited ExecutionSucceeded");
}

TEST(FailStateTest, ErrorAndCauseLiteralOrFromPaths) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"F","States":{
      "F":{"Type":"Fail","Error":"Custom.Error","Cause":"because"}}})");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "Custom.Error");
  EXPECT_EQ(run.cause(), "because");
  EXPECT_EQ(EventTypes(run), "ExecutionStarted FailStateEntered ExecutionFailed");

  TestEngine t2;
  Execution& run2 = t2.Start(R"({"StartAt":"F","States":{
      "F":{"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"}}})",
                             R"({"e":"E1","c":"C1"})");
  t2.RunToCompletion();
  EXPECT_EQ(run2.error(), "E1");
  EXPECT_EQ(run2.cause(), "C1");
}

TEST(ExecutionTest, ChoiceLoopOfManyTurnsDoesNotGrowTheStack) {
  TestEngine t;
  Execution& run = t.Start(R"asl({"StartAt":"Inc","States":{
      "Inc":{"Type":"Pass","Parameters":{"i.$":"States.MathAdd($.i, 1)"},"Next":"Loop"},
      "Loop":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThan":5000,"Next":"Inc"}],
              "Default":"Done"},
      "Done":{"Type":"Succeed"}}})asl",
                           R"({"i":0})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.error() << run.cause();
  EXPECT_EQ((*run.output())["i"], 5000);
}

TEST(ExecutionTest, MachineTimeoutSecondsTimesTheExecutionOut) {
  TestEngine t;
  Execution& run = t.Start(R"({"TimeoutSeconds":60,"StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":3600,"End":true}}})");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kTimedOut);
  EXPECT_EQ(run.error(), "States.Timeout");
  EXPECT_EQ(Timeline(run), "ExecutionStarted@0 WaitStateEntered@0 ExecutionTimedOut@60");
}

TEST(ExecutionTest, ContextObjectIsAvailable) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"P","States":{
      "P":{"Type":"Pass","Parameters":{"id.$":"$$.Execution.Id","name.$":"$$.Execution.Name",
          "state.$":"$$.State.Name","sm.$":"$$.StateMachine.Name",
          "entered.$":"$$.State.EnteredTime","input.$":"$$.Execution.Input"},"End":true}}})",
                           R"({"k":1})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  const nlohmann::ordered_json& out = *run.output();
  EXPECT_EQ(out["id"], run.arn());
  EXPECT_EQ(out["name"], "run");
  EXPECT_EQ(out["state"], "P");
  EXPECT_EQ(out["sm"], run.state_machine_name());
  EXPECT_EQ(out["entered"], "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(out["input"], nlohmann::ordered_json::parse(R"({"k":1})"));
}

}  // namespace
}  // namespace timeslip::engine
