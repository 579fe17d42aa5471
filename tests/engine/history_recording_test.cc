// What an execution keeps of itself: Standard executions a history, Express ones none (AWS keeps
// none; their log is the record), unless asked; ends heard either way; Express executions let go
// of once ended when the engine is told to; inputs moved, not copied, yet still there for a
// redrive.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/support/test_engine.h"

namespace timeslip::engine {
namespace {

using testing::EventTypes;
using testing::TestEngine;

constexpr std::string_view kLoop = R"json({"StartAt":"Check","States":{
    "Check":{"Type":"Choice","Choices":[{"Variable":"$.i","NumericLessThan":3,"Next":"Inc"}],
             "Default":"Done"},
    "Inc":{"Type":"Pass","Parameters":{"i.$":"States.MathAdd($.i, 1)"},"Next":"Check"},
    "Done":{"Type":"Succeed"}}})json";

TEST(HistoryRecordingTest, ExpressKeepsNoHistoryAndTellsListenersNothing) {
  TestEngine t;
  int events = 0;
  std::vector<std::string> ended;
  t.engine().AddListener([&](const Execution&, const HistoryEvent&) { ++events; });
  t.engine().AddEndListener([&](const Execution& e) {
    ended.push_back(std::string(StatusName(e.status())));
  });
  Execution& run = t.Start(kLoop, R"({"i":0})", MachineType::kExpress);
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.error() << run.cause();
  EXPECT_EQ(*run.output(), nlohmann::ordered_json({{"i", 3}}));
  EXPECT_FALSE(run.records_history());
  EXPECT_TRUE(run.history().empty());
  EXPECT_EQ(events, 0);
  EXPECT_EQ(ended, std::vector<std::string>{"SUCCEEDED"});  // status set before the end is told
  // The ids count on as if recorded: Started, 4 Choice and 3 Pass states entered and exited,
  // Succeed entered and exited, Succeeded.
  EXPECT_EQ(run.event_count(), 1 + 2 * 4 + 2 * 3 + 2 + 1);
}

TEST(HistoryRecordingTest, StandardKeepsItsHistoryAndHearsItsEnd) {
  TestEngine t;
  int events = 0, ends = 0;
  t.engine().AddListener([&](const Execution&, const HistoryEvent&) { ++events; });
  t.engine().AddEndListener([&](const Execution&) { ++ends; });
  Execution& run = t.Start(kLoop, R"({"i":0})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(static_cast<std::int64_t>(run.history().size()), run.event_count());
  EXPECT_EQ(events, run.event_count());
  EXPECT_EQ(ends, 1);
  // The Choice's Exited event carries its output, as every state's does.
  EXPECT_EQ(run.history()[2].type, "ChoiceStateExited");
  EXPECT_EQ(run.history()[2].details["output"], R"({"i":0})");
  EXPECT_EQ(run.history()[3].details["input"], R"({"i":0})");
}

TEST(HistoryRecordingTest, ExpressRecordsWhenAskedAsStandardDoes) {
  TestEngine standard;
  Execution& want = standard.Start(kLoop, R"({"i":0})");
  standard.RunToCompletion();
  TestEngine t;
  t.engine().set_record_express_history(true);
  Execution& run = t.Start(kLoop, R"({"i":0})", MachineType::kExpress);
  t.RunToCompletion();
  EXPECT_TRUE(run.records_history());
  EXPECT_EQ(EventTypes(run), EventTypes(want));
}

TEST(HistoryRecordingTest, RuntimeCausesNameTheSameEventIdsWithoutAHistory) {
  constexpr std::string_view kBadWait = R"({"StartAt":"P","States":{
      "P":{"Type":"Pass","Next":"W"},
      "W":{"Type":"Wait","SecondsPath":"$.nope","End":true}}})";
  TestEngine standard;
  Execution& want = standard.Start(kBadWait);
  standard.RunToCompletion();
  TestEngine t;
  Execution& run = t.Start(kBadWait, "{}", MachineType::kExpress);
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), want.error());
  EXPECT_EQ(run.cause(), want.cause());
  EXPECT_NE(run.cause().find("(entered at the event id #4)"), std::string::npos) << run.cause();
}

TEST(HistoryRecordingTest, ReleasedExpressExecutionsAreForgottenOnceEnded) {
  TestEngine t;
  t.engine().set_release_ended_express(true);
  std::string heard;
  t.engine().AddEndListener([&](const Execution& e) {
    // Still there, and ended, when the end is told, and for what the listener posts.
    t.engine().Post([&, arn = e.arn()] {
      Execution* still = t.engine().Find(arn);
      heard = still == nullptr ? "gone" : std::string(StatusName(still->status()));
    });
  });
  Execution& express = t.Start(kLoop, R"({"i":0})", MachineType::kExpress);
  const std::string express_arn = express.arn();
  Execution& standard = t.Start(kLoop, R"({"i":0})");
  EXPECT_EQ(t.engine().executions(), std::vector<Execution*>{&standard});
  t.RunToCompletion();
  EXPECT_EQ(heard, "SUCCEEDED");
  EXPECT_EQ(t.engine().Find(express_arn), nullptr);
  EXPECT_EQ(t.engine().Find(standard.arn()), &standard);
  EXPECT_EQ(standard.status(), ExecutionStatus::kSucceeded);
}

TEST(HistoryRecordingTest, ATakenInputIsStillWhatARedriveStartsWith) {
  // The Pass gives its input on to ResultPath (no Retry or Catch could read it again), then
  // fails on its OutputPath; the redrive must start it again with the input it entered with.
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"First","States":{
      "First":{"Type":"Pass","Result":{"n":2.5},"ResultPath":"$.r","Next":"P"},
      "P":{"Type":"Pass","Result":"x","ResultPath":"$.added","OutputPath":"$.nope","End":true}}})",
                           R"({"keep":[1,"é",{"z":null}]})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  ASSERT_TRUE(t.emulator().RedriveExecution(run.arn()).ok());
  t.RunToCompletion();
  std::vector<std::string> inputs;
  for (const HistoryEvent& e : run.history()) {
    if (e.type == "PassStateEntered" && e.details["name"] == "P") {
      inputs.push_back(e.details["input"].get<std::string>());
    }
  }
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0], R"({"keep":[1,"é",{"z":null}],"r":{"n":2.5}})");
  EXPECT_EQ(inputs[1], inputs[0]);
}

TEST(HistoryRecordingTest, IterationStatesReadTheirMapItemFromTheContext) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass",
        "Parameters":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value","self.$":"$"},
        "End":true}}},
      "End":true}}})",
                           R"({"xs":["a",{"b":1}]})", MachineType::kExpress);
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(),
            nlohmann::ordered_json::parse(
                R"([{"i":0,"v":"a","self":"a"},{"i":1,"v":{"b":1},"self":{"b":1}}])"));
}

}  // namespace
}  // namespace timeslip::engine
