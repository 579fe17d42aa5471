// Parallel and inline Map: results in order, concurrency, the first failure stopping the rest.
#include <gtest/gtest.h>

#include "tests/support/test_engine.h"

namespace timeslip::engine {
namespace {

using testing::EventTypes;
using testing::Step;
using testing::TestEngine;
using testing::Timeline;

TEST(ParallelStateTest, RunsBranchesConcurrentlyAndKeepsBranchOrder) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
      {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":30,"Next":"A2"},
                               "A2":{"Type":"Pass","Result":"a","End":true}}},
      {"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":10,"Next":"B2"},
                               "B2":{"Type":"Pass","Result":"b","End":true}}}],
      "ResultPath":"$.branches","End":true}}})",
                           R"({"x":1})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(), nlohmann::ordered_json::parse(R"({"x":1,"branches":["a","b"]})"));
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::seconds(30)) << "concurrent";
  EXPECT_EQ(Timeline(run),
            "ExecutionStarted@0 ParallelStateEntered@0 ParallelStateStarted@0 "
            "WaitStateEntered@0 WaitStateEntered@0 WaitStateExited@10 PassStateEntered@10 "
            "PassStateExited@10 WaitStateExited@30 PassStateEntered@30 PassStateExited@30 "
            "ParallelStateSucceeded@30 ParallelStateExited@30 ExecutionSucceeded@30");
}

TEST(ParallelStateTest, FirstBranchFailureStopsTheOthersAndCanBeCaught) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[
      {"StartAt":"Slow","States":{"Slow":{"Type":"Wait","Seconds":3600,"End":true}}},
      {"StartAt":"Bad","States":{"Bad":{"Type":"Fail","Error":"Broken","Cause":"x"}}}],
      "Catch":[{"ErrorEquals":["Broken"],"Next":"Recover"}],"End":true},
      "Recover":{"Type":"Pass","End":true}}})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::seconds(0))
      << "the slow branch was stopped, not waited for";
  EXPECT_EQ(EventTypes(run),
            "ExecutionStarted ParallelStateEntered ParallelStateStarted WaitStateEntered "
            "FailStateEntered ParallelStateFailed ParallelStateExited PassStateEntered "
            "PassStateExited ExecutionSucceeded");
  EXPECT_EQ((*run.output())["Error"], "Broken");
}

TEST(MapStateTest, ItemsSelectorContextAndOrderedResults) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
      "ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index","tag.$":"$.tag"},
      "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"W","States":{
          "W":{"Type":"Wait","SecondsPath":"$.v","Next":"Out"},
          "Out":{"Type":"Pass","Parameters":{"v.$":"$.v","i.$":"$.i","t.$":"$.tag"},"End":true}}},
      "End":true}}})",
                           R"({"items":[3,1,2],"tag":"z"})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(), nlohmann::ordered_json::parse(
                               R"([{"v":3,"i":0,"t":"z"},{"v":1,"i":1,"t":"z"},{"v":2,"i":2,"t":"z"}])"));
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::seconds(3));
  EXPECT_EQ(run.history()[2].type, "MapStateStarted");
  EXPECT_EQ(run.history()[2].details["length"], 3);
}

TEST(MapStateTest, MaxConcurrencyOneRunsItemsOneAfterAnother) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
      "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}},
      "End":true}}})",
                           "[1,2,3]");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::seconds(30));
}

TEST(MapStateTest, FailedIterationFailsTheMap) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"M","States":{"M":{"Type":"Map",
      "ItemProcessor":{"StartAt":"C","States":{
          "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"Bad"}],
               "Default":"Ok"},
          "Bad":{"Type":"Fail","Error":"ItemFailed"},
          "Ok":{"Type":"Wait","Seconds":5,"End":true}}},
      "End":true}}})",
                           "[1,2,3]");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "ItemFailed");
  std::string types = EventTypes(run);
  EXPECT_NE(types.find("MapIterationFailed"), std::string::npos) << types;
  EXPECT_NE(types.find("MapIterationAborted"), std::string::npos) << types;
  EXPECT_NE(types.find("MapStateFailed"), std::string::npos) << types;
}

TEST(MapStateTest, EmptyArraySucceedsWithEmptyResult) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"M","States":{"M":{"Type":"Map",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})",
                           "[]");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(*run.output(), nlohmann::ordered_json::array());
}

TEST(MapStateTest, ItemsPathNotAnArrayIsStatesRuntime) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.x",
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})",
                           R"({"x":{"a":1}})");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.Runtime");
}

}  // namespace
}  // namespace timeslip::engine
