// Lambda's Invoke API (REST-JSON) through the Router, reaching the same fake a Task uses.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>

#include "emulator/services/lambda/service.h"
#include "tests/api/hosted_router.h"

namespace timeslip::api {
namespace {

using Json = nlohmann::ordered_json;
using testing::Body;
using testing::HostedRouter;
using testing::kRole;

constexpr std::string_view kPath = "/2015-03-31/functions/enrich-currency/invocations";

// A HostedRouter with the Lambda API and `behaviours` loaded.
class LambdaApi {
 public:
  explicit LambdaApi(std::string_view behaviours = R"({})") {
    Response loaded = api.Control("POST", "/_timeslip/fakes", behaviours);
    EXPECT_EQ(loaded.status, 200) << loaded.body;
  }

  Response Invoke(std::string_view body, std::string_view invocation_type = "",
                  std::string_view path = kPath, std::string_view method = "POST") {
    Request r;
    r.method = std::string(method);
    r.target = std::string(path);
    r.body = std::string(body);
    if (!invocation_type.empty()) {
      r.headers.emplace_back("X-Amz-Invocation-Type", std::string(invocation_type));
    }
    return api.Send(std::move(r));
  }

  Json Calls() { return Body(api.Control("GET", "/_timeslip/fakes/calls"))["calls"]; }

  HostedRouter api;
};

std::string Header(const Response& r, std::string_view name) {
  return std::string(FindHeader(r.headers, name));
}

struct OutcomeCase {
  const char* step;
  int status;
  const char* function_error;  // X-Amz-Function-Error
  const char* error_type;      // X-Amzn-ErrorType
  const char* body;
};
const OutcomeCase kOutcomes[] = {
    {R"({"result": {"rate": 1.1}})", 200, "", "", R"({"rate":1.1})"},
    {R"({"result": null})", 200, "", "", "null"},
    {R"({"latency": "0s"})", 200, "", "", R"({"a":1})"},  // by default, an echo
    {R"({"error": "RatesUnavailable", "cause": "FX API down"})", 200, "Unhandled", "",
     R"({"errorMessage":"FX API down","errorType":"RatesUnavailable"})"},
    {R"({"throttle": true})", 429, "", "TooManyRequestsException",
     R"({"message":"Rate Exceeded.","Type":"User"})"},
    {R"({"error": "Lambda.ServiceException", "cause": "Lambda is down"})", 500, "",
     "ServiceException", R"({"Message":"Lambda is down","Type":"Service"})"},
    {R"({"error": "Lambda.ResourceNotFoundException", "cause": "Function not found"})", 404, "",
     "ResourceNotFoundException", R"({"Message":"Function not found","Type":"User"})"},
    {R"({"error": "Lambda.Unknown", "cause": "boom"})", 200, "Unhandled", "",
     R"({"errorMessage":"boom","errorType":"Runtime.ExitError"})"},
};

TEST(LambdaOpsTest, InvokeAnswersEachOutcomeAsLambdaDoes) {
  for (const OutcomeCase& c : kOutcomes) {
    LambdaApi lambda(std::string(R"({"lambda": {"enrich-currency": [)") + c.step + "]}}");
    Response r = lambda.Invoke(R"({"a":1})");
    EXPECT_EQ(r.status, c.status) << c.step;
    EXPECT_EQ(r.content_type, "application/json") << c.step;
    EXPECT_EQ(r.body, c.body) << c.step;
    EXPECT_EQ(Header(r, "X-Amz-Function-Error"), c.function_error) << c.step;
    EXPECT_EQ(Header(r, "X-Amzn-ErrorType"), c.error_type) << c.step;
    if (c.status == 200) {
      EXPECT_EQ(Header(r, "X-Amz-Executed-Version"), "$LATEST") << c.step;
    }
  }
}

TEST(LambdaOpsTest, AFunctionNoScriptNamesDoesNotExist) {
  LambdaApi lambda(R"({"lambda": {"other-function": {}}})");
  Response r = lambda.Invoke(R"({"a":1})");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(Header(r, "X-Amzn-ErrorType"), "ResourceNotFoundException");
  EXPECT_EQ(Body(r)["Message"],
            "Function not found: arn:aws:lambda:us-east-1:123456789012:function:enrich-currency");
  EXPECT_EQ(lambda.Calls().size(), 1u);  // the call reached Lambda, as on AWS
  for (std::string_view type : {"Event", "DryRun"}) {
    EXPECT_EQ(lambda.Invoke("{}", type).status, 404) << type;
  }

  LambdaApi any(R"({"lambda": {"*": {}}})");  // a default declares every function
  EXPECT_EQ(any.Invoke(R"({"a":1})").status, 200);
}

TEST(LambdaOpsTest, ATimeoutIsAFunctionErrorAfterTheLatency) {
  LambdaApi lambda(R"({"lambda": {"enrich-currency": [{"timeout": true, "latency": "3s"}]}})");
  Response r = lambda.Invoke("");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Header(r, "X-Amz-Function-Error"), "Unhandled");
  Json body = Body(r);
  EXPECT_EQ(body["errorType"], "Sandbox.Timedout");
  EXPECT_TRUE(
      body["errorMessage"].get<std::string>().ends_with("Error: Task timed out after 3.00 seconds"))
      << body;
}

TEST(LambdaOpsTest, AnswersAfterTheVirtualLatencyAndRecordsTheCall) {
  LambdaApi lambda(R"({"lambda": {"enrich-currency": [{"latency": "2s", "result": 7}]}})");
  Response r = lambda.Invoke(R"({"day": "2024-01-01"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "7");
  EXPECT_EQ(Body(lambda.api.Control("GET", "/_timeslip/clock"))["now"], "2024-01-01T00:00:02.000Z");
  Json calls = lambda.Calls();
  ASSERT_EQ(calls.size(), 1u) << calls;
  EXPECT_EQ(calls[0]["service"], "lambda");
  EXPECT_EQ(calls[0]["operation"], "Invoke");
  EXPECT_EQ(calls[0]["target"], "enrich-currency");
  EXPECT_EQ(calls[0]["call"], 1);
  EXPECT_EQ(calls[0]["arguments"], (Json{{"FunctionName", "enrich-currency"},
                                         {"InvocationType", "RequestResponse"},
                                         {"Payload", {{"day", "2024-01-01"}}}}));
  EXPECT_EQ(calls[0]["outcome"], (Json{{"result", 7}}));
}

TEST(LambdaOpsTest, EventAnswers202AtOnceAndStillCalls) {
  LambdaApi lambda(R"({"lambda": {"enrich-currency": [{"latency": "5s", "error": "E"}]}})");
  Response r = lambda.Invoke(R"([1,2])", "Event");
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.body, "");
  Json calls = lambda.Calls();
  ASSERT_EQ(calls.size(), 1u) << calls;
  EXPECT_EQ(calls[0]["arguments"]["InvocationType"], "Event");
  EXPECT_EQ(calls[0]["arguments"]["Payload"], (Json{1, 2}));
}

TEST(LambdaOpsTest, DryRunAnswers204WithoutACall) {
  LambdaApi lambda(R"({"lambda": {"enrich-currency": {}}})");
  Response r = lambda.Invoke(R"({"a":1})", "DryRun");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(lambda.Calls(), Json::array());
}

TEST(LambdaOpsTest, NamesArnsAndQualifiersReachTheFunctionsScript) {
  struct Case {
    const char* path;
    const char* function_name;  // as recorded
  };
  const Case cases[] = {
      {"/2015-03-31/functions/"
       "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aenrich-currency/invocations",
       "arn:aws:lambda:us-east-1:123456789012:function:enrich-currency"},
      {"/2015-03-31/functions/123456789012%3Afunction%3Aenrich-currency%3Aprod/invocations",
       "123456789012:function:enrich-currency:prod"},
      {"/2015-03-31/functions/enrich-currency:prod/invocations", "enrich-currency:prod"},
      {"/2015-03-31/functions/enrich-currency/invocations?Qualifier=prod", "enrich-currency:prod"},
  };
  for (const Case& c : cases) {
    LambdaApi lambda(R"({"lambda": {"enrich-currency": [{"result": "scripted"}]}})");
    Request r;
    r.method = "POST";
    r.target = c.path;
    Response answer = lambda.api.Send(std::move(r));
    EXPECT_EQ(answer.body, R"("scripted")") << c.path;
    Json calls = lambda.Calls();
    ASSERT_EQ(calls.size(), 1u) << c.path;
    EXPECT_EQ(calls[0]["target"], "enrich-currency") << c.path;
    EXPECT_EQ(calls[0]["arguments"]["FunctionName"], c.function_name) << c.path;
  }
}

TEST(LambdaOpsTest, BadRequestsAreRestJsonErrors) {
  struct Case {
    const char* what;
    const char* method;
    const char* path;
    const char* invocation_type;
    const char* body;
    int status;
    const char* error;
  };
  const Case cases[] = {
      {"malformed payload", "POST", kPath.data(), "", "{nope", 400,
       "InvalidRequestContentException"},
      {"unknown invocation type", "POST", kPath.data(), "Sometimes", "{}", 400,
       "InvalidParameterValueException"},
      {"broken escape", "POST", "/2015-03-31/functions/f%4/invocations", "", "{}", 400,
       "InvalidParameterValueException"},
      {"no function name", "POST", "/2015-03-31/functions//invocations", "", "{}", 400,
       "InvalidParameterValueException"},
      {"another operation", "GET", "/2015-03-31/functions/f", "", "", 404,
       "UnknownOperationException"},
      {"wrong method", "GET", kPath.data(), "", "", 404, "UnknownOperationException"},
  };
  for (const Case& c : cases) {
    LambdaApi lambda;
    Response r = lambda.Invoke(c.body, c.invocation_type, c.path, c.method);
    EXPECT_EQ(r.status, c.status) << c.what;
    EXPECT_EQ(Header(r, "X-Amzn-ErrorType"), c.error) << c.what;
    Json body = Body(r);
    EXPECT_EQ(body["Type"], "User") << c.what;
    EXPECT_TRUE(body["message"].is_string()) << c.what << r.body;
    EXPECT_EQ(lambda.Calls(), Json::array()) << c.what;
  }
}

TEST(LambdaOpsTest, TheApiAndATaskShareTheFunctionsScript) {
  LambdaApi lambda(R"({"lambda": {"enrich-currency": [{"result": 1}, {"result": 2}]}})");
  EXPECT_EQ(lambda.Invoke("{}").body, "1");
  Response created = lambda.api.Call(
      "CreateStateMachine", Json{{"name", "m"},
                                 {"roleArn", kRole},
                                 {"definition", R"({"StartAt":"T","States":{"T":{"Type":"Task",
               "Resource":"arn:aws:states:::lambda:invoke",
               "Parameters":{"FunctionName":"enrich-currency"},
               "OutputPath":"$.Payload","End":true}}})"}});
  ASSERT_EQ(created.status, 200) << created.body;
  Response started = lambda.api.Call("StartExecution",
                                     Json{{"stateMachineArn", Body(created)["stateMachineArn"]}});
  ASSERT_EQ(started.status, 200) << started.body;
  Response described =
      lambda.api.Call("DescribeExecution", Json{{"executionArn", Body(started)["executionArn"]}});
  EXPECT_EQ(Body(described)["status"], "SUCCEEDED") << described.body;
  EXPECT_EQ(Body(described)["output"], "2");
  Json calls = lambda.Calls();
  ASSERT_EQ(calls.size(), 2u) << calls;
  EXPECT_EQ(calls[0]["operation"], "Invoke");
  EXPECT_EQ(calls[1]["operation"], "invoke");
  EXPECT_EQ(calls[1]["call"], 2);
}

TEST(LambdaOpsTest, AHungInvocationIsAnsweredAtShutdown) {
  LambdaApi lambda(R"({"lambda": {"enrich-currency": [{"hang": true}]}})");
  auto promise = std::make_shared<std::promise<Response>>();
  std::future<Response> got = promise->get_future();
  Request r;
  r.method = "POST";
  r.target = std::string(kPath);
  lambda.api.router().Handle(std::move(r),
                             [promise](Response answer) { promise->set_value(std::move(answer)); });
  ASSERT_EQ(lambda.Calls().size(), 1u);  // the call was made (and answered nothing)
  EXPECT_EQ(got.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  lambda.api.host().BeginShutdown();
  ASSERT_EQ(got.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  Response answer = got.get();
  EXPECT_EQ(answer.status, 500);
  EXPECT_EQ(Header(answer, "X-Amzn-ErrorType"), "ServiceException");
}

TEST(LambdaOpsTest, RestHandlersMatchTheLongestPrefixAndNeverAnXAmzTarget) {
  Router router;
  std::string seen;
  router.AddRestHandler("/a/", [&](Request, Reply reply) {
    seen = "a";
    reply(Response{});
  });
  router.AddRestHandler("/a/b/", [&](Request, Reply reply) {
    seen = "ab";
    reply(Response{});
  });
  auto send = [&](std::string target, std::string amz_target) {
    seen.clear();
    Request r;
    r.method = "POST";
    r.target = std::move(target);
    r.amz_target = std::move(amz_target);
    Response answer;
    router.Handle(std::move(r), [&](Response got) { answer = std::move(got); });
    return answer;
  };
  send("/a/x", "");
  EXPECT_EQ(seen, "a");
  send("/a/b/x?q=1", "");
  EXPECT_EQ(seen, "ab");
  send("/b/x", "");
  EXPECT_EQ(seen, "");
  Response r = send("/a/x", "AWSStepFunctions.Nope");
  EXPECT_EQ(seen, "");
  EXPECT_EQ(testing::ErrorType(r), "UnknownOperationException");
}

}  // namespace
}  // namespace timeslip::api
