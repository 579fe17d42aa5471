// POST /_timeslip/fakes and GET /_timeslip/fakes/calls.
#include <gtest/gtest.h>

#include "emulator/services/control/service.h"
#include "tests/api/hosted_router.h"

namespace timeslip::api {
namespace {

using Json = nlohmann::ordered_json;
using testing::Body;
using testing::ErrorMessage;
using testing::ErrorType;
using testing::HostedRouter;
using testing::kRole;

constexpr std::string_view kLambdaTask = R"({"StartAt":"L","States":{"L":{"Type":"Task",
    "Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},
    "End":true}}})";

class FakesOpsTest : public ::testing::Test {
 protected:
  // Runs kLambdaTask on `input`; returns DescribeExecution's answer.
  Json Run(std::string_view input) {
    if (machine_.empty()) {
      Response created =
          api_.Call("CreateStateMachine",
                    Json{{"name", "m"}, {"roleArn", kRole}, {"definition", kLambdaTask}});
      machine_ = Body(created)["stateMachineArn"];
    }
    Json started =
        Body(api_.Call("StartExecution", Json{{"stateMachineArn", machine_}, {"input", input}}));
    return Body(api_.Call("DescribeExecution", Json{{"executionArn", started["executionArn"]}}));
  }

  HostedRouter api_;
  std::string machine_;
};

TEST_F(FakesOpsTest, LoadsBehavioursAndServesTheCalls) {
  // Unscripted, the Lambda returns its payload.
  EXPECT_EQ(Run(R"({"n":1})")["status"], "SUCCEEDED");
  Response loaded = api_.Control("POST", "/_timeslip/fakes",
                                 R"({"lambda": {"f": {"error": "Boom", "cause": "bad input"}}})");
  ASSERT_EQ(loaded.status, 200) << loaded.body;
  EXPECT_EQ(loaded.content_type, "application/json");
  EXPECT_EQ(Body(loaded), Json::object());
  Json failed = Run(R"({"n":2})");
  EXPECT_EQ(failed["status"], "FAILED");
  EXPECT_EQ(failed["error"], "Boom");

  Response calls = api_.Control("GET", "/_timeslip/fakes/calls");
  ASSERT_EQ(calls.status, 200) << calls.body;
  Json list = Body(calls)["calls"];
  ASSERT_EQ(list.size(), 2u) << list;
  EXPECT_EQ(list[0]["service"], "lambda");
  EXPECT_EQ(list[0]["target"], "f");
  EXPECT_EQ(list[0]["arguments"]["Payload"], (Json{{"n", 1}}));
  EXPECT_EQ(list[0]["outcome"]["result"]["Payload"], (Json{{"n", 1}}));
  EXPECT_EQ(list[1]["outcome"]["error"], "Boom");
}

struct BadDocument {
  std::string_view body;
  std::string_view error;
  std::string_view message_starts;  // the path in the document, first
};
constexpr BadDocument kBadDocuments[] = {
    {R"({"lambda": {"f": {"latency": "5q"}}})", "ValidationException", "lambda.f"},
    {R"({"lambda": {"f": [{"result": 1}, {"error": 7}]}})", "ValidationException", "lambda.f[1]"},
    {R"({"lambda": []})", "ValidationException", "lambda:"},
    {R"({"nope": {}})", "ValidationException", "behaviours: unknown field 'nope'"},
    {R"({"lambda": )", "SerializationException", ""},
    {R"([1])", "SerializationException", "The request body must be a JSON object"},
};

TEST_F(FakesOpsTest, ABadDocumentIsRefusedAndNothingChanges) {
  ASSERT_EQ(
      api_.Control("POST", "/_timeslip/fakes", R"({"lambda": {"f": {"error": "Boom"}}})").status,
      200);
  for (const BadDocument& c : kBadDocuments) {
    Response r = api_.Control("POST", "/_timeslip/fakes", c.body);
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_EQ(ErrorType(r), c.error) << c.body;
    EXPECT_TRUE(ErrorMessage(r).starts_with(c.message_starts)) << c.body << ": " << r.body;
  }
  EXPECT_EQ(Run("{}")["error"], "Boom");  // the behaviours loaded before still play
}

TEST_F(FakesOpsTest, AnEmptyDocumentClearsTheBehaviours) {
  ASSERT_EQ(
      api_.Control("POST", "/_timeslip/fakes", R"({"lambda": {"f": {"error": "Boom"}}})").status,
      200);
  ASSERT_EQ(api_.Control("POST", "/_timeslip/fakes", "").status, 200);
  EXPECT_EQ(Run("{}")["status"], "SUCCEEDED");
}

TEST_F(FakesOpsTest, OtherMethodsAreRefused) {
  EXPECT_EQ(api_.Control("GET", "/_timeslip/fakes").status, 405);
  EXPECT_EQ(api_.Control("POST", "/_timeslip/fakes/calls").status, 405);
  EXPECT_EQ(Body(api_.Control("GET", "/_timeslip/fakes/calls")), (Json{{"calls", Json::array()}}));
}

}  // namespace
}  // namespace timeslip::api
