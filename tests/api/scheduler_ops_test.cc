// EventBridge Scheduler's API (REST-JSON) through the Router, driving a fakes::Scheduler whose
// schedules start executions on the engine's virtual clock.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "emulator/services/scheduler/service.h"
#include "tests/api/hosted_router.h"
#include "tests/support/same_json.h"

namespace timeslip::api {
namespace {

using Json = nlohmann::ordered_json;
using testing::Body;
using testing::HostedRouter;
using testing::kRole;

constexpr std::string_view kPass =
    R"({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})";
constexpr std::string_view kMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:nightly";
constexpr std::string_view kScheduleArn =
    "arn:aws:scheduler:us-east-1:123456789012:schedule/default/";
constexpr double kStart = 1704067200;  // 2024-01-01T00:00:00Z, the HostedRouter's clock

// A HostedRouter with the Scheduler API and a Pass machine named "nightly".
class SchedulerApi {
 public:
  SchedulerApi() {
    Response r = api.Call("CreateStateMachine",
                          Json{{"name", "nightly"}, {"definition", kPass}, {"roleArn", kRole}});
    EXPECT_EQ(r.status, 200) << r.body;
  }
  ~SchedulerApi() {
    api.host().Stop();  // the Scheduler cancels its timers: not while the engine runs
  }

  Response Send(std::string_view method, std::string_view path, std::string_view body = "",
                std::string_view query = "") {
    Request r;
    r.method = std::string(method);
    r.target = std::string(path);
    r.query = std::string(query);
    r.content_type = std::string(kJson);
    r.body = std::string(body);
    return api.Send(std::move(r));
  }

  Response Create(std::string_view name, Json body) {
    return Send("POST", fmt::format("/schedules/{}", name), body.dump());
  }

  HostedRouter api;
};

Json NightlyBody(std::string_view expression = "cron(0 1 * * ? *)") {
  return {{"ScheduleExpression", expression},
          {"FlexibleTimeWindow", {{"Mode", "OFF"}}},
          {"Target", {{"Arn", kMachine}, {"RoleArn", kRole}, {"Input", R"({"run":"nightly"})"}}}};
}

std::string ErrorName(const Response& r) {
  return std::string(FindHeader(r.headers, "X-Amzn-ErrorType"));
}

TEST(SchedulerOpsTest, CronScheduleStartsExecutionsAsTheClockAdvances) {
  SchedulerApi s;
  Response created = s.Create("nightly", NightlyBody());
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.content_type, "application/json");
  EXPECT_EQ(Body(created), (Json{{"ScheduleArn", std::string(kScheduleArn) + "nightly"}}));
  // The virtual clock rests at the next firing instead of running through the nights alone.
  EXPECT_EQ(Body(s.api.Control("GET", "/_timeslip/clock"))["now"], "2024-01-01T00:00:00.000Z");

  Response advanced = s.api.Control("POST", "/_timeslip/clock/advance", R"({"seconds": 90000})");
  ASSERT_EQ(advanced.status, 200) << advanced.body;
  EXPECT_EQ(Body(advanced)["now"], "2024-01-02T01:00:00.000Z");

  Json listed = Body(s.api.Call("ListExecutions", Json{{"stateMachineArn", kMachine}}));
  ASSERT_EQ(listed["executions"].size(), 2u) << listed;
  // Newest first.
  EXPECT_EQ(listed["executions"][0]["name"], "nightly-20240102T010000Z");
  EXPECT_EQ(listed["executions"][0]["startDate"], kStart + 86400 + 3600);
  EXPECT_EQ(listed["executions"][1]["name"], "nightly-20240101T010000Z");
  EXPECT_EQ(listed["executions"][1]["startDate"], kStart + 3600);
  EXPECT_EQ(listed["executions"][1]["status"], "SUCCEEDED");
  Json described = Body(s.api.Call(
      "DescribeExecution", Json{{"executionArn", listed["executions"][1]["executionArn"]}}));
  EXPECT_EQ(described["input"], R"({"run":"nightly"})");
}

TEST(SchedulerOpsTest, GetListAndDeleteShapes) {
  SchedulerApi s;
  Json body = NightlyBody();
  body["ScheduleExpressionTimezone"] = "Europe/London";
  body["StartDate"] = kStart + 60;
  body["EndDate"] = kStart + 86400 * 30;
  body["Description"] = "the warehouse build";
  ASSERT_EQ(s.Create("nightly", body).status, 200);
  Json paused = NightlyBody("rate(1 hour)");
  paused["State"] = "DISABLED";
  ASSERT_EQ(s.Create("hourly", paused).status, 200);

  Response got = s.Send("GET", "/schedules/nightly");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_TRUE(timeslip::testing::SameJson(Body(got),
            (Json{{"Arn", std::string(kScheduleArn) + "nightly"},
                  {"CreationDate", kStart},
                  {"Description", "the warehouse build"},
                  {"EndDate", kStart + 86400 * 30},
                  {"FlexibleTimeWindow", {{"Mode", "OFF"}}},
                  {"GroupName", "default"},
                  {"LastModificationDate", kStart},
                  {"Name", "nightly"},
                  {"ScheduleExpression", "cron(0 1 * * ? *)"},
                  {"ScheduleExpressionTimezone", "Europe/London"},
                  {"StartDate", kStart + 60},
                  {"State", "ENABLED"},
                  {"Target",
                   {{"Arn", kMachine}, {"RoleArn", kRole}, {"Input", R"({"run":"nightly"})"}}}})));

  auto summary = [](std::string_view name, std::string_view state) {
    return Json{{"Arn", std::string(kScheduleArn) + std::string(name)},
                {"CreationDate", kStart},
                {"GroupName", "default"},
                {"LastModificationDate", kStart},
                {"Name", name},
                {"State", state},
                {"Target", {{"Arn", kMachine}}}};
  };
  EXPECT_TRUE(timeslip::testing::SameJson(Body(s.Send("GET", "/schedules")),
            (Json{{"Schedules", {summary("hourly", "DISABLED"), summary("nightly", "ENABLED")}}})));
  EXPECT_TRUE(timeslip::testing::SameJson(Body(s.Send("GET", "/schedules", "", "State=ENABLED")),
            (Json{{"Schedules", {summary("nightly", "ENABLED")}}})));
  EXPECT_TRUE(timeslip::testing::SameJson(Body(s.Send("GET", "/schedules", "", "NamePrefix=hou")),
            (Json{{"Schedules", {summary("hourly", "DISABLED")}}})));
  EXPECT_TRUE(timeslip::testing::SameJson(Body(s.Send("GET", "/schedules", "", "MaxResults=1")),
            (Json{{"Schedules", {summary("hourly", "DISABLED")}}, {"NextToken", "hourly"}})));
  EXPECT_TRUE(timeslip::testing::SameJson(Body(s.Send("GET", "/schedules", "", "MaxResults=1&NextToken=hourly")),
            (Json{{"Schedules", {summary("nightly", "ENABLED")}}})));

  Response deleted = s.Send("DELETE", "/schedules/nightly");
  ASSERT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Body(deleted), Json::object());
  EXPECT_TRUE(timeslip::testing::SameJson(Body(s.Send("GET", "/schedules")),
            (Json{{"Schedules", {summary("hourly", "DISABLED")}}})));
  // A deleted schedule starts nothing.
  ASSERT_EQ(s.api.Control("POST", "/_timeslip/clock/advance", R"({"seconds": 90000})").status, 200);
  EXPECT_EQ(Body(s.api.Call("ListExecutions", Json{{"stateMachineArn", kMachine}}))["executions"],
            Json::array());
}

struct ErrorCase {
  const char* method;
  const char* path;
  Json body;  // for POST; null: NightlyBody()
  const char* query;
  int status;
  const char* name;
  const char* message_part;
};

TEST(SchedulerOpsTest, ErrorsAreRestJsonWithTheModelsStatuses) {
  Json no_window = NightlyBody();
  no_window.erase("FlexibleTimeWindow");
  Json bad_zone = NightlyBody();
  bad_zone["ScheduleExpressionTimezone"] = "Mars/Olympus";
  Json lambda_target = NightlyBody();
  lambda_target["Target"]["Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:f";
  Json bad_state = NightlyBody();
  bad_state["State"] = "PAUSED";
  Json bad_date = NightlyBody();
  bad_date["StartDate"] = "yesterday";
  Json bad_input = NightlyBody();
  bad_input["Target"]["Input"] = "{not json";
  Json other_group = NightlyBody();
  other_group["GroupName"] = "etl";
  const ErrorCase cases[] = {
      {"POST", "/schedules/bad", NightlyBody("cron(0 25 * * ? *)"), "", 400, "ValidationException",
       "cron(0 25 * * ? *)"},
      {"POST", "/schedules/bad", NightlyBody("every day"), "", 400, "ValidationException",
       "every day"},
      {"POST", "/schedules/nightly", nullptr, "", 409, "ConflictException", "nightly"},
      {"POST", "/schedules/bad", no_window, "", 400, "ValidationException", "FlexibleTimeWindow"},
      {"POST", "/schedules/bad", bad_zone, "", 400, "ValidationException", "Mars/Olympus"},
      {"POST", "/schedules/bad", lambda_target, "", 400, "ValidationException", "Target Arn"},
      {"POST", "/schedules/bad", bad_state, "", 400, "ValidationException", "PAUSED"},
      {"POST", "/schedules/bad", bad_date, "", 400, "ValidationException", "StartDate"},
      {"POST", "/schedules/bad", bad_input, "", 400, "ValidationException", "Input"},
      {"POST", "/schedules/bad", other_group, "", 404, "ResourceNotFoundException", "etl"},
      {"POST", "/schedules/bad%20name", nullptr, "", 400, "ValidationException", "bad name"},
      {"POST", "/schedules/bad", "[1]", "", 400, "ValidationException", "JSON object"},
      {"GET", "/schedules/missing", nullptr, "", 404, "ResourceNotFoundException", "missing"},
      {"DELETE", "/schedules/missing", nullptr, "", 404, "ResourceNotFoundException", "missing"},
      {"GET", "/schedules/nightly", nullptr, "groupName=etl", 404, "ResourceNotFoundException",
       "etl"},
      {"GET", "/schedules", nullptr, "MaxResults=0", 400, "ValidationException", "MaxResults"},
      {"GET", "/schedules", nullptr, "State=ON", 400, "ValidationException", "ON"},
      {"PUT", "/schedules/nightly", nullptr, "", 404, "UnknownOperationException", "PUT"},
      {"GET", "/schedulesX", nullptr, "", 404, "UnknownOperationException", "/schedulesX"},
  };
  SchedulerApi s;
  ASSERT_EQ(s.Create("nightly", NightlyBody()).status, 200);
  for (const ErrorCase& c : cases) {
    std::string body;
    if (std::string_view(c.method) == "POST") {
      body = c.body.is_null()     ? NightlyBody().dump()
             : c.body.is_string() ? c.body.get<std::string>()
                                  : c.body.dump();
    }
    Response r = s.Send(c.method, c.path, body, c.query);
    EXPECT_EQ(r.status, c.status) << c.method << " " << c.path << " " << r.body;
    EXPECT_EQ(ErrorName(r), c.name) << c.method << " " << c.path << " " << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    Json parsed = Body(r);
    ASSERT_TRUE(parsed.is_object() && parsed.contains("Message")) << r.body;
    EXPECT_NE(parsed["Message"].get<std::string>().find(c.message_part), std::string::npos)
        << c.method << " " << c.path << " " << r.body;
  }
  // Nothing failed half-way: the one schedule is still there, alone.
  EXPECT_EQ(Body(s.Send("GET", "/schedules"))["Schedules"].size(), 1u);
}

}  // namespace
}  // namespace timeslip::api
