// The nightly pipeline's timings, exactly: when each fake was called, with which retry attempt,
// and when the approval's timeouts fire. The scenario files assert outcomes and duration bounds;
// these tests pin the offsets the Retry back-off and TimeoutSeconds/HeartbeatSeconds imply.

#include "tests/integration/nightly_pipeline.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace timeslip::integration {
namespace {

using std::chrono::minutes;

constexpr std::string_view kHttpTarget = "GET https://fx.example.com/v1/rates";

// Milliseconds since 01:00 UTC of every call to `service`/`target`, with the Task's attempt.
struct CallAt {
  std::int64_t ms;
  int attempt;
  friend bool operator==(const CallAt&, const CallAt&) = default;
};
std::ostream& operator<<(std::ostream& os, const CallAt& c) {
  return os << "{" << c.ms << "ms, attempt " << c.attempt << "}";
}

class Night {
 public:
  explicit Night(std::string_view overrides = "{}") : pipeline_(1, overrides) {
    run_ = &pipeline_.Start("2024-01-01");
  }
  // The approver answers `after` the request went out (never, for a negative `after`).
  void Approve(time::Duration after) {
    ASSERT_TRUE(pipeline_.RunUntilApprovalWaits()) << EnteredStates(*run_);
    pipeline_.RunFor(pipeline_.ApprovalSubmittedAt() + after - Now());
    json::Status ok =
        pipeline_.emulator().SendTaskSuccess(pipeline_.ApprovalToken(), R"({"approved": true})");
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    pipeline_.RunToCompletion();
  }

  std::vector<CallAt> Calls(std::string_view service, std::string_view target) const {
    std::vector<CallAt> out;
    for (const fakes::Call* c : pipeline_.fakes().calls().Filter(service, target)) {
      out.push_back({MsSinceOne(c->at), c->attempt});
    }
    return out;
  }
  std::int64_t MsSinceOne(time::Instant at) const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(at - One()).count();
  }
  // When the last event of `type` was recorded, in ms since 01:00.
  std::int64_t LastEventMs(std::string_view type) const {
    std::int64_t at = -1;
    for (const engine::HistoryEvent& e : run_->history()) {
      if (e.type == type) at = MsSinceOne(e.timestamp);
    }
    return at;
  }
  std::int64_t DurationMs() const {
    return run_->stop_date() ? MsSinceOne(*run_->stop_date()) : -1;
  }
  time::Instant Now() { return pipeline_.emulator().clock().Now(); }
  static time::Instant One() {
    return time::Instant{} + std::chrono::milliseconds(1704070800000);  // 2024-01-01T01:00:00Z
  }

  NightlyPipeline& pipeline() { return pipeline_; }
  engine::Execution& run() { return *run_; }
  std::string Status() const { return std::string(engine::StatusName(run_->status())); }

 private:
  NightlyPipeline pipeline_;
  engine::Execution* run_;
};

TEST(NightlyPipelineTest, HappyPathCallsEachJobOnceAtItsOffset) {
  Night night;
  night.Approve(minutes(15));
  EXPECT_EQ(night.Status(), "SUCCEEDED") << night.run().error() << ": " << night.run().cause();
  struct Want {
    std::string_view service, target;
    std::int64_t ms;
  };
  const Want kWant[] = {
      {"glue", "extract-orders", 0},
      {"glue", "extract-inventory", 0},
      {"glue", "transform-orders", 2'100'000},            // extract-orders: 35 min
      {"http", kHttpTarget, 5'100'000},                   // transform-orders: 50 min
      {"glue", "join-fact-dim", 5'100'800},               // the FX call: 800 ms
      {"glue", "apply-fx", 6'900'800},                    // join: 30 min
      {"dataQuality", "nightly-orders-fact", 7'800'800},  // apply-fx: 15 min
      {"lambda", "send-approval-request", 8'280'800},     // DQ: 8 min, polled every 2
      {"glue", "publish-to-warehouse", 9'182'800},        // Lambda 2 s + approver 15 min
      {"lambda", "notify-stakeholders", 10'382'800},      // publish: 20 min
  };
  for (const Want& w : kWant) {
    EXPECT_EQ(night.Calls(w.service, w.target), (std::vector<CallAt>{{w.ms, 0}})) << w.target;
  }
  EXPECT_TRUE(night.Calls("sns", "").empty());
  EXPECT_EQ(night.DurationMs(), 10'383'800);
  EXPECT_EQ(night.run().output()->at("publish").at("JobRunState"), "SUCCEEDED");
}

TEST(NightlyPipelineTest, TransformOrdersRetriesAfter30ThenAfter60Seconds) {
  Night night(R"({"glue": {"transform-orders": [
      {"latency": "12m", "error": "SparkExecutorLost", "cause": "executor lost", "repeat": 2},
      {"latency": "50m"}]}})");
  night.Approve(minutes(15));
  EXPECT_EQ(night.Status(), "SUCCEEDED");
  // Fails at +12 min, retried 30 s later; fails again, retried 60 s later (BackoffRate 2).
  EXPECT_EQ(night.Calls("glue", "transform-orders"),
            (std::vector<CallAt>{{2'100'000, 0}, {2'850'000, 1}, {3'630'000, 2}}));
  EXPECT_EQ(night.Calls("http", kHttpTarget), (std::vector<CallAt>{{6'630'000, 0}}));
  EXPECT_EQ(EnteredStates(night.run()).find("HandleFailure"), std::string::npos);
}

TEST(NightlyPipelineTest, TransformOrdersFailingForGoodIsCaughtByHandleFailure) {
  Night night(R"({"glue": {"transform-orders": {"latency": "12m", "error": "SparkExecutorLost",
                                                 "cause": "executor lost"}}})");
  night.pipeline().RunToCompletion();
  EXPECT_EQ(night.Status(), "FAILED");
  EXPECT_EQ(night.run().error(), "TransformOrdersFailed");
  EXPECT_EQ(night.Calls("glue", "transform-orders").size(), 3u);  // MaxAttempts 2
  EXPECT_EQ(night.Calls("sns", "").size(), 1u);
  EXPECT_EQ(night.Calls("glue", "join-fact-dim").size(), 0u);
}

TEST(NightlyPipelineTest, FxApiRetriesOn503WithBackOff) {
  struct Case {
    std::string_view name, http;
    std::vector<CallAt> want_calls;
    std::string_view want_fx_source;
  };
  const Case kCases[] = {
      {"503 twice then 200",
       R"([{"latency": "300ms", "status": 503, "repeat": 2},
           {"latency": "800ms", "status": 200, "body": {"date": "2024-01-01", "rates": {}}}])",
       {{5'100'000, 0}, {5'105'300, 1}, {5'115'600, 2}},
       "fx-api"},
      {"503 for good",
       R"({"latency": "300ms", "status": 503})",
       {{5'100'000, 0}, {5'105'300, 1}, {5'115'600, 2}, {5'135'900, 3}},
       "yesterday"},
  };
  for (const Case& c : kCases) {
    Night night(std::string(R"({"http": {"GET https://fx.example.com/v1/rates": )") +
                std::string(c.http) + "}}");
    night.Approve(minutes(15));
    EXPECT_EQ(night.Status(), "SUCCEEDED") << c.name;
    EXPECT_EQ(night.Calls("http", kHttpTarget), c.want_calls) << c.name;
    const std::vector<const fakes::Call*> apply =
        night.pipeline().fakes().calls().Filter("glue", "apply-fx");
    ASSERT_EQ(apply.size(), 1u) << c.name;
    EXPECT_EQ(apply[0]->arguments["Arguments"]["--fx-source"], c.want_fx_source) << c.name;
  }
}

TEST(NightlyPipelineTest, ApprovalTimesOutExactlyOneHourAfterItWasScheduled) {
  Night night;
  ASSERT_TRUE(night.pipeline().RunUntilApprovalWaits());
  const std::string token = night.pipeline().ApprovalToken();
  const std::int64_t scheduled = night.LastEventMs("TaskScheduled");
  EXPECT_EQ(scheduled, 8'280'800);
  // The approval service heartbeats every 20 minutes; nobody approves.
  for (int i = 0; i < 2; ++i) {
    night.pipeline().RunFor(minutes(20));
    json::Status beat = night.pipeline().emulator().SendTaskHeartbeat(token);
    ASSERT_TRUE(beat.ok()) << i << ": " << beat.error().message;
  }
  night.pipeline().RunToCompletion();
  EXPECT_EQ(night.Status(), "FAILED");
  EXPECT_EQ(night.run().error(), "States.Timeout");
  EXPECT_EQ(night.LastEventMs("TaskTimedOut") - scheduled, 3'600'000);
  EXPECT_NE(EnteredStates(night.run()).find("ManualApproval ApprovalTimedOut NotifyFailure"),
            std::string::npos)
      << EnteredStates(night.run());
  EXPECT_TRUE(night.Calls("glue", "publish-to-warehouse").empty());
  // The token is spent: a late answer is refused.
  json::Status late = night.pipeline().emulator().SendTaskSuccess(token, "{}");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().name, "TaskTimedOut");
}

// The Catch on States.Timeout also catches a heartbeat timeout, as on AWS: ApprovalTimedOut, then
// NotifyFailure. The wait ends 30 minutes in and nothing is published.
TEST(NightlyPipelineTest, SilentApproverTimesOutOnTheHeartbeatAfter30Minutes) {
  Night night;
  night.pipeline().RunToCompletion();
  EXPECT_EQ(night.Status(), "FAILED");
  // ManualApproval is scheduled at 8'280'800 ms past 01:00 (see the test above).
  EXPECT_EQ(night.LastEventMs("TaskTimedOut"), 8'280'800 + 1'800'000);
  EXPECT_EQ(night.run().error(), "States.HeartbeatTimeout");
  EXPECT_NE(EnteredStates(night.run()).find("ManualApproval ApprovalTimedOut NotifyFailure"),
            std::string::npos)
      << EnteredStates(night.run());
  EXPECT_EQ(night.DurationMs(), 10'080'800);
  EXPECT_TRUE(night.Calls("glue", "publish-to-warehouse").empty());
}

TEST(NightlyPipelineTest, StoppingTheExecutionStopsTheRunningGlueJob) {
  Night night;
  night.pipeline().RunFor(Night::One() + minutes(90) - night.Now());  // 02:30
  json::Status stopped = night.pipeline().emulator().StopExecution(
      night.run().arn(), "OperatorStopped", "rerun after 04:00");
  ASSERT_TRUE(stopped.ok()) << stopped.error().message;
  night.pipeline().RunToCompletion();
  EXPECT_EQ(night.Status(), "ABORTED");
  EXPECT_EQ(night.DurationMs(), 5'400'000);
  std::vector<const fakes::JobRun*> runs = night.pipeline().fakes().glue().Runs("join-fact-dim");
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]->state, "STOPPED");
  EXPECT_TRUE(night.Calls("glue", "apply-fx").empty());
}

}  // namespace
}  // namespace timeslip::integration
