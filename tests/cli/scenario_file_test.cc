#include "emulator/cli/scenario_file.h"

#include <gtest/gtest.h>

#include "emulator/time/rfc3339.h"
#include "tests/cli/scenario_test_util.h"

namespace timeslip::cli {
namespace {

TEST(StripJsonCommentsTest, KeepsStringsAndOffsets) {
  json::Result<std::string> s = StripJsonComments("{\"a\": \"x//y/*z*/\", // c\n\"b\": /* d */ 1}");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s.value(), "{\"a\": \"x//y/*z*/\",     \n\"b\":         1}");
  json::Result<std::string> escaped = StripJsonComments(R"({"a": "q\"//"})");
  ASSERT_TRUE(escaped.ok());
  EXPECT_EQ(escaped.value(), R"({"a": "q\"//"})");
}

TEST(ScenarioFileTest, ParsesEveryField) {
  Scenario s = ParseOne(ApprovalScenario(R"(, "seed": 7, "horizon": "2d",
    "fakes": {"lambda": {"approve": {"latency": "2s"}}},
    "actors": [{"on": {"state": "ManualApproval", "event": "TaskSubmitted"}, "after": "15m",
                "do": "sendTaskSuccess", "output": {"ok": 1}},
               {"at": "2024-01-01T02:30:00Z", "do": "stopExecution", "error": "Op"},
               {"after": "90m", "every": "1m", "times": 3, "do": "stopExecution"}],
    "expect": {"status": "SUCCEEDED", "path": ["Prepare"], "entered": {"Publish": 1},
               "duration": {"min": "1h30m", "max": 7200}, "events": {"present": ["TaskSucceeded"]},
               "calls": [{"service": "sns", "count": 1}]},
    "expectCount": {"SUCCEEDED": 1})"));
  EXPECT_EQ(s.name, "t");
  EXPECT_EQ(s.seed, 7u);
  EXPECT_EQ(s.horizon, std::chrono::hours(48));
  EXPECT_EQ(time::FormatRfc3339(s.start_time), "2024-01-01T01:00:00.000Z");
  ASSERT_EQ(s.machines.size(), 1u);
  ASSERT_EQ(s.actors.size(), 3u);
  EXPECT_EQ(s.actors[0].on_state, "ManualApproval");
  EXPECT_EQ(*s.actors[0].after, std::chrono::minutes(15));
  EXPECT_EQ(s.actors[0].output, nlohmann::ordered_json({{"ok", 1}}));
  EXPECT_EQ(s.actors[1].error, "Op");
  EXPECT_EQ(s.actors[2].times, 3);
  ASSERT_TRUE(s.expect.has_value());
  EXPECT_EQ(*s.expect->duration_min, std::chrono::minutes(90));
  EXPECT_EQ(*s.expect->duration_max, std::chrono::hours(2));
  EXPECT_EQ(s.expect_count.at("SUCCEEDED"), 1);
  EXPECT_EQ(s.fakes["lambda"]["approve"]["latency"], "2s");
}

TEST(ScenarioFileTest, SeveralScenariosGetIndexedNames) {
  std::string one = ApprovalScenario("");
  one.replace(one.find("\"name\": \"t\","), 12, "");
  json::Result<std::vector<Scenario>> parsed =
      ParseScenarioText("{\"scenarios\": [" + one + "," + one + "]}", "dir/two.json", "");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  ASSERT_EQ(parsed.value().size(), 2u);
  EXPECT_EQ(parsed.value()[1].name, "two.json#1");
}

struct ErrorCase {
  std::string_view name;
  std::string text;
  std::string want;
};

TEST(ScenarioFileTest, ErrorsNameFileAndField) {
  const ErrorCase cases[] = {
      {"bad JSON after a comment", "// hello\n{\"name\": \"x\",,}",
       "test.json: line 2, column 14: invalid JSON: syntax error while parsing object key - "
       "unexpected ','; expected string literal"},
      {"unterminated comment", "{} /* never closed",
       "test.json: line 1, column 4: unterminated /* comment"},
      {"unknown field", ApprovalScenario(R"(, "expect": {"statuss": "FAILED"})"),
       "test.json: expect.statuss: unknown field (expected one of: status, output, "
       "outputContains, error, cause, causeContains, path, pathContains, notEntered, entered, "
       "calls, duration, events)"},
      {"missing stateMachines", R"({"start": {"stateMachine": "m"}})",
       "test.json: stateMachines: is required (or \"glue\"/\"glueFile\", for a Glue workflow "
       "scenario)"},
      {"missing start.stateMachine",
       R"({"stateMachines": {"m": {"definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}, "start": {}})",
       "test.json: start.stateMachine: is required"},
      {"unknown state machine",
       ApprovalScenario("").replace(ApprovalScenario("").find("\"stateMachine\": \"m\""), 19,
                                    "\"stateMachine\": \"zz\""),
       "test.json: start.stateMachine: no state machine 'zz' in stateMachines"},
      {"bad duration", ApprovalScenario(R"(, "actors": [{"after": "15q", "do": "stopExecution"}])"),
       "test.json: actors[0].after: bad duration \"15q\": unknown unit 'q'"},
      {"token action without on",
       ApprovalScenario(R"(, "actors": [{"after": "1m", "do": "sendTaskSuccess"}])"),
       "test.json: actors[0]: sendTaskSuccess needs \"on\": the task whose token it answers "
       "with"},
      {"unknown state", ApprovalScenario(R"(, "expect": {"notEntered": ["Publsh"]})"),
       "test.json: expect.notEntered[0]: no state 'Publsh' in any state machine of this "
       "scenario"},
      {"unknown event",
       ApprovalScenario(R"(, "actors": [{"on": {"event": "TaskDone"}, "do": "stopExecution"}])"),
       "test.json: actors[0].on.event: 'TaskDone' is not a history event type (e.g. "
       "TaskSubmitted, TaskStateEntered, ActivityScheduled)"},
      {"bad status", ApprovalScenario(R"(, "expect": {"status": "DONE"})"),
       "test.json: expect.status: must be RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED, "
       "got 'DONE'"},
      {"bad fakes", ApprovalScenario(R"(, "fakes": {"lambda": {"approve": {"latency": "2q"}}})"),
       "test.json: fakes: lambda.approve[0].latency: unknown unit 'q'"},
      {"bad timestamp", ApprovalScenario(R"(, "actors": [{"at": "noon", "do": "stopExecution"}])"),
       "test.json: actors[0].at: bad timestamp 'noon' (want RFC 3339, e.g. "
       "2024-01-01T01:00:00Z)"},
      {"definition file missing",
       R"({"stateMachines": {"m": {"definitionFile": "nope.json"}}, "start": {"stateMachine": "m"}})",
       "test.json: stateMachines.m.definitionFile: cannot read 'nope.json'"},
      {"both start and schedule",
       ApprovalScenario(R"j(, "schedule": {"expression": "rate(1 day)", "stateMachine": "m"})j"),
       "test.json: needs exactly one of \"start\" and \"schedule\""},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(ParseError(c.text), c.want) << c.name;
  }
}

TEST(ScenarioFileTest, InvalidDefinitionIsReported) {
  std::string msg = ParseError(
      R"({"stateMachines": {"m": {"definition": {"StartAt": "X", "States": {}}}}, "start": {"stateMachine": "m"}})");
  EXPECT_EQ(msg.rfind("test.json: stateMachines.m: invalid definition: ", 0), 0u) << msg;
}

TEST(ScenarioFileTest, UnreadableFile) {
  json::Result<std::vector<Scenario>> r = LoadScenarioFile("/nonexistent/x.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "/nonexistent/x.json: cannot read file");
}

}  // namespace
}  // namespace timeslip::cli
