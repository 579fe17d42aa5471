#include "emulator/api/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/api/errors.h"

namespace timeslip::api {
namespace {

using Json = nlohmann::ordered_json;

// Calls the router and returns the response it gave synchronously (every test op here answers
// at once, unless a test says otherwise).
std::optional<Response> Call(Router& router, Request request) {
  std::optional<Response> got;
  int calls = 0;
  router.Handle(std::move(request), [&](Response r) {
    ++calls;
    got = std::move(r);
  });
  EXPECT_LE(calls, 1);
  return got;
}

Request Op(std::string_view target, std::string_view body,
           std::string_view content_type = kAmzJson10) {
  Request r;
  r.method = "POST";
  r.target = "/";
  r.amz_target = std::string(target);
  r.content_type = std::string(content_type);
  r.body = std::string(body);
  return r;
}

Request Control(std::string_view method, std::string_view path, std::string_view body = "") {
  Request r;
  r.method = std::string(method);
  r.target = std::string(path);
  r.content_type = std::string(kJson);
  r.body = std::string(body);
  return r;
}

// The "__type" of an error body, or "" if the body is not one.
std::string ErrorType(const Response& r) {
  Json body = Json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("__type")) return "";
  return body["__type"].get<std::string>();
}

// A router with one toy operation per service: Echo answers {"input": <input>, "region": ...}.
class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    auto echo = Sync([](const Json& input, const Request& request) -> OpResult {
      return Json{{"input", input}, {"region", request.region}};
    });
    router_.AddOperation(kStepFunctionsService, "Echo", echo);
    router_.AddOperation(kGlueService, "Echo", echo);
    router_.AddOperation(kStepFunctionsService, "Fail",
                         Sync([](const Json& input, const Request&) -> OpResult {
                           return json::Error{input.value("name", ""), input.value("message", "")};
                         }));
    router_.AddOperation(kStepFunctionsService, "Throw",
                         [](Json, const Request&, OpReply) { throw std::runtime_error("boom"); });
    router_.AddOperation(kStepFunctionsService, "Null",
                         Sync([](const Json&, const Request&) -> OpResult { return Json(); }));
    router_.AddControlRoute("POST", "/_timeslip/clock/advance",
                            Sync([](const Json& input, const Request&) -> OpResult {
                              return Json{{"advanced", input.value("seconds", 0)}};
                            }));
  }
  Router router_;
};

struct RouteCase {
  std::string_view name;
  Request request;
  int status;
  std::string_view content_type;
  std::string_view error;  // "__type", or "" for success
};

TEST_F(RouterTest, AnswersEachRequestWithStatusTypeAndError) {
  const RouteCase cases[] = {
      {"echo", Op("AWSStepFunctions.Echo", "{}"), 200, kAmzJson10, ""},
      {"glue echo", Op("AWSGlue.Echo", "{}", kAmzJson11), 200, kAmzJson11, ""},
      {"empty body is {}", Op("AWSStepFunctions.Echo", ""), 200, kAmzJson10, ""},
      {"unknown op", Op("AWSStepFunctions.Nope", "{}"), 400, kAmzJson10,
       kUnknownOperationException},
      {"unknown glue op", Op("AWSGlue.Nope", "{}", kAmzJson11), 400, kAmzJson11,
       kUnknownOperationException},
      {"unknown service speaks the client's protocol", Op("Other.Op", "{}", kAmzJson11), 400,
       kAmzJson11, kUnknownOperationException},
      {"no target", Op("", "{}"), 400, kAmzJson10, kUnknownOperationException},
      {"target without a dot", Op("AWSStepFunctions", "{}"), 400, kAmzJson10,
       kUnknownOperationException},
      {"malformed Json", Op("AWSStepFunctions.Echo", R"({"a":)"), 400, kAmzJson10,
       kSerializationException},
      {"glue malformed Json", Op("AWSGlue.Echo", "{", kAmzJson11), 400, kAmzJson11,
       kSerializationException},
      {"array body", Op("AWSStepFunctions.Echo", "[]"), 400, kAmzJson10, kSerializationException},
      {"string body", Op("AWSStepFunctions.Echo", R"("x")"), 400, kAmzJson10,
       kSerializationException},
      {"number body", Op("AWSStepFunctions.Echo", "1"), 400, kAmzJson10, kSerializationException},
      {"null body", Op("AWSStepFunctions.Echo", "null"), 400, kAmzJson10, kSerializationException},
      {"too deep", Op("AWSStepFunctions.Echo", std::string(600, '[') + std::string(600, ']')), 400,
       kAmzJson10, kSerializationException},
      {"throws", Op("AWSStepFunctions.Throw", "{}"), 500, kAmzJson10, kInternalFailure},
      {"null result is {}", Op("AWSStepFunctions.Null", "{}"), 200, kAmzJson10, ""},
      {"service error", Op("AWSStepFunctions.Fail", R"({"name":"ExecutionDoesNotExist"})"), 400,
       kAmzJson10, "ExecutionDoesNotExist"},
      {"service unavailable", Op("AWSStepFunctions.Fail", R"({"name":"ServiceUnavailable"})"), 503,
       kAmzJson10, kServiceUnavailable},
      {"health", Control("GET", "/_timeslip/health"), 200, kJson, ""},
      {"control route", Control("POST", "/_timeslip/clock/advance", R"({"seconds":5})"), 200, kJson,
       ""},
      {"control route with query", Control("POST", "/_timeslip/clock/advance?x=1"), 200, kJson, ""},
      {"unknown control path", Control("GET", "/_timeslip/nope"), 404, kJson, kNotFound},
      {"control root", Control("GET", "/_timeslip"), 404, kJson, kNotFound},
      {"wrong method", Control("POST", "/_timeslip/health"), 405, kJson, kMethodNotAllowed},
      {"control malformed Json", Control("POST", "/_timeslip/clock/advance", "{"), 400, kJson,
       kSerializationException},
      {"not under /_timeslip/", Control("GET", "/_timeslipper"), 400, kAmzJson10,
       kUnknownOperationException},
  };
  for (const RouteCase& c : cases) {
    std::optional<Response> got = Call(router_, c.request);
    ASSERT_TRUE(got.has_value()) << c.name;
    EXPECT_EQ(got->status, c.status) << c.name << ": " << got->body;
    EXPECT_EQ(got->content_type, c.content_type) << c.name;
    EXPECT_EQ(ErrorType(*got), c.error) << c.name << ": " << got->body;
    if (!c.error.empty()) {
      Json body = Json::parse(got->body);
      EXPECT_TRUE(body["message"].is_string()) << c.name;
      EXPECT_EQ(body.size(), 2u) << c.name << ": " << got->body;
    }
  }
}

TEST_F(RouterTest, EchoesInputAndRegion) {
  Request request = Op("AWSStepFunctions.Echo", R"({"a":[1,"x"]})");
  request.authorization =
      "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/states/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc";
  std::optional<Response> got = Call(router_, request);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, R"({"input":{"a":[1,"x"]},"region":"eu-west-1"})");
}

TEST_F(RouterTest, HealthSaysOk) {
  std::optional<Response> got = Call(router_, Control("GET", "/_timeslip/health"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, R"({"status":"ok"})");
}

TEST_F(RouterTest, NullResultIsAnEmptyObject) {
  std::optional<Response> got = Call(router_, Op("AWSStepFunctions.Null", "{}"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, "{}");
}

TEST_F(RouterTest, WrongMethodNamesTheAllowedOnes) {
  std::optional<Response> got = Call(router_, Control("DELETE", "/_timeslip/health"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(FindHeader(got->headers, "allow"), "GET");
}

TEST_F(RouterTest, ErrorBodyIsAwsShaped) {
  std::optional<Response> got =
      Call(router_, Op("AWSStepFunctions.Fail", R"({"name":"InvalidArn","message":"bad arn"})"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, R"({"__type":"InvalidArn","message":"bad arn"})");
}

TEST_F(RouterTest, MalformedJsonMessageSaysWhere) {
  std::optional<Response> got = Call(router_, Op("AWSStepFunctions.Echo", R"({"a":)"));
  ASSERT_TRUE(got.has_value());
  EXPECT_NE(got->body.find("column"), std::string::npos) << got->body;
}

TEST_F(RouterTest, ThrowingOperationIs500AndTheNextRequestWorks) {
  std::optional<Response> got = Call(router_, Op("AWSStepFunctions.Throw", "{}"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, 500);
  EXPECT_EQ(ErrorType(*got), kInternalFailure);
  got = Call(router_, Op("AWSStepFunctions.Echo", R"({"n":2})"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, 200);
}

TEST_F(RouterTest, InvalidUtf8InAResultIsReplacedNotThrown) {
  router_.AddOperation(kStepFunctionsService, "Bytes",
                       Sync([](const Json&, const Request&) -> OpResult {
                         return Json{{"s", std::string("a\xff"
                                                       "b")}};
                       }));
  std::optional<Response> got = Call(router_, Op("AWSStepFunctions.Bytes", "{}"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body,
            "{\"s\":\"a\xEF\xBF\xBD"
            "b\"}");
}

TEST(RouterAsyncTest, OperationMayAnswerAfterHandleReturns) {
  Router router;
  OpReply pending;
  router.AddOperation(kStepFunctionsService, "Later",
                      [&](Json input, const Request&, OpReply reply) {
                        pending = [reply, input](OpResult) { reply(Json{{"got", input}}); };
                      });
  std::optional<Response> got;
  router.Handle(Op("AWSStepFunctions.Later", R"({"k":1})"), [&](Response r) { got = r; });
  EXPECT_FALSE(got.has_value());
  ASSERT_TRUE(pending);
  pending(Json());
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, R"({"got":{"k":1}})");
}

TEST(RouterAsyncTest, OnlyTheFirstReplyCounts) {
  Router router;
  router.AddOperation(kStepFunctionsService, "Twice", [](Json, const Request&, OpReply reply) {
    reply(Json{{"n", 1}});
    reply(Json{{"n", 2}});
    throw std::runtime_error("and then it throws");
  });
  std::vector<Response> got;
  router.Handle(Op("AWSStepFunctions.Twice", "{}"), [&](Response r) { got.push_back(r); });
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, R"({"n":1})");
}

TEST(RouterAsyncTest, ALaterRegistrationReplacesTheFirst) {
  Router router;
  router.AddOperation(kStepFunctionsService, "Op", Sync([](const Json&, const Request&) {
                        return OpResult(Json{{"v", 1}});
                      }));
  router.AddOperation(kStepFunctionsService, "Op", Sync([](const Json&, const Request&) {
                        return OpResult(Json{{"v", 2}});
                      }));
  std::optional<Response> got = Call(router, Op("AWSStepFunctions.Op", "{}"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, R"({"v":2})");
}

TEST(RouterAsyncTest, AddServiceDeclaresAnotherProtocol) {
  Router router;
  router.AddService("AmazonSSM", kAmzJson11);
  router.AddOperation("AmazonSSM", "GetParameter",
                      Sync([](const Json&, const Request&) { return OpResult(Json::object()); }));
  std::optional<Response> got = Call(router, Op("AmazonSSM.GetParameter", "{}", kAmzJson10));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->content_type, kAmzJson11);
}

TEST(RouterQueryTest, FormRequestsWithoutATargetGoToTheQueryHandler) {
  Router router;
  Request form =
      Op("", "Action=Publish&Message=hi", "application/x-www-form-urlencoded; charset=utf-8");
  // Without a handler: as any request without a target.
  std::optional<Response> got = Call(router, form);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(ErrorType(*got), "UnknownOperationException");

  std::vector<Request> seen;
  router.SetQueryHandler([&](Request request, Reply reply) {
    seen.push_back(request);
    reply(Response{.status = 200, .content_type = "text/xml", .body = "<ok/>"});
  });
  form.authorization =
      "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/sns/aws4_request, SignedHeaders=host";
  got = Call(router, form);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->body, "<ok/>");
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].body, "Action=Publish&Message=hi");  // unparsed
  EXPECT_EQ(seen[0].region, "eu-west-1");

  // JSON without a target, and a form with one, are not the query protocol's.
  EXPECT_EQ(ErrorType(*Call(router, Op("", "{}"))), "UnknownOperationException");
  EXPECT_EQ(ErrorType(*Call(
                router, Op("AWSStepFunctions.Nope", "{}", "application/x-www-form-urlencoded"))),
            "UnknownOperationException");
  EXPECT_EQ(ErrorType(*Call(router, Op("", "{}", "application/x-www-form-urlencodedx"))),
            "UnknownOperationException");
  EXPECT_EQ(seen.size(), 1u);
}

struct StatusCase {
  std::string_view name;
  int status;
};
constexpr StatusCase kStatusCases[] = {
    {"InternalFailure", 500},
    {"ServiceUnavailable", 503},
    {"ThrottlingException", 400},
    {"UnrecognizedClientException", 400},
    {"InvalidClientTokenId", 403},
    {"MissingAuthenticationToken", 403},
    {"AccessDeniedException", 400},
    {"InternalServiceException", 500},
    {"ValidationException", 400},
    {"SerializationException", 400},
    {"UnknownOperationException", 400},
    {"ExecutionDoesNotExist", 400},
    {"NotFoundException", 404},
    {"MethodNotAllowedException", 405},
    {"RequestEntityTooLargeException", 413},
    {"", 400},
};

TEST(ErrorsTest, StatusTable) {
  for (const StatusCase& c : kStatusCases) {
    EXPECT_EQ(HttpStatusFor(c.name), c.status) << c.name;
  }
}

TEST(ErrorsTest, ErrorResponseEscapesAndReplacesBadBytes) {
  Response r = ErrorResponse({"InvalidName", "bad \"name\" \xc3"}, kAmzJson10);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.content_type, kAmzJson10);
  EXPECT_EQ(r.body, "{\"__type\":\"InvalidName\",\"message\":\"bad \\\"name\\\" \xEF\xBF\xBD\"}");
}

struct RegionCase {
  std::string_view authorization;
  std::string_view region;
};
constexpr RegionCase kRegionCases[] = {
    {"AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/states/aws4_request, "
     "SignedHeaders=host, Signature=00",
     "eu-west-1"},
    {"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-gov-west-1/glue/aws4_request,SignedHeaders=h",
     "us-gov-west-1"},
    {"AWS4-HMAC-SHA256 Credential=AKID/20240101/ap-south-2/states/aws4_request", "ap-south-2"},
    {"", "us-east-1"},
    {"Bearer token", "us-east-1"},
    {"AWS4-HMAC-SHA256 Credential=", "us-east-1"},
    {"AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/states", "us-east-1"},
    {"AWS4-HMAC-SHA256 Credential=eu-west-1/states/aws4_request", "us-east-1"},
    {"AWS4-HMAC-SHA256 Credential=/aws4_request", "us-east-1"},
    {"AWS4-HMAC-SHA256 Credential=AKID/20240101//states/aws4_request", "us-east-1"},
    {"AWS4-HMAC-SHA256 Credential=AKID/20240101/EU WEST/states/aws4_request", "us-east-1"},
    {"AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/states/aws4_requestX", "us-east-1"},
    {"AWS4-HMAC-SHA256 Credential=AKID/20240101/../states/aws4_request", "us-east-1"},
};

TEST(RequestTest, RegionFromAuthorization) {
  for (const RegionCase& c : kRegionCases) {
    EXPECT_EQ(RegionFromAuthorization(c.authorization), c.region) << c.authorization;
  }
}

TEST(RequestTest, RouterFillsTheDefaultRegion) {
  Router router;
  std::string region;
  router.AddOperation(kStepFunctionsService, "R", Sync([&](const Json&, const Request& r) {
                        region = r.region;
                        return OpResult(Json::object());
                      }));
  (void)Call(router, Op("AWSStepFunctions.R", "{}"));
  EXPECT_EQ(region, "us-east-1");
}

TEST(RequestTest, FindHeaderIgnoresCase) {
  Headers headers = {{"X-Amz-Target", "A.B"}, {"content-type", "x"}};
  EXPECT_EQ(FindHeader(headers, "x-amz-target"), "A.B");
  EXPECT_EQ(FindHeader(headers, "Content-Type"), "x");
  EXPECT_EQ(FindHeader(headers, "Host"), "");
}

}  // namespace
}  // namespace timeslip::api
