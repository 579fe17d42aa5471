// The HTTP Task: scripted statuses, bodies and latencies; States.Http.StatusCode.NNN errors.
#include "fakes/http_task.h"

#include <gtest/gtest.h>

#include "tests/fakes/fakes_harness.h"

namespace timeslip::fakes {
namespace {

using engine::ExecutionStatus;

constexpr const char* kHttp = "arn:aws:states:::http:invoke";
constexpr const char* kRates =
    R"({"ApiEndpoint":"https://fx.example.com/rates","Method":"GET",
        "QueryParameters":{"base":"USD"},"Authentication":{"ConnectionArn":"arn:aws:events:us-east-1:123456789012:connection/fx/1"}})";

TEST(HttpTaskTest, Answers503TwiceThen200UnderRetry) {
  FakesHarness h(R"({"http": {"GET https://fx.example.com/rates": [
      {"status": 503, "repeat": 2, "latency": "1s"},
      {"status": 200, "body": {"EUR": 1.1}, "latency": "300ms", "headers": {"X-Rate": "fresh"}}]}})");
  engine::Execution& run = h.Run(OneTask(kHttp, kRates, R"("Retry":[{"ErrorEquals":
      ["States.Http.StatusCode.503"],"IntervalSeconds":10,"MaxAttempts":3,"BackoffRate":2}])"));
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.error() << run.cause();
  const nlohmann::ordered_json out = Output(run);
  EXPECT_EQ(out["StatusCode"], 200);
  EXPECT_EQ(out["StatusText"], "OK");
  EXPECT_EQ(out["ResponseBody"], nlohmann::ordered_json({{"EUR", 1.1}}));
  EXPECT_EQ(out["Headers"]["x-rate"], nlohmann::ordered_json::array({"fresh"}));
  EXPECT_EQ(out["Headers"]["content-type"], nlohmann::ordered_json::array({"application/json"}));
  // 0..1 fails, retry at 11..12 fails, retry at 32 answers at 32.3.
  const std::vector<const Call*> calls = h.calls().Filter("http");
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(h.SecondsAt(calls[1]->at), 11);
  EXPECT_EQ(h.SecondsAt(calls[2]->at), 32);
  EXPECT_EQ(calls[0]->target, "GET https://fx.example.com/rates");
  EXPECT_EQ(calls[0]->outcome["error"], "States.Http.StatusCode.503");
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::milliseconds(32300));
}

TEST(HttpTaskTest, NonSuccessFailsWithTheStatusAndTheResponseAsCause) {
  FakesHarness h(
      R"({"http": {"https://fx.example.com/rates": [{"status": 404, "body": "gone"}]}})");
  engine::Execution& run = h.Run(OneTask(kHttp, kRates));
  ASSERT_EQ(run.status(), ExecutionStatus::kFailed);
  EXPECT_EQ(run.error(), "States.Http.StatusCode.404");
  const nlohmann::ordered_json cause = nlohmann::ordered_json::parse(run.cause());
  EXPECT_EQ(cause["StatusCode"], 404);
  EXPECT_EQ(cause["StatusText"], "Not Found");
  EXPECT_EQ(cause["ResponseBody"], "gone");
  EXPECT_EQ(cause["Headers"]["content-type"], nlohmann::ordered_json::array({"text/plain"}));
}

TEST(HttpTaskTest, UrlTargetsMatchAnyMethodAndIgnoreTheQuery) {
  FakesHarness h(R"({"http": {"https://api.example.com/x": [{"status": 201}],
                              "POST https://api.example.com/x": [{"status": 202}]}})");
  engine::Execution& post =
      h.Run(OneTask(kHttp, R"({"ApiEndpoint":"https://api.example.com/x?a=1","Method":"POST"})"));
  EXPECT_EQ(Output(post)["StatusCode"], 202);
  engine::Execution& put =
      h.Run(OneTask(kHttp, R"({"ApiEndpoint":"https://api.example.com/x","Method":"PUT"})"));
  EXPECT_EQ(Output(put)["StatusCode"], 201);
  engine::Execution& other =
      h.Run(OneTask(kHttp, R"({"ApiEndpoint":"https://unscripted.example.com","Method":"GET"})"));
  EXPECT_EQ(Output(other)["StatusCode"], 200);  // the default
  EXPECT_EQ(Output(other)["ResponseBody"], nlohmann::ordered_json::object());
}

struct OutcomeCase {
  const char* step;
  const char* error;
};
const OutcomeCase kOutcomes[] = {
    {R"({"throttle": true})", "States.Http.StatusCode.429"},
    {R"({"timeout": true, "latency": "60s"})", "States.Http.Socket"},
    {R"({"error": "States.Http.Socket", "cause": "Connection refused"})", "States.Http.Socket"},
    {R"({"status": 500})", "States.Http.StatusCode.500"},
};

TEST(HttpTaskTest, OutcomesBecomeAwsErrors) {
  for (const OutcomeCase& c : kOutcomes) {
    FakesHarness h(std::string(R"({"http": {"https://fx.example.com/rates": [)") + c.step + "]}}");
    engine::Execution& run = h.Run(OneTask(kHttp, kRates));
    ASSERT_EQ(run.status(), ExecutionStatus::kFailed) << c.step;
    EXPECT_EQ(run.error(), c.error) << c.step;
  }
}

TEST(HttpTaskTest, MissingEndpointIsARuntimeError) {
  FakesHarness h;
  engine::Execution& run = h.Run(OneTask(kHttp, R"({"Method":"GET"})"));
  EXPECT_EQ(run.error(), "States.Runtime");
}

}  // namespace
}  // namespace timeslip::fakes
