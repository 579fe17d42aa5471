// JSONata states in the engine: Arguments, Output, Assign over $states, Choice Conditions, Wait,
// Fail, Map Items and Catch Output, and the errors AWS raises when an expression misbehaves.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/test_engine.h"

namespace timeslip::engine {
namespace {

using Json = nlohmann::ordered_json;
using testing::Step;
using testing::TestEngine;

constexpr const char* kPrefix = "An error occurred while executing the state '{}' (entered at the event id #2). ";

std::string Prefixed(const std::string& state, const std::string& message) {
  std::string prefix = kPrefix;
  prefix.replace(prefix.find("{}"), 2, state);
  return prefix + message;
}

TEST(JsonataStatesTest, PassOutputTaskArgumentsAndAssign) {
  TestEngine t;
  t.lambda().Script({Step{std::chrono::seconds(1), Json::parse(R"({"Payload":{"ok":1}})")}});
  Execution& run = t.Start(R"j({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","Assign":{"n":"{% $states.input.n * 2 %}"},
           "Output":{"was":"{% $states.input.n %}"},"Next":"T"},
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "Arguments":{"FunctionName":"f","Payload":{"n":"{% $n %}"}},
           "Output":"{% $states.result.Payload %}","End":true}}})j",
                           R"({"n":21})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  ASSERT_EQ(t.lambda().calls.size(), 1u);
  EXPECT_EQ(t.lambda().calls[0].parameters,
            Json::parse(R"({"FunctionName":"f","Payload":{"n":42}})"));
  EXPECT_EQ(*run.output(), Json::parse(R"({"ok":1})"));
}

TEST(JsonataStatesTest, ChoiceConditionMustBeBoolean) {
  TestEngine t;
  Execution& good = t.Start(R"j({"QueryLanguage":"JSONata","StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.x > 1 %}","Next":"Y",
           "Output":"yes"}],"Default":"N"},
      "Y":{"Type":"Succeed"},"N":{"Type":"Fail","Error":"No"}}})j",
                            R"({"x":2})");
  t.RunToCompletion();
  ASSERT_EQ(good.status(), ExecutionStatus::kSucceeded) << good.cause();
  EXPECT_EQ(*good.output(), Json("yes"));

  Execution& bad = t.Start(R"j({"QueryLanguage":"JSONata","StartAt":"C","States":{
      "C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.x %}","Next":"Y"}],
           "Default":"Y"},
      "Y":{"Type":"Succeed"}}})j",
                           R"({"x":"s"})");
  t.RunToCompletion();
  EXPECT_EQ(bad.error(), "States.QueryEvaluationError");
  EXPECT_EQ(bad.cause(),
            Prefixed("C", "The JSONata expression '$states.input.x' specified for the field "
                          "'Choices[0]/Condition' returned an unexpected result type. Expected "
                          "'boolean', but was 'string' for value: \"s\""));
}

TEST(JsonataStatesTest, WaitSecondsAndTimestamp) {
  TestEngine t;
  Execution& run = t.Start(R"j({"QueryLanguage":"JSONata","StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":"{% $states.input.s %}","End":true}}})j",
                           R"({"s":3600})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::hours(1));

  Execution& bad = t.Start(R"j({"QueryLanguage":"JSONata","StartAt":"W","States":{
      "W":{"Type":"Wait","Timestamp":"{% $states.input.at %}","End":true}}})j",
                           R"({"at":"2016-12-05 21:29:29Z"})");
  t.RunToCompletion();
  EXPECT_EQ(bad.error(), "States.QueryEvaluationError");
  EXPECT_EQ(bad.cause(), Prefixed("W", "The Timestamp field cannot be parsed as an ISO-8601 "
                                       "extended offset date-time format string: 2016-12-05 "
                                       "21:29:29Z"));
}

TEST(JsonataStatesTest, FailErrorAndCauseFromExpressions) {
  TestEngine t;
  Execution& run = t.Start(R"j({"QueryLanguage":"JSONata","StartAt":"F","States":{
      "F":{"Type":"Fail","Error":"{% 'E.' & $states.input.kind %}","Cause":"plain"}}})j",
                           R"({"kind":"Bad"})");
  t.RunToCompletion();
  EXPECT_EQ(run.error(), "E.Bad");
  EXPECT_EQ(run.cause(), "plain");

  Execution& bad = t.Start(R"j({"QueryLanguage":"JSONata","StartAt":"F","States":{
      "F":{"Type":"Fail","Error":"{% 1 %}"}}})j");
  t.RunToCompletion();
  EXPECT_EQ(bad.error(), "States.QueryEvaluationError");
  EXPECT_EQ(bad.cause(), Prefixed("F", "The JSONata expression '1' specified for the field "
                                       "'Error' returned an unexpected result type. Expected "
                                       "'string', but was 'number' for value: 1"));
}

TEST(JsonataStatesTest, MapItemsAndItemSelector) {
  TestEngine t;
  Execution& run = t.Start(R"j({"QueryLanguage":"JSONata","StartAt":"M","States":{
      "M":{"Type":"Map","Items":"{% $states.input.xs %}",
           "ItemSelector":{"v":"{% $states.context.Map.Item.Value * 10 %}",
                           "i":"{% $states.context.Map.Item.Index %}"},
           "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
           "End":true}}})j",
                           R"({"xs":[1,2]})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(), Json::parse(R"([{"v":10,"i":0},{"v":20,"i":1}])"));
}

TEST(JsonataStatesTest, CatchOutputReadsTheErrorOutput) {
  TestEngine t;
  t.lambda().Script({Step{std::chrono::seconds(1), json::Error{"Boom", "down"}}});
  Execution& run = t.Start(R"j({"QueryLanguage":"JSONata","StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "Arguments":{"FunctionName":"f"},"Next":"End",
           "Catch":[{"ErrorEquals":["States.ALL"],"Next":"End",
                     "Output":{"e":"{% $states.errorOutput.Error %}",
                               "in":"{% $states.input.k %}"}}]},
      "End":{"Type":"Succeed"}}})j",
                           R"({"k":7})");
  t.RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(*run.output(), Json::parse(R"({"e":"Boom","in":7})"));
}

TEST(JsonataStatesTest, UndefinedOutputFailsTheState) {
  TestEngine t;
  Execution& run = t.Start(R"j({"QueryLanguage":"JSONata","StartAt":"P","States":{
      "P":{"Type":"Pass","Output":"{% $nothing %}","End":true}}})j");
  t.RunToCompletion();
  EXPECT_EQ(run.error(), "States.QueryEvaluationError");
  EXPECT_EQ(run.cause(), Prefixed("P", "The JSONata expression '$nothing' specified for the "
                                       "field 'Output' returned nothing (undefined)."));
}

}  // namespace
}  // namespace timeslip::engine
