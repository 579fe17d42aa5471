// The call log's JSON, and determinism: one seed, one history.
#include "fakes/call_log.h"

#include <gtest/gtest.h>

#include "tests/fakes/fakes_harness.h"

namespace timeslip::fakes {
namespace {

TEST(CallLogTest, ServesCallsAsJson) {
  FakesHarness h(R"({"lambda": {"f": [{"latency": "2s", "result": 7}]}})");
  h.Run(OneTask("arn:aws:states:::lambda:invoke", R"({"FunctionName":"f","Payload":{"a":1}})"));
  const nlohmann::ordered_json j = h.fakes().CallsJson();
  ASSERT_EQ(j["calls"].size(), 1u);
  const nlohmann::ordered_json& c = j["calls"][0];
  EXPECT_EQ(c["id"], 1);
  EXPECT_EQ(c["service"], "lambda");
  EXPECT_EQ(c["operation"], "invoke");
  EXPECT_EQ(c["target"], "f");
  EXPECT_EQ(c["at"], "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(c["endedAt"], "2024-01-01T00:00:02.000Z");
  EXPECT_EQ(c["call"], 1);
  EXPECT_EQ(c["attempt"], 0);
  EXPECT_EQ(c["stateName"], "T");
  EXPECT_EQ(c["resource"], "arn:aws:states:::lambda:invoke");
  EXPECT_EQ(c["arguments"], nlohmann::ordered_json::parse(R"({"FunctionName":"f","Payload":{"a":1}})"));
  EXPECT_EQ(c["outcome"]["result"]["Payload"], 7);
  EXPECT_FALSE(c.contains("taskToken"));
}

TEST(CallLogTest, ClearKeepsNumbering) {
  CallLog log;
  EXPECT_EQ(log.Add(Call{}), 1);
  EXPECT_EQ(log.Add(Call{}), 2);
  log.Clear();
  log.Finish(1, time::Instant{}, {{"result", 1}});  // ignored
  EXPECT_EQ(log.Add(Call{}), 3);
  ASSERT_NE(log.Find(3), nullptr);
  EXPECT_EQ(log.Find(1), nullptr);
  log.Finish(3, time::Instant{}, {{"result", 1}});
  EXPECT_EQ(log.Find(3)->outcome, nlohmann::ordered_json({{"result", 1}}));
}

TEST(FakeBackendsTest, LoadingReplacesBehavioursAndRestartsCounts) {
  FakesHarness h(R"({"lambda": {"f": [{"result": 1}, {"result": 2}]}})");
  const std::string def = OneTask("arn:aws:states:::lambda:invoke", R"({"FunctionName":"f"})",
                                  R"("OutputPath":"$.Payload")");
  EXPECT_EQ(Output(h.Run(def)), 1);
  EXPECT_EQ(Output(h.Run(def)), 2);
  ASSERT_TRUE(h.fakes().LoadJson(R"({"lambda": {"f": [{"result": 3}, {"result": 4}]}})").ok());
  EXPECT_EQ(Output(h.Run(def)), 3);
  // A bad document changes nothing.
  json::Status bad = h.fakes().LoadJson(R"({"lambda": {"f": [{"latency": "1y"}]}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "lambda.f[0].latency: unknown unit 'y'");
  EXPECT_EQ(Output(h.Run(def)), 4);
}

// A small pipeline with sampled latencies: Glue, Lambda, HTTP and SNS.
constexpr const char* kPipeline = R"({"StartAt":"Extract","States":{
  "Extract":{"Type":"Task","Resource":"arn:aws:states:::glue:startJobRun.sync",
             "Parameters":{"JobName":"extract"},"ResultPath":"$.extract","Next":"Rates"},
  "Rates":{"Type":"Task","Resource":"arn:aws:states:::http:invoke",
           "Parameters":{"ApiEndpoint":"https://fx.example.com/rates","Method":"GET"},
           "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":2,"MaxAttempts":5,
                     "JitterStrategy":"FULL"}],
           "ResultPath":"$.rates","Next":"Enrich"},
  "Enrich":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
            "Parameters":{"FunctionName":"enrich","Payload.$":"$.rates.ResponseBody"},
            "ResultPath":"$.enriched","Next":"Notify"},
  "Notify":{"Type":"Task","Resource":"arn:aws:states:::sns:publish",
            "Parameters":{"TopicArn":"arn:aws:sns:us-east-1:123456789012:t","Message":"done"},
            "End":true}}})";
constexpr const char* kPipelineFakes = R"({
  "glue": {"extract": [{"latency": {"normal": {"mean": "20m", "stddev": "3m"}}}]},
  "http": {"https://fx.example.com/rates": [
      {"status": 503, "repeat": 2, "latency": {"uniform": {"min": "100ms", "max": "2s"}}},
      {"status": 200, "body": {"EUR": 1.1}}]},
  "lambda": {"enrich": [{"latency": {"lognormal": {"median": "2s", "sigma": 0.4}}}]}})";

struct Outcome {
  nlohmann::ordered_json history;
  nlohmann::ordered_json calls;
};

Outcome RunPipeline(std::uint64_t seed) {
  FakesHarness h(kPipelineFakes, seed);
  engine::Execution& run = h.Run(kPipeline);
  EXPECT_EQ(run.status(), engine::ExecutionStatus::kSucceeded) << run.error() << run.cause();
  return {run.HistoryJson(), h.fakes().CallsJson()};
}

TEST(DeterminismTest, SameSeedGivesIdenticalHistoriesAndCalls) {
  const Outcome a = RunPipeline(7);
  const Outcome b = RunPipeline(7);
  EXPECT_EQ(a.history.dump(), b.history.dump());
  EXPECT_EQ(a.calls.dump(), b.calls.dump());
  const Outcome c = RunPipeline(8);
  EXPECT_NE(a.history.dump(), c.history.dump());
}

}  // namespace
}  // namespace timeslip::fakes
