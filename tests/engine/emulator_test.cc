// The Emulator's catalog: state machine revisions, the catalog version, and the limits it checks.
#include "emulator/engine/emulator.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "emulator/engine/limits.h"
#include "tests/support/test_engine.h"

namespace timeslip::engine {
namespace {

using testing::Step;
using testing::TestEngine;

constexpr std::string_view kWaitMachine =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}})";
constexpr std::string_view kPassMachine =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":"new","End":true}}})";
constexpr std::string_view kOtherRole = "arn:aws:iam::123456789012:role/other";

TEST(MachineRevisionTest, AnExecutionKeepsTheRevisionItStartedOn) {
  TestEngine t;
  Execution& old_run = t.Start(kWaitMachine);
  const std::string arn = old_run.state_machine_arn();
  const std::string old_revision = t.emulator().DescribeStateMachine(arn).value()->revision_id;
  ASSERT_TRUE(t.emulator()
                  .UpdateStateMachine(arn, std::string(kPassMachine), std::string(kOtherRole))
                  .ok());
  ASSERT_TRUE(t.emulator().TagResource(arn, {{"team", "data"}}).ok());

  const StateMachineRecord& now = *t.emulator().DescribeStateMachine(arn).value();
  EXPECT_EQ(now.definition, kPassMachine);
  EXPECT_NE(now.revision_id, old_revision);
  EXPECT_EQ(now.tags.at("team"), "data");

  ASSERT_NE(old_run.machine_record(), nullptr);
  const StateMachineRecord& then = *old_run.machine_record();
  EXPECT_EQ(then.arn, arn);
  EXPECT_EQ(then.name, old_run.state_machine_name());
  EXPECT_EQ(then.definition, kWaitMachine);
  EXPECT_EQ(then.revision_id, old_revision);
  EXPECT_EQ(then.role_arn, TestEngine::kRole);
  EXPECT_FALSE(then.update_date.has_value());
  EXPECT_TRUE(then.tags.empty());

  StartExecutionParams start;
  start.state_machine_arn = arn;
  start.name = "after-update";
  Execution& new_run = *t.emulator().StartExecution(start).value();
  EXPECT_EQ(new_run.machine_record()->revision_id, now.revision_id);
  t.RunToCompletion();
  EXPECT_EQ(old_run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(*old_run.stop_date() - old_run.start_date(), std::chrono::seconds(60))
      << "it ran the definition it started with";
  EXPECT_EQ(*new_run.output(), "new");
}

TEST(MachineRevisionTest, RedriveKeepsTheOriginalRevision) {
  TestEngine t;
  t.lambda().Script({Step{std::chrono::seconds(1), json::Error{"Flaky", "down"}},
                     Step{std::chrono::seconds(1), nlohmann::ordered_json{{"ok", true}}}});
  Execution& run = t.Start(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","Parameters":{},"End":true}}})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  std::shared_ptr<const StateMachineRecord> started_on = run.machine_record();
  ASSERT_TRUE(
      t.emulator()
          .UpdateStateMachine(run.state_machine_arn(), std::string(kPassMachine), std::nullopt)
          .ok());
  ASSERT_TRUE(t.emulator().RedriveExecution(run.arn()).ok());
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(run.machine_record(), started_on);
  EXPECT_EQ(t.lambda().calls.size(), 2u) << "the redrive ran the Task of the old definition";
}

TEST(CatalogVersionTest, MovesOnlyWhenTheCatalogChanges) {
  TestEngine t;
  Emulator& e = t.emulator();
  CreateStateMachineParams machine;
  machine.name = "m";
  machine.definition = std::string(kWaitMachine);
  machine.role_arn = std::string(TestEngine::kRole);
  const std::string arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
  const std::string activity = "arn:aws:states:us-east-1:123456789012:activity:a";
  struct Op {
    std::string_view what;
    std::function<void()> op;
    bool changes;
  };
  const Op ops[] = {
      {"create a machine", [&] { ASSERT_TRUE(e.CreateStateMachine(machine).ok()); }, true},
      {"create it again, the same", [&] { ASSERT_TRUE(e.CreateStateMachine(machine).ok()); },
       false},
      {"describe and list",
       [&] {
         ASSERT_TRUE(e.DescribeStateMachine(arn).ok());
         EXPECT_EQ(e.ListStateMachines().size(), 1u);
         ASSERT_TRUE(e.ListTagsForResource(arn).ok());
       },
       false},
      {"refused update", [&] { EXPECT_FALSE(e.UpdateStateMachine(arn, "{", std::nullopt).ok()); },
       false},
      {"update",
       [&] {
         ASSERT_TRUE(e.UpdateStateMachine(arn, std::string(kPassMachine), std::nullopt).ok());
       },
       true},
      {"start an execution",
       [&] {
         StartExecutionParams start;
         start.state_machine_arn = arn;
         ASSERT_TRUE(e.StartExecution(start).ok());
         e.RunToCompletion();
       },
       false},
      {"tag",
       [&] {
         ASSERT_TRUE(e.TagResource(arn, {{"k", "v"}}).ok());
       },
       true},
      {"untag", [&] { ASSERT_TRUE(e.UntagResource(arn, {"k"}).ok()); }, true},
      {"tag a missing resource",
       [&] {
         EXPECT_FALSE(e.TagResource(activity, {{"k", "v"}}).ok());
       },
       false},
      {"create an activity", [&] { ASSERT_TRUE(e.CreateActivity("a", {}).ok()); }, true},
      {"create it again", [&] { ASSERT_TRUE(e.CreateActivity("a", {}).ok()); }, false},
      {"tag the activity",
       [&] {
         ASSERT_TRUE(e.TagResource(activity, {{"k", "v"}}).ok());
       },
       true},
      {"untag the activity", [&] { ASSERT_TRUE(e.UntagResource(activity, {"k"}).ok()); }, true},
      {"delete the activity", [&] { ASSERT_TRUE(e.DeleteActivity(activity).ok()); }, true},
      {"delete it again", [&] { ASSERT_TRUE(e.DeleteActivity(activity).ok()); }, false},
      {"delete the machine", [&] { ASSERT_TRUE(e.DeleteStateMachine(arn).ok()); }, true},
      {"delete it again", [&] { ASSERT_TRUE(e.DeleteStateMachine(arn).ok()); }, false},
  };
  for (const Op& step : ops) {
    const std::uint64_t before = e.catalog_version();
    step.op();
    if (step.changes) {
      EXPECT_GT(e.catalog_version(), before) << step.what;
    } else {
      EXPECT_EQ(e.catalog_version(), before) << step.what;
    }
  }
}

TEST(TaskTokenLimitTest, TokensUpToAwsMaximumAreLookedUp) {
  TestEngine t;
  json::Status longest = t.emulator().SendTaskHeartbeat(std::string(kMaxTaskTokenLength, 'a'));
  ASSERT_FALSE(longest.ok());
  EXPECT_EQ(longest.error().name, "InvalidToken");
  EXPECT_EQ(longest.error().message.find("Length"), std::string::npos) << "looked up, not found";
  for (const std::string& token : {std::string(), std::string(kMaxTaskTokenLength + 1, 'a')}) {
    json::Status bad = t.emulator().SendTaskHeartbeat(token);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().name, "InvalidToken");
    EXPECT_NE(bad.error().message.find("Length"), std::string::npos) << token.size();
  }
}

}  // namespace
}  // namespace timeslip::engine
