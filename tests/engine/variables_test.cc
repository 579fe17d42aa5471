// Workflow variables in JSONPath states: what Assign sets and when, what "$" reads in it, the
// scopes of Parallel and Map, Catch, undefined variables, AWS's size quotas, and redrive. The
// expected values follow AWS's recorded executions (localstack's v2/assign snapshots).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/same_json.h"
#include "tests/support/test_engine.h"

namespace timeslip::engine {
namespace {

using Json = nlohmann::ordered_json;
using testing::SameJson;
using testing::Step;
using testing::TestEngine;

// The assignedVariables of the index-th Exited event of state `name`; null when it has none.
Json AssignedBy(const Execution& run, std::string_view name, int index = 0) {
  for (const HistoryEvent& e : run.history()) {
    if (e.details_key != "stateExitedEventDetails" || e.details["name"] != name) continue;
    if (index-- > 0) continue;
    return e.details.contains("assignedVariables") ? e.details["assignedVariables"] : Json();
  }
  return Json();
}

TEST(VariablesTest, PassAssignsFromItsResultAndShowsThemInHistory) {
  TestEngine t;
  Execution& run = t.Start(R"j({"StartAt":"S0","States":{
      "S0":{"Type":"Pass","Result":{"answer":42},
            "Assign":{"theAnswer.$":"$.answer","literal":"$.answer","expr":"{% $x %}",
                      "obj":{"k":"$.no.such.path"},"ctx.$":"$$.State.Name",
                      "f.$":"States.Format('a{}', $.answer)"},
            "Next":"S1"},
      "S1":{"Type":"Pass","Parameters":{"a.$":"$theAnswer","l.$":"$literal","c.$":"$ctx",
                                         "f.$":"$f","k.$":"$obj.k"},"End":true}}})j");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.error() << run.cause();
  EXPECT_TRUE(SameJson(*run.output(), Json::parse(R"j({"a":42,"l":"$.answer","c":"S0",
      "f":"a42","k":"$.no.such.path"})j")));
  EXPECT_TRUE(SameJson(AssignedBy(run, "S0"), Json::parse(R"j({"theAnswer":"42",
      "literal":"\"$.answer\"","expr":"\"{% $x %}\"","obj":"{\"k\":\"$.no.such.path\"}",
      "ctx":"\"S0\"","f":"\"a42\""})j")));
  EXPECT_TRUE(AssignedBy(run, "S1").is_null()) << "no Assign, no assignedVariables";
  for (const HistoryEvent& e : run.history()) {
    if (e.details.contains("assignedVariables")) {
      EXPECT_EQ(e.details["assignedVariablesDetails"], Json::parse(R"j({"truncated":false})j"));
      EXPECT_FALSE(ToWireJson(e, false)[e.details_key].contains("assignedVariables"))
          << "variables are execution data";
    }
  }
}

TEST(VariablesTest, PassWithParametersAssignsFromTheParametersResult) {
  TestEngine t;
  Execution& run = t.Start(R"j({"StartAt":"S0","States":{
      "S0":{"Type":"Pass","Parameters":{"input":"PENDING"},"Assign":{"result.$":"$.input"},
            "Next":"S1"},
      "S1":{"Type":"Pass","Assign":{"result":"SUCCESS","originalResult.$":"$.input"},
            "End":true}}})j");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_TRUE(SameJson(AssignedBy(run, "S0"), Json::parse(R"j({"result":"\"PENDING\""})j")));
  EXPECT_TRUE(
      SameJson(AssignedBy(run, "S1"),
               Json::parse(R"j({"result":"\"SUCCESS\"","originalResult":"\"PENDING\""})j")));
}

TEST(VariablesTest, AStateReadsTheValuesItsOwnAssignReplacesAsTheyWere) {
  TestEngine t;
  Execution& run = t.Start(R"j({"StartAt":"S0","States":{
      "S0":{"Type":"Pass","Assign":{"answer":42,"x":1},"Next":"S1"},
      "S1":{"Type":"Pass","InputPath":"$answer","ResultPath":"$.theAnswer",
            "OutputPath":"$answer","Assign":{"answer":"<omitted>","x":2,"oldX.$":"$x"},
            "Next":"S2"},
      "S2":{"Type":"Pass","Parameters":{"answer.$":"$answer","oldX.$":"$oldX"},"End":true}}})j");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(run.history()[4].details["output"], "42") << "OutputPath read the old value";
  EXPECT_TRUE(SameJson(*run.output(), Json::parse(R"j({"answer":"<omitted>","oldX":1})j")));
}

TEST(VariablesTest, ChoiceAssignsTheMatchedRulesOrElseTheStates) {
  constexpr std::string_view kDefinition = R"j({"StartAt":"Check","States":{
      "Check":{"Type":"Choice","Choices":[
          {"Variable":"$.v","IsPresent":false,"Assign":{"status":"UNKNOWN"},"Next":"Final"},
          {"Variable":"$.v","NumericEquals":42,"Assign":{"status":"CORRECT"},"Next":"Final"},
          {"Variable":"$.v","NumericEquals":7,"Next":"Final"}],
        "Assign":{"status":"INCORRECT","guess.$":"$.v"},"Default":"Final"},
      "Final":{"Type":"Pass","Parameters":{"result.$":"$status"},"End":true}}})j";
  struct Case {
    std::string_view input, want_output, want_assigned;
  };
  const Case kCases[] = {
      {R"j({"v":"42"})j", R"j({"result":"INCORRECT"})j",
       R"j({"status":"\"INCORRECT\"","guess":"\"42\""})j"},
      {R"j({"v":42})j", R"j({"result":"CORRECT"})j", R"j({"status":"\"CORRECT\""})j"},
      {R"j({})j", R"j({"result":"UNKNOWN"})j", R"j({"status":"\"UNKNOWN\""})j"},
  };
  for (const Case& c : kCases) {
    TestEngine t;
    Execution& run = t.Start(kDefinition, c.input);
    t.RunToCompletion();
    ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << c.input << run.cause();
    EXPECT_TRUE(SameJson(*run.output(), Json::parse(c.want_output))) << c.input;
    EXPECT_TRUE(SameJson(AssignedBy(run, "Check"), Json::parse(c.want_assigned))) << c.input;
  }
  // A matched rule without Assign assigns nothing: the state's Assign is for the Default.
  TestEngine t;
  Execution& run = t.Start(kDefinition, R"j({"v":7})j");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.QueryEvaluationError");
  EXPECT_TRUE(AssignedBy(run, "Check").is_null());
}

TEST(VariablesTest, ChoiceRulesAndWaitPathsReadVariables) {
  TestEngine t;
  Execution& run = t.Start(R"j({"StartAt":"Setup","States":{
      "Setup":{"Type":"Pass","Assign":{"guess":"a","answer":"b","wait":5,
                                        "at":"2024-01-01T00:01:00Z"},"Next":"Check"},
      "Check":{"Type":"Choice","Choices":[
          {"Variable":"$guess","StringEqualsPath":"$answer","Next":"W1"}],"Default":"Wrong"},
      "Wrong":{"Type":"Pass","Assign":{"guess.$":"$answer"},"Next":"Check"},
      "W1":{"Type":"Wait","SecondsPath":"$wait","Assign":{"waited":true},"Next":"W2"},
      "W2":{"Type":"Wait","TimestampPath":"$at","End":true}}})j");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::minutes(1));
  EXPECT_TRUE(SameJson(AssignedBy(run, "W1"), Json::parse(R"j({"waited":"true"})j")));
}

TEST(VariablesTest, TaskAssignsFromTheSelectedResultAndReadsVariablesInItsFields) {
  TestEngine t;
  t.lambda().Script({Step{std::chrono::seconds(1), Json::parse(R"j({"Payload":{"n":5}})j")}});
  Execution& run = t.Start(R"j({"StartAt":"Setup","States":{
      "Setup":{"Type":"Pass","Assign":{"data":{"foo":"oof"},"timeout":30},"Next":"T"},
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "TimeoutSecondsPath":"$timeout","Parameters":{"Payload.$":"$data"},
           "ResultSelector":{"n.$":"$.Payload.n"},"Assign":{"n.$":"$.n"},
           "ResultPath":null,"Next":"Done"},
      "Done":{"Type":"Pass","Parameters":{"n.$":"$n"},"End":true}}})j");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  ASSERT_EQ(t.lambda().calls.size(), 1u);
  EXPECT_EQ(t.lambda().calls[0].parameters["Payload"], Json::parse(R"j({"foo":"oof"})j"));
  EXPECT_EQ(*run.output(), Json::parse(R"j({"n":5})j"));
}

TEST(VariablesTest, CatchAssignsFromTheErrorOutputInTheStatesScope) {
  TestEngine t;
  t.lambda().Script({Step{std::chrono::seconds(1), json::Error{"Boom", "it broke"}}});
  Execution& run = t.Start(R"j({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{},
           "Assign":{"result":"SUCCESS"},
           "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error",
                     "Assign":{"result.$":"$","error.$":"$.Error"},"Next":"Fallback"}],
           "End":true},
      "Fallback":{"Type":"Pass","Parameters":{"r.$":"$result","e.$":"$error"},"End":true}}})j");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_TRUE(SameJson(*run.output(), Json::parse(R"j({"r":{"Error":"Boom","Cause":"it broke"},
      "e":"Boom"})j")));
  EXPECT_TRUE(SameJson(AssignedBy(run, "T"), Json::parse(R"j({"result":
      "{\"Error\":\"Boom\",\"Cause\":\"it broke\"}","error":"\"Boom\""})j")));
}

TEST(VariablesTest, MapIterationsReadOuterVariablesAndKeepTheirOwn) {
  TestEngine t;
  Execution& run = t.Start(R"j({"StartAt":"S0","States":{
      "S0":{"Type":"Pass","Assign":{"x":42,"items":[1,2,3],"template":"It's {}!"},"Next":"M"},
      "M":{"Type":"Map","ItemsPath":"$items","MaxConcurrencyPath":"$x",
           "ItemSelector":{"s.$":"States.Format($template, $$.Map.Item.Value)"},
           "ItemProcessor":{"StartAt":"Inner","States":{
             "Inner":{"Type":"Pass","Assign":{"innerX.$":"$x"},"Next":"Read"},
             "Read":{"Type":"Pass","Parameters":{"s.$":"$.s","innerX.$":"$innerX"},
                     "End":true}}},
           "Next":"After"},
      "After":{"Type":"Pass","Parameters":{"leaked.$":"$innerX"},"End":true}}})j");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.QueryEvaluationError") << "an iteration's variables stay in it";
  EXPECT_EQ(run.cause(),
            "An error occurred while executing the state 'After' (entered at the event id #26). "
            "The JSONPath '$innerX' references the variable 'innerX', which has not been "
            "assigned.");
  std::string map_output;
  for (const HistoryEvent& e : run.history()) {
    if (e.type == "MapStateExited") map_output = e.details["output"];
  }
  EXPECT_EQ(Json::parse(map_output),
            Json::parse(R"j([{"s":"It's 1!","innerX":42},{"s":"It's 2!","innerX":42},
                            {"s":"It's 3!","innerX":42}])j"));
}

TEST(VariablesTest, ParallelBranchesReadOuterVariablesAndAssignOnlyTheirOwn) {
  TestEngine t;
  Execution& run = t.Start(R"j({"StartAt":"S0","States":{
      "S0":{"Type":"Pass","Assign":{"x":42},"Next":"P"},
      "P":{"Type":"Parallel","Branches":[
          {"StartAt":"B1","States":{"B1":{"Type":"Pass","Assign":{"inner.$":"$x"},"Next":"B1b"},
                                    "B1b":{"Type":"Pass","OutputPath":"$inner","End":true}}},
          {"StartAt":"B2","States":{"B2":{"Type":"Pass","Assign":{"inner":7},"Next":"B2b"},
                                    "B2b":{"Type":"Pass","OutputPath":"$inner","End":true}}}],
       "Assign":{"both.$":"$"},"Next":"After"},
      "After":{"Type":"Pass","Parameters":{"both.$":"$both","x.$":"$x"},"End":true}}})j");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(), Json::parse(R"j({"both":[42,7],"x":42})j"));
}

TEST(VariablesTest, DistributedMapIterationsCannotReadOuterVariables) {
  TestEngine t;
  Execution& run = t.Start(R"j({"StartAt":"S0","States":{
      "S0":{"Type":"Pass","Assign":{"x":1},"Result":[1],"Next":"M"},
      "M":{"Type":"Map","ItemProcessor":{
             "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},
             "StartAt":"I","States":{"I":{"Type":"Pass","OutputPath":"$x","End":true}}},
           "End":true}}})j");
  t.RunToCompletion();
  EXPECT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.QueryEvaluationError");
}

TEST(VariablesTest, AnUndefinedVariableIsAQueryEvaluationErrorThatCatchHandles) {
  const std::string_view kFields[] = {
      R"j("InputPath":"$nope")j",
      R"j("OutputPath":"$nope.a")j",
      R"j("Parameters":{"a.$":"$nope"})j",
      R"j("Parameters":{"a.$":"States.Format('{}', $nope)"})j",
  };
  for (std::string_view field : kFields) {
    TestEngine t;
    Execution& run = t.Start(fmt::format(
        R"j({{"StartAt":"P","States":{{"P":{{"Type":"Pass",{},"End":true}}}}}})j", field));
    t.RunToCompletion();
    EXPECT_EQ(run.status(), ExecutionStatus::kFailed) << field;
    EXPECT_EQ(run.error(), "States.QueryEvaluationError") << field;
    EXPECT_NE(run.cause().find("An error occurred while executing the state 'P' (entered at the "
                               "event id #2). The JSONPath '$nope"),
              std::string::npos)
        << run.cause();
  }
  TestEngine t;
  Execution& run = t.Start(R"j({"StartAt":"Fail","States":{
      "Fail":{"Type":"Fail","ErrorPath":"$nope"}}})j");
  t.RunToCompletion();
  EXPECT_EQ(run.error(), "States.QueryEvaluationError");

  Execution& caught = t.Start(R"j({"StartAt":"M","States":{
      "M":{"Type":"Map","ItemsPath":"$nope","ItemProcessor":{"StartAt":"I",
             "States":{"I":{"Type":"Pass","End":true}}},
           "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Next":"C"}],"End":true},
      "C":{"Type":"Pass","End":true}}})j");
  t.RunToCompletion();
  EXPECT_EQ(caught.status(), ExecutionStatus::kSucceeded) << caught.cause();
}

TEST(VariablesTest, SizeQuotasAreDataLimitExceeded) {
  const std::string big(200 * 1024, 'x');
  const std::string input = fmt::format(R"j({{"big":"{}"}})j", big);
  {
    TestEngine t;  // one variable over 256 KiB
    Execution& run = t.Start(R"j({"StartAt":"P","States":{"P":{"Type":"Pass",
        "Assign":{"v.$":"States.Array($.big, $.big)"},"End":true}}})j",
                             input);
    t.RunToCompletion();
    EXPECT_EQ(run.error(), "States.DataLimitExceeded") << run.cause();
  }
  {
    TestEngine t;  // two of 200 KiB: each fits, the Assign does not
    Execution& run = t.Start(R"j({"StartAt":"P","States":{"P":{"Type":"Pass",
        "Assign":{"a.$":"$.big","b.$":"$.big"},"End":true}}})j",
                             input);
    t.RunToCompletion();
    EXPECT_EQ(run.error(), "States.DataLimitExceeded") << run.cause();
  }
  // 10 MiB for the whole execution: b and v0..v49 (51 of 200 KiB) fit, v50 does not. Setting
  // a variable again (R*) replaces its size in the total rather than add to it.
  std::string states = R"j("Init":{"Type":"Pass","Assign":{"b.$":"$.big"},"OutputPath":null,
                          "Next":"S0"})j";
  for (int i = 0; i <= 50; ++i) {
    std::string end = i == 50 ? R"j("End":true)j" : fmt::format(R"j("Next":"S{}")j", i + 1);
    states += fmt::format(R"j(,"S{0}":{{"Type":"Pass","Assign":{{"v{0}.$":"$b"}},"Next":"R{0}"}})j"
                          R"j(,"R{0}":{{"Type":"Pass","Assign":{{"v{0}.$":"$b"}},{1}}})j",
                          i, end);
  }
  TestEngine t;
  Execution& run = t.Start(fmt::format(R"j({{"StartAt":"Init","States":{{{}}}}})j", states), input);
  t.RunToCompletion();
  EXPECT_EQ(run.error(), "States.DataLimitExceeded");
  EXPECT_NE(run.cause().find("'S50'"), std::string::npos) << run.cause();
}

TEST(VariablesTest, JsonataStatesAssignLiteralsAndExpressions) {
  TestEngine t;
  Execution& run = t.Start(R"j({"StartAt":"P","States":{
      "P":{"Type":"Pass","QueryLanguage":"JSONata","Assign":{"x":{"a":"$.b"}},"Next":"Q"},
      "Q":{"Type":"Pass","OutputPath":"$x","End":true}}})j");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(), Json::parse(R"j({"a":"$.b"})j"));

  Execution& evaluated = t.Start(R"j({"StartAt":"P","States":{
      "P":{"Type":"Pass","QueryLanguage":"JSONata","Assign":{"x":"{% 1 + 1 %}"},"Next":"Q"},
      "Q":{"Type":"Pass","OutputPath":"$x","End":true}}})j");
  t.RunToCompletion();
  ASSERT_EQ(evaluated.status(), ExecutionStatus::kSucceeded) << evaluated.cause();
  EXPECT_EQ(*evaluated.output(), Json(2));

  Execution& undefined = t.Start(R"j({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","Assign":{"x":"{% $nothing %}"},"End":true}}})j");
  t.RunToCompletion();
  EXPECT_EQ(undefined.error(), "States.QueryEvaluationError");
  EXPECT_EQ(undefined.cause(),
            "An error occurred while executing the state 'P' (entered at the event id #2). The "
            "JSONata expression '$nothing' specified for the field 'Assign/x' returned nothing "
            "(undefined).");
}

TEST(VariablesTest, RedriveGoesOnWithTheVariablesAssignedBeforeTheFailure) {
  TestEngine t;
  t.lambda().Script({Step{std::chrono::seconds(1), json::Error{"Flaky", "down"}},
                     Step{std::chrono::seconds(1), Json::object()}});
  Execution& run = t.Start(R"j({"StartAt":"First","States":{
      "First":{"Type":"Pass","Assign":{"n":1},"Next":"T"},
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"n.$":"$n"},
           "Assign":{"m":2},"Next":"Last"},
      "Last":{"Type":"Pass","Parameters":{"n.$":"$n","m.$":"$m"},"End":true}}})j");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  ASSERT_TRUE(t.emulator().RedriveExecution(run.arn()).ok());
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(), Json::parse(R"j({"n":1,"m":2})j"));
}

TEST(VariablesTest, SameDefinitionAndInputGiveTheSameHistory) {
  constexpr std::string_view kDefinition = R"j({"StartAt":"S0","States":{
      "S0":{"Type":"Pass","Assign":{"id.$":"States.UUID()","items":[1,2]},"Next":"M"},
      "M":{"Type":"Map","ItemsPath":"$items","ItemProcessor":{"StartAt":"I","States":{
             "I":{"Type":"Pass","Assign":{"r.$":"States.MathRandom(1, 100)"},"End":true}}},
           "Assign":{"done.$":"$id"},"End":true}}})j";
  auto history = [&] {
    TestEngine t;
    Execution& run = t.Start(kDefinition);
    t.RunToCompletion();
    EXPECT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
    return run.HistoryJson().dump();
  };
  EXPECT_EQ(history(), history());
}

}  // namespace
}  // namespace timeslip::engine
