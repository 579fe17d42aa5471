#include "emulator/engine/event_types.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <set>
#include <string_view>

#include "tests/support/test_engine.h"

namespace timeslip::engine {
namespace {

using testing::Step;
using testing::TestEngine;

bool IsKnown(std::string_view type) {
  const auto& all = event_type::kAllEventTypes;
  return std::find(std::begin(all), std::end(all), type) != std::end(all);
}

TEST(EventTypesTest, AllAreDistinctAndOnlyFourEndAnExecution) {
  std::set<std::string_view> seen(std::begin(event_type::kAllEventTypes),
                                  std::end(event_type::kAllEventTypes));
  EXPECT_EQ(seen.size(), std::size(event_type::kAllEventTypes));
  EXPECT_EQ(seen.size(), 62u);  // AWS's HistoryEventType enum
  std::set<std::string_view> terminal;
  for (std::string_view type : event_type::kAllEventTypes) {
    if (event_type::IsTerminal(type)) terminal.insert(type);
  }
  EXPECT_EQ(terminal, (std::set<std::string_view>{"ExecutionAborted", "ExecutionFailed",
                                                  "ExecutionSucceeded", "ExecutionTimedOut"}));
  EXPECT_FALSE(event_type::IsTerminal("ExecutionRedriven"));
  EXPECT_FALSE(event_type::IsTerminal("NotAnEvent"));
}

TEST(EventTypesTest, EveryEventRecordedIsInTheList) {
  TestEngine t;
  t.lambda().Script({Step{std::chrono::seconds(1), json::Error{"Flaky", "x"}},
                     Step{std::chrono::seconds(1), nlohmann::ordered_json{{"ok", true}}}});
  Execution& run = t.Start(R"({"StartAt":"P","States":{
      "P":{"Type":"Pass","Next":"C"},
      "C":{"Type":"Choice","Choices":[{"Variable":"$.go","BooleanEquals":true,"Next":"W"}],
           "Default":"W"},
      "W":{"Type":"Wait","Seconds":5,"Next":"Par"},
      "Par":{"Type":"Parallel","Branches":[
        {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{
          "StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}}},
        {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{},"Retry":[{"ErrorEquals":["Flaky"]}],"End":true}}}],
       "Next":"F"},
      "F":{"Type":"Fail","Error":"Done"}}})",
                           R"({"go":true,"items":[1,2]})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  ASSERT_GT(run.history().size(), 20u);
  for (const HistoryEvent& event : run.history()) EXPECT_TRUE(IsKnown(event.type)) << event.type;
  EXPECT_TRUE(event_type::IsTerminal(run.history().back().type));
}

}  // namespace
}  // namespace timeslip::engine
