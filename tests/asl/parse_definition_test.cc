#include "emulator/asl/parse_definition.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/asl/dump_graph.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::asl {
namespace {

using ::testing::IsEmpty;

// A definition whose StartAt is "S", with `states` as the body of "States".
std::string Machine(std::string_view states) {
  return fmt::format(R"({{"StartAt":"S","States":{{{}}}}})", states);
}

std::string Describe(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) {
    out += fmt::format("  {} {} at '{}': {}\n", SeverityName(d.severity), d.code, d.location,
                       d.message);
  }
  return out;
}

// Parses a definition that must be valid (warnings allowed) and returns its machine.
std::shared_ptr<const StateMachine> MustParse(std::string_view text) {
  ParseResult result = ParseDefinition(text);
  EXPECT_TRUE(result.machine != nullptr) << text << "\n" << Describe(result.diagnostics);
  EXPECT_FALSE(HasErrors(result.diagnostics)) << Describe(result.diagnostics);
  return result.machine;
}

const State& StateNamed(const StateMachine& machine, std::string_view name) {
  StateIndex i = machine.FindState(name);
  EXPECT_NE(i, kNoState) << name;
  return machine.state(i == kNoState ? 0 : i);
}

// ---------------------------------------------------------------------------------------------
// Parsing, per state type.

TEST(ParseDefinitionTest, TopLevelFields) {
  auto m = MustParse(R"({"Comment":"c","Version":"1.0","TimeoutSeconds":3600,
      "QueryLanguage":"JSONPath","StartAt":"B",
      "States":{"B":{"Type":"Pass","Next":"A"},"A":{"Type":"Succeed"}}})");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->comment(), "c");
  EXPECT_EQ(m->version(), "1.0");
  EXPECT_EQ(m->timeout_seconds(), 3600);
  EXPECT_EQ(m->query_language(), QueryLanguage::kJsonPath);
  // Definition order, not nlohmann's sorted order.
  ASSERT_EQ(m->states().size(), 2u);
  EXPECT_EQ(m->states()[0].name, "B");
  EXPECT_EQ(m->states()[1].name, "A");
  EXPECT_EQ(m->start_at(), 0);
  EXPECT_EQ(m->states()[0].next, 1);
  EXPECT_EQ(m->FindState("Nope"), kNoState);
}

TEST(ParseDefinitionTest, Pass) {
  auto m = MustParse(Machine(R"("S":{"Type":"Pass","Comment":"hi","Result":{"a":1},
      "ResultPath":"$.r","InputPath":"$.in","OutputPath":null,"Parameters":{"x.$":"$.y"},
      "Assign":{"v":1},"End":true})"));
  ASSERT_TRUE(m);
  const State& s = m->state(0);
  EXPECT_EQ(s.type, StateType::kPass);
  EXPECT_EQ(s.comment, "hi");
  EXPECT_EQ(s.result, nlohmann::ordered_json::parse(R"({"a":1})"));
  ASSERT_TRUE(s.result_path);
  EXPECT_EQ(s.result_path->text(), "$.r");
  ASSERT_TRUE(s.input_path);
  EXPECT_EQ(s.input_path->text(), "$.in");
  EXPECT_FALSE(s.output_path) << "null means nullopt";
  EXPECT_TRUE(s.parameters);
  EXPECT_EQ(s.assign, nlohmann::ordered_json::parse(R"({"v":1})"));
  EXPECT_TRUE(s.end);
  EXPECT_EQ(s.next, kNoState);
}

TEST(ParseDefinitionTest, AbsentPathsAreDollar) {
  auto m = MustParse(Machine(R"("S":{"Type":"Pass","End":true})"));
  ASSERT_TRUE(m);
  const State& s = m->state(0);
  ASSERT_TRUE(s.input_path && s.output_path && s.result_path);
  EXPECT_EQ(s.input_path->text(), "$");
  EXPECT_EQ(s.output_path->text(), "$");
  EXPECT_EQ(s.result_path->text(), "$");
  EXPECT_FALSE(s.parameters);
  EXPECT_FALSE(s.result);
}

TEST(ParseDefinitionTest, TaskWithRetryAndCatch) {
  auto m = MustParse(Machine(R"(
      "S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "TimeoutSeconds":60,"HeartbeatSeconds":10,
           "ResultSelector":{"p.$":"$.Payload"},"ResultPath":"$.out",
           "Credentials":{"RoleArn":"arn:aws:iam::123456789012:role/r"},
           "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"]},
                    {"ErrorEquals":["States.ALL"],"IntervalSeconds":30,"MaxAttempts":2,
                     "BackoffRate":1.5,"MaxDelaySeconds":100,"JitterStrategy":"FULL"}],
           "Catch":[{"ErrorEquals":["States.Timeout"],"ResultPath":null,"Next":"T"},
                    {"ErrorEquals":["States.ALL"],"Next":"F"}],
           "Next":"T"},
      "T":{"Type":"Succeed"},"F":{"Type":"Fail","Error":"E","Cause":"C"})"));
  ASSERT_TRUE(m);
  const State& s = m->state(0);
  EXPECT_EQ(s.resource, "arn:aws:states:::lambda:invoke");
  EXPECT_EQ(s.timeout_seconds, 60);
  EXPECT_EQ(s.heartbeat_seconds, 10);
  EXPECT_TRUE(s.result_selector);
  EXPECT_TRUE(s.credentials);
  ASSERT_EQ(s.retriers.size(), 2u);
  // AWS's defaults.
  EXPECT_EQ(s.retriers[0].interval_seconds, 1);
  EXPECT_EQ(s.retriers[0].max_attempts, 3);
  EXPECT_EQ(s.retriers[0].backoff_rate, 2.0);
  EXPECT_FALSE(s.retriers[0].max_delay_seconds);
  EXPECT_EQ(s.retriers[0].jitter, JitterStrategy::kNone);
  EXPECT_EQ(s.retriers[1].error_equals, std::vector<std::string>{"States.ALL"});
  EXPECT_EQ(s.retriers[1].interval_seconds, 30);
  EXPECT_EQ(s.retriers[1].max_attempts, 2);
  EXPECT_EQ(s.retriers[1].backoff_rate, 1.5);
  EXPECT_EQ(s.retriers[1].max_delay_seconds, 100);
  EXPECT_EQ(s.retriers[1].jitter, JitterStrategy::kFull);
  ASSERT_EQ(s.catchers.size(), 2u);
  EXPECT_FALSE(s.catchers[0].result_path);
  EXPECT_EQ(s.catchers[0].next, m->FindState("T"));
  ASSERT_TRUE(s.catchers[1].result_path);
  EXPECT_EQ(s.catchers[1].result_path->text(), "$");
  EXPECT_EQ(s.catchers[1].next, m->FindState("F"));
  EXPECT_EQ(DumpGraph(*m),
            "Task(S)[retry:Lambda.TooManyRequestsException][retry:States.ALL]"
            "[catch:States.Timeout=>T][catch:States.ALL=>F]->T; Succeed(T); Fail(F)");
}

TEST(ParseDefinitionTest, TaskPathsForTimeouts) {
  auto m = MustParse(Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage",
      "TimeoutSecondsPath":"$.t","HeartbeatSecondsPath":"$.h","End":true})"));
  ASSERT_TRUE(m);
  ASSERT_TRUE(m->state(0).timeout_seconds_path);
  EXPECT_EQ(m->state(0).timeout_seconds_path->text(), "$.t");
  ASSERT_TRUE(m->state(0).heartbeat_seconds_path);
  EXPECT_FALSE(m->state(0).timeout_seconds);
}

TEST(ParseDefinitionTest, Choice) {
  auto m = MustParse(Machine(R"(
      "S":{"Type":"Choice","Choices":[
             {"Variable":"$.n","NumericGreaterThan":1,"Next":"Big"},
             {"And":[{"Variable":"$.s","IsPresent":true},{"Variable":"$.s","StringEquals":"x"}],
              "Next":"Small","Assign":{"picked":"small"}}],
           "Default":"Other"},
      "Big":{"Type":"Succeed"},"Small":{"Type":"Succeed"},"Other":{"Type":"Fail"})"));
  ASSERT_TRUE(m);
  const State& s = m->state(0);
  ASSERT_EQ(s.choices.size(), 2u);
  EXPECT_TRUE(s.choices[0].rule);
  EXPECT_EQ(s.choices[0].next, m->FindState("Big"));
  EXPECT_EQ(s.choices[1].next, m->FindState("Small"));
  EXPECT_EQ(s.choices[1].assign, nlohmann::ordered_json::parse(R"({"picked":"small"})"));
  EXPECT_EQ(s.default_next, m->FindState("Other"));
  EXPECT_EQ(DumpGraph(*m),
            "Choice(S)[choice->Big][choice->Small][default->Other]; Succeed(Big); "
            "Succeed(Small); Fail(Other)");
}

TEST(ParseDefinitionTest, WaitForms) {
  auto seconds = MustParse(Machine(R"("S":{"Type":"Wait","Seconds":3600,"End":true})"));
  ASSERT_TRUE(seconds);
  EXPECT_EQ(seconds->state(0).seconds, 3600);
  auto ts =
      MustParse(Machine(R"("S":{"Type":"Wait","Timestamp":"2024-01-01T01:00:00Z","End":true})"));
  ASSERT_TRUE(ts);
  EXPECT_EQ(ts->state(0).timestamp, time::ParseRfc3339("2024-01-01T01:00:00Z"));
  auto sp = MustParse(Machine(R"("S":{"Type":"Wait","SecondsPath":"$.s","End":true})"));
  ASSERT_TRUE(sp && sp->state(0).seconds_path);
  EXPECT_EQ(sp->state(0).seconds_path->text(), "$.s");
  auto tp = MustParse(Machine(R"("S":{"Type":"Wait","TimestampPath":"$.t","End":true})"));
  ASSERT_TRUE(tp && tp->state(0).timestamp_path);
}

TEST(ParseDefinitionTest, SucceedAndFail) {
  auto f = MustParse(Machine(R"j("S":{"Type":"Choice","Choices":[
        {"Variable":"$.ok","BooleanEquals":true,"Next":"G"}],"Default":"F"},
      "F":{"Type":"Fail","ErrorPath":"$.error","CausePath":"States.Format('bad {}', $.x)"},
      "G":{"Type":"Succeed","InputPath":"$.a","OutputPath":"$.b"})j"));
  ASSERT_TRUE(f);
  const State& fail = StateNamed(*f, "F");
  ASSERT_TRUE(fail.error_path);
  EXPECT_EQ(fail.error_path->text(), "$.error");
  EXPECT_FALSE(fail.cause_path);
  ASSERT_TRUE(fail.cause_intrinsic);
  EXPECT_EQ(fail.cause_intrinsic->text(), "States.Format('bad {}', $.x)");
  const State& succeed = StateNamed(*f, "G");
  EXPECT_EQ(succeed.type, StateType::kSucceed);
  EXPECT_TRUE(succeed.is_terminal());

  auto literal = MustParse(Machine(R"("S":{"Type":"Fail","Error":"Oops","Cause":"why"})"));
  ASSERT_TRUE(literal);
  EXPECT_EQ(literal->state(0).error, "Oops");
  EXPECT_EQ(literal->state(0).cause, "why");
}

TEST(ParseDefinitionTest, ParallelBranchesHaveTheirOwnNamespace) {
  auto m = MustParse(Machine(R"(
      "S":{"Type":"Parallel","Branches":[
             {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}},
             {"StartAt":"C","States":{"C":{"Type":"Wait","Seconds":1,"End":true}}}],
           "ResultSelector":{"first.$":"$[0]"},"Next":"Done"},
      "Done":{"Type":"Succeed"})"));
  ASSERT_TRUE(m);
  const State& p = m->state(0);
  ASSERT_EQ(p.branches.size(), 2u);
  EXPECT_EQ(p.branches[0]->states().size(), 2u);
  EXPECT_EQ(p.branches[0]->state(0).next, 1);
  EXPECT_EQ(m->FindState("A"), kNoState) << "branch states live in the branch";
  EXPECT_EQ(DumpGraph(*m),
            "Parallel(S)[branch:{Pass(A)->B; Pass(B)->End}][branch:{Wait(C)->End}]->Done; "
            "Succeed(Done)");
}

TEST(ParseDefinitionTest, MapInline) {
  auto m = MustParse(Machine(R"(
      "S":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":5,
           "ItemSelector":{"item.$":"$$.Map.Item.Value"},
           "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"P",
                            "States":{"P":{"Type":"Pass","End":true}}},
           "Retry":[{"ErrorEquals":["States.ALL"]}],"End":true})"));
  ASSERT_TRUE(m);
  const State& s = m->state(0);
  ASSERT_TRUE(s.item_processor);
  EXPECT_EQ(s.processor_mode, ProcessorMode::kInline);
  ASSERT_TRUE(s.items_path);
  EXPECT_EQ(s.items_path->text(), "$.items");
  EXPECT_EQ(s.max_concurrency, 5);
  EXPECT_TRUE(s.item_selector);
  EXPECT_EQ(DumpGraph(*m), "Map(S)[retry:States.ALL][processor:{Pass(P)->End}]->End");
}

TEST(ParseDefinitionTest, MapIteratorAndParameters) {
  auto m = MustParse(Machine(R"(
      "S":{"Type":"Map","Parameters":{"x.$":"$$.Map.Item.Value"},
           "Iterator":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true})"));
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->state(0).item_processor);
  EXPECT_TRUE(m->state(0).item_selector) << "older Parameters becomes the item selector";
  EXPECT_FALSE(m->state(0).parameters);
  ASSERT_TRUE(m->state(0).items_path);
  EXPECT_EQ(m->state(0).items_path->text(), "$");
}

TEST(ParseDefinitionTest, MapDistributed) {
  auto m = MustParse(Machine(R"(
      "S":{"Type":"Map","Label":"Orders",
           "ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
                         "ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
                         "Parameters":{"Bucket":"b","Key.$":"$.key"}},
           "ItemBatcher":{"MaxItemsPerBatch":10,"BatchInput":{"run":"x"}},
           "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject",
                           "Parameters":{"Bucket":"out","Prefix":"p"}},
           "ToleratedFailurePercentage":5.5,"ToleratedFailureCount":3,
           "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
                            "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
           "End":true})"));
  ASSERT_TRUE(m);
  const State& s = m->state(0);
  EXPECT_EQ(s.processor_mode, ProcessorMode::kDistributed);
  EXPECT_EQ(s.execution_type, ExecutionType::kExpress);
  EXPECT_EQ(s.label, "Orders");
  EXPECT_EQ(s.item_reader["Resource"], "arn:aws:states:::s3:getObject");
  EXPECT_TRUE(s.item_reader_parameters);
  EXPECT_EQ(s.item_batcher["MaxItemsPerBatch"], 10);
  EXPECT_TRUE(s.result_writer_parameters);
  EXPECT_EQ(s.tolerated_failure_percentage, 5.5);
  EXPECT_EQ(s.tolerated_failure_count, 3);
}

TEST(ParseDefinitionTest, JsonataMachine) {
  auto m = MustParse(R"({"QueryLanguage":"JSONata","StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "Arguments":{"FunctionName":"f","Payload":"{% $states.input %}"},
           "Output":"{% $states.result.Payload %}","Assign":{"x":"{% $states.input.x %}"},
           "TimeoutSeconds":"{% $timeout %}",
           "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput %}","Next":"F"}],
           "Next":"C"},
      "C":{"Type":"Choice","Choices":[{"Condition":"{% $x > 1 %}","Next":"W"}],"Default":"F"},
      "W":{"Type":"Wait","Seconds":"{% $x %}","Next":"M"},
      "M":{"Type":"Map","Items":"{% $states.input.items %}",
           "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Output":1,"End":true}}},
           "End":true},
      "F":{"Type":"Fail","Error":"{% 'E' %}"}}})");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->query_language(), QueryLanguage::kJsonata);
  const State& t = StateNamed(*m, "T");
  EXPECT_EQ(t.query_language, QueryLanguage::kJsonata);
  EXPECT_EQ(t.arguments->raw()["FunctionName"], "f");
  EXPECT_EQ(t.output->expression_text(), "$states.result.Payload");
  EXPECT_EQ(t.output->field(), "Output");
  EXPECT_EQ(t.timeout_seconds_expr->expression_text(), "$timeout");
  EXPECT_EQ(t.catchers[0].output->field(), "Catch[0]/Output");
  const State& c = StateNamed(*m, "C");
  EXPECT_FALSE(c.choices[0].rule);
  EXPECT_EQ(c.choices[0].condition->expression_text(), "$x > 1");
  EXPECT_EQ(c.choices[0].condition->field(), "Choices[0]/Condition");
  EXPECT_EQ(StateNamed(*m, "W").seconds_expr->expression_text(), "$x");
  EXPECT_EQ(StateNamed(*m, "M").items->expression_text(), "$states.input.items");
  EXPECT_EQ(StateNamed(*m, "M").item_processor->state(0).query_language, QueryLanguage::kJsonata);
}

TEST(ParseDefinitionTest, StateLevelJsonataInAJsonPathMachine) {
  auto m = MustParse(Machine(R"("S":{"Type":"Pass","QueryLanguage":"JSONata",
      "Output":{"a":"{% 1 %}"},"Next":"T"},"T":{"Type":"Pass","ResultPath":"$.x","End":true})"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->state(0).query_language, QueryLanguage::kJsonata);
  EXPECT_TRUE(m->state(0).query_language_set);
  EXPECT_EQ(m->state(1).query_language, QueryLanguage::kJsonPath);
}

// ---------------------------------------------------------------------------------------------
// The seed article's examples, embedded in minimal machines.

TEST(ParseDefinitionTest, SeedTransformOrders) {
  auto m = MustParse(R"({"StartAt":"TransformOrders","States":{
"TransformOrders": {
"Type": "Task",
"Resource": "arn:aws:states:::glue:startJobRun.sync",
"Parameters": {
"JobName": "transform-orders",
"Arguments": { "--date.$": "$.date" }
},
"Retry": [
{ "ErrorEquals": ["States.ALL"], "IntervalSeconds": 30, "MaxAttempts": 2, "BackoffRate": 2 }
],
"Catch": [
{ "ErrorEquals": ["States.ALL"], "Next": "HandleFailure" }
],
"Next": "ParallelBranch"
},
"ParallelBranch": {"Type":"Parallel","Branches":[
  {"StartAt":"EnrichCurrency","States":{"EnrichCurrency":{"Type":"Task",
     "Resource":"arn:aws:states:::lambda:invoke","End":true}}}],"End":true},
"HandleFailure": {"Type":"Fail","Error":"TransformFailed"}}})");
  ASSERT_TRUE(m);
  EXPECT_EQ(DumpGraph(*m),
            "Task(TransformOrders)[retry:States.ALL][catch:States.ALL=>HandleFailure]"
            "->ParallelBranch; Parallel(ParallelBranch)[branch:{Task(EnrichCurrency)->End}]->End; "
            "Fail(HandleFailure)");
  const Retrier& r = m->state(0).retriers.at(0);
  EXPECT_EQ(r.interval_seconds, 30);
  EXPECT_EQ(r.max_attempts, 2);
  EXPECT_EQ(r.backoff_rate, 2);
}

TEST(ParseDefinitionTest, SeedManualApproval) {
  auto m = MustParse(R"({"StartAt":"ManualApproval","States":{
"ManualApproval": {
"Type": "Task",
"Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
"Parameters": {
"FunctionName": "send-approval-request",
"Payload": {
"TaskToken.$": "$$.Task.Token",
"Date.$": "$.date",
"DQScore.$": "$.dq_score",
"ApprovalContext": "Nightly ETL ready for warehouse publish"
}
},
"TimeoutSeconds": 3600,
"HeartbeatSeconds": 1800,
"Catch": [
{ "ErrorEquals": ["States.Timeout"], "Next": "ApprovalTimedOut" }
],
"Next": "PublishToWarehouse"
},
"PublishToWarehouse": {"Type":"Task","Resource":"arn:aws:states:::glue:startJobRun.sync",
  "Parameters":{"JobName":"publish-to-warehouse"},"End":true},
"ApprovalTimedOut": {"Type":"Fail","Error":"ApprovalTimedOut"}}})");
  ASSERT_TRUE(m);
  const State& s = m->state(0);
  EXPECT_EQ(s.timeout_seconds, 3600);
  EXPECT_EQ(s.heartbeat_seconds, 1800);
  EXPECT_EQ(DumpGraph(*m),
            "Task(ManualApproval)[catch:States.Timeout=>ApprovalTimedOut]->PublishToWarehouse; "
            "Task(PublishToWarehouse)->End; Fail(ApprovalTimedOut)");
}

// ---------------------------------------------------------------------------------------------
// Broken definitions: each gives exactly the listed (code, location) errors.

struct BrokenCase {
  std::string_view name;
  std::string definition;
  std::vector<std::pair<std::string, std::string>> want;  // code, location
};

std::vector<std::pair<std::string, std::string>> Errors(const std::vector<Diagnostic>& ds) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Diagnostic& d : ds) {
    if (d.severity == Severity::kError) out.emplace_back(d.code, d.location);
  }
  return out;
}

const std::vector<BrokenCase>& BrokenCases() {
  static const std::vector<BrokenCase> kCases = {
      {"MissingNextTarget",
       Machine(R"("S":{"Type":"Pass","Next":"Nope"},"E":{"Type":"Succeed"})"),
       {{"MISSING_TRANSITION_TARGET", "/States/S/Next"},
        {"MISSING_TRANSITION_TARGET", "/States/E"}}},
      {"UnknownStartAt",
       R"({"StartAt":"X","States":{"S":{"Type":"Succeed"}}})",
       {{"MISSING_TRANSITION_TARGET", "/StartAt"}}},
      {"MissingStartAt",
       R"({"States":{"S":{"Type":"Succeed"}}})",
       {{"SCHEMA_VALIDATION_FAILED", "/"}}},
      {"MissingStates", R"({"StartAt":"S"})", {{"SCHEMA_VALIDATION_FAILED", "/"}}},
      {"EmptyStates", R"({"StartAt":"S","States":{}})", {{"SCHEMA_VALIDATION_FAILED", "/States"}}},
      {"UnreachableState",
       Machine(R"("S":{"Type":"Succeed"},"Orphan":{"Type":"Pass","End":true})"),
       {{"MISSING_TRANSITION_TARGET", "/States/Orphan"}}},
      {"NoTerminalState",
       Machine(R"("S":{"Type":"Pass","Next":"T"},"T":{"Type":"Pass","Next":"S"})"),
       {{"MISSING_END_STATE", ""}}},
      {"NextAndEnd",
       Machine(R"("S":{"Type":"Pass","Next":"S","End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}, {"MISSING_END_STATE", ""}}},
      {"NeitherNextNorEnd",
       Machine(R"("S":{"Type":"Pass"})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}, {"MISSING_END_STATE", ""}}},
      {"EndFalseAlone",
       Machine(R"("S":{"Type":"Wait","Seconds":1,"End":false})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}, {"MISSING_END_STATE", ""}}},
      {"NextOnSucceed",
       Machine(R"("S":{"Type":"Succeed","Next":"S"})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"EndOnChoice",
       Machine(R"("S":{"Type":"Choice","End":true,"Choices":[
           {"Variable":"$.a","IsNull":true,"Next":"E"}]},"E":{"Type":"Succeed"})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"ResultOnTask",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "Result":{},"End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"UnknownField",
       Machine(R"("S":{"Type":"Pass","Foo":1,"End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"UnknownTopLevelField",
       R"({"StartAt":"S","Bogus":1,"States":{"S":{"Type":"Succeed"}}})",
       {{"SCHEMA_VALIDATION_FAILED", "/"}}},
      {"TimeoutSecondsOnPass",
       Machine(R"("S":{"Type":"Pass","TimeoutSeconds":5,"End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"CatchOnPass",
       Machine(
           R"("S":{"Type":"Pass","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"S"}]})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"MissingType",
       Machine(R"("S":{"End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}, {"MISSING_END_STATE", ""}}},
      {"BadType",
       Machine(R"("S":{"Type":"Loop","End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Type"}, {"MISSING_END_STATE", ""}}},
      {"StateNameTooLong",
       fmt::format(R"({{"StartAt":"{0}","States":{{"{0}":{{"Type":"Succeed"}}}}}})",
                   std::string(81, 'n')),
       {{"INVALID_STATE_NAME", "/States/" + std::string(81, 'n')}}},
      {"DuplicateStateName",
       Machine(R"("S":{"Type":"Pass","End":true},"S":{"Type":"Succeed"})"),
       {{"DUPLICATE_STATE_NAME", "/States/S"}}},
      {"DuplicateStateNameAcrossBranches",
       Machine(R"("S":{"Type":"Parallel","End":true,"Branches":[
           {"StartAt":"S","States":{"S":{"Type":"Succeed"}}}]})"),
       {{"DUPLICATE_STATE_NAME", "/States/S/Branches/0/States/S"}}},
      {"TransitionOutOfBranch",
       Machine(R"("S":{"Type":"Parallel","Next":"Done","Branches":[
           {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Done"}}}]},
           "Done":{"Type":"Succeed"})"),
       {{"MISSING_TRANSITION_TARGET", "/States/S/Branches/0/States/A/Next"}}},
      {"EmptyBranches",
       Machine(R"("S":{"Type":"Parallel","Branches":[],"End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Branches"}}},
      {"MissingBranches",
       Machine(R"("S":{"Type":"Parallel","End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"BranchMissingStartAt",
       Machine(R"("S":{"Type":"Parallel","End":true,"Branches":[
           {"States":{"A":{"Type":"Succeed"}}}]})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Branches/0"}}},
      {"MapWithoutProcessor",
       Machine(R"("S":{"Type":"Map","End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"MapBadProcessorMode",
       Machine(R"("S":{"Type":"Map","End":true,"ItemProcessor":{
           "ProcessorConfig":{"Mode":"SIDEWAYS"},"StartAt":"P","States":{"P":{"Type":"Succeed"}}}})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/ItemProcessor/ProcessorConfig/Mode"}}},
      {"MapDistributedWithoutExecutionType",
       Machine(R"("S":{"Type":"Map","End":true,"ItemProcessor":{
           "ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"P","States":{"P":{"Type":"Succeed"}}}})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/ItemProcessor/ProcessorConfig"}}},
      {"MapBothMaxConcurrencyFields",
       Machine(R"("S":{"Type":"Map","End":true,"MaxConcurrency":2,"MaxConcurrencyPath":"$.m",
           "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/MaxConcurrency"}}},
      {"MapNegativeMaxConcurrency",
       Machine(R"("S":{"Type":"Map","End":true,"MaxConcurrency":-1,
           "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/MaxConcurrency"}}},
      {"MapBadLabel",
       Machine(R"("S":{"Type":"Map","End":true,"Label":"has space",
           "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}})"),
       {{"INVALID_LABEL_NAME", "/States/S/Label"}}},
      {"MapBadItemReaderResource",
       Machine(R"("S":{"Type":"Map","End":true,"ItemReader":{"Resource":"arn:aws:states:::s3:nope"},
           "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/ItemReader/Resource"}}},
      {"EmptyErrorEquals",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "Retry":[{"ErrorEquals":[]}]})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Retry/0/ErrorEquals"}}},
      {"StatesAllNotAlone",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "Retry":[{"ErrorEquals":["States.ALL","States.Timeout"]}]})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Retry/0/ErrorEquals"}}},
      {"StatesAllRetrierNotLast",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["States.Timeout"]}]})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Retry/0"}}},
      {"StatesAllCatcherNotLast",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"},
                    {"ErrorEquals":["States.Timeout"],"Next":"F"}]},"F":{"Type":"Fail"})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Catch/0"}}},
      {"RetrierFieldRanges",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "Retry":[{"ErrorEquals":["E"],"MaxAttempts":-1,"BackoffRate":0.5,"IntervalSeconds":0,
                     "MaxDelaySeconds":0,"JitterStrategy":"SOME"}]})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Retry/0/IntervalSeconds"},
        {"SCHEMA_VALIDATION_FAILED", "/States/S/Retry/0/MaxAttempts"},
        {"SCHEMA_VALIDATION_FAILED", "/States/S/Retry/0/BackoffRate"},
        {"SCHEMA_VALIDATION_FAILED", "/States/S/Retry/0/MaxDelaySeconds"},
        {"SCHEMA_VALIDATION_FAILED", "/States/S/Retry/0/JitterStrategy"}}},
      {"RetrierUnknownField",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "Retry":[{"ErrorEquals":["E"],"Delay":3}]})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Retry/0"}}},
      {"CatcherWithoutNext",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "Catch":[{"ErrorEquals":["E"]}]})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Catch/0"}}},
      {"CatchToMissingState",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "Catch":[{"ErrorEquals":["E"],"Next":"Gone"}]})"),
       {{"MISSING_TRANSITION_TARGET", "/States/S/Catch/0/Next"}}},
      {"WaitTwoForms",
       Machine(R"("S":{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"WaitNoForm",
       Machine(R"("S":{"Type":"Wait","End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"WaitBadTimestamp",
       Machine(R"("S":{"Type":"Wait","Timestamp":"tomorrow","End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Timestamp"}}},
      {"WaitNegativeSeconds",
       Machine(R"("S":{"Type":"Wait","Seconds":-5,"End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Seconds"}}},
      {"FailErrorAndErrorPath",
       Machine(R"("S":{"Type":"Fail","Error":"E","ErrorPath":"$.e"})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Error"}}},
      {"TaskWithoutResource",
       Machine(R"("S":{"Type":"Task","End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"TaskBadResource",
       Machine(R"("S":{"Type":"Task","Resource":"lambda","End":true})"),
       {{"INVALID_RESOURCE", "/States/S/Resource"}}},
      {"TimeoutAndTimeoutPath",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "TimeoutSeconds":5,"TimeoutSecondsPath":"$.t"})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/TimeoutSeconds"}}},
      {"ZeroTimeout",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "TimeoutSeconds":0})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/TimeoutSeconds"}}},
      {"HeartbeatNotBelowTimeout",
       Machine(R"("S":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
           "TimeoutSeconds":60,"HeartbeatSeconds":60})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/HeartbeatSeconds"}}},
      {"ChoiceWithoutChoices",
       Machine(R"("S":{"Type":"Choice","Default":"E"},"E":{"Type":"Succeed"})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S"}}},
      {"ChoiceEmptyChoices",
       Machine(R"("S":{"Type":"Choice","Choices":[],"Default":"E"},"E":{"Type":"Succeed"})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Choices"}}},
      {"ChoiceRuleWithoutNext",
       Machine(R"("S":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true}],
           "Default":"E"},"E":{"Type":"Succeed"})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Choices/0"}}},
      {"ChoiceDefaultMissing",
       Machine(R"("S":{"Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"E"}],
           "Default":"Gone"},"E":{"Type":"Succeed"})"),
       {{"MISSING_TRANSITION_TARGET", "/States/S/Default"}}},
      {"ResultPathNotAString",
       Machine(R"("S":{"Type":"Pass","ResultPath":5,"End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/ResultPath"}}},
      {"ParametersNotAnObject",
       Machine(R"("S":{"Type":"Pass","Parameters":[1],"End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Parameters"}}},
      {"DynamicKeyNotAString",
       Machine(R"("S":{"Type":"Pass","Parameters":{"a.$":5},"End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Parameters"}}},
      {"JsonPathFieldInJsonata",
       R"({"QueryLanguage":"JSONata","StartAt":"S","States":{
           "S":{"Type":"Pass","InputPath":"$.a","OutputPath":"$.b","ResultPath":"$.c","End":true}}})",
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/InputPath"},
        {"SCHEMA_VALIDATION_FAILED", "/States/S/OutputPath"},
        {"SCHEMA_VALIDATION_FAILED", "/States/S/ResultPath"}}},
      {"JsonataFieldInJsonPath",
       Machine(R"("S":{"Type":"Pass","Output":{},"End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/S/Output"}}},
      {"BadQueryLanguage",
       R"({"QueryLanguage":"XPath","StartAt":"S","States":{"S":{"Type":"Succeed"}}})",
       {{"SCHEMA_VALIDATION_FAILED", "/QueryLanguage"}}},
      {"TopLevelTimeoutNotPositive",
       R"({"TimeoutSeconds":0,"StartAt":"S","States":{"S":{"Type":"Succeed"}}})",
       {{"SCHEMA_VALIDATION_FAILED", "/TimeoutSeconds"}}},
      {"AllProblemsReported",
       Machine(R"("S":{"Type":"Pass","Next":"X"},"T":{"Type":"Wait","End":true},
           "U":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Bogus":1,"End":true})"),
       {{"SCHEMA_VALIDATION_FAILED", "/States/T"},
        {"SCHEMA_VALIDATION_FAILED", "/States/U"},
        {"MISSING_TRANSITION_TARGET", "/States/S/Next"},
        {"MISSING_TRANSITION_TARGET", "/States/T"},
        {"MISSING_TRANSITION_TARGET", "/States/U"}}},
  };
  return kCases;
}

TEST(ParseDefinitionTest, BrokenDefinitionsGiveTheRightDiagnostics) {
  for (const BrokenCase& c : BrokenCases()) {
    ParseResult result = ParseDefinition(c.definition);
    EXPECT_EQ(result.machine, nullptr) << c.name;
    EXPECT_EQ(Errors(result.diagnostics), c.want) << c.name << "\n" << Describe(result.diagnostics);
  }
}

// Needs the real JSONPath compiler (emulator/query/json_path.cc): the stub accepts any path.
TEST(ParseDefinitionTest, InvalidPathsAreInvalidJsonPath) {
  struct PathCase {
    std::string_view name;
    std::string definition;
    std::string_view location;
  };
  const PathCase cases[] = {
      {"InputPath", Machine(R"("S":{"Type":"Pass","InputPath":"$.a[","End":true})"),
       "/States/S/InputPath"},
      {"OutputPathNoDollar", Machine(R"("S":{"Type":"Pass","OutputPath":"a.b","End":true})"),
       "/States/S/OutputPath"},
      {"ResultPathNotReference", Machine(R"("S":{"Type":"Pass","ResultPath":"$.a[*]","End":true})"),
       "/States/S/ResultPath"},
      {"ItemsPathNotReference", Machine(R"("S":{"Type":"Map","ItemsPath":"$..x","End":true,
           "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}}})"),
       "/States/S/ItemsPath"},
      {"SecondsPath", Machine(R"("S":{"Type":"Wait","SecondsPath":"$.[","End":true})"),
       "/States/S/SecondsPath"},
      {"ParametersPath", Machine(R"("S":{"Type":"Pass","Parameters":{"a.$":"$.["},"End":true})"),
       "/States/S/Parameters"},
  };
  for (const PathCase& c : cases) {
    ParseResult result = ParseDefinition(c.definition);
    std::vector<std::pair<std::string, std::string>> want = {
        {"INVALID_JSON_PATH", std::string(c.location)}};
    EXPECT_EQ(Errors(result.diagnostics), want) << c.name << "\n" << Describe(result.diagnostics);
  }
}

// Needs the real Choice rule compiler (emulator/query/choice_rule.cc).
TEST(ParseDefinitionTest, InvalidChoiceRules) {
  struct RuleCase {
    std::string_view name;
    std::string_view rule;
    std::string_view code;
  };
  const RuleCase cases[] = {
      {"NoOperator", R"({"Variable":"$.a","Next":"E"})", "SCHEMA_VALIDATION_FAILED"},
      {"TwoOperators", R"({"Variable":"$.a","IsNull":true,"IsPresent":true,"Next":"E"})",
       "SCHEMA_VALIDATION_FAILED"},
      {"WrongOperandType", R"({"Variable":"$.a","NumericEquals":"one","Next":"E"})",
       "SCHEMA_VALIDATION_FAILED"},
      {"NestedNext", R"({"Not":{"Variable":"$.a","IsNull":true,"Next":"E"},"Next":"E"})",
       "SCHEMA_VALIDATION_FAILED"},
      {"BadVariable", R"({"Variable":"a.b","IsNull":true,"Next":"E"})", "INVALID_JSON_PATH"},
  };
  for (const RuleCase& c : cases) {
    ParseResult result = ParseDefinition(Machine(fmt::format(
        R"("S":{{"Type":"Choice","Choices":[{}],"Default":"E"}},"E":{{"Type":"Succeed"}})",
        c.rule)));
    std::vector<std::pair<std::string, std::string>> want = {
        {std::string(c.code), "/States/S/Choices/0"}};
    EXPECT_EQ(Errors(result.diagnostics), want) << c.name << "\n" << Describe(result.diagnostics);
  }
}

TEST(ParseDefinitionTest, Warnings) {
  ParseResult no_dollar =
      ParseDefinition(Machine(R"("S":{"Type":"Pass","Parameters":{"a":"$.x"},"End":true})"));
  EXPECT_TRUE(no_dollar.machine);
  ASSERT_EQ(no_dollar.diagnostics.size(), 1u) << Describe(no_dollar.diagnostics);
  EXPECT_EQ(no_dollar.diagnostics[0].severity, Severity::kWarning);
  EXPECT_EQ(no_dollar.diagnostics[0].code, "NO_DOLLAR");
  EXPECT_EQ(no_dollar.diagnostics[0].location, "/States/S/Parameters/a");

  ParseResult static_result =
      ParseDefinition(Machine(R"("S":{"Type":"Pass","Result":{"a.$":"$.x"},"End":true})"));
  EXPECT_TRUE(static_result.machine);
  ASSERT_EQ(static_result.diagnostics.size(), 1u);
  EXPECT_EQ(static_result.diagnostics[0].code, "PASS_RESULT_IS_STATIC");

  ParseResult no_path = ParseDefinition(Machine(R"("S":{"Type":"Fail","Error":"$.error"})"));
  EXPECT_TRUE(no_path.machine);
  ASSERT_EQ(no_path.diagnostics.size(), 1u);
  EXPECT_EQ(no_path.diagnostics[0].code, "NO_PATH");
  EXPECT_EQ(no_path.diagnostics[0].location, "/States/S/Error");
}

// ---------------------------------------------------------------------------------------------
// Bad input never crashes.

TEST(ParseDefinitionTest, MalformedJson) {
  const std::string_view cases[] = {
      "{",
      "}",
      "[1,2",
      R"({"StartAt":})",
      "nul",
      "\"unterminated",
      "{\"a\" 1}",
      "\xff\xfe{}",
      "{\"a\":1}garbage",
      "1e99999",
      "{,}",
      "[]]",
  };
  for (std::string_view text : cases) {
    ParseResult result = ParseDefinition(text);
    EXPECT_EQ(result.machine, nullptr) << text;
    ASSERT_EQ(result.diagnostics.size(), 1u) << text << Describe(result.diagnostics);
    EXPECT_EQ(result.diagnostics[0].code, "INVALID_JSON_DESCRIPTION") << text;
  }
}

TEST(ParseDefinitionTest, EmptyAndNonObjectDefinitions) {
  EXPECT_EQ(Errors(ParseDefinition("").diagnostics),
            (std::vector<std::pair<std::string, std::string>>{{"MISSING_DESCRIPTION", ""}}));
  EXPECT_EQ(Errors(ParseDefinition("  \n").diagnostics),
            (std::vector<std::pair<std::string, std::string>>{{"MISSING_DESCRIPTION", ""}}));
  for (std::string_view text : {"[]", "1", "null", "\"x\"", "true"}) {
    EXPECT_EQ(Errors(ParseDefinition(text).diagnostics),
              (std::vector<std::pair<std::string, std::string>>{{"SCHEMA_VALIDATION_FAILED", "/"}}))
        << text;
  }
}

TEST(ParseDefinitionTest, TenThousandLevelsOfNesting) {
  std::string arrays = std::string(10000, '[') + std::string(10000, ']');
  ParseResult a = ParseDefinition(arrays);
  ASSERT_EQ(a.diagnostics.size(), 1u);
  EXPECT_EQ(a.diagnostics[0].code, "TOO_DEEPLY_NESTED");

  std::string in_result = Machine(R"("S":{"Type":"Pass","End":true,"Result":)" + arrays + "}");
  ParseResult b = ParseDefinition(in_result);
  ASSERT_EQ(b.diagnostics.size(), 1u);
  EXPECT_EQ(b.diagnostics[0].code, "TOO_DEEPLY_NESTED");

  std::string unbalanced = std::string(10000, '{');
  EXPECT_EQ(ParseDefinition(unbalanced).diagnostics.size(), 1u);
}

TEST(ParseDefinitionTest, DeeplyNestedParallelsAreCapped) {
  // Within JSON's depth limit, but deeper than kMaxMachineNesting sub-machines.
  std::string def = R"({"StartAt":"L","States":{"L":{"Type":"Succeed"}}})";
  for (int i = 0; i < kMaxMachineNesting + 5; ++i) {
    def = fmt::format(R"({{"StartAt":"P{0}","States":{{"P{0}":{{"Type":"Parallel","End":true,
        "Branches":[{1}]}}}}}})",
                      i, def);
  }
  ParseResult result = ParseDefinition(def);
  EXPECT_EQ(result.machine, nullptr);
  bool too_deep = false;
  for (const Diagnostic& d : result.diagnostics) too_deep |= d.code == "TOO_DEEPLY_NESTED";
  EXPECT_TRUE(too_deep) << Describe(result.diagnostics);
}

TEST(ParseDefinitionTest, DeeplyNestedChoiceRulesDoNotCrash) {
  std::string rule = R"({"Variable":"$.a","IsNull":true})";
  for (int i = 0; i < 100; ++i) rule = R"({"Not":)" + rule + "}";
  rule.insert(rule.size() - 1, R"(,"Next":"E")");
  ParseResult result = ParseDefinition(
      Machine(R"("S":{"Type":"Choice","Choices":[)" + rule + R"(]},"E":{"Type":"Succeed"})"));
  (void)result;  // valid or not is the query layer's call; it must not crash
}

TEST(ParseDefinitionTest, HugeStrings) {
  std::string huge(1 << 20, 'x');  // AWS caps a definition at 1 MiB
  ParseResult comment =
      ParseDefinition(Machine(R"("S":{"Type":"Pass","Comment":")" + huge + R"(","End":true})"));
  EXPECT_TRUE(comment.machine) << Describe(comment.diagnostics);

  ParseResult name = ParseDefinition(
      fmt::format(R"({{"StartAt":"{0}","States":{{"{0}":{{"Type":"Succeed"}}}}}})", huge));
  ASSERT_EQ(Errors(name.diagnostics).size(), 1u);
  EXPECT_EQ(name.diagnostics[0].code, "INVALID_STATE_NAME");

  ParseResult path =
      ParseDefinition(Machine(R"("S":{"Type":"Pass","InputPath":"$.)" + huge + R"(","End":true})"));
  (void)path;  // must not crash, whatever the path compiler says
}

// Every field of every state type, given a value of the wrong type, gives an error.
TEST(ParseDefinitionTest, WrongTypesInEveryField) {
  struct Base {
    std::string_view type;
    std::string state;  // a valid state named S, as "S":{...}
    std::string extra;  // other states it needs
    std::vector<std::string_view> fields;
  };
  const std::string task =
      R"("Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true)";
  const std::vector<Base> bases = {
      {"Pass",
       R"("Type":"Pass","End":true)",
       "",
       {"Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath",
        "Assign"}},
      {"Task",
       task,
       "",
       {"Type", "Comment", "Next", "End", "Resource", "InputPath", "OutputPath", "Parameters",
        "ResultSelector", "ResultPath", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath",
        "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials", "Assign", "QueryLanguage"}},
      {"Choice",
       R"("Type":"Choice","Choices":[{"Variable":"$.a","IsNull":true,"Next":"E"}])",
       R"(,"E":{"Type":"Succeed"})",
       {"Type", "Comment", "Choices", "Default", "InputPath", "OutputPath", "Assign"}},
      {"Wait",
       R"("Type":"Wait","Seconds":1,"End":true)",
       "",
       {"Type", "Comment", "Next", "End", "Seconds", "Timestamp", "SecondsPath", "TimestampPath",
        "InputPath", "OutputPath"}},
      {"Succeed", R"("Type":"Succeed")", "", {"Type", "Comment", "InputPath", "OutputPath"}},
      {"Fail",
       R"("Type":"Fail")",
       "",
       {"Type", "Comment", "Error", "Cause", "ErrorPath", "CausePath"}},
      {"Parallel",
       R"("Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Succeed"}}}])",
       "",
       {"Type", "Comment", "Next", "End", "Branches", "InputPath", "OutputPath", "Parameters",
        "ResultSelector", "ResultPath", "Retry", "Catch"}},
      {"Map",
       R"("Type":"Map","End":true,"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Succeed"}}})",
       "",
       {"Type",
        "Comment",
        "Next",
        "End",
        "ItemProcessor",
        "Iterator",
        "ItemsPath",
        "ItemSelector",
        "Parameters",
        "MaxConcurrency",
        "MaxConcurrencyPath",
        "ItemReader",
        "ItemBatcher",
        "ResultWriter",
        "ToleratedFailurePercentage",
        "ToleratedFailurePercentagePath",
        "ToleratedFailureCount",
        "ToleratedFailureCountPath",
        "Label",
        "InputPath",
        "OutputPath",
        "ResultPath",
        "ResultSelector",
        "Retry",
        "Catch"}},
  };
  // None of these fits any field above: no field takes a nested array of numbers (or a bare
  // number where the number could be valid, which is why 1.5 is not on the list).
  const std::string_view wrong_values[] = {"[[1]]", "{\"x\":[]}", "true"};
  for (const Base& base : bases) {
    for (std::string_view field : base.fields) {
      for (std::string_view wrong : wrong_values) {
        if (field == "End" && wrong == "true") continue;  // the one right value
        // Replace the field if the base has it, else add it.
        nlohmann::ordered_json state = nlohmann::ordered_json::parse("{" + base.state + "}");
        state[std::string(field)] = nlohmann::ordered_json::parse(wrong);
        std::string def = Machine(R"("S":)" + state.dump() + base.extra);
        ParseResult result = ParseDefinition(def);
        bool objects_ok =
            wrong.front() == '{' &&
            (field == "Parameters" || field == "ResultSelector" || field == "ItemSelector" ||
             field == "Credentials" || field == "Assign" || field == "ItemReader" ||
             field == "ItemBatcher" || field == "ResultWriter" || field == "ItemProcessor" ||
             field == "Iterator");
        if (objects_ok) continue;  // an object is the right type there; covered elsewhere
        EXPECT_TRUE(HasErrors(result.diagnostics)) << base.type << "." << field << " = " << wrong;
        EXPECT_EQ(result.machine, nullptr) << base.type << "." << field << " = " << wrong;
      }
    }
  }
}

TEST(ParseDefinitionTest, WrongTypesInNestedObjects) {
  const std::string task =
      R"("Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true)";
  const std::string_view retry_fields[] = {"ErrorEquals", "IntervalSeconds", "MaxAttempts",
                                           "BackoffRate", "MaxDelaySeconds", "JitterStrategy",
                                           "Comment"};
  for (std::string_view field : retry_fields) {
    nlohmann::ordered_json retrier = nlohmann::ordered_json::parse(R"({"ErrorEquals":["E"]})");
    retrier[std::string(field)] = nlohmann::ordered_json::parse("[[1]]");
    ParseResult result =
        ParseDefinition(Machine("\"S\":{" + task + ",\"Retry\":[" + retrier.dump() + "]}"));
    EXPECT_TRUE(HasErrors(result.diagnostics)) << "Retry." << field;
  }
  const std::string_view catch_fields[] = {"ErrorEquals", "Next", "ResultPath", "Comment"};
  for (std::string_view field : catch_fields) {
    nlohmann::ordered_json catcher = nlohmann::ordered_json::parse(R"({"ErrorEquals":["E"],"Next":"S"})");
    catcher[std::string(field)] = nlohmann::ordered_json::parse("[[1]]");
    ParseResult result =
        ParseDefinition(Machine("\"S\":{" + task + ",\"Catch\":[" + catcher.dump() + "]}"));
    EXPECT_TRUE(HasErrors(result.diagnostics)) << "Catch." << field;
  }
  const std::string_view top_fields[] = {"StartAt", "States",         "Comment",
                                         "Version", "TimeoutSeconds", "QueryLanguage"};
  for (std::string_view field : top_fields) {
    nlohmann::ordered_json def =
        nlohmann::ordered_json::parse(R"({"StartAt":"S","States":{"S":{"Type":"Succeed"}}})");
    def[std::string(field)] = nlohmann::ordered_json::parse("[[1]]");
    EXPECT_TRUE(HasErrors(ParseDefinition(def.dump()).diagnostics)) << field;
  }
}

// Truncations and byte flips of a rich definition, from a fixed-seed generator: whatever the
// bytes, ParseDefinition returns (the sanitizer build catches anything worse).
TEST(ParseDefinitionTest, MutatedDefinitionsNeverCrash) {
  const std::string base = R"j({"StartAt":"T","TimeoutSeconds":60,"States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"a.$":"$.x"},
           "Retry":[{"ErrorEquals":["States.ALL"],"MaxAttempts":2}],
           "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.e","Next":"F"}],"Next":"C"},
      "C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.n","NumericGreaterThan":1},
           {"Not":{"Variable":"$.s","StringMatches":"a*"}}],"Next":"P"}],"Default":"W"},
      "W":{"Type":"Wait","Timestamp":"2024-01-01T00:00:00Z","Next":"P"},
      "P":{"Type":"Parallel","Branches":[{"StartAt":"M","States":{"M":{"Type":"Map",
           "ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}},
           "End":true}}}],"Next":"F"},
      "F":{"Type":"Fail","CausePath":"States.Format('{}', $.c)"}}})j";
  ASSERT_TRUE(MustParse(base));
  std::uint64_t seed = 0x5eed;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(seed >> 33);
  };
  const std::string_view bytes = "{}[]\",:$.*?@0-9aZ \\\x00\xff";
  for (int i = 0; i < 3000; ++i) {
    std::string text = base;
    switch (i % 3) {
      case 0:
        text.resize(next() % text.size());
        break;
      case 1:
        for (int k = 0; k < 3; ++k) text[next() % text.size()] = bytes[next() % bytes.size()];
        break;
      default:
        text.erase(next() % text.size(), 1 + next() % 8);
        break;
    }
    ParseResult result = ParseDefinition(text);
    EXPECT_EQ(result.machine == nullptr, HasErrors(result.diagnostics)) << text;
  }
}

// CreateStateMachine's refusals in AWS's own words, as recorded against AWS.
TEST(ParseDefinitionTest, RefusalsInAwsWords) {
  struct WordsCase {
    std::string_view name;
    std::string definition;
    std::string_view want;
  };
  const std::string lambda = R"("Type":"Task","Resource":"arn:aws:states:::lambda:invoke")";
  const WordsCase cases[] = {
      {"MissingStates", R"({"Comment":"c","StartAt":"S"})",
       "SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /"},
      {"EmptyCredentials",
       R"({"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{)" + lambda +
           R"(,"Credentials":{},"End":true}}})",
       "SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing at "
       "/States/S/Credentials"},
      {"CredentialsWithoutRole",
       Machine(R"("S":{)" + lambda + R"(,"Credentials":{"InvalidField":"x"},"End":true})"),
       "SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing at "
       "/States/S/Credentials"},
      {"WaitHourOutOfRange",
       Machine(R"("S":{"Type":"Wait","Timestamp":"2016-12-05T25:29:29Z","End":true})"),
       "SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at "
       "/States/S/Timestamp"},
      {"WaitWithoutT",
       Machine(R"("S":{"Type":"Wait","Timestamp":"2016-12-05 21:29:29Z","End":true})"),
       "SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at "
       "/States/S/Timestamp"},
      {"WaitJsonataTextInJsonPath",
       Machine(R"("S":{"Type":"Wait","Timestamp":"{% '2016-03-14T01:59:00Z' %}","End":true})"),
       "SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at "
       "/States/S/Timestamp"},
      {"IntrinsicIllegalEscape",
       Machine(R"j("S":{"Type":"Pass","End":true,"Parameters":{
           "parsed.$":"States.Format('He said, \\\"Hello, {}!\\\"', 'Test \\\"Name\\\" Here')"}})j"),
       "SCHEMA_VALIDATION_FAILED: The value for the field 'parsed.$' must be a valid JSONPath or "
       "a valid intrinsic function call at /States/S/Parameters"},
  };
  for (const WordsCase& c : cases) {
    ParseResult result = ParseDefinition(c.definition);
    EXPECT_EQ(result.machine, nullptr) << c.name;
    EXPECT_EQ(FormatInvalidDefinition(result.diagnostics),
              fmt::format("Invalid State Machine Definition: '{}'", c.want))
        << c.name << "\n"
        << Describe(result.diagnostics);
  }
}

TEST(ParseDefinitionTest, CredentialsWithARoleAreAccepted) {
  const std::string lambda = R"("Type":"Task","Resource":"arn:aws:states:::lambda:invoke")";
  MustParse(Machine(R"("S":{)" + lambda +
                    R"(,"Credentials":{"RoleArn.$":"$.role"},"End":true})"));
  MustParse(R"({"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{)" + lambda +
            R"(,"Credentials":{"RoleArn":"{% $states.input.role %}"},"End":true}}})");
}

}  // namespace
}  // namespace timeslip::asl
