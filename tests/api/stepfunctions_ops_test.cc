// The Step Functions operations through the Router, in process: shapes, errors, paging, time.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "emulator/api/errors.h"
#include "emulator/services/stepfunctions/service.h"
#include "tests/api/hosted_router.h"
#include "tests/support/same_json.h"

namespace timeslip::api {
namespace {

using Json = nlohmann::ordered_json;
using testing::Body;
using testing::ErrorMessage;
using testing::ErrorType;
using testing::HostedRouter;
using testing::kRole;

constexpr std::string_view kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:";
constexpr double kStart = 1704067200.0;  // 2024-01-01T00:00:00Z

constexpr std::string_view kPass = R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})";
constexpr std::string_view kTokenWait = R"({"StartAt":"T","States":{"T":{"Type":"Task",
    "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
    "Parameters":{"FunctionName":"f","Payload":{"token.$":"$$.Task.Token"}},
    "TimeoutSeconds":300,"End":true}}})";

std::set<std::string> Keys(const Json& object) {
  std::set<std::string> keys;
  for (const auto& [k, v] : object.items()) keys.insert(k);
  return keys;
}

class StepFunctionsOpsTest : public ::testing::Test {
 protected:
  // Creates a state machine and returns its ARN, failing the test otherwise.
  std::string CreateMachine(std::string_view name, std::string_view definition = kPass,
                            std::string_view type = "STANDARD") {
    Response r = api_.Call(
        "CreateStateMachine",
        Json{{"name", name}, {"definition", definition}, {"roleArn", kRole}, {"type", type}});
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r).value("stateMachineArn", "");
  }
  std::string Start(const std::string& machine, std::string_view input = "{}",
                    std::string_view name = "") {
    Json body = {{"stateMachineArn", machine}, {"input", input}};
    if (!name.empty()) body["name"] = name;
    Response r = api_.Call("StartExecution", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r).value("executionArn", "");
  }
  Json Describe(const std::string& execution) {
    return Body(api_.Call("DescribeExecution", Json{{"executionArn", execution}}));
  }
  Json History(const std::string& execution) {
    return Body(api_.Call("GetExecutionHistory", Json{{"executionArn", execution}}))["events"];
  }
  // The task token in the TaskScheduled event's parameters (Payload.token).
  std::string TokenOf(const std::string& execution) {
    for (const Json& e : History(execution)) {
      if (e["type"] == "TaskScheduled") {
        return Json::parse(
            e["taskScheduledEventDetails"]["parameters"].get<std::string>())["Payload"]["token"];
      }
    }
    ADD_FAILURE() << "no TaskScheduled event";
    return "";
  }
  // A request that must always work: the endpoint still serves after a bad one.
  void ExpectStillServing() {
    Response r = api_.Call("ListStateMachines", "{}");
    EXPECT_EQ(r.status, 200) << r.body;
  }

  HostedRouter api_;
};

TEST_F(StepFunctionsOpsTest, StateMachineLifecycleShapes) {
  Response created =
      api_.Call("CreateStateMachine", Json{{"name", "m"},
                                           {"definition", kPass},
                                           {"roleArn", kRole},
                                           {"tags", {{{"key", "team"}, {"value", "data"}}}}});
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.content_type, "application/x-amz-json-1.0");
  EXPECT_EQ(Body(created),
            (Json{{"stateMachineArn", std::string(kMachineArn) + "m"}, {"creationDate", kStart}}));
  const std::string arn = std::string(kMachineArn) + "m";

  Json described = Body(api_.Call("DescribeStateMachine", Json{{"stateMachineArn", arn}}));
  EXPECT_EQ(Keys(described),
            (std::set<std::string>{"creationDate", "definition", "loggingConfiguration", "name",
                                   "revisionId", "roleArn", "stateMachineArn", "status",
                                   "tracingConfiguration", "type"}));
  EXPECT_EQ(described["status"], "ACTIVE");
  EXPECT_EQ(described["type"], "STANDARD");
  EXPECT_EQ(described["definition"], kPass);
  EXPECT_EQ(described["loggingConfiguration"],
            (Json{{"level", "OFF"}, {"includeExecutionData", false}}));
  EXPECT_EQ(described["tracingConfiguration"], (Json{{"enabled", false}}));

  Json listed = Body(api_.Call("ListStateMachines", "{}"));
  EXPECT_EQ(listed, (Json{{"stateMachines",
                           {{{"stateMachineArn", arn},
                             {"name", "m"},
                             {"type", "STANDARD"},
                             {"creationDate", kStart}}}}}));

  constexpr std::string_view kPass2 =
      R"({"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}})";
  Response updated =
      api_.Call("UpdateStateMachine", Json{{"stateMachineArn", arn}, {"definition", kPass2}});
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(Keys(Body(updated)), (std::set<std::string>{"revisionId", "updateDate"}));
  EXPECT_NE(Body(updated)["revisionId"], described["revisionId"]);
  EXPECT_EQ(Body(api_.Call("DescribeStateMachine", Json{{"stateMachineArn", arn}}))["definition"],
            kPass2);

  EXPECT_EQ(Body(api_.Call("ListTagsForResource", Json{{"resourceArn", arn}})),
            (Json{{"tags", {{{"key", "team"}, {"value", "data"}}}}}));

  Response deleted = api_.Call("DeleteStateMachine", Json{{"stateMachineArn", arn}});
  EXPECT_EQ(deleted.status, 200);
  EXPECT_EQ(deleted.body, "{}");
  EXPECT_EQ(ErrorType(api_.Call("DescribeStateMachine", Json{{"stateMachineArn", arn}})),
            "StateMachineDoesNotExist");
}

TEST_F(StepFunctionsOpsTest, ArnsUseTheRequestRegionAndListsShowOnlyIt) {
  Response r =
      api_.Call("CreateStateMachine",
                Json{{"name", "m"}, {"definition", kPass}, {"roleArn", kRole}}.dump(), "eu-west-1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["stateMachineArn"], "arn:aws:states:eu-west-1:123456789012:stateMachine:m");
  EXPECT_EQ(Body(api_.Call("ListStateMachines", "{}", "eu-west-1"))["stateMachines"].size(), 1u);
  EXPECT_EQ(Body(api_.Call("ListStateMachines", "{}"))["stateMachines"].size(), 0u);
  Response a = api_.Call("CreateActivity", R"({"name":"a"})", "ap-south-1");
  EXPECT_EQ(Body(a)["activityArn"], "arn:aws:states:ap-south-1:123456789012:activity:a");
}

TEST_F(StepFunctionsOpsTest, ValidateStateMachineDefinition) {
  EXPECT_EQ(Body(api_.Call("ValidateStateMachineDefinition", Json{{"definition", kPass}})),
            (Json{{"result", "OK"}, {"diagnostics", Json::array()}, {"truncated", false}}));
  Json failed = Body(api_.Call(
      "ValidateStateMachineDefinition",
      Json{{"definition", R"({"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}})"}}));
  EXPECT_EQ(failed["result"], "FAIL");
  ASSERT_EQ(failed["diagnostics"].size(), 2u) << failed;  // no Next target, so no end either
  EXPECT_EQ(Keys(failed["diagnostics"][0]),
            (std::set<std::string>{"code", "location", "message", "severity"}));
  EXPECT_EQ(failed["diagnostics"][0]["severity"], "ERROR");
  EXPECT_EQ(failed["diagnostics"][0]["code"], "MISSING_TRANSITION_TARGET");
  EXPECT_EQ(failed["diagnostics"][0]["location"], "/States/A/Next");
  Json truncated = Body(api_.Call("ValidateStateMachineDefinition",
                                  Json{{"definition", "{\"StartAt\":1}"}, {"maxResults", 1}}));
  EXPECT_EQ(truncated["result"], "FAIL");
  EXPECT_EQ(truncated["diagnostics"].size(), 1u);
  EXPECT_EQ(truncated["truncated"], true);
}

TEST_F(StepFunctionsOpsTest, ExecutionShapes) {
  const std::string machine = CreateMachine("m");
  Response started =
      api_.Call("StartExecution",
                Json{{"stateMachineArn", machine}, {"name", "run1"}, {"input", R"({"a":1})"}});
  ASSERT_EQ(started.status, 200) << started.body;
  const std::string arn = "arn:aws:states:us-east-1:123456789012:execution:m:run1";
  EXPECT_EQ(Body(started), (Json{{"executionArn", arn}, {"startDate", kStart}}));
  // Same name and input while running is idempotent; here it has finished: already exists.
  EXPECT_EQ(ErrorType(api_.Call(
                "StartExecution",
                Json{{"stateMachineArn", machine}, {"name", "run1"}, {"input", R"({"a":2})"}})),
            "ExecutionAlreadyExists");

  EXPECT_EQ(Describe(arn),
            (Json{{"executionArn", arn},
                  {"stateMachineArn", machine},
                  {"name", "run1"},
                  {"status", "SUCCEEDED"},
                  {"startDate", kStart},
                  {"stopDate", kStart},
                  {"input", R"({"a":1})"},
                  {"inputDetails", {{"included", true}}},
                  {"output", R"({"a":1})"},
                  {"outputDetails", {{"included", true}}},
                  {"redriveCount", 0},
                  {"redriveStatus", "NOT_REDRIVABLE"},
                  {"redriveStatusReason", "Execution is SUCCEEDED and cannot be redriven"}}));

  Json listed = Body(api_.Call("ListExecutions", Json{{"stateMachineArn", machine}}));
  EXPECT_EQ(listed, (Json{{"executions",
                           {{{"executionArn", arn},
                             {"stateMachineArn", machine},
                             {"name", "run1"},
                             {"status", "SUCCEEDED"},
                             {"startDate", kStart},
                             {"stopDate", kStart}}}}}));
  EXPECT_EQ(Body(api_.Call("ListExecutions",
                           Json{{"stateMachineArn", machine}, {"statusFilter", "RUNNING"}})),
            (Json{{"executions", Json::array()}}));

  Json events = History(arn);
  ASSERT_EQ(events.size(), 4u) << events;
  EXPECT_EQ(events[0], (Json{{"timestamp", kStart},
                             {"type", "ExecutionStarted"},
                             {"id", 1},
                             {"previousEventId", 0},
                             {"executionStartedEventDetails",
                              {{"input", R"({"a":1})"},
                               {"inputDetails", {{"truncated", false}}},
                               {"roleArn", kRole}}}}));
  Json without = Body(api_.Call("GetExecutionHistory",
                                Json{{"executionArn", arn}, {"includeExecutionData", false}}));
  EXPECT_EQ(without["events"][0]["executionStartedEventDetails"], (Json{{"roleArn", kRole}}));

  Json for_execution =
      Body(api_.Call("DescribeStateMachineForExecution", Json{{"executionArn", arn}}));
  EXPECT_EQ(
      Keys(for_execution),
      (std::set<std::string>{"definition", "loggingConfiguration", "name", "revisionId", "roleArn",
                             "stateMachineArn", "tracingConfiguration", "updateDate"}));
  EXPECT_EQ(for_execution["definition"], kPass);
  // The machine as it was: an update after the start does not show.
  api_.Call("UpdateStateMachine",
            Json{{"stateMachineArn", machine},
                 {"definition", R"({"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}})"}});
  EXPECT_EQ(Body(api_.Call("DescribeStateMachineForExecution",
                           Json{{"executionArn", arn}}))["definition"],
            kPass);
}

TEST_F(StepFunctionsOpsTest, TaskTokenFlowThroughTheLambdaFake) {
  const std::string machine = CreateMachine("tok", kTokenWait);
  const std::string arn = Start(machine, R"({"x":1})");
  EXPECT_EQ(Describe(arn)["status"], "RUNNING");
  const std::string token = TokenOf(arn);
  ASSERT_EQ(token.size(), 128u);
  // The Lambda fake, unscripted, answered the invoke with AWS's shape and its payload, recorded
  // as TaskSubmitted.
  Json events = History(arn);
  Json submitted;
  for (const Json& e : events) {
    if (e["type"] == "TaskSubmitted") submitted = e["taskSubmittedEventDetails"];
  }
  ASSERT_TRUE(submitted.is_object()) << events;
  Json invoke = Json::parse(submitted["output"].get<std::string>());
  EXPECT_EQ(invoke["StatusCode"], 200);
  EXPECT_EQ(invoke["ExecutedVersion"], "$LATEST");
  EXPECT_EQ(invoke["Payload"], (Json{{"token", token}}));
  EXPECT_EQ(api_.OnEngine([&] { return api_.fakes().calls().Filter("lambda").size(); }), 1u);

  Response beat = api_.Call("SendTaskHeartbeat", Json{{"taskToken", token}});
  EXPECT_EQ(beat.status, 200);
  EXPECT_EQ(beat.body, "{}");
  Response ok = api_.Call("SendTaskSuccess", Json{{"taskToken", token}, {"output", R"({"y":2})"}});
  EXPECT_EQ(ok.status, 200) << ok.body;
  Json done = Describe(arn);
  EXPECT_EQ(done["status"], "SUCCEEDED");
  EXPECT_EQ(done["output"], R"({"y":2})");

  EXPECT_EQ(ErrorType(api_.Call("SendTaskSuccess", Json{{"taskToken", token}, {"output", "{}"}})),
            "TaskDoesNotExist");
  EXPECT_EQ(ErrorType(api_.Call("SendTaskHeartbeat", Json{{"taskToken", "nope"}})), "InvalidToken");
  EXPECT_EQ(ErrorType(api_.Call("SendTaskFailure", Json{{"taskToken", "nope"}})), "InvalidToken");

  // SendTaskFailure fails the task with the given error.
  const std::string failing = Start(machine);
  Response failed =
      api_.Call("SendTaskFailure",
                Json{{"taskToken", TokenOf(failing)}, {"error", "Rejected"}, {"cause", "no"}});
  EXPECT_EQ(failed.status, 200) << failed.body;
  Json described = Describe(failing);
  EXPECT_EQ(described["status"], "FAILED");
  EXPECT_EQ(described["error"], "Rejected");
  EXPECT_EQ(described["cause"], "no");
  EXPECT_EQ(described["redriveStatus"], "REDRIVABLE");

  const std::string invalid_output = Start(machine);
  EXPECT_EQ(ErrorType(api_.Call("SendTaskSuccess",
                                Json{{"taskToken", TokenOf(invalid_output)}, {"output", "{"}})),
            "InvalidOutput");
}

TEST_F(StepFunctionsOpsTest, PlainFunctionArnReturnsItsPayload) {
  const std::string machine = CreateMachine("fn", R"({"StartAt":"L","States":{"L":{"Type":"Task",
        "Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}})");
  const std::string arn = Start(machine, R"({"in":1})");
  Json d = Describe(arn);
  EXPECT_EQ(d["status"], "SUCCEEDED") << d;
  EXPECT_EQ(d["output"], R"({"in":1})");  // the unscripted Lambda fake echoes its payload
  const std::string other = CreateMachine("sns", R"({"StartAt":"S","States":{"S":{"Type":"Task",
        "Resource":"arn:aws:states:::sns:publish","Parameters":{"Message":"m"},"End":true}}})");
  Json no_topic = Describe(Start(other));
  EXPECT_EQ(no_topic["status"], "FAILED");
  EXPECT_EQ(no_topic["error"], "SNS.InvalidParameterException");
}

TEST_F(StepFunctionsOpsTest, TokenTimeoutWaitsForTheClockToBeAdvanced) {
  const std::string machine = CreateMachine("tok", kTokenWait);
  const std::string arn = Start(machine);
  const std::string token = TokenOf(arn);
  // No internal timer is due before the token's deadline: the virtual clock stays put.
  EXPECT_EQ(Describe(arn)["status"], "RUNNING");
  Response advanced = api_.Control("POST", "/_timeslip/clock/advance", R"({"seconds":299})");
  ASSERT_EQ(advanced.status, 200) << advanced.body;
  EXPECT_EQ(Describe(arn)["status"], "RUNNING");
  api_.Control("POST", "/_timeslip/clock/advance", R"({"seconds":1})");
  Json d = Describe(arn);
  EXPECT_EQ(d["status"], "FAILED");
  EXPECT_EQ(d["error"], "States.Timeout");
  EXPECT_EQ(d["stopDate"], kStart + 300);
  EXPECT_EQ(ErrorType(api_.Call("SendTaskSuccess", Json{{"taskToken", token}, {"output", "{}"}})),
            "TaskTimedOut");
}

TEST_F(StepFunctionsOpsTest, OneHourWaitCompletesAtOnceOnTheVirtualClock) {
  const std::string machine = CreateMachine(
      "wait", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}})");
  const std::string arn = Start(machine);
  Json d = Describe(arn);
  EXPECT_EQ(d["status"], "SUCCEEDED");
  EXPECT_EQ(d["stopDate"], kStart + 3600);
}

TEST_F(StepFunctionsOpsTest, ActivitiesAndLongPolls) {
  Response created = api_.Call("CreateActivity", R"({"name":"work"})");
  ASSERT_EQ(created.status, 200) << created.body;
  const std::string activity = "arn:aws:states:us-east-1:123456789012:activity:work";
  EXPECT_EQ(Body(created), (Json{{"activityArn", activity}, {"creationDate", kStart}}));
  EXPECT_EQ(Body(api_.Call("DescribeActivity", Json{{"activityArn", activity}})),
            (Json{{"activityArn", activity}, {"name", "work"}, {"creationDate", kStart}}));
  EXPECT_EQ(Body(api_.Call("ListActivities", "{}")),
            (Json{{"activities",
                   {{{"activityArn", activity}, {"name", "work"}, {"creationDate", kStart}}}}}));

  // Nothing to do: the long poll ends (here after 50 ms) with an empty answer.
  Response empty = api_.Call("GetActivityTask", Json{{"activityArn", activity}});
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.body, "{}");

  const std::string machine = CreateMachine(
      "act", fmt::format(R"({{"StartAt":"A","States":{{"A":{{"Type":"Task","Resource":"{}",
        "HeartbeatSeconds":60,"End":true}}}}}})",
                         activity));
  const std::string arn = Start(machine, R"({"job":7})");
  Response task =
      api_.Call("GetActivityTask", Json{{"activityArn", activity}, {"workerName", "w1"}});
  ASSERT_EQ(task.status, 200) << task.body;
  Json got = Body(task);
  EXPECT_EQ(Keys(got), (std::set<std::string>{"input", "taskToken"}));
  EXPECT_EQ(got["input"], R"({"job":7})");
  EXPECT_EQ(api_.Call("SendTaskHeartbeat", Json{{"taskToken", got["taskToken"]}}).status, 200);
  EXPECT_EQ(
      api_.Call("SendTaskSuccess", Json{{"taskToken", got["taskToken"]}, {"output", R"({"r":1})"}})
          .status,
      200);
  EXPECT_EQ(Describe(arn)["status"], "SUCCEEDED");

  EXPECT_EQ(api_.Call("DeleteActivity", Json{{"activityArn", activity}}).body, "{}");
  EXPECT_EQ(ErrorType(api_.Call("DescribeActivity", Json{{"activityArn", activity}})),
            "ActivityDoesNotExist");
  EXPECT_EQ(ErrorType(api_.Call("GetActivityTask", Json{{"activityArn", activity}})),
            "ActivityDoesNotExist");
}

TEST_F(StepFunctionsOpsTest, PollWaitingWhenTheTaskArrivesGetsIt) {
  HostedRouter api(testing::TestOptions(),
                   {.activity_poll_timeout = std::chrono::milliseconds(10'000)});
  api.Call("CreateActivity", R"({"name":"work"})");
  const std::string activity = "arn:aws:states:us-east-1:123456789012:activity:work";
  auto promise = std::make_shared<std::promise<Response>>();
  std::future<Response> polled = promise->get_future();
  Request poll;
  poll.method = "POST";
  poll.target = "/";
  poll.amz_target = "AWSStepFunctions.GetActivityTask";
  poll.body = Json{{"activityArn", activity}}.dump();
  api.router().Handle(poll, [promise](Response r) { promise->set_value(std::move(r)); });
  api.Call("CreateStateMachine",
           Json{{"name", "m"},
                {"roleArn", kRole},
                {"definition", fmt::format(R"({{"StartAt":"A","States":{{"A":{{"Type":"Task",
                  "Resource":"{}","End":true}}}}}})",
                                           activity)}});
  api.Call("StartExecution",
           Json{{"stateMachineArn", std::string(kMachineArn) + "m"}, {"input", R"({"q":1})"}});
  ASSERT_EQ(polled.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(Body(polled.get())["input"], R"({"q":1})");
}

TEST_F(StepFunctionsOpsTest, ShutdownAnswersPendingPolls) {
  auto api = std::make_unique<HostedRouter>(
      testing::TestOptions(),
      services::stepfunctions::Options{.activity_poll_timeout = std::chrono::hours(1)});
  api->Call("CreateActivity", R"({"name":"work"})");
  auto promise = std::make_shared<std::promise<Response>>();
  std::future<Response> polled = promise->get_future();
  Request poll;
  poll.method = "POST";
  poll.target = "/";
  poll.amz_target = "AWSStepFunctions.GetActivityTask";
  poll.body = R"({"activityArn":"arn:aws:states:us-east-1:123456789012:activity:work"})";
  api->router().Handle(poll, [promise](Response r) { promise->set_value(std::move(r)); });
  api->Call("ListActivities", "{}");  // the poll is registered once this (posted later) answers
  api->host().BeginShutdown();
  ASSERT_EQ(polled.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(polled.get().body, "{}");
  api.reset();
}

TEST_F(StepFunctionsOpsTest, StartSyncExecutionAnswersWhenTheExecutionEnds) {
  const std::string express =
      CreateMachine("fast", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":2,"Next":"P"},
        "P":{"Type":"Pass","Result":{"r":1},"End":true}}})",
                    "EXPRESS");
  Response r = api_.Call("StartSyncExecution",
                         Json{{"stateMachineArn", express}, {"name", "s1"}, {"input", "{}"}});
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = Body(r);
  // An Express ARN ends in a run id after the name, as AWS's do.
  const std::string arn = body["executionArn"];
  EXPECT_EQ(arn.rfind("arn:aws:states:us-east-1:123456789012:express:fast:s1:", 0), 0u) << arn;
  EXPECT_GT(arn.size(), std::string_view("arn:aws:states:us-east-1:123456789012:express:fast:s1:").size());
  body.erase("executionArn");
  EXPECT_TRUE(timeslip::testing::SameJson(body,
            (Json{{"stateMachineArn", express},
                  {"name", "s1"},
                  {"startDate", kStart},
                  {"stopDate", kStart + 2},
                  {"status", "SUCCEEDED"},
                  {"input", "{}"},
                  {"inputDetails", {{"included", true}}},
                  {"output", R"({"r":1})"},
                  {"outputDetails", {{"included", true}}},
                  {"billingDetails",
                   {{"billedMemoryUsedInMB", 64}, {"billedDurationInMilliseconds", 2000}}}})));
  const std::string failing = CreateMachine(
      "bad", R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}})",
      "EXPRESS");
  Json f = Body(api_.Call("StartSyncExecution", Json{{"stateMachineArn", failing}}));
  EXPECT_EQ(f["status"], "FAILED");
  EXPECT_EQ(f["error"], "E");
  EXPECT_EQ(f["cause"], "C");
  EXPECT_EQ(
      ErrorType(api_.Call("StartSyncExecution", Json{{"stateMachineArn", CreateMachine("std")}})),
      "StateMachineTypeNotSupported");
  EXPECT_EQ(ErrorType(api_.Call("ListExecutions", Json{{"stateMachineArn", express}})),
            "StateMachineTypeNotSupported");
}

// AWS keeps no history of an Express execution and nothing to describe: the operations that
// read one refuse its ARN by its form, as AWS does, whether or not it ran here.
TEST_F(StepFunctionsOpsTest, ExpressExecutionsAreNeitherDescribedNorReplayed) {
  const std::string express = CreateMachine(
      "quick", R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})", "EXPRESS");
  Json done = Body(api_.Call("StartSyncExecution",
                             Json{{"stateMachineArn", express}, {"input", R"({"a":1})"}}));
  ASSERT_EQ(done["status"], "SUCCEEDED") << done.dump();
  EXPECT_EQ(done["output"], R"({"a":1})");
  const std::string ran = done["executionArn"];
  const std::string never = "arn:aws:states:us-east-1:123456789012:express:quick:n:00000000-0000";
  for (const std::string& arn : {ran, never}) {
    for (const char* op :
         {"DescribeExecution", "DescribeStateMachineForExecution", "GetExecutionHistory"}) {
      Response r = api_.Call(op, Json{{"executionArn", arn}});
      EXPECT_EQ(r.status, 400) << op;
      EXPECT_EQ(ErrorType(r), "InvalidArn") << op;
      EXPECT_EQ(Body(r)["message"],
                "Invalid Arn: 'Resource type not valid in this context: express'")
          << op;
    }
  }
  // A Standard execution is still described and replayed.
  const std::string standard = Start(CreateMachine("std-quick"));
  EXPECT_EQ(api_.Call("GetExecutionHistory", Json{{"executionArn", standard}}).status, 200);
}

TEST_F(StepFunctionsOpsTest, StopAndRedrive) {
  const std::string machine = CreateMachine("tok", kTokenWait);
  const std::string arn = Start(machine);
  Response stopped =
      api_.Call("StopExecution", Json{{"executionArn", arn}, {"error", "Halt"}, {"cause", "ops"}});
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  EXPECT_EQ(Body(stopped), (Json{{"stopDate", kStart}}));
  Json d = Describe(arn);
  EXPECT_EQ(d["status"], "ABORTED");
  EXPECT_EQ(d["error"], "Halt");
  const std::string failed = Start(machine);
  api_.Call("SendTaskFailure", Json{{"taskToken", TokenOf(failed)}, {"error", "E"}});
  ASSERT_EQ(Describe(failed)["status"], "FAILED");
  Response redriven = api_.Call("RedriveExecution", Json{{"executionArn", failed}});
  ASSERT_EQ(redriven.status, 200) << redriven.body;
  EXPECT_EQ(Body(redriven), (Json{{"redriveDate", kStart}}));
  d = Describe(failed);
  EXPECT_EQ(d["status"], "RUNNING");
  EXPECT_EQ(d["redriveCount"], 1);
  EXPECT_EQ(ErrorType(api_.Call("RedriveExecution", Json{{"executionArn", failed}})),
            "ExecutionNotRedrivable");  // it is running again
  Json listed = Body(api_.Call("ListExecutions",
                               Json{{"stateMachineArn", machine}, {"redriveFilter", "REDRIVEN"}}));
  ASSERT_EQ(listed["executions"].size(), 1u);
  EXPECT_EQ(listed["executions"][0]["redriveCount"], 1);
}

TEST_F(StepFunctionsOpsTest, Tags) {
  const std::string arn = CreateMachine("m");
  EXPECT_EQ(
      api_.Call("TagResource",
                Json{{"resourceArn", arn},
                     {"tags", {{{"key", "b"}, {"value", "2"}}, {{"key", "a"}, {"value", "1"}}}}})
          .body,
      "{}");
  EXPECT_EQ(Body(api_.Call("ListTagsForResource", Json{{"resourceArn", arn}})),
            (Json{{"tags", {{{"key", "a"}, {"value", "1"}}, {{"key", "b"}, {"value", "2"}}}}}));
  EXPECT_EQ(api_.Call("UntagResource", Json{{"resourceArn", arn}, {"tagKeys", {"a"}}}).body, "{}");
  EXPECT_EQ(Body(api_.Call("ListTagsForResource", Json{{"resourceArn", arn}})),
            (Json{{"tags", {{{"key", "b"}, {"value", "2"}}}}}));
  Json many = Json::array();
  for (int i = 0; i < 51; ++i) many.push_back({{"key", fmt::format("k{}", i)}, {"value", "v"}});
  EXPECT_EQ(ErrorType(api_.Call("TagResource", Json{{"resourceArn", arn}, {"tags", many}})),
            "TooManyTags");
}

struct BadCase {
  std::string_view op;
  std::string body;
  std::string_view error;
  std::string_view message;  // a part of the message; empty: not checked
};

const std::string kM = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
const std::string kMissing = "arn:aws:states:us-east-1:123456789012:stateMachine:missing";

TEST_F(StepFunctionsOpsTest, BadRequestsGetAwsErrorsAndServingGoesOn) {
  CreateMachine("m");
  const std::string big_input(262145, ' ');
  const std::string oversize = Json{{"stateMachineArn", kM}, {"input", big_input}}.dump();
  const std::vector<BadCase> cases = {
      {"StartExecution", "{", "SerializationException", ""},
      {"StartExecution", "[1]", "SerializationException", ""},
      {"NoSuchOperation", "{}", "UnknownOperationException", ""},
      {"DescribeStateMachine", "{}", "ValidationException",
       "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy "
       "constraint: Member must not be null"},
      {"CreateStateMachine", "{}", "ValidationException",
       "3 validation errors detected: Value null at 'name' failed to satisfy constraint: Member "
       "must not be null; Value null at 'definition'"},
      {"DescribeStateMachine", R"({"stateMachineArn":7})", "ValidationException",
       "at 'stateMachineArn' failed to satisfy constraint: Member must be a string"},
      {"ListStateMachines", R"({"maxResults":"5"})", "ValidationException", "'maxResults'"},
      {"ListStateMachines", R"({"maxResults":1001})", "ValidationException",
       "Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less "
       "than or equal to 1000"},
      {"GetExecutionHistory", R"({"executionArn":"x","reverseOrder":"yes"})", "ValidationException",
       "'reverseOrder'"},
      {"CreateStateMachine",
       R"({"name":"m2","definition":"{}","roleArn":"arn:aws:iam::1:role/r","type":"FAST"})",
       "ValidationException", "Member must satisfy enum value set: [STANDARD, EXPRESS]"},
      {"StartExecution", oversize, "ValidationException",
       "Value at 'input' failed to satisfy constraint: Member must have length less than or "
       "equal to 262144"},
      {"CreateStateMachine",
       R"({"name":"bad","definition":"{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"}}}","roleArn":"arn:aws:iam::123456789012:role/r"})",
       "InvalidDefinition", "MISSING_TRANSITION_TARGET"},
      {"CreateStateMachine",
       R"({"name":"has space","definition":"{}","roleArn":"arn:aws:iam::123456789012:role/r"})",
       "InvalidName", ""},
      {"CreateStateMachine",
       R"({"name":"m3","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}","roleArn":"nope"})",
       "InvalidArn", ""},
      {"DescribeStateMachine", R"({"stateMachineArn":"nope"})", "InvalidArn", ""},
      {"DescribeStateMachine", Json{{"stateMachineArn", kMissing}}.dump(),
       "StateMachineDoesNotExist", ""},
      {"StartExecution", Json{{"stateMachineArn", kMissing}}.dump(), "StateMachineDoesNotExist",
       ""},
      {"StartExecution", Json{{"stateMachineArn", kM}, {"name", "a b"}}.dump(), "InvalidName", ""},
      {"StartExecution", Json{{"stateMachineArn", kM}, {"input", "{"}}.dump(),
       "InvalidExecutionInput", ""},
      {"DescribeExecution",
       R"({"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:none"})",
       "ExecutionDoesNotExist", ""},
      {"DescribeExecution", R"({"executionArn":"arn:aws:states:us-east-1:1:stateMachine:m"})",
       "InvalidArn", ""},
      {"StopExecution",
       R"({"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:none"})",
       "ExecutionDoesNotExist", ""},
      {"GetExecutionHistory",
       R"({"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:none"})",
       "ExecutionDoesNotExist", ""},
      {"DescribeStateMachineForExecution",
       R"({"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:none"})",
       "ExecutionDoesNotExist", ""},
      {"RedriveExecution",
       R"({"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:none"})",
       "ExecutionDoesNotExist", ""},
      {"ListExecutions", "{}", "ValidationException",
       "Must provide a StateMachine ARN or MapRun ARN"},
      {"ListExecutions", Json{{"stateMachineArn", kMissing}}.dump(), "StateMachineDoesNotExist",
       ""},
      {"ListExecutions", Json{{"stateMachineArn", kM}, {"statusFilter", "DONE"}}.dump(),
       "ValidationException", "enum value set"},
      {"DescribeActivity",
       R"({"activityArn":"arn:aws:states:us-east-1:123456789012:activity:none"})",
       "ActivityDoesNotExist", ""},
      {"DescribeActivity",
       R"({"activityArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m"})", "InvalidArn",
       ""},
      {"CreateActivity", R"({"name":"a/b"})", "InvalidName", ""},
      {"SendTaskSuccess", R"({"taskToken":"t"})", "ValidationException", "'output'"},
      {"SendTaskSuccess", R"({"output":"{}"})", "ValidationException", "'taskToken'"},
      {"SendTaskSuccess", R"({"taskToken":"t","output":"{}"})", "InvalidToken", ""},
      {"SendTaskHeartbeat", R"({"taskToken":""})", "ValidationException",
       "Member must have length greater than or equal to 1"},
      {"ListTagsForResource", R"({"resourceArn":"nope"})", "InvalidArn", ""},
      {"ListTagsForResource", Json{{"resourceArn", kMissing}}.dump(), "ResourceNotFound", ""},
      {"TagResource", Json{{"resourceArn", kM}}.dump(), "ValidationException", "'tags'"},
      {"TagResource", Json{{"resourceArn", kM}, {"tags", {{{"key", ""}}}}}.dump(),
       "ValidationException", "'tags.1.member.key'"},
      {"UntagResource", Json{{"resourceArn", kM}, {"tagKeys", {1}}}.dump(), "ValidationException",
       "'tagKeys.1.member'"},
      {"ListStateMachines", R"({"nextToken":"garbage!"})", "InvalidToken", ""},
      {"ValidateStateMachineDefinition", "{}", "ValidationException", "'definition'"},
      {"UpdateStateMachine", Json{{"stateMachineArn", kM}}.dump(), "MissingRequiredParameter", ""},
      {"StartSyncExecution", Json{{"stateMachineArn", kMissing}}.dump(), "StateMachineDoesNotExist",
       ""},
  };
  for (const BadCase& c : cases) {
    Response r = api_.Call(c.op, c.body);
    EXPECT_EQ(r.status, c.error == "UnknownOperationException" ? 400 : 400) << c.op;
    EXPECT_EQ(ErrorType(r), c.error) << c.op << " " << c.body.substr(0, 200) << ": " << r.body;
    if (!c.message.empty()) {
      EXPECT_NE(ErrorMessage(r).find(c.message), std::string::npos)
          << c.op << ": " << ErrorMessage(r);
    }
    ExpectStillServing();
  }
}

TEST_F(StepFunctionsOpsTest, StateMachinesAndActivitiesPageByName) {
  for (std::string_view name : {"e", "c", "a", "d", "b"}) {
    CreateMachine(name);
    api_.Call("CreateActivity", Json{{"name", name}});
  }
  for (auto [op, list, key] : {std::tuple{"ListStateMachines", "stateMachines", "name"},
                               std::tuple{"ListActivities", "activities", "name"}}) {
    std::vector<std::string> names;
    Json request = {{"maxResults", 2}};
    int pages = 0;
    for (;;) {
      Json page = Body(api_.Call(op, request));
      ++pages;
      ASSERT_LE(page[list].size(), 2u) << page;
      for (const Json& item : page[list]) names.push_back(item[key]);
      if (!page.contains("nextToken")) break;
      request["nextToken"] = page["nextToken"];
      ASSERT_LT(pages, 10);
    }
    EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c", "d", "e"})) << op;
    EXPECT_EQ(pages, 3) << op;
  }
  // A token from one listing is not valid for another.
  Json first = Body(api_.Call("ListStateMachines", Json{{"maxResults", 1}}));
  EXPECT_EQ(ErrorType(api_.Call("ListActivities", Json{{"nextToken", first["nextToken"]}})),
            "InvalidToken");
  // The same request gives the same token: tokens are deterministic.
  EXPECT_EQ(Body(api_.Call("ListStateMachines", Json{{"maxResults", 1}}))["nextToken"],
            first["nextToken"]);
}

TEST_F(StepFunctionsOpsTest, ExecutionsPageNewestFirstAndHistoryPagesBothWays) {
  const std::string machine = CreateMachine("m");
  std::vector<std::string> started;
  for (int i = 0; i < 5; ++i) started.push_back(Start(machine, "{}", fmt::format("r{}", i)));
  std::vector<std::string> listed;
  Json request = {{"stateMachineArn", machine}, {"maxResults", 2}};
  for (int pages = 0; pages < 10; ++pages) {
    Json page = Body(api_.Call("ListExecutions", request));
    for (const Json& e : page["executions"]) listed.push_back(e["name"]);
    if (!page.contains("nextToken")) break;
    request["nextToken"] = page["nextToken"];
    if (pages == 0) Start(machine, "{}", "late");  // a new one does not disturb the paging
  }
  EXPECT_EQ(listed, (std::vector<std::string>{"r4", "r3", "r2", "r1", "r0"}));
  EXPECT_EQ(ErrorType(api_.Call("ListExecutions", Json{{"stateMachineArn", machine},
                                                       {"statusFilter", "FAILED"},
                                                       {"nextToken", request["nextToken"]}})),
            "InvalidToken");

  const std::string arn = started[0];
  for (bool reverse : {false, true}) {
    std::vector<int> ids;
    Json req = {{"executionArn", arn}, {"maxResults", 3}, {"reverseOrder", reverse}};
    for (int pages = 0; pages < 10; ++pages) {
      Json page = Body(api_.Call("GetExecutionHistory", req));
      for (const Json& e : page["events"]) ids.push_back(e["id"]);
      if (!page.contains("nextToken")) break;
      req["nextToken"] = page["nextToken"];
    }
    const std::vector<int> want =
        reverse ? std::vector<int>{4, 3, 2, 1} : std::vector<int>{1, 2, 3, 4};
    EXPECT_EQ(ids, want);
  }
  Json page =
      Body(api_.Call("GetExecutionHistory", Json{{"executionArn", arn}, {"maxResults", 1}}));
  EXPECT_EQ(ErrorType(api_.Call("GetExecutionHistory", Json{{"executionArn", started[1]},
                                                            {"nextToken", page["nextToken"]}})),
            "InvalidToken");
}

}  // namespace
}  // namespace timeslip::api
