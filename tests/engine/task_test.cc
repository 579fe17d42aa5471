// Task states: integration patterns, Retry, Catch, timeouts, heartbeats, task tokens, activities.
#include <gtest/gtest.h>

#include "tests/support/test_engine.h"

namespace timeslip::engine {
namespace {

using testing::EventTypes;
using testing::LastToken;
using testing::Step;
using testing::TestEngine;
using testing::Timeline;

json::Error Err(const char* name, const char* cause = "boom") { return {name, cause}; }

TEST(TaskStateTest, RequestResponseRecordsScheduledStartedSucceeded) {
  TestEngine t;
  t.lambda().Script({Step{std::chrono::seconds(2), nlohmann::ordered_json{{"Payload", 7}}}});
  Execution& run = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},
      "ResultSelector":{"v.$":"$.Payload"},"ResultPath":"$.out","End":true}}})",
                           R"({"in":1})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(), nlohmann::ordered_json::parse(R"({"in":1,"out":{"v":7}})"));
  EXPECT_EQ(Timeline(run),
            "ExecutionStarted@0 TaskStateEntered@0 TaskScheduled@0 TaskStarted@0 "
            "TaskSucceeded@2 TaskStateExited@2 ExecutionSucceeded@2");
  const HistoryEvent& scheduled = run.history()[2];
  EXPECT_EQ(scheduled.details["resourceType"], "lambda");
  EXPECT_EQ(scheduled.details["resource"], "invoke");
  EXPECT_EQ(scheduled.details["region"], "us-east-1");
  EXPECT_EQ(nlohmann::ordered_json::parse(scheduled.details["parameters"].get<std::string>()),
            nlohmann::ordered_json::parse(R"({"FunctionName":"f","Payload":{"in":1}})"));
  ASSERT_EQ(t.lambda().calls.size(), 1u);
  EXPECT_EQ(t.lambda().calls[0].parameters["FunctionName"], "f");
}

TEST(TaskStateTest, SyncRecordsSubmittedThenSucceeded) {
  TestEngine t;
  t.glue().Script({Step{std::chrono::minutes(20), nlohmann::ordered_json{{"JobRunState", "SUCCEEDED"}}}});
  Execution& run = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::glue:startJobRun.sync","Parameters":{"JobName":"j"},"End":true}}})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(Timeline(run),
            "ExecutionStarted@0 TaskStateEntered@0 TaskScheduled@0 TaskStarted@0 "
            "TaskSubmitted@0 TaskSucceeded@1200 TaskStateExited@1200 ExecutionSucceeded@1200");
}

TEST(RetryTest, BackoffDoublesAndEachRetrierCountsOnItsOwn) {
  TestEngine t;
  t.glue().Script({Step{std::chrono::seconds(0), Err("Glue.ConcurrentRunsExceededException")},
                   Step{std::chrono::seconds(0), Err("Glue.ConcurrentRunsExceededException")},
                   Step{std::chrono::seconds(0), Err("Other")},
                   Step{std::chrono::seconds(5), nlohmann::ordered_json::object()}});
  Execution& run = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::glue:startJobRun.sync","Parameters":{"JobName":"j"},
      "Retry":[{"ErrorEquals":["Glue.ConcurrentRunsExceededException"],"IntervalSeconds":30,
                "MaxAttempts":2,"BackoffRate":2},
               {"ErrorEquals":["States.ALL"],"IntervalSeconds":10,"MaxAttempts":1}],
      "End":true}}})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.error();
  // Attempts at 0, 30 (after 30 s), 90 (after 60 s), 100 (after 10 s); the last takes 5 s.
  ASSERT_EQ(t.glue().calls.size(), 4u);
  std::vector<int> at;
  for (const TaskRequest& c : t.glue().calls) {
    at.push_back(static_cast<int>(
        std::chrono::duration_cast<std::chrono::seconds>(c.scheduled_at - t.start_time()).count()));
  }
  EXPECT_EQ(at, (std::vector<int>{0, 30, 90, 100}));
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::seconds(105));
}

TEST(RetryTest, MaxAttemptsZeroNeverRetriesAndMaxDelayCaps) {
  TestEngine t;
  t.lambda().Script({Step{std::chrono::seconds(0), Err("E")}});
  Execution& run = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","Parameters":{},
      "Retry":[{"ErrorEquals":["E"],"MaxAttempts":0},{"ErrorEquals":["States.ALL"]}],
      "End":true}}})");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(t.lambda().calls.size(), 1u) << "the first matching retrier decides";

  TestEngine t2;
  t2.lambda().Script({Step{std::chrono::seconds(0), Err("E")}});
  Execution& run2 = t2.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","Parameters":{},
      "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":10,"BackoffRate":10,"MaxAttempts":3,
                "MaxDelaySeconds":50}],"End":true}}})");
  t2.RunToCompletion();
  EXPECT_EQ(run2.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(*run2.stop_date() - run2.start_date(), std::chrono::seconds(10 + 50 + 50));
}

TEST(RetryTest, FullJitterStaysWithinTheDelayAndIsSeeded) {
  auto run_once = [](std::uint64_t seed) {
    TestEngine t(seed);
    t.lambda().Script({Step{std::chrono::seconds(0), Err("E")}});
    Execution& run = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke","Parameters":{},
        "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":100,"MaxAttempts":1,
                  "JitterStrategy":"FULL"}],"End":true}}})");
    t.RunToCompletion();
    return *run.stop_date() - run.start_date();
  };
  auto a = run_once(7);
  EXPECT_EQ(a, run_once(7));
  EXPECT_LE(a, std::chrono::seconds(100));
  EXPECT_GE(a, std::chrono::seconds(0));
}

TEST(RetryTest, StatesAllDoesNotCatchStatesRuntime) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","InputPath":"$.missing",
      "Retry":[{"ErrorEquals":["States.ALL"]}],
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}],"End":true},
      "C":{"Type":"Succeed"}}})");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.Runtime");
}

TEST(CatchTest, ErrorOutputGoesToResultPathAndNext) {
  TestEngine t;
  t.lambda().Script({Step{std::chrono::seconds(1), Err("Lambda.Unknown", "it broke")}});
  Execution& run = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","Parameters":{},
      "Catch":[{"ErrorEquals":["States.Timeout"],"Next":"Never"},
               {"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.err","Next":"Handle"}],
      "End":true},
      "Never":{"Type":"Fail"},
      "Handle":{"Type":"Pass","End":true}}})",
                           R"({"keep":true})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(*run.output(),
            nlohmann::ordered_json::parse(
                R"({"keep":true,"err":{"Error":"Lambda.Unknown","Cause":"it broke"}})"));
  EXPECT_EQ(EventTypes(run),
            "ExecutionStarted TaskStateEntered TaskScheduled TaskStarted TaskFailed "
            "TaskStateExited PassStateEntered PassStateExited ExecutionSucceeded");
}

constexpr const char* kApproval = R"({"StartAt":"Approve","States":{
    "Approve":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Parameters":{"FunctionName":"send-approval-request",
                    "Payload":{"TaskToken.$":"$$.Task.Token","Date.$":"$.date"}},
      "TimeoutSeconds":3600,"HeartbeatSeconds":1800,
      "Catch":[{"ErrorEquals":["States.Timeout"],"Next":"TimedOut"}],
      "Next":"Publish"},
    "Publish":{"Type":"Succeed"},
    "TimedOut":{"Type":"Fail","Error":"ApprovalTimedOut"}}})";

TEST(TaskTokenTest, SendTaskSuccessResumesWithTheOutput) {
  TestEngine t;
  Execution& run = t.Start(kApproval, R"({"date":"2024-01-01"})");
  t.RunFor(std::chrono::minutes(15));
  std::string token = LastToken(t.lambda());
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(t.lambda().calls[0].parameters["Payload"]["TaskToken"], token);
  EXPECT_EQ(run.status(), ExecutionStatus::kRunning);
  ASSERT_TRUE(t.emulator().SendTaskSuccess(token, R"({"approved":true})").ok());
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(*run.output(), nlohmann::ordered_json::parse(R"({"approved":true})"));
  EXPECT_EQ(Timeline(run),
            "ExecutionStarted@0 TaskStateEntered@0 TaskScheduled@0 TaskStarted@0 "
            "TaskSubmitted@0 TaskSucceeded@900 TaskStateExited@900 SucceedStateEntered@900 "
            "SucceedStateExited@900 ExecutionSucceeded@900");
  json::Status again = t.emulator().SendTaskSuccess(token, "{}");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().name, "TaskDoesNotExist");
}

TEST(TaskTokenTest, OneHourTimeoutFiresAtExactly3600Seconds) {
  TestEngine t;
  Execution& run = t.Start(kApproval, R"({"date":"2024-01-01"})");
  t.RunFor(std::chrono::minutes(29));
  ASSERT_TRUE(t.emulator().SendTaskHeartbeat(LastToken(t.lambda())).ok());
  t.RunFor(std::chrono::minutes(29));
  ASSERT_TRUE(t.emulator().SendTaskHeartbeat(LastToken(t.lambda())).ok());
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "ApprovalTimedOut");
  EXPECT_EQ(Timeline(run),
            "ExecutionStarted@0 TaskStateEntered@0 TaskScheduled@0 TaskStarted@0 "
            "TaskSubmitted@0 TaskTimedOut@3600 TaskStateExited@3600 FailStateEntered@3600 "
            "ExecutionFailed@3600");
  EXPECT_EQ(run.history()[5].details["error"], "States.Timeout");
  json::Status late = t.emulator().SendTaskSuccess(LastToken(t.lambda()), "{}");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().name, "TaskTimedOut");
}

TEST(TaskTokenTest, HeartbeatLapseIsHeartbeatTimeoutAt1800Seconds) {
  TestEngine t;
  Execution& run = t.Start(kApproval, R"({"date":"2024-01-01"})");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "ApprovalTimedOut") << "a Catch on States.Timeout catches it";
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::seconds(1800));
  const HistoryEvent& timed_out = run.history()[5];
  EXPECT_EQ(timed_out.type, "TaskTimedOut");
  EXPECT_EQ(timed_out.details["error"], "States.HeartbeatTimeout");
}

TEST(TaskTokenTest, SendTaskFailureFailsTheTaskWithItsError) {
  TestEngine t;
  Execution& run = t.Start(kApproval, R"({"date":"2024-01-01"})");
  t.RunFor(std::chrono::minutes(1));
  ASSERT_TRUE(t.emulator().SendTaskFailure(LastToken(t.lambda()), "Rejected", "no").ok());
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "Rejected");
  EXPECT_EQ(run.cause(), "no");
}

TEST(TaskTokenTest, UnknownTokensAndBadOutputAreRefused) {
  TestEngine t;
  json::Status s = t.emulator().SendTaskSuccess("nope", "{}");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().name, "InvalidToken");
  t.Start(kApproval, R"({"date":"x"})");
  t.RunFor(std::chrono::seconds(1));
  json::Status bad = t.emulator().SendTaskSuccess(LastToken(t.lambda()), "{not json");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().name, "InvalidOutput");
}

TEST(ActivityTest, WorkerPollsThenSucceeds) {
  TestEngine t;
  auto activity = t.emulator().CreateActivity("approve", {});
  ASSERT_TRUE(activity.ok());
  Execution& run = t.Start(std::string(R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":")") +
                               activity.value()->arn + R"(","HeartbeatSeconds":60,"End":true}}})",
                           R"({"x":1})");
  t.RunFor(std::chrono::seconds(10));
  std::optional<ActivityTask> got;
  t.engine().PollActivity(activity.value()->arn, "worker-1", [&](ActivityTask task) { got = task; });
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(nlohmann::ordered_json::parse(got->input), nlohmann::ordered_json::parse(R"({"x":1})"));
  t.RunFor(std::chrono::seconds(30));
  ASSERT_TRUE(t.emulator().SendTaskSuccess(got->task_token, R"({"done":1})").ok());
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(Timeline(run),
            "ExecutionStarted@0 TaskStateEntered@0 ActivityScheduled@0 ActivityStarted@10 "
            "ActivitySucceeded@40 TaskStateExited@40 ExecutionSucceeded@40");
  EXPECT_EQ(run.history()[3].details["workerName"], "worker-1");
}

TEST(ActivityTest, PollerWaitingBeforeTheTaskGetsIt) {
  TestEngine t;
  auto activity = t.emulator().CreateActivity("work", {});
  std::optional<ActivityTask> got;
  t.engine().PollActivity(activity.value()->arn, "w", [&](ActivityTask task) { got = task; });
  EXPECT_FALSE(got.has_value());
  t.Start(std::string(R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":")") +
          activity.value()->arn + R"(","End":true}}})");
  t.RunFor(std::chrono::seconds(1));
  EXPECT_TRUE(got.has_value());
}

TEST(TaskTimeoutTest, SyncTaskTimeoutIsInternalAndExact) {
  TestEngine t;
  t.glue().Script({Step{std::chrono::hours(5), nlohmann::ordered_json::object()}});
  Execution& run = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::glue:startJobRun.sync","Parameters":{"JobName":"j"},
      "TimeoutSeconds":7200,"End":true}}})");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.Timeout");
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::hours(2));
  EXPECT_EQ(t.glue().cancelled.size(), 1u) << "the timed-out job run is stopped";
}

}  // namespace
}  // namespace timeslip::engine
