// The data-quality ruleset API: rulesets' lifecycle, evaluation runs on the virtual clock played
// by the "dataQuality" scripts, one world with the aws-sdk:glue tasks, the journal, and errors.
#include <gtest/gtest.h>

#include <string>

#include "emulator/host/recovery.h"
#include "emulator/store/memory_store.h"
#include "tests/services/glue/glue_world.h"

namespace timeslip::services::glue {
namespace {

using testing::GlueWorld;
using testing::Json;
using testing::kStart;

constexpr const char* kRules = R"(Rules = [ RowCount > 0, IsComplete "id" ])";

Json Ruleset(const std::string& name, Json extra = Json::object()) {
  Json request = {{"Name", name}, {"Ruleset", kRules}};
  request.update(extra);
  return request;
}

Json StartRequest(Json names) {
  return {{"DataSource", {{"GlueTable", {{"DatabaseName", "sales"}, {"TableName", "orders"}}}}},
          {"Role", "arn:aws:iam::123456789012:role/dq"},
          {"RulesetNames", std::move(names)}};
}

TEST(GlueDataQualityOpsTest, CreateGetListUpdateDelete) {
  GlueWorld w;
  EXPECT_EQ(
      w.Ok("CreateDataQualityRuleset",
           Ruleset("orders", {{"Description", "orders checks"},
                              {"TargetTable", {{"TableName", "orders"}, {"DatabaseName", "sales"}}},
                              {"Tags", {{"team", "data"}}}})),
      Json({{"Name", "orders"}}));
  Json got = w.Ok("GetDataQualityRuleset", {{"Name", "orders"}});
  EXPECT_EQ(got["Name"], "orders");
  EXPECT_EQ(got["Description"], "orders checks");
  EXPECT_EQ(got["Ruleset"], kRules);
  EXPECT_EQ(got["TargetTable"]["TableName"], "orders");
  EXPECT_EQ(got["CreatedOn"], static_cast<double>(kStart));

  w.Ok("CreateDataQualityRuleset", Ruleset("other"));
  Json listed = w.Ok("ListDataQualityRulesets", Json::object());
  ASSERT_EQ(listed["Rulesets"].size(), 2u);
  EXPECT_EQ(listed["Rulesets"][0]["Name"], "orders");
  EXPECT_EQ(listed["Rulesets"][0]["RuleCount"], 2);
  Json tagged = w.Ok("ListDataQualityRulesets", {{"Tags", {{"team", "data"}}}});
  ASSERT_EQ(tagged["Rulesets"].size(), 1u);
  Json paged = w.Ok("ListDataQualityRulesets", {{"MaxResults", 1}});
  ASSERT_EQ(paged["Rulesets"].size(), 1u);
  Json rest = w.Ok("ListDataQualityRulesets", {{"NextToken", paged["NextToken"]}});
  ASSERT_EQ(rest["Rulesets"].size(), 1u);
  EXPECT_EQ(rest["Rulesets"][0]["Name"], "other");

  w.Advance(60);
  Json updated = w.Ok("UpdateDataQualityRuleset",
                      {{"Name", "orders"}, {"Ruleset", R"(Rules = [ IsUnique "id" ])"}});
  EXPECT_EQ(updated["Ruleset"], R"(Rules = [ IsUnique "id" ])");
  EXPECT_EQ(updated["Description"], "orders checks");
  got = w.Ok("GetDataQualityRuleset", {{"Name", "orders"}});
  EXPECT_EQ(got["LastModifiedOn"], static_cast<double>(kStart + 60));
  EXPECT_EQ(got["CreatedOn"], static_cast<double>(kStart));

  w.Ok("UpdateDataQualityRuleset", {{"Name", "other"}, {"UpdatedName", "renamed"}});
  w.Ok("GetDataQualityRuleset", {{"Name", "renamed"}});
  EXPECT_EQ(w.Ok("DeleteDataQualityRuleset", {{"Name", "renamed"}}), Json::object());
  EXPECT_EQ(w.ErrorOf("GetDataQualityRuleset", {{"Name", "renamed"}}), "EntityNotFoundException");
}

TEST(GlueDataQualityOpsTest, AnEvaluationPlaysTheScriptOnTheVirtualClock) {
  GlueWorld w(R"({"dataQuality": {"orders": [{"latency": "10m", "score": 0.5,
      "rules": [{"name": "Rule_1", "result": "PASS"},
                {"name": "IsComplete \"id\"", "result": "FAIL", "message": "2 nulls"}]}]}})");
  w.Ok("CreateDataQualityRuleset", Ruleset("orders"));
  const std::string run_id =
      w.Ok("StartDataQualityRulesetEvaluationRun", StartRequest({"orders"}))["RunId"];
  Json run = w.Ok("GetDataQualityRulesetEvaluationRun", {{"RunId", run_id}});
  EXPECT_EQ(run["Status"], "RUNNING");
  EXPECT_EQ(run["StartedOn"], static_cast<double>(kStart));
  EXPECT_FALSE(run.contains("ResultIds"));
  w.Advance(600);
  run = w.Ok("GetDataQualityRulesetEvaluationRun", {{"RunId", run_id}});
  EXPECT_EQ(run["Status"], "SUCCEEDED");
  EXPECT_EQ(run["CompletedOn"], static_cast<double>(kStart + 600));
  EXPECT_EQ(run["ExecutionTime"], 600);
  ASSERT_EQ(run["ResultIds"].size(), 1u);
  Json result = w.Ok("GetDataQualityResult", {{"ResultId", run["ResultIds"][0]}});
  EXPECT_EQ(result["Score"], 0.5);
  EXPECT_EQ(result["RulesetName"], "orders");
  EXPECT_EQ(result["RulesetEvaluationRunId"], run_id);
  EXPECT_EQ(result["RuleResults"],
            Json::parse(R"([{"Name": "Rule_1", "Description": "RowCount > 0", "Result": "PASS"},
                {"Name": "Rule_2", "Description": "IsComplete \"id\"", "Result": "FAIL",
                 "EvaluationMessage": "2 nulls"}])"));
}

TEST(GlueDataQualityOpsTest, UnscriptedRulesOfTheRulesetPass) {
  GlueWorld w;
  w.Ok("CreateDataQualityRuleset", Ruleset("orders"));
  const std::string run_id =
      w.Ok("StartDataQualityRulesetEvaluationRun", StartRequest({"orders"}))["RunId"];
  Json run = w.Ok("GetDataQualityRulesetEvaluationRun", {{"RunId", run_id}});
  ASSERT_EQ(run["Status"], "SUCCEEDED");
  Json result = w.Ok("GetDataQualityResult", {{"ResultId", run["ResultIds"][0]}});
  EXPECT_EQ(result["Score"], 1.0);
  ASSERT_EQ(result["RuleResults"].size(), 2u);
  EXPECT_EQ(result["RuleResults"][1],
            Json({{"Name", "Rule_2"}, {"Description", "IsComplete \"id\""}, {"Result", "PASS"}}));
}

TEST(GlueDataQualityOpsTest, TimeoutEndsALongRunTimeout) {
  GlueWorld w(R"({"dataQuality": {"orders": [{"latency": "2h"}]}})");
  w.Ok("CreateDataQualityRuleset", Ruleset("orders"));
  Json start = StartRequest({"orders"});
  start["Timeout"] = 30;
  const std::string run_id = w.Ok("StartDataQualityRulesetEvaluationRun", start)["RunId"];
  w.Advance(1800);
  Json run = w.Ok("GetDataQualityRulesetEvaluationRun", {{"RunId", run_id}});
  EXPECT_EQ(run["Status"], "TIMEOUT");
  EXPECT_EQ(run["Timeout"], 30);
}

constexpr const char* kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:dq";

TEST(GlueDataQualityOpsTest, ATaskEvaluatesTheApiRulesetAndTheApiSeesItsRun) {
  GlueWorld w(R"({"dataQuality": {"orders": [{"latency": "5m"}]}})");
  w.Ok("CreateDataQualityRuleset", Ruleset("orders"));
  w.Ok("CreateStateMachine",
       {{"name", "dq"},
        {"roleArn", "arn:aws:iam::123456789012:role/sfn"},
        {"definition", R"({"StartAt":"S","States":{"S":{"Type":"Task",
          "Resource":"arn:aws:states:::aws-sdk:glue:startDataQualityRulesetEvaluationRun",
          "Parameters":{"DataSource":{"GlueTable":{"DatabaseName":"sales","TableName":"orders"}},
            "Role":"r","RulesetNames":["orders"]},"End":true}}})"}},
       "states");
  const std::string arn =
      w.Ok("StartExecution", {{"stateMachineArn", kMachineArn}}, "states")["executionArn"];
  w.Advance(1);
  Json execution = w.Ok("DescribeExecution", {{"executionArn", arn}}, "states");
  ASSERT_EQ(execution["status"], "SUCCEEDED") << execution.dump();
  const std::string run_id = Json::parse(execution["output"].get<std::string>())["RunId"];
  EXPECT_EQ(w.Ok("GetDataQualityRulesetEvaluationRun", {{"RunId", run_id}})["Status"], "RUNNING");
  w.Advance(300);
  Json run = w.Ok("GetDataQualityRulesetEvaluationRun", {{"RunId", run_id}});
  ASSERT_EQ(run["Status"], "SUCCEEDED");
  Json result = w.Ok("GetDataQualityResult", {{"ResultId", run["ResultIds"][0]}});
  EXPECT_EQ(result["RuleResults"][0]["Name"], "Rule_1");
  EXPECT_EQ(result["RuleResults"][0]["Description"], "RowCount > 0");
}

TEST(GlueDataQualityOpsTest, RulesetsAndRunsSurviveARestartThroughTheJournal) {
  store::MemoryStore store;
  std::string run_id;
  {
    GlueWorld first(R"({"dataQuality": {"orders": [{"latency": "20m"}]}})",
                    engine::ClockMode::kManual, &store);
    first.Ok("CreateDataQualityRuleset", Ruleset("orders"));
    run_id = first.Ok("StartDataQualityRulesetEvaluationRun", StartRequest({"orders"}))["RunId"];
    first.Advance(60);
  }
  GlueWorld second("", engine::ClockMode::kManual, &store);
  json::Result<host::RecoveryReport> report = host::Recover(second.world().host());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(second.Ok("GetDataQualityRuleset", {{"Name", "orders"}})["Ruleset"], kRules);
  EXPECT_EQ(second.Ok("GetDataQualityRulesetEvaluationRun", {{"RunId", run_id}})["Status"],
            "RUNNING");
  second.Advance(1140);
  EXPECT_EQ(second.Ok("GetDataQualityRulesetEvaluationRun", {{"RunId", run_id}})["Status"],
            "SUCCEEDED");
}

struct BadCall {
  const char* what;
  const char* operation;
  Json input;
  const char* error;
  const char* says;  // part of the message
};

TEST(GlueDataQualityOpsTest, ErrorsCarryGluesNamesAndTheNextRequestWorks) {
  GlueWorld w;
  w.Ok("CreateDataQualityRuleset", Ruleset("orders"));
  w.Ok("CreateDataQualityRuleset", Ruleset("other"));
  const BadCall cases[] = {
      {"create twice", "CreateDataQualityRuleset", Ruleset("orders"), "AlreadyExistsException",
       "orders already exists"},
      {"rename onto another",
       "UpdateDataQualityRuleset",
       {{"Name", "other"}, {"UpdatedName", "orders"}},
       "AlreadyExistsException",
       "orders"},
      {"get missing",
       "GetDataQualityRuleset",
       {{"Name", "nope"}},
       "EntityNotFoundException",
       "nope not found"},
      {"update missing",
       "UpdateDataQualityRuleset",
       {{"Name", "nope"}},
       "EntityNotFoundException",
       "nope"},
      {"delete missing",
       "DeleteDataQualityRuleset",
       {{"Name", "nope"}},
       "EntityNotFoundException",
       "nope"},
      {"evaluate missing", "StartDataQualityRulesetEvaluationRun", StartRequest({"nope"}),
       "EntityNotFoundException", "nope"},
      {"run missing",
       "GetDataQualityRulesetEvaluationRun",
       {{"RunId", "dqrun-x"}},
       "EntityNotFoundException",
       "dqrun-x"},
      {"result missing",
       "GetDataQualityResult",
       {{"ResultId", "dqresult-x"}},
       "EntityNotFoundException",
       "dqresult-x"},
      {"malformed DQDL",
       "CreateDataQualityRuleset",
       {{"Name", "bad"}, {"Ruleset", "Rules = [ Mean > 3 ]"}},
       "InvalidInputException",
       "line 1, column 16: expected a quoted column name"},
      {"rule type not evaluated",
       "CreateDataQualityRuleset",
       {{"Name", "bad"}, {"Ruleset", "Rules = [ Entropy \"c\" > 1 ]"}},
       "InvalidInputException",
       "timeslip does not evaluate rule type Entropy yet"},
      {"malformed update",
       "UpdateDataQualityRuleset",
       {{"Name", "orders"}, {"Ruleset", "Rules = [ RowCount ]"}},
       "InvalidInputException",
       "expected a comparison"},
      {"no ruleset",
       "CreateDataQualityRuleset",
       {{"Name", "bad"}},
       "InvalidInputException",
       "'ruleset'"},
      {"target table without database", "CreateDataQualityRuleset",
       Ruleset("bad", {{"TargetTable", {{"TableName", "t"}}}}), "InvalidInputException",
       "'targetTable.databaseName'"},
      {"no glue table",
       "StartDataQualityRulesetEvaluationRun",
       {{"DataSource", Json::object()}, {"Role", "r"}, {"RulesetNames", {"orders"}}},
       "InvalidInputException",
       "'dataSource.glueTable'"},
      {"no ruleset names", "StartDataQualityRulesetEvaluationRun", StartRequest(Json::array()),
       "InvalidInputException", "'rulesetNames'"},
      {"client token (idempotency not run)", "StartDataQualityRulesetEvaluationRun",
       [] {
         Json start = StartRequest(Json::array({"orders"}));
         start["ClientToken"] = "t-1";
         return start;
       }(),
       "InvalidInputException", "ClientToken"},
      {"filter",
       "ListDataQualityRulesets",
       {{"Filter", {{"Name", "o"}}}},
       "InvalidInputException",
       "Filter"},
  };
  for (const BadCall& c : cases) {
    std::string message;
    EXPECT_EQ(w.ErrorOf(c.operation, c.input, &message), c.error) << c.what;
    EXPECT_NE(message.find(c.says), std::string::npos) << c.what << ": " << message;
    EXPECT_EQ(w.Ok("GetDataQualityRuleset", {{"Name", "orders"}})["Name"], "orders") << c.what;
  }
}

}  // namespace
}  // namespace timeslip::services::glue
