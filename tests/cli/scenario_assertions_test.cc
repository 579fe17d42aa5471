// Each assertion kind, holding and failing, with the message it prints.
#include "emulator/cli/scenario_assertions.h"

#include <gtest/gtest.h>

#include "tests/cli/scenario_test_util.h"

namespace timeslip::cli {
namespace {

// The approval is granted after 15 minutes: SUCCEEDED, output {"approved": true, "n": 1}
// (Publish keeps it with ResultPath null), one SNS call.
std::vector<std::string> Check(std::string_view expect) {
  Scenario s = ParseOne(ApprovalScenario(std::string(R"(, "actors": [
      {"on": {"state": "ManualApproval", "event": "TaskSubmitted"}, "after": "15m",
       "do": "sendTaskSuccess", "output": {"approved": true, "n": 1}}], "expect": )") +
                                         std::string(expect)));
  ScenarioRun run(s);
  EXPECT_TRUE(run.Run().ok());
  return CheckScenario(s, run);
}

struct Case {
  std::string_view expect;
  std::string_view want;  // the first line; "" when it holds
};

TEST(ScenarioAssertionsTest, EachKindHoldsAndFails) {
  const Case cases[] = {
      {R"({"status": "SUCCEEDED"})", ""},
      {R"({"status": "FAILED"})", "expect.status: expected FAILED, got SUCCEEDED"},
      {R"({"output": {"approved": true, "n": 1.0}})", ""},
      {R"({"output": {"approved": false}})",
       R"(expect.output: expected {"approved":false}, got {"approved":true,"n":1})"},
      {R"({"outputContains": {"n": 1}})", ""},
      {R"({"outputContains": {"n": 2}})",
       R"(expect.outputContains: expected an output containing {"n":2}, got {"approved":true,"n":1})"},
      {R"({"error": "X"})", R"(expect.error: expected "X", got no error (SUCCEEDED))"},
      {R"({"cause": "Y"})", R"(expect.cause: expected "Y", got "")"},
      {R"({"causeContains": "Z"})",
       R"(expect.causeContains: expected a cause containing "Z", got "")"},
      {R"({"path": ["Prepare", "ManualApproval", "Publish"]})", ""},
      {R"({"path": ["Prepare", "Publish"]})",
       "expect.path: expected Prepare -> Publish, got Prepare -> ManualApproval -> Publish"},
      {R"({"pathContains": ["Prepare", "Publish"]})", ""},
      {R"({"pathContains": ["Publish", "Prepare"]})",
       "expect.pathContains: expected Publish -> Prepare in this order, but Prepare is missing "
       "after that; got Prepare -> ManualApproval -> Publish"},
      {R"({"notEntered": ["Publish"]})",
       "expect.notEntered: expected Publish never entered, got entered 1 time"},
      {R"({"entered": {"ManualApproval": 1}})", ""},
      {R"({"entered": {"ManualApproval": 2}})",
       "expect.entered.ManualApproval: expected 2 times, got 1"},
      {R"({"calls": [{"service": "sns", "count": 1, "argumentsContain": {"Subject": "Done <ok>"}}]})",
       ""},
      {R"({"calls": [{"service": "lambda", "target": "approve"}]})", ""},
      {R"({"calls": [{"service": "sns", "argumentsContain": {"Subject": "Failed"}}]})",
       R"(expect.calls[0]: expected at least one call to sns with arguments containing {"Subject":"Failed"}, got 0 (1 to sns in all))"},
      {R"({"calls": [{"service": "glue", "count": 2}]})",
       "expect.calls[0]: expected 2 calls to glue, got 0"},
      {R"({"duration": {"min": "15m", "max": "15m"}})", ""},
      {R"({"duration": {"max": "10m"}})", "expect.duration: expected at most 10m, got 15m"},
      {R"({"events": {"present": ["TaskSubmitted"], "absent": ["TaskTimedOut"]}})", ""},
      {R"({"events": {"present": ["TaskTimedOut"]}})",
       "expect.events.present: expected a TaskTimedOut event, got none"},
      {R"({"events": {"absent": ["TaskSucceeded"]}})",
       "expect.events.absent: expected no TaskSucceeded event, got one"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> lines = Check(c.expect);
    if (c.want.empty()) {
      EXPECT_TRUE(lines.empty()) << c.expect << ": " << (lines.empty() ? "" : lines[0]);
      continue;
    }
    ASSERT_GE(lines.size(), 2u) << c.expect;
    EXPECT_EQ(lines[0], c.want) << c.expect;
    EXPECT_EQ(lines[1], "path taken: Prepare -> ManualApproval -> Publish (SUCCEEDED)") << c.expect;
  }
}

TEST(ScenarioAssertionsTest, RunningExecutionFailsDuration) {
  // No TimeoutSeconds, no heartbeat, nobody answers: it stays RUNNING.
  Scenario s = ParseOne(R"({"name": "r", "stateMachines": {"m": {"definition": {
      "StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "f", "Payload": {"t.$": "$$.Task.Token"}}, "End": true}}}}},
    "start": {"stateMachine": "m", "name": "r1"},
    "expect": {"status": "RUNNING", "duration": {"max": "1h"}}})");
  ScenarioRun run(s);
  ASSERT_TRUE(run.Run().ok());
  std::vector<std::string> lines = CheckScenario(s, run);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "expect.duration: expected at most 1h, got still RUNNING after 0s");
  EXPECT_EQ(lines[1], "path taken: T (RUNNING)");
}

TEST(ScenarioAssertionsTest, ExpectCountAndExpectAll) {
  Scenario s = ParseOne(R"json({"name": "n", "stateMachines": {"m": {"definition": {
      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}},
    "schedule": {"expression": "rate(1 hour)", "stateMachine": "m", "count": 3},
    "expectAll": {"status": "FAILED"}, "expectCount": {"SUCCEEDED": 2, "FAILED": 1}})json");
  ScenarioRun run(s);
  ASSERT_TRUE(run.Run().ok());
  std::vector<std::string> lines = CheckScenario(s, run);
  ASSERT_EQ(lines.size(), 8u);
  EXPECT_EQ(lines[0],
            "expectAll[scenario-20240101T000000Z].status: expected FAILED, got SUCCEEDED");
  EXPECT_EQ(lines[1], "path taken by scenario-20240101T000000Z: P (SUCCEEDED)");
  EXPECT_EQ(lines[6], "expectCount.FAILED: expected 1, got 0 (SUCCEEDED 3)");
  EXPECT_EQ(lines[7], "expectCount.SUCCEEDED: expected 2, got 3 (SUCCEEDED 3)");
}

TEST(ScenarioAssertionsTest, JsonContains) {
  using json = nlohmann::ordered_json;
  EXPECT_TRUE(JsonContains(json::parse(R"({"a":{"b":1,"c":2},"d":[1,{"e":3,"f":4}]})"),
                           json::parse(R"({"a":{"b":1.0},"d":[1,{"e":3}]})")));
  EXPECT_FALSE(JsonContains(json::parse(R"({"d":[1,2]})"), json::parse(R"({"d":[1]})")));
  EXPECT_FALSE(JsonContains(json::parse(R"({"a":1})"), json::parse(R"({"a":"1"})")));
}

TEST(ScenarioAssertionsTest, FormatDuration) {
  using namespace std::chrono;
  EXPECT_EQ(FormatDuration(time::Duration(0)), "0s");
  EXPECT_EQ(FormatDuration(hours(5) + minutes(12)), "5h12m");
  EXPECT_EQ(FormatDuration(hours(49)), "2d1h");
  EXPECT_EQ(FormatDuration(milliseconds(1250)), "1s250ms");
}

}  // namespace
}  // namespace timeslip::cli
