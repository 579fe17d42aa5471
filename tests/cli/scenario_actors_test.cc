// Scripted actors on virtual time, and determinism.
#include <gtest/gtest.h>

#include "emulator/cli/scenario_assertions.h"
#include "emulator/time/rfc3339.h"
#include "tests/cli/scenario_test_util.h"

namespace timeslip::cli {
namespace {

const engine::HistoryEvent* Find(const engine::Execution& e, std::string_view type) {
  for (const engine::HistoryEvent& ev : e.history()) {
    if (ev.type == type) return &ev;
  }
  return nullptr;
}

int Count(const engine::Execution& e, std::string_view type) {
  int n = 0;
  for (const engine::HistoryEvent& ev : e.history()) n += ev.type == type;
  return n;
}

std::string At(const engine::HistoryEvent* ev) {
  return ev ? time::FormatRfc3339(ev->timestamp) : "(none)";
}

TEST(ScenarioActorsTest, ApproveAfterFifteenMinutes) {
  Scenario s = ParseOne(ApprovalScenario(R"(, "actors": [
      {"on": {"state": "ManualApproval", "event": "TaskSubmitted"}, "after": "15m",
       "do": "sendTaskSuccess", "output": {"approved": true}}])"));
  ScenarioRun run(s);
  ASSERT_TRUE(run.Run().ok());
  ASSERT_EQ(run.started().size(), 1u);
  const engine::Execution& e = *run.started()[0];
  EXPECT_EQ(e.status(), engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(At(Find(e, "TaskSubmitted")), "2024-01-01T01:00:00.000Z");
  EXPECT_EQ(At(Find(e, "TaskSucceeded")), "2024-01-01T01:15:00.000Z");
  EXPECT_EQ(TopLevelPath(e), (std::vector<std::string>{"Prepare", "ManualApproval", "Publish"}));
  EXPECT_TRUE(run.notes().empty());
}

TEST(ScenarioActorsTest, Reject) {
  Scenario s = ParseOne(ApprovalScenario(R"(, "actors": [
      {"on": {"state": "ManualApproval", "event": "TaskSubmitted"}, "after": "10m",
       "do": "sendTaskFailure", "error": "Rejected", "cause": "numbers look wrong"}])"));
  ScenarioRun run(s);
  ASSERT_TRUE(run.Run().ok());
  const engine::Execution& e = *run.started()[0];
  EXPECT_EQ(e.status(), engine::ExecutionStatus::kFailed);
  EXPECT_EQ(e.error(), "Rejected");
  EXPECT_EQ(e.cause(), "numbers look wrong");
  EXPECT_EQ(At(Find(e, "TaskFailed")), "2024-01-01T01:10:00.000Z");
}

TEST(ScenarioActorsTest, HeartbeatEveryTwentyMinutesTwiceThenLapse) {
  Scenario s = ParseOne(ApprovalScenario(R"(, "actors": [
      {"on": {"state": "ManualApproval", "event": "TaskSubmitted"}, "every": "20m", "times": 2,
       "do": "sendTaskHeartbeat"}])"));
  ScenarioRun run(s);
  ASSERT_TRUE(run.Run().ok());
  const engine::Execution& e = *run.started()[0];
  // Heartbeats at +20m and +40m: the 30-minute heartbeat window would end at +70m, so the
  // one-hour TimeoutSeconds fires first.
  EXPECT_EQ(e.status(), engine::ExecutionStatus::kFailed);
  EXPECT_EQ(e.error(), "States.Timeout");
  EXPECT_EQ(At(Find(e, "TaskTimedOut")), "2024-01-01T02:00:00.000Z");
  EXPECT_TRUE(run.notes().empty());
}

TEST(ScenarioActorsTest, OneHeartbeatThenHeartbeatTimeout) {
  Scenario s = ParseOne(ApprovalScenario(R"(, "actors": [
      {"on": {"state": "ManualApproval", "event": "TaskSubmitted"}, "after": "20m",
       "do": "sendTaskHeartbeat"}])"));
  ScenarioRun run(s);
  ASSERT_TRUE(run.Run().ok());
  const engine::Execution& e = *run.started()[0];
  EXPECT_EQ(e.error(), "States.HeartbeatTimeout");
  EXPECT_EQ(At(Find(e, "TaskTimedOut")), "2024-01-01T01:50:00.000Z");
}

TEST(ScenarioActorsTest, StopAtAnInstant) {
  Scenario s = ParseOne(ApprovalScenario(R"(, "actors": [
      {"at": "2024-01-01T01:30:00Z", "do": "stopExecution", "error": "Operator",
       "cause": "stopped by hand"}])"));
  ScenarioRun run(s);
  ASSERT_TRUE(run.Run().ok());
  const engine::Execution& e = *run.started()[0];
  EXPECT_EQ(e.status(), engine::ExecutionStatus::kAborted);
  ASSERT_TRUE(e.stop_date().has_value());
  EXPECT_EQ(time::FormatRfc3339(*e.stop_date()), "2024-01-01T01:30:00.000Z");
  EXPECT_EQ(e.error(), "Operator");
}

TEST(ScenarioActorsTest, NeverAnswersTimesOutByTimeoutSeconds) {
  std::string text = ApprovalScenario("");
  text.erase(text.find("\"HeartbeatSeconds\": 1800, "), 26);
  Scenario s = ParseOne(text);
  ScenarioRun run(s);
  ASSERT_TRUE(run.Run().ok());
  const engine::Execution& e = *run.started()[0];
  EXPECT_EQ(e.status(), engine::ExecutionStatus::kFailed);
  EXPECT_EQ(e.error(), "States.Timeout");
  EXPECT_EQ(At(Find(e, "TaskTimedOut")), "2024-01-01T02:00:00.000Z");
  EXPECT_EQ(Count(e, "TaskSucceeded"), 0);
}

TEST(ScenarioActorsTest, AnswerAfterTimeoutIsANoteNotAFailure) {
  Scenario s = ParseOne(ApprovalScenario(R"(, "actors": [
      {"on": {"state": "ManualApproval", "event": "TaskSubmitted"}, "after": "2h",
       "do": "sendTaskSuccess"}], "expect": {"error": "States.HeartbeatTimeout"})"));
  ScenarioRun run(s);
  ASSERT_TRUE(run.Run().ok());
  ASSERT_EQ(run.notes().size(), 1u);
  EXPECT_NE(run.notes()[0].find("actors[0] sendTaskSuccess at 2024-01-01T03:00:00.000Z on run-1: "
                                "TaskTimedOut"),
            std::string::npos)
      << run.notes()[0];
  EXPECT_TRUE(CheckScenario(s, run).empty());
}

TEST(ScenarioActorsTest, ScheduleStartsNightlyExecutions) {
  Scenario s = ParseOne(R"json({"name": "nights", "startTime": "2024-01-01T00:00:00Z",
    "stateMachines": {"m": {"definition": {"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 600, "End": true}}}}},
    "schedule": {"expression": "cron(0 1 * * ? *)", "stateMachine": "m", "count": 30},
    "expectAll": {"status": "SUCCEEDED", "duration": {"min": "10m", "max": "10m"}},
    "expectCount": {"SUCCEEDED": 30}})json");
  ScenarioRun run(s);
  ASSERT_TRUE(run.Run().ok());
  ASSERT_EQ(run.started().size(), 30u);
  EXPECT_EQ(time::FormatRfc3339(run.started()[29]->start_date()), "2024-01-30T01:00:00.000Z");
  EXPECT_TRUE(CheckScenario(s, run).empty());
}

TEST(ScenarioActorsTest, SameScenarioTwiceGivesIdenticalHistories) {
  const std::string text = ApprovalScenario(R"(, "seed": 42,
    "fakes": {"lambda": {"approve": {"latency": {"uniform": {"min": "1s", "max": "90s"}}}}},
    "actors": [{"on": {"state": "ManualApproval", "event": "TaskSubmitted"}, "after": "15m",
                "do": "sendTaskSuccess", "output": {"approved": true}}])");
  auto histories = [&] {
    Scenario s = ParseOne(text);
    ScenarioRun run(s);
    EXPECT_TRUE(run.Run().ok());
    std::string all;
    for (const engine::Execution* e : run.executions()) all += e->HistoryJson().dump(2) + "\n";
    return all;
  };
  const std::string first = histories();
  EXPECT_GT(first.size(), 1000u);
  EXPECT_EQ(first, histories());
}

}  // namespace
}  // namespace timeslip::cli
