// The behaviour format: the documented example parses, steps repeat, bad documents are refused
// with the path of the problem.
#include "fakes/behaviour.h"

#include <gtest/gtest.h>

namespace timeslip::fakes {
namespace {

constexpr const char* kExample = R"({
  "glue": {"transform-orders": [
      {"error": "Glue.ConcurrentRunsExceededException", "cause": "busy", "repeat": 2,
       "latency": "30s"},
      {"latency": "20m", "result": {"rows": 1200}}]},
  "glueJobs": {"transform-orders": {"Timeout": 120, "MaxConcurrentRuns": 1,
                                    "DefaultArguments": {"--env": "test"}}},
  "lambda": {"enrich-currency": [
      {"latency": {"lognormal": {"median": "2s", "sigma": 0.4}}, "result": {"ok": true}}],
             "scorer": {"command": ["python3", "score.py"], "cwd": "/tmp"}},
  "http": {"GET https://fx.example.com/rates": [
      {"status": 503, "repeat": 2}, {"status": 200, "body": {"EUR": 1.1}}]},
  "sns": {},
  "dataQuality": {"orders-ruleset": [
      {"score": 0.97, "rules": [{"name": "IsComplete \"id\"", "result": "PASS"}]}]}
})";

TEST(BehaviourTest, ParsesTheDocumentedExample) {
  json::Result<BehaviourSet> set = ParseBehaviours(kExample);
  ASSERT_TRUE(set.ok()) << set.error().message;
  const BehaviourSet& b = set.value();

  const Script& glue = b.glue.at("transform-orders");
  ASSERT_EQ(glue.steps.size(), 2u);
  EXPECT_EQ(glue.steps[0].outcome, OutcomeKind::kError);
  EXPECT_EQ(glue.steps[0].error, "Glue.ConcurrentRunsExceededException");
  EXPECT_EQ(glue.steps[0].cause, "busy");
  EXPECT_EQ(glue.steps[0].repeat, 2);
  EXPECT_EQ(glue.steps[0].latency.fixed, std::chrono::seconds(30));
  EXPECT_EQ(glue.steps[1].outcome, OutcomeKind::kSucceed);
  EXPECT_EQ(*glue.steps[1].result, nlohmann::ordered_json({{"rows", 1200}}));
  EXPECT_EQ(b.glue_jobs.at("transform-orders").timeout_minutes, 120);
  EXPECT_EQ(b.glue_jobs.at("transform-orders").max_concurrent_runs, 1);
  EXPECT_EQ(b.glue_jobs.at("transform-orders").default_arguments["--env"], "test");

  const Step& lambda = b.lambda.at("enrich-currency").steps[0];
  EXPECT_EQ(lambda.latency.kind, Latency::Kind::kLogNormal);
  EXPECT_EQ(lambda.latency.median, std::chrono::seconds(2));
  EXPECT_DOUBLE_EQ(lambda.latency.sigma, 0.4);
  const Step& scorer = b.lambda.at("scorer").steps[0];  // a single object is a one-step script
  EXPECT_EQ(scorer.command, (std::vector<std::string>{"python3", "score.py"}));
  EXPECT_EQ(scorer.cwd, "/tmp");

  const Script& http = b.http.at("GET https://fx.example.com/rates");
  EXPECT_EQ(http.steps[0].status, 503);
  EXPECT_EQ(http.steps[1].status, 200);
  EXPECT_EQ(*http.steps[1].result, nlohmann::ordered_json({{"EUR", 1.1}}));
  EXPECT_TRUE(b.sns.empty());

  const Step& dq = b.data_quality.at("orders-ruleset").steps[0];
  EXPECT_DOUBLE_EQ(*dq.score, 0.97);
  ASSERT_EQ(dq.rules.size(), 1u);
  EXPECT_EQ(dq.rules[0], (RuleOutcome{"IsComplete \"id\"", "PASS", ""}));
}

TEST(BehaviourTest, CallsWalkTheStepsAndTheLastRepeats) {
  json::Result<BehaviourSet> set = ParseBehaviours(
      R"({"lambda": {"f": [{"error": "A", "repeat": 2}, {"error": "B"}, {"error": "C"}]}})");
  ASSERT_TRUE(set.ok());
  const Script& s = set.value().lambda.at("f");
  std::string seen;
  for (int call = 1; call <= 6; ++call) seen += s.ForCall(call).error;
  EXPECT_EQ(seen, "AABCCC");
}

TEST(BehaviourTest, ParsesEveryOutcome) {
  json::Result<BehaviourSet> set = ParseBehaviours(R"({"lambda": {"f": [
      {"throttle": true}, {"timeout": true}, {"hang": true}, {"hang": false}, {}]}})");
  ASSERT_TRUE(set.ok()) << set.error().message;
  const Script& s = set.value().lambda.at("f");
  EXPECT_EQ(s.steps[0].outcome, OutcomeKind::kThrottle);
  EXPECT_EQ(s.steps[1].outcome, OutcomeKind::kTimeout);
  EXPECT_EQ(s.steps[2].outcome, OutcomeKind::kHang);
  EXPECT_EQ(s.steps[3].outcome, OutcomeKind::kSucceed);
  EXPECT_EQ(s.steps[4].outcome, OutcomeKind::kSucceed);
  EXPECT_FALSE(s.steps[4].result.has_value());
}

struct BadCase {
  const char* document;
  const char* message;
};
const BadCase kBad[] = {
    {R"({"glue": {"transform-orders": [{"latency": "20m"}, {"latency": "5q"}]}})",
     "glue.transform-orders[1].latency: unknown unit 'q'"},
    {R"({"glu": {}})",
     "behaviours: unknown field 'glu' (expected glue, glueJobs, lambda, http, sns, sqs, events "
     "or dataQuality)"},
    {"[1]", "behaviours: expected an object, got array"},
    {R"({"glue": []})", "glue: expected an object of targets, got array"},
    {R"({"glue": {"j": []}})", "glue.j: expected at least one step"},
    {R"({"glue": {"j": 3}})", "glue.j: expected an array of steps, got number"},
    {R"({"glue": {"j": [7]}})", "glue.j[0]: expected a step object, got number"},
    {R"({"glue": {"j": [{"error": "E", "result": 1}]}})",
     "glue.j[0]: a step has one outcome, but this one has both 'error' and 'result'"},
    {R"({"glue": {"j": [{"hang": true, "timeout": true}]}})",
     "glue.j[0]: a step has one outcome, but this one has both 'timeout' and 'hang'"},
    {R"({"glue": {"j": [{"cause": "x"}]}})", "glue.j[0]: 'cause' without 'error'"},
    {R"({"glue": {"j": [{"hang": "yes"}]}})", "glue.j[0].hang: expected true or false"},
    {R"({"glue": {"j": [{"repeat": 0}]}})",
     "glue.j[0].repeat: expected an integer from 1 to 1000000, got 0"},
    {R"({"glue": {"j": [{"error": ""}]}})",
     "glue.j[0].error: expected an error name of 1 to 256 characters"},
    {R"({"glue": {"j": [{"error": 5}]}})", "glue.j[0].error: expected a string, got number"},
    {R"({"lambda": {"f": [{"status": 200}]}})", "lambda.f[0]: unknown field 'status'"},
    {R"({"lambda": {"f": [{"command": []}]}})",
     "lambda.f[0].command: expected a non-empty array of strings"},
    {R"({"lambda": {"f": [{"command": ["sh", 1]}]}})", "lambda.f[0].command[1]: expected a string"},
    {R"({"lambda": {"f": [{"cwd": "/tmp"}]}})", "lambda.f[0]: 'cwd' without 'command'"},
    {R"({"lambda": {"f": [{"latency": {"lognormal": {"median": "2s"}}}]}})",
     "lambda.f[0].latency.lognormal: missing 'sigma'"},
    {R"({"http": {"FETCH https://x": [{}]}})",
     "http.FETCH https://x: unknown HTTP method 'FETCH' (write \"METHOD URL\" or just the URL)"},
    {R"({"http": {"GET u": [{"status": 99}]}})",
     "http.GET u[0].status: expected an integer from 100 to 599, got 99"},
    {R"({"http": {"GET u": [{"headers": {"a": 1}}]}})",
     "http.GET u[0].headers.a: expected a string"},
    {R"({"http": {"GET u": [{"status": 500, "error": "X"}]}})",
     "http.GET u[0]: a step has one outcome, but this one has both 'error' and "
     "'status/body/headers'"},
    {R"({"sns": {"t": [{"score": 1}]}})", "sns.t[0]: unknown field 'score'"},
    {R"({"dataQuality": {"r": [{"score": 1.5}]}})",
     "dataQuality.r[0].score: expected a number from 0 to 1"},
    {R"({"dataQuality": {"r": [{"rules": [{"name": "a", "result": "MAYBE"}]}]}})",
     "dataQuality.r[0].rules[0].result: expected PASS, FAIL or ERROR, got 'MAYBE'"},
    {R"({"dataQuality": {"r": [{"rules": [{"result": "PASS"}]}]}})",
     "dataQuality.r[0].rules[0]: missing 'name'"},
    {R"({"glueJobs": {"j": {"Timeout": 0}}})",
     "glueJobs.j.Timeout: expected an integer from 1 to 10080, got 0"},
    {R"({"glueJobs": {"j": {"Timeot": 5}}})", "glueJobs.j: unknown field 'Timeot'"},
    {R"({"glueJobs": {"j": {"DefaultArguments": {"--a": 1}}}})",
     "glueJobs.j.DefaultArguments.--a: expected a string"},
    {R"({"glue": {"j": {"notFound": true}}})", "glue.j[0]: unknown field 'notFound'"},
    {R"({"lambda": {"f": {"stackTrace": ["x"]}}})", "lambda.f[0]: 'stackTrace' without 'error'"},
    {R"({"lambda": {"f": {"error": "E", "stackTrace": [1]}}})",
     "lambda.f[0].stackTrace[0]: expected a string"},
    {R"({"lambda": {"f": {"notFound": true, "result": 1}}})",
     "lambda.f[0]: a step has one outcome, but this one has both 'notFound' and 'result'"},
};

TEST(BehaviourTest, RefusesBadDocumentsNamingThePath) {
  for (const BadCase& c : kBad) {
    json::Result<BehaviourSet> got = ParseBehaviours(c.document);
    ASSERT_FALSE(got.ok()) << c.document;
    EXPECT_EQ(got.error().name, "ValidationException") << c.document;
    EXPECT_EQ(got.error().message, c.message) << c.document;
  }
}

TEST(BehaviourTest, ParsesNotFoundStackTracesAndTheNewServices) {
  json::Result<BehaviourSet> set = ParseBehaviours(R"({
      "lambda": {"*": {"notFound": true},
                 "f": {"error": "Exception", "cause": "Boom.", "stackTrace": ["a", "b"]}},
      "sns": {"*": {"notFound": true}},
      "sqs": {"*": {"notFound": true}, "https://sqs.us-east-1.amazonaws.com/1/q": {}},
      "events": {"default": {"latency": "1s"}}})");
  ASSERT_TRUE(set.ok()) << set.error().message;
  const BehaviourSet& b = set.value();
  EXPECT_EQ(b.lambda.at("*").steps[0].outcome, OutcomeKind::kNotFound);
  EXPECT_EQ(b.lambda.at("f").steps[0].stack_trace, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(b.sns.at("*").steps[0].outcome, OutcomeKind::kNotFound);
  EXPECT_EQ(b.sqs.at("*").steps[0].outcome, OutcomeKind::kNotFound);
  EXPECT_EQ(b.events.at("default").steps[0].latency.fixed, std::chrono::seconds(1));
  EXPECT_EQ(ServiceKey(Service::kEvents), "events");
  EXPECT_EQ(ServiceKey(Service::kSqs), "sqs");
}

TEST(BehaviourTest, RefusesMalformedJson) {
  for (const char* text : {"", "{", "not json", R"({"glue": {"j": [}})"}) {
    json::Result<BehaviourSet> got = ParseBehaviours(text);
    ASSERT_FALSE(got.ok()) << text;
    EXPECT_EQ(got.error().name, "ValidationException") << text;
    EXPECT_EQ(got.error().message.rfind("Malformed JSON", 0), 0u) << got.error().message;
  }
  std::string deep(2000, '[');
  EXPECT_FALSE(ParseBehaviours(deep).ok());
}

}  // namespace
}  // namespace timeslip::fakes
