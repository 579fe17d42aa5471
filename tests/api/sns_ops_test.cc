// The SNS API in AWS's query protocol, through the Router.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "emulator/services/sns/service.h"
#include "tests/api/hosted_router.h"
#include "tests/support/same_json.h"

namespace timeslip::api {
namespace {

using Json = nlohmann::ordered_json;
using testing::Body;
using testing::HostedRouter;
using testing::kRole;

constexpr std::string_view kTopic = "arn:aws:sns:us-east-1:123456789012:alerts";
constexpr std::string_view kTopicEncoded = "arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aalerts";

Request Form(std::string body) {
  Request r;
  r.method = "POST";
  r.target = "/";
  r.content_type = "application/x-www-form-urlencoded; charset=utf-8";
  r.body = std::move(body);
  r.request_id = "req-1";
  return r;
}

// The text of the first <tag>...</tag> in `xml`.
std::string Element(const std::string& xml, const std::string& tag) {
  std::smatch m;
  if (!std::regex_search(xml, m, std::regex("<" + tag + ">([^<]*)</" + tag + ">"))) return "";
  return m[1];
}

TEST(SnsOpsTest, PublishRecordsTheMessageAndAnswersAwsXml) {
  HostedRouter api;
  ASSERT_EQ(api.Send(Form("Action=CreateTopic&Name=alerts")).status, 200);
  Response r = api.Send(Form(fmt::format(
      "Action=Publish&TopicArn={}&Message=hello+%26+welcome&Subject=Hi&Version=2010-03-31"
      "&MessageAttributes.entry.1.Name=kind&MessageAttributes.entry.1.Value.DataType=String"
      "&MessageAttributes.entry.1.Value.StringValue=nightly",
      kTopicEncoded)));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "text/xml");
  const std::string id = Element(r.body, "MessageId");
  ASSERT_FALSE(id.empty()) << r.body;
  EXPECT_EQ(r.body,
            fmt::format("<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                        "<PublishResult><MessageId>{}</MessageId></PublishResult>"
                        "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
                        "</PublishResponse>",
                        id));

  Json message = api.OnEngine([&] { return fakes::ToJson(api.fakes().sns().messages().at(0)); });
  EXPECT_TRUE(timeslip::testing::SameJson(
      message,
      (Json{{"MessageId", id},
            {"TopicArn", kTopic},
            {"Message", "hello & welcome"},
            {"Subject", "Hi"},
            {"MessageAttributes", {{"kind", {{"DataType", "String"}, {"StringValue", "nightly"}}}}},
            {"PublishedAt", "2024-01-01T00:00:00.000Z"}})));
  Json calls = Body(api.Control("GET", "/_timeslip/fakes/calls"))["calls"];
  ASSERT_EQ(calls.size(), 1u) << calls;
  EXPECT_EQ(calls[0]["service"], "sns");
  EXPECT_EQ(calls[0]["operation"], "Publish");
  EXPECT_EQ(calls[0]["target"], kTopic);
  EXPECT_EQ(calls[0]["arguments"]["Message"], "hello & welcome");
  EXPECT_EQ(calls[0]["outcome"], (Json{{"result", {{"MessageId", id}}}}));
}

TEST(SnsOpsTest, StepFunctionsAndTheApiPublishToTheSameFake) {
  HostedRouter api;
  Response created =
      api.Call("CreateStateMachine",
               Json{{"name", "notify"},
                    {"roleArn", kRole},
                    {"definition", fmt::format(R"({{"StartAt":"N","States":{{"N":{{"Type":"Task",
              "Resource":"arn:aws:states:::sns:publish",
              "Parameters":{{"TopicArn":"{}","Message.$":"$.text"}},"End":true}}}}}})",
                                               kTopic)}});
  ASSERT_EQ(created.status, 200) << created.body;
  ASSERT_EQ(api.Call("StartExecution", Json{{"stateMachineArn", Body(created)["stateMachineArn"]},
                                            {"input", R"({"text":"from a state"})"}})
                .status,
            200);
  ASSERT_EQ(api.Send(Form("Action=CreateTopic&Name=alerts")).status, 200);
  ASSERT_EQ(
      api.Send(Form(fmt::format("Action=Publish&TopicArn={}&Message=from+the+api", kTopicEncoded)))
          .status,
      200);
  std::vector<std::string> texts = api.OnEngine([&] {
    std::vector<std::string> out;
    for (const fakes::SnsMessage* m : api.fakes().sns().MessagesTo(std::string(kTopic))) {
      out.push_back(m->message);
    }
    return out;
  });
  EXPECT_EQ(texts, (std::vector<std::string>{"from a state", "from the api"}));
}

TEST(SnsOpsTest, PublishToATopicNoOneCreatedOrScriptedIsNotFound) {
  HostedRouter api;
  const std::string publish =
      fmt::format("Action=Publish&TopicArn={}&Message=hi&Version=2010-03-31", kTopicEncoded);
  Response missing = api.Send(Form(publish));
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(Element(missing.body, "Code"), "NotFound") << missing.body;
  EXPECT_EQ(Element(missing.body, "Message"), "Topic does not exist") << missing.body;
  EXPECT_TRUE(api.OnEngine([&] { return api.fakes().sns().messages().empty(); }));

  // Declared by a script of its own, by "*", or created: then it exists.
  ASSERT_EQ(api.Control("POST", "/_timeslip/fakes", R"({"sns": {"alerts": {}}})").status, 200);
  EXPECT_EQ(api.Send(Form(publish)).status, 200);
  ASSERT_EQ(api.Control("POST", "/_timeslip/fakes", R"({"sns": {"*": {}}})").status, 200);
  EXPECT_EQ(api.Send(Form(publish)).status, 200);
  ASSERT_EQ(api.Control("POST", "/_timeslip/fakes", "{}").status, 200);
  EXPECT_EQ(api.Send(Form(publish)).status, 404);
  ASSERT_EQ(api.Send(Form("Action=CreateTopic&Name=alerts")).status, 200);
  EXPECT_EQ(api.Send(Form(publish)).status, 200);
}

TEST(SnsOpsTest, CreateListAndDeleteTopics) {
  HostedRouter api;
  Response created = api.Send(Form("Action=CreateTopic&Name=alerts&Version=2010-03-31"));
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.body,
            "<CreateTopicResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
            "<CreateTopicResult><TopicArn>arn:aws:sns:us-east-1:123456789012:alerts</TopicArn>"
            "</CreateTopicResult><ResponseMetadata><RequestId>req-1</RequestId>"
            "</ResponseMetadata></CreateTopicResponse>");
  Request in_eu = Form("Action=CreateTopic&Name=alerts.fifo");
  in_eu.authorization =
      "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/sns/aws4_request, SignedHeaders=host, "
      "Signature=0";
  EXPECT_EQ(Element(api.Send(in_eu).body, "TopicArn"),
            "arn:aws:sns:eu-west-1:123456789012:alerts.fifo");
  EXPECT_EQ(api.Send(Form("Action=CreateTopic&Name=alerts")).status, 200);  // idempotent

  Response listed = api.Send(Form("Action=ListTopics"));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body,
            "<ListTopicsResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
            "<ListTopicsResult><Topics>"
            "<member><TopicArn>arn:aws:sns:eu-west-1:123456789012:alerts.fifo</TopicArn></member>"
            "<member><TopicArn>arn:aws:sns:us-east-1:123456789012:alerts</TopicArn></member>"
            "</Topics></ListTopicsResult><ResponseMetadata><RequestId>req-1</RequestId>"
            "</ResponseMetadata></ListTopicsResponse>");

  EXPECT_EQ(api.Send(Form(fmt::format("Action=DeleteTopic&TopicArn={}", kTopicEncoded))).status,
            200);
  EXPECT_EQ(Element(api.Send(Form("Action=ListTopics")).body, "TopicArn"),
            "arn:aws:sns:eu-west-1:123456789012:alerts.fifo");
}

struct BadRequest {
  std::string body;
  int status;
  std::string_view code;
  std::string_view message;
};

TEST(SnsOpsTest, BadRequestsGetSnsErrorsAndTheNextRequestWorks) {
  const BadRequest cases[] = {
      {"Action=Publish&Message=x", 400, "InvalidParameter",
       "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"},
      {"Action=Publish&TopicArn=t", 400, "InvalidParameter",
       "Invalid parameter: Message Reason: no value for required parameter"},
      {"Action=Publish&TopicArn=t&Message=", 400, "InvalidParameter",
       "Invalid parameter: Empty message"},
      {"Action=Publish&TopicArn=t&Message=" + std::string(256 * 1024 + 1, 'x'), 400,
       "InvalidParameter", "Invalid parameter: Message too long"},
      {"Action=CreateTopic&Name=a+b", 400, "InvalidParameter",
       "Invalid parameter: Topic Name: must be 1-256 ASCII letters, digits, hyphens or "
       "underscores"},
      {"Action=CreateTopic", 400, "InvalidParameter",
       "Invalid parameter: Topic Name: must be 1-256 ASCII letters, digits, hyphens or "
       "underscores"},
      {"Action=DeleteTopic", 400, "InvalidParameter", "Invalid parameter: TopicArn"},
      {"Action=Subscribe&TopicArn=t", 400, "InvalidAction",
       "The action Subscribe is not valid for this endpoint"},
      {"Version=2010-03-31", 400, "MissingAction", "The request must contain the parameter Action"},
      {"", 400, "MissingAction", "The request must contain the parameter Action"},
      {"Action=Publish&Message=%zz", 400, "MalformedQueryString",
       "The request body is not well-formed form data"},
      {"Action=Publish&Message=%4", 400, "MalformedQueryString",
       "The request body is not well-formed form data"},
  };
  HostedRouter api;
  for (const BadRequest& c : cases) {
    const std::string row = c.body.substr(0, 60);
    Response r = api.Send(Form(c.body));
    EXPECT_EQ(r.status, c.status) << row;
    EXPECT_EQ(r.content_type, "text/xml") << row;
    EXPECT_EQ(r.body,
              fmt::format("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                          "<Error><Type>Sender</Type><Code>{}</Code><Message>{}</Message>"
                          "</Error><RequestId>req-1</RequestId></ErrorResponse>",
                          c.code, c.message))
        << row;
    EXPECT_EQ(api.Send(Form("Action=ListTopics")).status, 200) << row;
  }
  EXPECT_TRUE(api.OnEngine([&] { return api.fakes().sns().messages().empty(); }));
}

TEST(SnsOpsTest, OnlyFormRequestsWithoutATargetReachSns) {
  HostedRouter api;
  Request json_body = Form("Action=ListTopics");
  json_body.content_type = "application/x-amz-json-1.0";
  EXPECT_EQ(testing::ErrorType(api.Send(json_body)), "UnknownOperationException");
  Request targeted = Form("{}");
  targeted.amz_target = "AWSStepFunctions.ListActivities";
  EXPECT_EQ(api.Send(targeted).status, 200);
  Request upper = Form("Action=ListTopics");
  upper.content_type = "Application/X-WWW-Form-Urlencoded";
  EXPECT_EQ(api.Send(upper).status, 200);
}

}  // namespace
}  // namespace timeslip::api
