// Glue Data Quality through the aws-sdk integrations: start, poll, read the result.
#include "fakes/data_quality.h"

#include <gtest/gtest.h>

#include "tests/fakes/fakes_harness.h"

namespace timeslip::fakes {
namespace {

using engine::ExecutionStatus;

// The gate: start the evaluation, poll every minute until it is done, read the first result.
constexpr const char* kGate = R"({"StartAt":"Start","States":{
  "Start":{"Type":"Task",
    "Resource":"arn:aws:states:::aws-sdk:glue:startDataQualityRulesetEvaluationRun",
    "Parameters":{"DataSource":{"GlueTable":{"DatabaseName":"dw","TableName":"orders"}},
                  "Role":"arn:aws:iam::123456789012:role/dq","RulesetNames":["orders-ruleset"]},
    "ResultPath":"$.start","Next":"Wait"},
  "Wait":{"Type":"Wait","Seconds":60,"Next":"Poll"},
  "Poll":{"Type":"Task",
    "Resource":"arn:aws:states:::aws-sdk:glue:getDataQualityRulesetEvaluationRun",
    "Parameters":{"RunId.$":"$.start.RunId"},"ResultPath":"$.run","Next":"Done?"},
  "Done?":{"Type":"Choice","Choices":[
    {"Variable":"$.run.Status","StringEquals":"RUNNING","Next":"Wait"}],"Default":"Result"},
  "Result":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:glue:getDataQualityResult",
    "Parameters":{"ResultId.$":"$.run.ResultIds[0]"},"End":true}}})";

TEST(DataQualityTest, GateReadsTheScriptedScoreAndRules) {
  FakesHarness h(R"({"dataQuality": {"orders-ruleset": [{"latency": "3m", "score": 0.97,
      "rules": [{"name": "IsComplete \"id\"", "result": "PASS"},
                {"name": "ColumnValues \"amount\" > 0", "result": "FAIL",
                 "message": "3 rows failed"}]}]}})");
  engine::Execution& run = h.Run(kGate);
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.error() << run.cause();
  const nlohmann::ordered_json out = Output(run);
  EXPECT_DOUBLE_EQ(out["Score"].get<double>(), 0.97);
  EXPECT_EQ(out["RulesetName"], "orders-ruleset");
  EXPECT_EQ(out["RuleResults"], nlohmann::ordered_json::parse(R"([
      {"Name": "IsComplete \"id\"", "Result": "PASS"},
      {"Name": "ColumnValues \"amount\" > 0", "Result": "FAIL",
       "EvaluationMessage": "3 rows failed"}])"));
  EXPECT_EQ(out["DataSource"]["GlueTable"]["TableName"], "orders");
  // Polled at 1, 2 and 3 minutes; done at 3.
  EXPECT_EQ(h.calls().Filter("dataQuality").size(), 5u);
  EXPECT_EQ(h.SecondsAt(*run.stop_date()), 180);
  const Call& start = h.calls().calls()[0];
  EXPECT_EQ(start.operation, "startDataQualityRulesetEvaluationRun");
  EXPECT_EQ(start.target, "orders-ruleset");
  const Call& last_poll = h.calls().calls()[3];
  EXPECT_EQ(last_poll.outcome["result"]["Status"], "SUCCEEDED");
  EXPECT_EQ(last_poll.outcome["result"]["ExecutionTime"], 180);
  EXPECT_EQ(h.calls().calls()[1].outcome["result"]["Status"], "RUNNING");
}

TEST(DataQualityTest, ScoreDefaultsToTheShareOfPassingRules) {
  FakesHarness h(R"({"dataQuality": {"orders-ruleset": [{"rules": [
      {"name": "a", "result": "PASS"}, {"name": "b", "result": "FAIL"},
      {"name": "c", "result": "PASS"}, {"name": "d", "result": "PASS"}]}]}})");
  engine::Execution& run = h.Run(kGate);
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_DOUBLE_EQ(Output(run)["Score"].get<double>(), 0.75);
}

TEST(DataQualityTest, UnscriptedRulesetScoresOne) {
  FakesHarness h;
  engine::Execution& run = h.Run(kGate);
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_DOUBLE_EQ(Output(run)["Score"].get<double>(), 1.0);
  EXPECT_EQ(Output(run)["RuleResults"], nlohmann::ordered_json::array());
}

TEST(DataQualityTest, ErrorsAreGlueNamed) {
  {
    FakesHarness h(
        R"({"dataQuality": {"orders-ruleset": [{"error": "InternalServiceException"}]}})");
    EXPECT_EQ(h.Run(kGate).error(), "Glue.InternalServiceException");
  }
  {
    FakesHarness h(R"({"dataQuality": {"orders-ruleset": [{"throttle": true}]}})");
    EXPECT_EQ(h.Run(kGate).error(), "Glue.ThrottlingException");
  }
  FakesHarness h;
  EXPECT_EQ(h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::aws-sdk:glue:getDataQualityRulesetEvaluationRun",
      "Parameters":{"RunId":"dqrun-missing"},"End":true}}})")
                .error(),
            "Glue.EntityNotFoundException");
  EXPECT_EQ(h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task",
      "Resource":"arn:aws:states:::aws-sdk:glue:startDataQualityRulesetEvaluationRun",
      "Parameters":{"RulesetNames":["r"]},"End":true}}})")
                .error(),
            "Glue.InvalidInputException");
}

TEST(DataQualityTest, TimeoutEndsTheRunTimeout) {
  FakesHarness h(R"({"dataQuality": {"orders-ruleset": [{"timeout": true, "latency": "2m"}]}})");
  engine::Execution& run = h.Run(kGate);
  // The gate reads ResultIds[0], which a TIMEOUT run lacks.
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.Runtime");
  EXPECT_EQ(h.calls().calls()[2].outcome["result"]["Status"], "TIMEOUT");
}

}  // namespace
}  // namespace timeslip::fakes
