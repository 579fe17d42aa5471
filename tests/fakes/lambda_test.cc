// Lambda through lambda:invoke and plain function ARNs: output shapes, error mapping, commands.
#include "fakes/lambda.h"

#include <gtest/gtest.h>

#include <regex>

#include "tests/fakes/fakes_harness.h"

namespace timeslip::fakes {
namespace {

using engine::ExecutionStatus;
using testing::Timeline;

constexpr const char* kInvoke = "arn:aws:states:::lambda:invoke";
constexpr const char* kArn = "arn:aws:lambda:us-east-1:123456789012:function:enrich-currency";

std::string Invoke(std::string_view extra = "") {
  return OneTask(kInvoke, R"({"FunctionName":"enrich-currency","Payload":{"day.$":"$.day"}})",
                 extra);
}

TEST(LambdaTest, InvokeWrapsThePayloadInAwsEnvelope) {
  FakesHarness h(R"({"lambda": {"enrich-currency": [{"latency": "2s", "result": {"ok": true}}]}})");
  engine::Execution& run = h.Run(Invoke(), R"({"day":"2024-01-01"})");
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(Timeline(run),
            "ExecutionStarted@0 TaskStateEntered@0 TaskScheduled@0 TaskStarted@0 "
            "TaskSucceeded@2 TaskStateExited@2 ExecutionSucceeded@2");
  const nlohmann::ordered_json out = Output(run);
  EXPECT_EQ(out["Payload"], nlohmann::ordered_json({{"ok", true}}));
  EXPECT_EQ(out["StatusCode"], 200);
  EXPECT_EQ(out["ExecutedVersion"], "$LATEST");
  EXPECT_EQ(out["SdkHttpMetadata"]["HttpStatusCode"], 200);
  EXPECT_EQ(out["SdkHttpMetadata"]["HttpHeaders"]["Date"], "Mon, 01 Jan 2024 00:00:02 GMT");
  EXPECT_EQ(out["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"],
            out["SdkResponseMetadata"]["RequestId"]);
  // The length of the result as Lambda's Python runtime writes it: {"ok": true}.
  EXPECT_EQ(out["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], "12");
  EXPECT_EQ(out["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-Remapped-Content-Length"], "0");
  EXPECT_TRUE(out["SdkHttpMetadata"]["AllHttpHeaders"]["X-Amzn-Trace-Id"].is_array());
  ASSERT_EQ(h.calls().calls().size(), 1u);
  const Call& call = h.calls().calls()[0];
  EXPECT_EQ(call.service, "lambda");
  EXPECT_EQ(call.target, "enrich-currency");
  EXPECT_EQ(call.arguments["Payload"], nlohmann::ordered_json({{"day", "2024-01-01"}}));
  EXPECT_EQ(call.state_name, "T");
  EXPECT_EQ(call.execution_arn, run.arn());
}

TEST(LambdaTest, PlainFunctionArnAnswersThePayloadItselfAndEchoesByDefault) {
  FakesHarness h;
  engine::Execution& run = h.Run(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")" +
                                     std::string(kArn) + R"(","End":true}}})",
                                 R"({"day":"2024-01-01"})");
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(Output(run), nlohmann::ordered_json({{"day", "2024-01-01"}}));
  EXPECT_EQ(h.calls().calls()[0].target, "enrich-currency");
}

TEST(LambdaTest, FunctionNamesFromEveryForm) {
  const std::pair<const char*, const char*> cases[] = {
      {"f", "f"},
      {"f:prod", "f"},
      {"123456789012:function:f", "f"},
      {"arn:aws:lambda:us-east-1:123456789012:function:f", "f"},
      {"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST", "f"},
      {"", ""},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(FunctionName(in), want) << in;
}

TEST(LambdaTest, BehaviourFoundByArnOrName) {
  FakesHarness h(R"({"lambda": {"enrich-currency": [{"result": 1}],
      "arn:aws:lambda:us-east-1:123456789012:function:other": [{"result": 2}]}})");
  engine::Execution& a = h.Run(OneTask(
      kInvoke,
      R"({"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:enrich-currency:$LATEST"})"));
  EXPECT_EQ(Output(a)["Payload"], 1);
  engine::Execution& b = h.Run(OneTask(
      kInvoke, R"({"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:other"})"));
  EXPECT_EQ(Output(b)["Payload"], 2);
}

struct ErrorCase {
  const char* step;
  const char* error;
  const char* cause_contains;
  std::int64_t fails_at;
};
const ErrorCase kErrors[] = {
    // Each integration writes the error object its own way (see FunctionErrorCarries...).
    {R"({"error": "MyError", "cause": "bad input"})", "MyError", R"("bad input")", 0},
    {R"({"error": "Lambda.ServiceException", "latency": "1s"})", "Lambda.ServiceException",
     "(Service: AWSLambda; Status Code: 500; Error Code: ServiceException;", 1},
    {R"({"throttle": true})", "Lambda.TooManyRequestsException",
     "Rate Exceeded. (Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException;",
     0},
    {R"({"error": "Lambda.Unknown"})", "Lambda.Unknown",
     "The cause could not be determined because Lambda did not return an error type.", 0},
    {R"({"timeout": true, "latency": "15m"})", "Sandbox.Timedout",
     "Task timed out after 900.00 seconds", 900},
};

TEST(LambdaTest, ErrorsMapAsAwsReportsThem) {
  for (const char* resource : {kInvoke, kArn}) {
    for (const ErrorCase& c : kErrors) {
      FakesHarness h(std::string(R"({"lambda": {"enrich-currency": [)") + c.step + "]}}");
      engine::Execution& run = h.Run(
          resource == kInvoke ? Invoke()
                              : R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")" +
                                    std::string(kArn) + R"(","End":true}}})",
          R"({"day":"2024-01-01"})");
      ASSERT_EQ(run.status(), ExecutionStatus::kFailed) << c.step;
      EXPECT_EQ(run.error(), c.error) << c.step;
      EXPECT_NE(run.cause().find(c.cause_contains), std::string::npos) << c.step << run.cause();
      EXPECT_EQ(h.SecondsAt(*run.stop_date()), c.fails_at) << c.step;
    }
  }
}

TEST(LambdaTest, FunctionErrorsAreCaughtByTheirType) {
  FakesHarness h(R"({"lambda": {"f": [{"error": "RatesUnavailable"}, {"result": "ok"}]}})");
  engine::Execution& run = h.Run(R"({"StartAt":"T","States":{
      "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "Parameters":{"FunctionName":"f"},
           "Retry":[{"ErrorEquals":["RatesUnavailable"],"IntervalSeconds":5}],
           "OutputPath":"$.Payload","End":true}}})");
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(Output(run), "ok");
  EXPECT_EQ(h.SecondsAt(*run.stop_date()), 5);
}

TEST(LambdaTest, HangLeavesItToTheTaskTimeout) {
  FakesHarness h(R"({"lambda": {"enrich-currency": [{"hang": true}]}})");
  engine::Execution& run = h.Run(Invoke(R"("TimeoutSeconds":30)"), R"({"day":"2024-01-01"})");
  EXPECT_EQ(run.error(), "States.Timeout");
  EXPECT_EQ(h.SecondsAt(*run.stop_date()), 30);
}

TEST(LambdaTest, WaitForTaskTokenRecordsTheTokenAndWaits) {
  FakesHarness h(R"({"lambda": {"ask-approval": [{"latency": "1s", "result": null}]}})");
  engine::Execution& run = h.t().Start(
      OneTask("arn:aws:states:::lambda:invoke.waitForTaskToken",
              R"({"FunctionName":"ask-approval","Payload":{"token.$":"$$.Task.Token"}})"));
  h.t().RunFor(std::chrono::minutes(15));
  ASSERT_EQ(run.status(), ExecutionStatus::kRunning);
  const Call& call = h.calls().calls().at(0);
  ASSERT_FALSE(call.task_token.empty());
  EXPECT_EQ(call.arguments["Payload"]["token"], call.task_token);
  EXPECT_EQ(fakes::ToJson(call)["taskToken"], call.task_token);
  ASSERT_TRUE(h.t().emulator().SendTaskSuccess(call.task_token, R"({"approved":true})").ok());
  h.t().RunToCompletion();
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(Output(run), nlohmann::ordered_json({{"approved", true}}));
  EXPECT_EQ(h.SecondsAt(*run.stop_date()), 900);
}

struct CommandCase {
  const char* behaviour;
  const char* error;  // "" for success
  const char* want;   // the payload, or text the cause contains
};
const CommandCase kCommands[] = {
    {R"({"command": ["/bin/sh", "-c", "cat"]})", "", R"({"day":"2024-01-01"})"},
    {R"({"command": ["sh", "-c", "echo '{\"n\": 1}'"]})", "", R"({"n":1})"},
    {R"({"command": ["/bin/sh", "-c", "true"]})", "", "null"},
    {R"({"command": ["/bin/sh", "-c", "pwd | sed 's/.*/\"&\"/'"], "cwd": "/tmp"})", "",
     R"("/tmp")"},
    {R"({"command": ["/bin/sh", "-c", "echo oops >&2; exit 3"]})", "Lambda.Unknown", "oops"},
    {R"({"command": ["/bin/sh", "-c", "exit 4"]})", "Lambda.Unknown", "exited with status 4"},
    {R"({"command": ["/bin/sh", "-c", "echo '{\"errorType\":\"BadRates\",\"errorMessage\":\"m\"}'; exit 1"]})",
     "BadRates", R"("errorMessage":"m")"},
    {R"({"command": ["/bin/sh", "-c", "echo not json"]})", "Lambda.Unknown", "is not JSON"},
    {R"({"command": ["/nonexistent/program"]})", "Lambda.Unknown",
     "cannot run '/nonexistent/program'"},
    {R"({"command": ["/bin/sh", "-c", "exec 0<&-; echo 1"]})", "", "1"},  // never reads stdin
};

TEST(LambdaTest, CommandBehaviourRunsALocalProgram) {
  for (const CommandCase& c : kCommands) {
    FakesHarness h(std::string(R"({"lambda": {"enrich-currency": [)") + c.behaviour + "]}}");
    engine::Execution& run = h.Run(Invoke(), R"({"day":"2024-01-01"})");
    if (*c.error == '\0') {
      ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << c.behaviour << run.cause();
      EXPECT_EQ(Output(run)["Payload"].dump(), c.want) << c.behaviour;
    } else {
      ASSERT_EQ(run.status(), ExecutionStatus::kFailed) << c.behaviour;
      EXPECT_EQ(run.error(), c.error) << c.behaviour;
      EXPECT_NE(run.cause().find(c.want), std::string::npos) << c.behaviour << ": " << run.cause();
    }
  }
}

TEST(LambdaTest, CommandGetsALargePayloadOnStdin) {
  FakesHarness h(R"({"lambda": {"f": [{"command": ["/bin/sh", "-c", "cat"]}]}})");
  const std::string big(300 * 1024 / 2, 'x');  // well past a pipe buffer, within 256 KiB
  nlohmann::ordered_json input = {{"s", big.substr(0, 200 * 1024)}};
  engine::Execution& run =
      h.Run(OneTask(kInvoke, R"({"FunctionName":"f","Payload.$":"$"})"), input.dump());
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  EXPECT_EQ(Output(run)["Payload"], input);
}

TEST(LambdaTest, AStringPayloadIsTheJsonItHoldsAndNullSendsNothing) {
  // AWS sends a string Payload's bytes as they are: "0.0" reaches the function as a number.
  const std::pair<const char*, nlohmann::ordered_json> cases[] = {
      {R"("0.0")", 0.0},
      {R"("\"HelloWorld\"")", "HelloWorld"},
      {R"("[]")", nlohmann::ordered_json::array()},
      {"null", nlohmann::ordered_json::object()},
  };
  for (const auto& [payload, want] : cases) {
    FakesHarness h;
    engine::Execution& run = h.Run(
        OneTask(kInvoke, std::string(R"({"FunctionName":"echo","Payload":)") + payload + "}"));
    ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << payload << ": " << run.cause();
    EXPECT_EQ(Output(run)["Payload"], want) << payload;
    EXPECT_EQ(Output(run)["Payload"].is_number_float(), want.is_number_float()) << payload;
  }
  FakesHarness h;
  engine::Execution& bad =
      h.Run(OneTask(kInvoke, R"({"FunctionName":"echo","Payload":"not json"})"));
  EXPECT_EQ(bad.error(), "Lambda.InvalidRequestContentException");
}

TEST(LambdaTest, UnknownFunctionIsResourceNotFoundWhenDeclared) {
  FakesHarness h(R"({"lambda": {"*": {"notFound": true}, "known": {}}})");
  engine::Execution& known = h.Run(OneTask(kInvoke, R"({"FunctionName":"known"})"));
  EXPECT_EQ(known.status(), ExecutionStatus::kSucceeded) << known.cause();

  engine::Execution& missing = h.Run(OneTask(kInvoke, R"({"FunctionName":"missing"})"));
  ASSERT_EQ(missing.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(missing.error(), "Lambda.ResourceNotFoundException");
  // The function's ARN in the execution's region and account, then the SDK's suffix.
  EXPECT_TRUE(std::regex_match(
      missing.cause(),
      std::regex(R"(Function not found: arn:aws:lambda:[a-z0-9-]+:\d{12}:function:missing )"
                 R"(\(Service: AWSLambda; Status Code: 404; Error Code: )"
                 R"(ResourceNotFoundException; Request ID: [0-9a-f-]+; Proxy: null\))")))
      << missing.cause();

  engine::Execution& by_arn = h.Run(
      R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")" + std::string(kArn) +
      R"(","End":true}}})");
  EXPECT_EQ(by_arn.error(), "Lambda.ResourceNotFoundException");
  EXPECT_NE(by_arn.cause().find(std::string("Function not found: ") + kArn), std::string::npos)
      << by_arn.cause();
}

TEST(LambdaTest, WithoutADeclaredDefaultAnUnknownFunctionStillEchoes) {
  FakesHarness h(R"({"lambda": {"known": {"result": 1}}})");
  engine::Execution& run = h.Run(OneTask(kInvoke, R"({"FunctionName":"other","Payload":{"a":1}})"));
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(Output(run)["Payload"], nlohmann::ordered_json({{"a", 1}}));
}

TEST(LambdaTest, FunctionErrorCarriesItsStackTraceInEachIntegrationsText) {
  constexpr const char* kRaises = R"({"lambda": {"*": {"error": "Exception", "cause": "Boom.",
      "stackTrace": ["  File \"/var/task/handler.py\", line 2, in handler\n"]}}})";
  {
    FakesHarness h(kRaises);
    engine::Execution& run = h.Run(OneTask(kInvoke, R"({"FunctionName":"f"})"));
    ASSERT_EQ(run.error(), "Exception");
    // lambda:invoke rewrites Lambda's error object compactly.
    EXPECT_TRUE(std::regex_match(
        run.cause(), std::regex(R"(\{"errorMessage":"Boom.","errorType":"Exception","requestId":)"
                                R"("[0-9a-f-]+","stackTrace":\["  File \\"/var/task/handler.py)"
                                R"(\\", line 2, in handler\\n"\]\})")))
        << run.cause();
  }
  {
    FakesHarness h(kRaises);
    engine::Execution& run = h.Run(
        R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")" + std::string(kArn) +
        R"(","End":true}}})");
    ASSERT_EQ(run.error(), "Exception");
    // A plain function ARN passes on the Python runtime's own text.
    EXPECT_TRUE(std::regex_match(
        run.cause(),
        std::regex(R"(\{"errorMessage": "Boom.", "errorType": "Exception", "requestId": )"
                   R"("[0-9a-f-]+", "stackTrace": \[".*"\]\})")))
        << run.cause();
  }
}

}  // namespace
}  // namespace timeslip::fakes
