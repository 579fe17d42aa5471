// Parallel and inline Map: results in order, concurrency, the first failure stopping the rest;
// the values MaxConcurrencyPath and ToleratedFailure*Path select, checked in AWS's words.
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
  EXPECT_EQ(*run.output(),
            nlohmann::ordered_json::parse(
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

// A Map over $.items whose extra fields are `fields` (JSON members, with a trailing comma).
std::string MapWith(std::string_view fields) {
  return std::string(R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",)") +
         std::string(fields) +
         R"("ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
         "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})";
}

struct PathValueCase {
  std::string_view field;  // the *Path field, reading $.v
  std::string_view value;  // JSON put at $.v
  std::string_view cause;  // after AWS's prefix; "" when the Map runs
};
constexpr PathValueCase kPathValueCases[] = {
    {"ToleratedFailurePercentagePath", "0", ""},
    {"ToleratedFailurePercentagePath", "100", ""},
    {"ToleratedFailurePercentagePath", "1.1", ""},
    {"ToleratedFailurePercentagePath", R"("1")", ""},
    {"ToleratedFailurePercentagePath", "-1",
     "ToleratedFailurePercentage must be between 0 and 100."},
    {"ToleratedFailurePercentagePath", "100.1",
     "ToleratedFailurePercentage must be between 0 and 100."},
    {"ToleratedFailurePercentagePath", R"("NoNumber")",
     R"(The ToleratedFailurePercentagePath field refers to value "NoNumber" which is not a valid float: $.v)"},
    {"ToleratedFailurePercentagePath", "{}",
     R"(The ToleratedFailurePercentagePath field refers to value "{}" which is not a valid float: $.v)"},
    {"ToleratedFailureCountPath", "0", ""},
    {"ToleratedFailureCountPath", R"("3")", ""},
    {"ToleratedFailureCountPath", "-1", "ToleratedFailureCount cannot be negative."},
    {"ToleratedFailureCountPath", "1.5",
     R"(The ToleratedFailureCountPath field refers to value "1.5" which is not a valid integer: $.v)"},
    {"ToleratedFailureCountPath", "[1]",
     R"(The ToleratedFailureCountPath field refers to value "[1]" which is not a valid integer: $.v)"},
    {"MaxConcurrencyPath", "0", ""},
    {"MaxConcurrencyPath", R"("1")", ""},
    {"MaxConcurrencyPath", "-2",
     "Expected non-negative integer for MaxConcurrency, got '-2' instead."},
    {"MaxConcurrencyPath", R"("two")",
     R"(The MaxConcurrencyPath field refers to value "two" which is not a valid integer: $.v)"},
    {"MaxConcurrencyPath", "null",
     R"(The MaxConcurrencyPath field refers to value "null" which is not a valid integer: $.v)"},
};

TEST(MapStateTest, PathFieldValuesAreCheckedAsAwsDoes) {
  for (const PathValueCase& c : kPathValueCases) {
    TestEngine t;
    std::string row = std::string(c.field) + "=" + std::string(c.value);
    Execution& run = t.Start(MapWith("\"" + std::string(c.field) + "\":\"$.v\","),
                             R"({"items":[0],"v":)" + std::string(c.value) + "}");
    t.RunToCompletion();
    if (c.cause.empty()) {
      EXPECT_EQ(run.status(), ExecutionStatus::kSucceeded) << row << ": " << run.cause();
      continue;
    }
    EXPECT_EQ(run.status(), ExecutionStatus::kFailed) << row;
    EXPECT_EQ(run.error(), "States.Runtime") << row;
    EXPECT_EQ(run.cause(),
              "An error occurred while executing the state 'M' (entered at the event id #2). " +
                  std::string(c.cause))
        << row;
  }
}

TEST(MapStateTest, FieldsNotRunHereAreRefusedNotIgnored) {
  struct NotRun {
    std::string_view name, member;
  };
  constexpr NotRun kNotRun[] = {
      {"ItemBatcher", R"("ItemBatcher":{"MaxItemsPerBatch":2},)"},
      {"ItemReader", R"("ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
                        "Parameters":{"Bucket":"b","Key":"k"}},)"},
      {"ResultWriter", R"("ResultWriter":{"Resource":"arn:aws:states:::s3:putObject",
                          "Parameters":{"Bucket":"b","Prefix":"p"}},)"},
  };
  for (const NotRun& c : kNotRun) {
    TestEngine t;
    Execution& run = t.Start(MapWith(c.member), R"({"items":[1,2,3]})");
    t.RunToCompletion();
    EXPECT_EQ(run.status(), ExecutionStatus::kFailed) << c.name;
    EXPECT_EQ(run.error(), "States.Runtime") << c.name;
    EXPECT_NE(run.cause().find("'" + std::string(c.name) + "'"), std::string::npos) << run.cause();
  }
}

TEST(MapStateTest, LegacyIteratorWithProcessorConfigRuns) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
      "ItemSelector":{"c":"k","v.$":"$$.Map.Item.Value"},
      "Iterator":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}},
                  "ProcessorConfig":{"Mode":"INLINE"}},"End":true}}})",
                           R"(["a","b"])");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(),
            nlohmann::ordered_json::parse(R"([{"c":"k","v":"a"},{"c":"k","v":"b"}])"));
}

// An ItemSelector failing for one item ends the Map once: no more iterations start (they were
// once written past the list of children the failure had cleared), and the started one stops.
TEST(MapStateTest, ItemSelectorFailingMidwayStopsTheMap) {
  TestEngine t;
  Execution& run = t.Start(R"({"StartAt":"M","States":{"M":{"Type":"Map",
      "ItemSelector":{"a.$":"$$.Map.Item.Value.a"},
      "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}},
      "End":true}}})",
                           R"([{"a":1},{"b":2},{"a":3},{"a":4}])");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.Runtime");
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::seconds(0))
      << "the first iteration was stopped, not waited for";
  EXPECT_EQ(EventTypes(run),
            "ExecutionStarted MapStateEntered MapStateStarted MapIterationStarted "
            "ExecutionFailed");
}

}  // namespace
}  // namespace timeslip::engine
