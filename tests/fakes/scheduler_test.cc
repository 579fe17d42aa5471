// The fake EventBridge Scheduler: schedules starting executions on the virtual clock.
#include "fakes/scheduler.h"

#include <gtest/gtest.h>

#include <chrono>

#include "emulator/time/rfc3339.h"
#include "tests/support/test_engine.h"

namespace timeslip::fakes {
namespace {

using testing::TestEngine;

constexpr char kMissingArn[] = "arn:aws:states:us-east-1:123456789012:stateMachine:gone";

time::Instant At(std::string_view text) { return *time::ParseRfc3339(text); }

// A nightly machine that runs for 20 minutes.
struct Fixture {
  TestEngine t;
  std::string arn;
  Scheduler scheduler{t.emulator()};
  Fixture() {
    engine::CreateStateMachineParams params;
    params.name = "nightly";
    params.definition =
        R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1200,"End":true}}})";
    params.role_arn = std::string(TestEngine::kRole);
    arn = t.emulator().CreateStateMachine(std::move(params)).value()->arn;
  }
  ScheduleSpec Spec(std::string name, std::string expression) {
    ScheduleSpec spec;
    spec.name = std::move(name);
    spec.expression = std::move(expression);
    spec.state_machine_arn = arn;
    return spec;
  }
};

TEST(SchedulerTest, ThirtyNightsAtOneUtcInMilliseconds) {
  const auto wall_start = std::chrono::steady_clock::now();
  Fixture f;
  ScheduleSpec spec = f.Spec("nightly", "cron(0 1 * * ? *)");
  spec.input = R"({"run":"nightly"})";
  spec.max_firings = 30;
  json::Result<std::string> arn = f.scheduler.CreateSchedule(spec);
  ASSERT_TRUE(arn.ok()) << arn.error().message;
  EXPECT_EQ(arn.value(), "arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly");
  EXPECT_EQ(f.scheduler.NextFiring("nightly"), At("2024-01-01T01:00:00Z"));
  f.t.RunToCompletion();

  ASSERT_EQ(f.scheduler.firings().size(), 30u);
  const std::vector<engine::Execution*>& runs = f.t.engine().executions();
  ASSERT_EQ(runs.size(), 30u);
  for (int i = 0; i < 30; ++i) {
    const time::Instant want = At("2024-01-01T01:00:00Z") + std::chrono::days(i);
    const Firing& firing = f.scheduler.firings()[i];
    EXPECT_EQ(firing.at, want) << i;
    EXPECT_FALSE(firing.error) << i;
    const engine::Execution& run = *runs[i];
    EXPECT_EQ(run.arn(), firing.execution_arn);
    EXPECT_EQ(run.start_date(), want) << i;
    EXPECT_EQ(run.status(), engine::ExecutionStatus::kSucceeded) << i;
    EXPECT_EQ(run.input(), (nlohmann::ordered_json{{"run", "nightly"}}));
  }
  EXPECT_EQ(runs[0]->name(), "nightly-20240101T010000Z");
  EXPECT_EQ(runs[29]->name(), "nightly-20240130T010000Z");
  EXPECT_EQ(f.t.emulator().clock().Now(), At("2024-01-30T01:20:00Z"));
  EXPECT_EQ(f.scheduler.NextFiring("nightly"), std::nullopt);
  EXPECT_EQ(ToJson(f.scheduler.firings()[0]),
            nlohmann::ordered_json::parse(R"({"schedule":"nightly","at":"2024-01-01T01:00:00.000Z",
                "executionArn":"arn:aws:states:us-east-1:123456789012:execution:nightly:nightly-20240101T010000Z"})"));
  EXPECT_LT(std::chrono::steady_clock::now() - wall_start, std::chrono::seconds(1));
}

TEST(SchedulerTest, EndDateBoundsACronSchedule) {
  Fixture f;
  ScheduleSpec spec = f.Spec("nightly", "cron(0 1 * * ? *)");
  spec.end_date = At("2024-01-31T01:00:00Z");  // firings strictly before it
  ASSERT_TRUE(f.scheduler.CreateSchedule(spec).ok());
  f.t.RunToCompletion();
  ASSERT_EQ(f.scheduler.firings().size(), 30u);
  EXPECT_EQ(f.scheduler.firings().back().at, At("2024-01-30T01:00:00Z"));
}

TEST(SchedulerTest, RateRunsFromItsStartDateUntilItsEndDate) {
  Fixture f;
  ScheduleSpec spec = f.Spec("hourly", "rate(1 hour)");
  spec.start_date = At("2024-01-01T05:00:00Z");
  spec.end_date = At("2024-01-01T08:00:00Z");
  ASSERT_TRUE(f.scheduler.CreateSchedule(spec).ok());
  f.t.RunToCompletion();
  ASSERT_EQ(f.scheduler.firings().size(), 3u);
  EXPECT_EQ(f.scheduler.firings()[0].at, At("2024-01-01T05:00:00Z"));
  EXPECT_EQ(f.scheduler.firings()[2].at, At("2024-01-01T07:00:00Z"));
}

TEST(SchedulerTest, RateWithoutStartDateFiresAtOnce) {
  Fixture f;
  ScheduleSpec spec = f.Spec("often", "rate(5 minutes)");
  spec.max_firings = 3;
  ASSERT_TRUE(f.scheduler.CreateSchedule(spec).ok());
  f.t.RunToCompletion();
  ASSERT_EQ(f.scheduler.firings().size(), 3u);
  EXPECT_EQ(f.scheduler.firings()[0].at, At("2024-01-01T00:00:00Z"));
  EXPECT_EQ(f.scheduler.firings()[2].at, At("2024-01-01T00:10:00Z"));
}

TEST(SchedulerTest, AtFiresOnceInItsTimeZone) {
  Fixture f;
  ScheduleSpec spec = f.Spec("once", "at(2024-01-05T10:00:00)");
  spec.timezone = "America/New_York";
  ASSERT_TRUE(f.scheduler.CreateSchedule(spec).ok());
  f.t.RunToCompletion();
  ASSERT_EQ(f.scheduler.firings().size(), 1u);
  EXPECT_EQ(f.scheduler.firings()[0].at, At("2024-01-05T15:00:00Z"));
  EXPECT_EQ(f.t.engine().executions()[0]->name(), "once-20240105T150000Z");
}

TEST(SchedulerTest, LondonWeekdayMorningsFollowDaylightSavingTime) {
  Fixture f;
  ScheduleSpec spec = f.Spec("mornings", "cron(0 9 ? * MON-FRI *)");
  spec.timezone = "Europe/London";
  spec.start_date = At("2024-03-28T00:00:00Z");
  spec.max_firings = 3;
  ASSERT_TRUE(f.scheduler.CreateSchedule(spec).ok());
  f.t.RunToCompletion();
  ASSERT_EQ(f.scheduler.firings().size(), 3u);
  EXPECT_EQ(f.scheduler.firings()[0].at, At("2024-03-28T09:00:00Z"));
  EXPECT_EQ(f.scheduler.firings()[1].at, At("2024-03-29T09:00:00Z"));
  EXPECT_EQ(f.scheduler.firings()[2].at, At("2024-04-01T08:00:00Z"));  // 09:00 BST
}

TEST(SchedulerTest, AFailedStartIsRecordedAndTheScheduleCarriesOn) {
  Fixture f;
  ScheduleSpec spec = f.Spec("broken", "rate(1 day)");
  spec.state_machine_arn = kMissingArn;
  spec.max_firings = 2;
  ASSERT_TRUE(f.scheduler.CreateSchedule(spec).ok());
  f.t.RunToCompletion();
  ASSERT_EQ(f.scheduler.firings().size(), 2u);
  for (const Firing& firing : f.scheduler.firings()) {
    ASSERT_TRUE(firing.error);
    EXPECT_EQ(firing.error->name, "StateMachineDoesNotExist");
    EXPECT_EQ(firing.execution_arn, "");
  }
}

TEST(SchedulerTest, DeleteStopsFiringAndDisabledNeverFires) {
  Fixture f;
  ASSERT_TRUE(f.scheduler.CreateSchedule(f.Spec("nightly", "cron(0 1 * * ? *)")).ok());
  ScheduleSpec off = f.Spec("off", "rate(1 minute)");
  off.enabled = false;
  ASSERT_TRUE(f.scheduler.CreateSchedule(off).ok());
  f.t.RunFor(std::chrono::hours(50));
  EXPECT_EQ(f.scheduler.firings().size(), 3u);  // 1, 2 and 3 January at 01:00
  ASSERT_TRUE(f.scheduler.DeleteSchedule("nightly").ok());
  f.t.RunToCompletion();
  EXPECT_EQ(f.scheduler.firings().size(), 3u);
  EXPECT_EQ(f.scheduler.DeleteSchedule("nightly").error().name, "ResourceNotFoundException");
  // The name is free again.
  ScheduleSpec again = f.Spec("nightly", "at(2024-02-01T00:00:00)");
  EXPECT_TRUE(f.scheduler.CreateSchedule(again).ok());
}

struct CreateErrorCase {
  const char* what;
  ScheduleSpec spec;
  const char* want;
};

TEST(SchedulerTest, CreateErrorsAsTheSchedulerApiNamesThem) {
  Fixture f;
  ASSERT_TRUE(f.scheduler.CreateSchedule(f.Spec("taken", "rate(1 day)")).ok());
  auto with = [&](std::string name, std::string expression, auto change) {
    ScheduleSpec spec = f.Spec(std::move(name), std::move(expression));
    change(spec);
    return spec;
  };
  const CreateErrorCase cases[] = {
      {"taken", f.Spec("taken", "rate(2 days)"), "ConflictException"},
      {"bad expression", f.Spec("x", "cron(0 1 * * * *)"), "ValidationException"},
      {"bad zone", with("x", "rate(1 day)", [](ScheduleSpec& s) { s.timezone = "Nowhere/City"; }),
       "ValidationException"},
      {"empty name", f.Spec("", "rate(1 day)"), "ValidationException"},
      {"bad name", f.Spec("a b", "rate(1 day)"), "ValidationException"},
      {"long name", f.Spec(std::string(65, 'a'), "rate(1 day)"), "ValidationException"},
      {"bad input", with("x", "rate(1 day)", [](ScheduleSpec& s) { s.input = "{nope"; }),
       "ValidationException"},
      {"end before start",
       with("x", "rate(1 day)",
            [](ScheduleSpec& s) {
              s.start_date = At("2024-02-01T00:00:00Z");
              s.end_date = At("2024-01-01T00:00:00Z");
            }),
       "ValidationException"},
      {"no firings", with("x", "rate(1 day)", [](ScheduleSpec& s) { s.max_firings = 0; }),
       "ValidationException"},
  };
  for (const CreateErrorCase& c : cases) {
    json::Result<std::string> got = f.scheduler.CreateSchedule(c.spec);
    ASSERT_FALSE(got.ok()) << c.what;
    EXPECT_EQ(got.error().name, c.want) << c.what << ": " << got.error().message;
  }
  json::Result<std::string> bad = f.scheduler.CreateSchedule(f.Spec("y", "rate(1 week)"));
  EXPECT_NE(bad.error().message.find("rate(1 week)"), std::string::npos) << bad.error().message;
  // Nothing half-created: the valid schedule still works and the names are free.
  EXPECT_TRUE(f.scheduler.CreateSchedule(f.Spec("x", "rate(1 day)")).ok());
}

TEST(SchedulerTest, LongScheduleNamesStillMakeValidExecutionNames) {
  Fixture f;
  ScheduleSpec spec = f.Spec(std::string(64, 'n'), "at(2024-01-01T03:00:00)");
  ASSERT_TRUE(f.scheduler.CreateSchedule(spec).ok());
  f.t.RunToCompletion();
  ASSERT_EQ(f.scheduler.firings().size(), 1u);
  ASSERT_FALSE(f.scheduler.firings()[0].error) << f.scheduler.firings()[0].error->message;
  EXPECT_EQ(f.t.engine().executions()[0]->name(), std::string(63, 'n') + "-20240101T030000Z");
}

}  // namespace
}  // namespace timeslip::fakes
