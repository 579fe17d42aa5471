// Glue job runs through startJobRun and startJobRun.sync on a virtual clock.
#include "fakes/glue_jobs.h"

#include <gtest/gtest.h>

#include "tests/fakes/fakes_harness.h"

namespace timeslip::fakes {
namespace {

using engine::ExecutionStatus;
using testing::Timeline;

constexpr const char* kSync = "arn:aws:states:::glue:startJobRun.sync";

std::string SyncJob(std::string_view extra = "") {
  return OneTask(kSync, R"({"JobName":"transform-orders","Arguments":{"--day":"2024-01-01"}})",
                 extra);
}

TEST(GlueJobsTest, SyncRunSucceedsAfterItsLatencyWithTheJobRunShape) {
  FakesHarness h(
      R"({"glue": {"transform-orders": [{"latency": "20m", "result": {"rows": 1200}}]}})");
  engine::Execution& run = h.Run(SyncJob());
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(Timeline(run),
            "ExecutionStarted@0 TaskStateEntered@0 TaskScheduled@0 TaskStarted@0 "
            "TaskSubmitted@0 TaskSucceeded@1200 TaskStateExited@1200 ExecutionSucceeded@1200");
  const nlohmann::ordered_json out = Output(run);
  const std::string id = out["Id"];
  EXPECT_EQ(id.rfind("jr_", 0), 0u);
  EXPECT_EQ(id.size(), 3u + 64u);
  EXPECT_EQ(out["JobName"], "transform-orders");
  EXPECT_EQ(out["JobRunState"], "SUCCEEDED");
  EXPECT_EQ(out["Arguments"], nlohmann::ordered_json({{"--day", "2024-01-01"}}));
  EXPECT_EQ(out["Attempt"], 0);
  EXPECT_EQ(out["ExecutionTime"], 1200);
  EXPECT_EQ(out["StartedOn"], 1704067200000);  // 2024-01-01T00:00:00Z in ms
  EXPECT_EQ(out["CompletedOn"], 1704067200000 + 1200 * 1000);
  EXPECT_EQ(out["Timeout"], 2880);
  EXPECT_EQ(out["rows"], 1200);  // the behaviour's result is merged in
  EXPECT_FALSE(out.contains("ErrorMessage"));

  // TaskSubmitted carries the StartJobRun answer.
  const engine::HistoryEvent& submitted = run.history()[4];
  nlohmann::ordered_json started = nlohmann::ordered_json::parse(submitted.details["output"].get<std::string>());
  EXPECT_EQ(started["JobRunId"], id);
  EXPECT_EQ(started["JobName"], "transform-orders");

  // The run stays queryable.
  const JobRun* found = h.fakes().glue().FindRun("transform-orders", id);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->state, "SUCCEEDED");
  EXPECT_EQ(h.fakes().glue().FindRun("other-job", id), nullptr);
  ASSERT_EQ(h.calls().calls().size(), 1u);
  const Call& call = h.calls().calls()[0];
  EXPECT_EQ(call.operation, "startJobRun.sync");
  EXPECT_EQ(call.target, "transform-orders");
  EXPECT_EQ(call.arguments["Arguments"]["--day"], "2024-01-01");
  EXPECT_EQ(call.outcome["result"]["JobRunState"], "SUCCEEDED");
}

TEST(GlueJobsTest, FailsTwiceWithConcurrentRunsExceededThenSucceedsUnderRetry) {
  FakesHarness h(R"({"glue": {"transform-orders": [
      {"error": "Glue.ConcurrentRunsExceededException", "cause": "busy", "repeat": 2,
       "latency": "30s"},
      {"latency": "20m"}]}})");
  engine::Execution& run = h.Run(SyncJob(R"("Retry":[{"ErrorEquals":
      ["Glue.ConcurrentRunsExceededException"],"IntervalSeconds":60,"MaxAttempts":3,
      "BackoffRate":2}])"));
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.error() << run.cause();
  // Attempt 1 at 0 fails at 30; 60 s later attempt 2 at 90 fails at 120; 120 s later attempt 3
  // at 240 runs 20 minutes.
  const std::vector<const Call*> calls = h.calls().Filter("glue", "transform-orders");
  ASSERT_EQ(calls.size(), 3u);
  std::vector<std::int64_t> at;
  std::vector<int> attempts, numbers;
  for (const Call* c : calls) {
    at.push_back(h.SecondsAt(c->at));
    attempts.push_back(c->attempt);
    numbers.push_back(c->call);
  }
  EXPECT_EQ(at, (std::vector<std::int64_t>{0, 90, 240}));
  EXPECT_EQ(attempts, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(numbers, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(calls[0]->outcome,
            nlohmann::ordered_json({{"error", "Glue.ConcurrentRunsExceededException"}, {"cause", "busy"}}));
  EXPECT_EQ(h.SecondsAt(*calls[0]->ended_at), 30);
  EXPECT_EQ(h.SecondsAt(*run.stop_date()), 240 + 1200);
  // Refused starts create no run.
  EXPECT_EQ(h.fakes().glue().Runs("transform-orders").size(), 1u);
}

TEST(GlueJobsTest, RunPastTheJobTimeoutEndsTimeoutAndFailsTheTask) {
  FakesHarness h(R"({"glue": {"transform-orders": [{"latency": "2h"}]},
                     "glueJobs": {"transform-orders": {"Timeout": 30}}})");
  engine::Execution& run = h.Run(SyncJob());
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.TaskFailed");
  EXPECT_EQ(h.SecondsAt(*run.stop_date()), 30 * 60);
  const nlohmann::ordered_json cause = nlohmann::ordered_json::parse(run.cause());
  EXPECT_EQ(cause["JobRunState"], "TIMEOUT");
  EXPECT_EQ(cause["Timeout"], 30);
  EXPECT_EQ(cause["ExecutionTime"], 1800);
  EXPECT_EQ(cause["ErrorMessage"], "Job run timed out after 30 minutes");
}

TEST(GlueJobsTest, TimeoutAndHangStepsRunUntilTheJobTimeout) {
  for (const char* step : {R"({"timeout": true})", R"({"hang": true})"}) {
    FakesHarness h(std::string(R"({"glue": {"j": [)") + step +
                   R"(]}, "glueJobs": {"j": {"Timeout": 45}}})");
    engine::Execution& run = h.Run(OneTask(kSync, R"({"JobName":"j"})"));
    ASSERT_EQ(run.status(), ExecutionStatus::kFailed) << step;
    EXPECT_EQ(nlohmann::ordered_json::parse(run.cause())["JobRunState"], "TIMEOUT") << step;
    EXPECT_EQ(h.SecondsAt(*run.stop_date()), 45 * 60) << step;
  }
}

TEST(GlueJobsTest, StartJobRunTimeoutParameterOverridesTheJob) {
  FakesHarness h(R"({"glue": {"j": [{"latency": "2h"}]}})");
  engine::Execution& run = h.Run(OneTask(kSync, R"({"JobName":"j","Timeout":10})"));
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(h.SecondsAt(*run.stop_date()), 600);
}

TEST(GlueJobsTest, FailedRunFailsTheTaskWithStatesTaskFailedAndTheJobRun) {
  FakesHarness h(R"({"glue": {"j": [{"latency": "5m", "error": "OutOfMemoryError",
                                      "cause": "Container killed"}]}})");
  engine::Execution& caught = h.Run(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::glue:startJobRun.sync",
           "Parameters":{"JobName":"j"},
           "Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.err","Next":"Caught"}],
           "End":true},
      "Caught":{"Type":"Pass","End":true}}})");
  ASSERT_EQ(caught.status(), ExecutionStatus::kSucceeded);
  const nlohmann::ordered_json err = Output(caught)["err"];
  EXPECT_EQ(err["Error"], "States.TaskFailed");
  const nlohmann::ordered_json cause = nlohmann::ordered_json::parse(err["Cause"].get<std::string>());
  EXPECT_EQ(cause["JobRunState"], "FAILED");
  EXPECT_EQ(cause["ErrorMessage"], "Container killed");
  EXPECT_EQ(cause["ExecutionTime"], 300);
}

TEST(GlueJobsTest, MaxConcurrentRunsRefusesTheRunBeyondIt) {
  const std::string def = OneTask(kSync, R"({"JobName":"j"})");
  {
    FakesHarness h(R"({"glue": {"j": [{"latency": "10m"}]}})");  // AWS's default: 1
    engine::Execution& first = h.t().Start(def);
    engine::Execution& second = h.t().Start(def);
    h.t().RunToCompletion();
    EXPECT_EQ(first.status(), ExecutionStatus::kSucceeded);
    ASSERT_EQ(second.status(), ExecutionStatus::kFailed);
    EXPECT_EQ(second.error(), "Glue.ConcurrentRunsExceededException");
    EXPECT_EQ(second.cause(), "Concurrent runs exceeded for j");
    EXPECT_EQ(h.SecondsAt(*second.stop_date()), 0);
  }
  {
    FakesHarness h(R"({"glue": {"j": [{"latency": "10m"}]},
                       "glueJobs": {"j": {"MaxConcurrentRuns": 2}}})");
    engine::Execution& first = h.t().Start(def);
    engine::Execution& second = h.t().Start(def);
    h.t().RunToCompletion();
    EXPECT_EQ(first.status(), ExecutionStatus::kSucceeded);
    EXPECT_EQ(second.status(), ExecutionStatus::kSucceeded);
    EXPECT_EQ(h.fakes().glue().Runs("j").size(), 2u);
  }
}

TEST(GlueJobsTest, StoppingTheExecutionStopsItsRun) {
  FakesHarness h(R"({"glue": {"j": [{"latency": "1h"}]}})");
  engine::Execution& run = h.t().Start(OneTask(kSync, R"({"JobName":"j"})"));
  h.t().RunFor(std::chrono::minutes(10));
  const std::vector<const JobRun*> runs = h.fakes().glue().Runs("j");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]->state, "RUNNING");
  ASSERT_TRUE(h.t().emulator().StopExecution(run.arn(), "Operator", "stopped at 00:10").ok());
  h.t().RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kAborted);
  EXPECT_EQ(runs[0]->state, "STOPPED");
  EXPECT_EQ(h.SecondsAt(*runs[0]->completed_on), 600);
  EXPECT_EQ(h.calls().calls()[0].outcome,
            nlohmann::ordered_json({{"cancelled", true}, {"JobRunState", "STOPPED"}}));
}

TEST(GlueJobsTest, TaskTimeoutStopsTheRun) {
  FakesHarness h(R"({"glue": {"j": [{"latency": "1h"}]}})");
  engine::Execution& run = h.Run(OneTask(kSync, R"({"JobName":"j"})", R"("TimeoutSeconds":60)"));
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.Timeout");
  const JobRun* r = h.fakes().glue().Runs("j").at(0);
  EXPECT_EQ(r->state, "STOPPED");
  EXPECT_EQ(h.SecondsAt(*r->completed_on), 60);
}

TEST(GlueJobsTest, RequestResponseAnswersAtOnceWhileTheRunGoesOn) {
  FakesHarness h(R"({"glue": {"j": [{"latency": "20m"}]}})");
  engine::Execution& run =
      h.Run(OneTask("arn:aws:states:::glue:startJobRun", R"({"JobName":"j"})"));
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(h.SecondsAt(*run.stop_date()), 0);
  const nlohmann::ordered_json out = Output(run);
  EXPECT_EQ(out["JobName"], "j");
  const JobRun* r = h.fakes().glue().FindRun("j", out["JobRunId"]);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->state, "SUCCEEDED");  // RunToCompletion let it finish
  EXPECT_EQ(h.SecondsAt(*r->completed_on), 1200);
  EXPECT_EQ(h.calls().calls()[0].operation, "startJobRun");
}

TEST(GlueJobsTest, RunsAreListedNewestFirstAndStoppable) {
  FakesHarness h(R"({"glue": {"j": [{"latency": "1m"}, {"latency": "1h"}]}})");
  h.Run(OneTask(kSync, R"({"JobName":"j"})"));
  h.t().Start(OneTask(kSync, R"({"JobName":"j"})"));
  h.t().RunFor(std::chrono::minutes(5));
  std::vector<const JobRun*> runs = h.fakes().glue().Runs("j");
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]->state, "RUNNING");
  EXPECT_EQ(runs[1]->state, "SUCCEEDED");
  EXPECT_EQ(ToJson(*runs[1], TimestampStyle::kEpochSeconds)["StartedOn"], 1704067200.0);
  // BatchStopJobRun from the Glue API fails the .sync task the way AWS does.
  ASSERT_TRUE(h.fakes().glue().StopRun("j", runs[0]->id).ok());
  h.t().RunToCompletion();
  EXPECT_EQ(runs[0]->state, "STOPPED");
  EXPECT_EQ(h.fakes().glue().StopRun("j", "jr_nope").error().name, "EntityNotFoundException");
  const engine::Execution& second = *h.t().engine().executions().back();
  EXPECT_EQ(second.error(), "States.TaskFailed");
}

TEST(GlueJobsTest, MissingJobNameIsInvalidInput) {
  FakesHarness h;
  engine::Execution& run = h.Run(OneTask(kSync, R"({"Arguments":{}})"));
  EXPECT_EQ(run.error(), "Glue.InvalidInputException");
}

}  // namespace
}  // namespace timeslip::fakes
