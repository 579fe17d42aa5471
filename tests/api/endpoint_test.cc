// api::Endpoint in process: the fixture README shows, and the endpoint's own lifecycle.
#include "emulator/api/endpoint.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "emulator/engine/emulator.h"
#include "emulator/time/rfc3339.h"
#include "emulator/world/world.h"
#include "tests/api/http_client.h"

namespace timeslip::api {
namespace {

using Json = nlohmann::ordered_json;
using testing::HttpClient;
using testing::HttpReply;

constexpr std::string_view kRole = "arn:aws:iam::123456789012:role/test";

// A whole endpoint inside the test process: a World on a virtual clock, served on a free port.
class EndpointTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(endpoint_.Start().ok()); }
  void TearDown() override { endpoint_.Stop(); }

  world::World world_{{.emulator = {.clock = engine::ClockMode::kVirtual,
                                    .start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z"),
                                    .seed = 1}}};
  Endpoint endpoint_{world_.host()};  // port 0: any free port; endpoint_.url() says which
};

TEST_F(EndpointTest, RunsAStateMachineOverHttp) {
  HttpClient sfn(endpoint_.port());
  HttpReply created = sfn.StepFunctions(
      "CreateStateMachine",
      {{"name", "hello"},
       {"roleArn", kRole},
       {"definition", R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"hi":1},
                          "End":true}}})"}});
  ASSERT_EQ(created.status, 200) << created.body;
  HttpReply started = sfn.StepFunctions(
      "StartExecution", {{"stateMachineArn", created.json()["stateMachineArn"]}, {"input", "{}"}});
  ASSERT_EQ(started.status, 200) << started.body;

  Json run =
      sfn.StepFunctions("DescribeExecution", {{"executionArn", started.json()["executionArn"]}})
          .json();
  EXPECT_EQ(run["status"], "SUCCEEDED");
  EXPECT_EQ(run["output"], R"({"hi":1})");
}

TEST_F(EndpointTest, AScriptedLambdaTakesAnHourOfVirtualTimeAndNoWallTime) {
  HttpClient client(endpoint_.port());
  ASSERT_EQ(
      client
          .Control("POST", "/_timeslip/fakes",
                   {{"lambda", {{"enrich", {{"latency", "1h"}, {"result", {{"rate", 1.1}}}}}}}})
          .status,
      200);
  HttpReply created =
      client.StepFunctions("CreateStateMachine",
                           {{"name", "fx"},
                            {"roleArn", kRole},
                            {"definition", R"({"StartAt":"Enrich","States":{"Enrich":{"Type":"Task",
          "Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"FunctionName":"enrich","Payload.$":"$"},
          "ResultSelector":{"rate.$":"$.Payload.rate"},"End":true}}})"}});
  ASSERT_EQ(created.status, 200) << created.body;
  Json started =
      client
          .StepFunctions("StartExecution", {{"stateMachineArn", created.json()["stateMachineArn"]},
                                            {"input", R"({"day":"2024-01-01"})"}})
          .json();

  Json run =
      client.StepFunctions("DescribeExecution", {{"executionArn", started["executionArn"]}}).json();
  EXPECT_EQ(run["status"], "SUCCEEDED");
  EXPECT_EQ(run["output"], R"({"rate":1.1})");
  EXPECT_EQ(client.Control("GET", "/_timeslip/clock").json()["now"], "2024-01-01T01:00:00.000Z");
  Json calls = client.Control("GET", "/_timeslip/fakes/calls").json()["calls"];
  ASSERT_EQ(calls.size(), 1u) << calls;
  EXPECT_EQ(calls[0]["service"], "lambda");
  EXPECT_EQ(calls[0]["target"], "enrich");
  EXPECT_EQ(calls[0]["arguments"]["Payload"], (Json{{"day", "2024-01-01"}}));
}

TEST_F(EndpointTest, TheTestReadsTheFakesInCpp) {
  HttpClient sns(endpoint_.port());
  ASSERT_EQ(sns.Send("POST", "/", "Action=CreateTopic&Name=t",
                     {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}})
                .status,
            200);
  HttpReply published =
      sns.Send("POST", "/",
               "Action=Publish&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3At"
               "&Message=hello+world&Version=2010-03-31",
               {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}});
  ASSERT_EQ(published.status, 200) << published.body;

  std::vector<std::string> messages;
  endpoint_.RunOnEngine([&] {
    for (const fakes::SnsMessage& m : world_.fakes().sns().messages()) {
      messages.push_back(m.topic_arn + " " + m.message);
    }
  });
  EXPECT_EQ(messages, std::vector<std::string>{"arn:aws:sns:us-east-1:123456789012:t hello world"});
}

TEST(EndpointLifecycleTest, StartStopAndATakenPort) {
  world::World world;
  Endpoint first(world.host());
  EXPECT_EQ(first.url(), "");
  EXPECT_EQ(first.port(), 0);
  json::Result<std::uint16_t> port = first.Start();
  ASSERT_TRUE(port.ok()) << port.error().message;
  EXPECT_EQ(first.url(), fmt::format("http://127.0.0.1:{}", port.value()));

  world::World other;
  EndpointOptions same_port;
  same_port.server.port = port.value();
  Endpoint second(other.host(), same_port);
  json::Result<std::uint16_t> refused = second.Start();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().name, "ServerStartFailed");
  second.Stop();  // after a failed start: nothing to do

  EXPECT_EQ(HttpClient(port.value()).Control("GET", "/_timeslip/health").status, 200);
  first.Stop();
  first.Stop();  // idempotent
  EXPECT_EQ(HttpClient(port.value()).Control("GET", "/_timeslip/health").status, 0);

  world::World third;
  Endpoint never_started(third.host());
  never_started.Stop();
}

TEST(EndpointLifecycleTest, RunOnEngineRunsInlineWhenNotRunningAndRethrows) {
  world::World world;
  Endpoint endpoint(world.host());
  int ran = 0;
  endpoint.RunOnEngine([&] { ++ran; });  // not started: on this thread
  ASSERT_TRUE(endpoint.Start().ok());
  endpoint.RunOnEngine([&] { ++ran; });
  EXPECT_THROW(endpoint.RunOnEngine([] { throw std::runtime_error("boom"); }), std::runtime_error);
  endpoint.RunOnEngine([&] { ++ran; });  // the engine thread carries on
  EXPECT_EQ(ran, 3);
}

}  // namespace
}  // namespace timeslip::api
