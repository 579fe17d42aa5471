// Glue workflow scenarios: declaring jobs, a workflow and its triggers as the Glue API's
// requests, starting a run, Glue actors, and "expectWorkflowRun(s)": parsed, refused with the
// field named, run, and each assertion holding and failing with what was expected and got.
#include <gtest/gtest.h>

#include "emulator/cli/scenario_assertions.h"
#include "tests/cli/scenario_test_util.h"

namespace timeslip::cli {
namespace {

// Three jobs in workflow "w": "start" fires extract; load runs when extract SUCCEEDS, alert
// when it FAILS. Default run property env=test.
constexpr std::string_view kGlue = R"(
  "glue": {
    "jobs": [
      {"Name": "extract", "Role": "r", "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/e.py"}},
      {"Name": "load", "Role": "r", "Command": {"Name": "glueetl", "ScriptLocation": "s3://b/l.py"}},
      {"Name": "alert", "Role": "r", "Command": {"Name": "pythonshell", "ScriptLocation": "s3://b/a.py"}}
    ],
    "workflows": [{"Name": "w", "DefaultRunProperties": {"env": "test"}}],
    "triggers": [
      {"Name": "start", "WorkflowName": "w", "Type": "ON_DEMAND", "Actions": [{"JobName": "extract"}]},
      {"Name": "on-ok", "WorkflowName": "w", "Type": "CONDITIONAL", "StartOnCreation": true,
       "Predicate": {"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "extract", "State": "SUCCEEDED"}]},
       "Actions": [{"JobName": "load"}]},
      {"Name": "on-failed", "WorkflowName": "w", "Type": "CONDITIONAL", "StartOnCreation": true,
       "Predicate": {"Conditions": [{"LogicalOperator": "EQUALS", "JobName": "extract", "State": "FAILED"}]},
       "Actions": [{"JobName": "alert"}]}
    ]
  })";

// A scenario over kGlue that starts one run of "w" at 01:00 with date=2024-01-01; extract takes
// 10 minutes, load 5. `extra`: more fields (", \"expectWorkflowRun\": {...}").
std::string GlueScenario(std::string_view extra,
                         std::string_view extract_script = R"({"latency": "10m"})") {
  return std::string(R"({"name": "g", "startTime": "2024-01-01T01:00:00Z",)") + std::string(kGlue) +
         R"(, "fakes": {"glue": {"extract": )" + std::string(extract_script) +
         R"(, "load": {"latency": "5m"}}},
    "start": {"workflow": "w", "runProperties": {"date": "2024-01-01"}})" +
         std::string(extra) + "}";
}

struct Ran {
  json::Status setup = json::Ok();
  std::vector<nlohmann::ordered_json> runs;
  std::vector<std::string> lines;
};

Ran RunIt(const std::string& text) {
  Scenario s = ParseOne(text);
  ScenarioRun run(s);
  Ran ran;
  ran.setup = run.Run();
  ran.runs = run.workflow_runs();
  if (ran.setup.ok()) ran.lines = CheckScenario(s, run);
  return ran;
}

TEST(ScenarioGlueTest, ParsesGlueRequestsStartAndExpectations) {
  Scenario s = ParseOne(GlueScenario(R"(,
    "actors": [{"after": "20m", "do": "putWorkflowRunProperties", "properties": {"ok": "yes"}},
               {"at": "2024-01-01T03:00:00Z", "do": "resumeWorkflowRun", "nodes": ["extract"]}],
    "expectWorkflowRun": {"status": "COMPLETED", "statistics": {"SucceededActions": 2},
                          "runPropertiesContain": {"env": "test"}, "jobs": {"load": ["SUCCEEDED"]},
                          "notRun": ["alert"], "duration": {"max": "1h"}})"));
  ASSERT_TRUE(s.glue.has_value());
  ASSERT_EQ(s.glue->requests.size(), 7u);
  EXPECT_EQ(s.glue->requests[0].operation, "CreateJob");
  EXPECT_EQ(s.glue->requests[0].where, "glue.jobs[0]");
  EXPECT_EQ(s.glue->requests[3].operation, "CreateWorkflow");
  EXPECT_EQ(s.glue->requests[6].where, "glue.triggers[2]");
  EXPECT_EQ(s.glue->jobs, (std::vector<std::string>{"extract", "load", "alert"}));
  ASSERT_TRUE(s.start.has_value());
  EXPECT_EQ(s.start->workflow, "w");
  EXPECT_EQ(s.start->run_properties, nlohmann::ordered_json({{"date", "2024-01-01"}}));
  ASSERT_EQ(s.actors.size(), 2u);
  EXPECT_EQ(s.actors[0].action, ActorAction::kPutWorkflowRunProperties);
  EXPECT_EQ(s.actors[1].nodes, std::vector<std::string>{"extract"});
  ASSERT_TRUE(s.expect_workflow_run.has_value());
  EXPECT_EQ(s.expect_workflow_run->statistics.at("SucceededActions"), 2);
  EXPECT_EQ(s.expect_workflow_run->jobs.at("load"), std::vector<std::string>{"SUCCEEDED"});
  EXPECT_EQ(*s.expect_workflow_run->duration_max, std::chrono::hours(1));
}

struct ErrorCase {
  std::string_view name;
  std::string text;
  std::string want;
};

TEST(ScenarioGlueTest, RefusalsNameTheField) {
  const ErrorCase cases[] = {
      {"unknown workflow",
       GlueScenario("").replace(GlueScenario("").find(R"("workflow": "w")"), 15,
                                R"("workflow": "x")"),
       "test.json: start.workflow: no workflow 'x' in glue.workflows"},
      {"expect on a workflow start", GlueScenario(R"(, "expect": {"status": "SUCCEEDED"})"),
       "test.json: expect: is for Step Functions executions; this scenario starts a Glue "
       "workflow run: use expectWorkflowRun or expectWorkflowRuns"},
      {"expectWorkflowRun without a workflow start",
       ApprovalScenario(R"(, "expectWorkflowRun": {"status": "COMPLETED"})"),
       "test.json: expectWorkflowRun: needs a \"start\" with \"workflow\""},
      {"unknown job", GlueScenario(R"(, "expectWorkflowRun": {"jobs": {"nope": []}})"),
       "test.json: expectWorkflowRun.jobs.nope: no job 'nope' in glue.jobs"},
      {"bad job run state", GlueScenario(R"(, "expectWorkflowRun": {"jobs": {"load": ["DONE"]}})"),
       "test.json: expectWorkflowRun.jobs.load[0]: must be a JobRunState (STARTING, RUNNING, "
       "STOPPING, STOPPED, SUCCEEDED, FAILED, ERROR, WAITING, TIMEOUT, EXPIRED), got 'DONE'"},
      {"bad statistic", GlueScenario(R"(, "expectWorkflowRun": {"statistics": {"Failed": 1}})"),
       "test.json: expectWorkflowRun.statistics.Failed: is not a workflow run statistic "
       "(expected one of: TotalActions, TimeoutActions, FailedActions, StoppedActions, "
       "SucceededActions, RunningActions, ErroredActions, WaitingActions)"},
      {"bad status", GlueScenario(R"(, "expectWorkflowRun": {"status": "SUCCEEDED"})"),
       "test.json: expectWorkflowRun.status: must be RUNNING, COMPLETED, STOPPING, STOPPED, "
       "ERROR, got 'SUCCEEDED'"},
      {"unknown expectation", GlueScenario(R"(, "expectWorkflowRuns": [{"output": {}}])"),
       "test.json: expectWorkflowRuns[0].output: unknown field (expected one of: status, "
       "statistics, runProperties, runPropertiesContain, jobs, notRun, jobRunsContain, "
       "duration)"},
      {"jobRunsContain of an unknown job",
       GlueScenario(R"(, "expectWorkflowRun": {"jobRunsContain": {"nope": []}})"),
       "test.json: expectWorkflowRun.jobRunsContain.nope: no job 'nope' in glue.jobs"},
      {"jobRunsContain not a list of runs",
       GlueScenario(R"(, "expectWorkflowRun": {"jobRunsContain": {"load": [1]}})"),
       "test.json: expectWorkflowRun.jobRunsContain.load[0]: must be an object, got a number"},
      {"run property not a string",
       GlueScenario(R"(, "expectWorkflowRun": {"runProperties": {"n": 1}})"),
       "test.json: expectWorkflowRun.runProperties.n: must be a string, got a number"},
      {"request without a name",
       R"({"glue": {"jobs": [{"Role": "r"}]}, "start": {"workflow": "w"}})",
       "test.json: glue.jobs[0].Name: is required"},
      {"job declared twice",
       R"({"glue": {"jobs": [{"Name": "a"}, {"Name": "a"}]}, "start": {"workflow": "w"}})",
       "test.json: glue.jobs[1].Name: 'a' is declared twice"},
      {"unknown glue key", R"({"glue": {"crawlers": []}, "start": {"workflow": "w"}})",
       "test.json: glue.crawlers: unknown field (expected one of: jobs, workflows, triggers)"},
      {"stateMachine and workflow",
       GlueScenario("").replace(GlueScenario("").find(R"("workflow": "w")"), 15,
                                R"("workflow": "w", "stateMachine": "m")"),
       "test.json: start: has both \"stateMachine\" and \"workflow\"; give one"},
      {"input on a workflow start",
       GlueScenario("").replace(GlueScenario("").find(R"("workflow": "w")"), 15,
                                R"("workflow": "w", "input": {})"),
       "test.json: start.input: is for a stateMachine start; a workflow run takes runProperties"},
      {"Glue actor on an event",
       GlueScenario(R"(, "actors": [{"on": {"event": "TaskSubmitted"}, "do": "stopWorkflowRun"}])"),
       "test.json: actors[0].on: watches Step Functions history events; a Glue action takes "
       "\"after\" (from the workflow run's start) or \"at\""},
      {"Step Functions actor on a workflow",
       GlueScenario(R"(, "actors": [{"after": "1m", "do": "stopExecution"}])"),
       "test.json: actors[0].do: stopExecution acts on a Step Functions execution; this "
       "scenario starts a Glue workflow run"},
      {"Glue actor on an execution",
       ApprovalScenario(R"(, "actors": [{"after": "1m", "do": "stopWorkflowRun"}])"),
       "test.json: actors[0].do: stopWorkflowRun acts on a Glue workflow run; it needs a "
       "\"start\" with \"workflow\""},
      {"resume without nodes",
       GlueScenario(R"(, "actors": [{"after": "1h", "do": "resumeWorkflowRun"}])"),
       "test.json: actors[0].nodes: is required by resumeWorkflowRun"},
      {"resume of an unknown job",
       GlueScenario(R"(, "actors": [{"after": "1h", "do": "resumeWorkflowRun", "nodes": ["x"]}])"),
       "test.json: actors[0].nodes[0]: no job 'x' in glue.jobs"},
      {"put without properties",
       GlueScenario(R"(, "actors": [{"after": "1h", "do": "putWorkflowRunProperties"}])"),
       "test.json: actors[0].properties: is required by putWorkflowRunProperties"},
      {"glue file missing", R"({"glueFile": "nope.json", "start": {"workflow": "w"}})",
       "test.json: glueFile: cannot read 'nope.json'"},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(ParseError(c.text), c.want) << c.name;
  }
}

// The Glue API checks the requests when the scenario runs: what it refuses, or timeslip does
// not run, is a setup ERROR naming the request and the member.
TEST(ScenarioGlueTest, WhatTheGlueApiRefusesIsASetupErrorNamingTheRequest) {
  struct Case {
    std::string_view name;
    std::string from, to;
    std::string want;
  };
  const Case cases[] = {
      {"MaxRetries", R"("Name": "load", "Role": "r")",
       R"("Name": "load", "Role": "r", "MaxRetries": 2)",
       "glue.jobs[1] (CreateJob): InvalidInputException: MaxRetries above 0 (Glue retrying a "
       "failed run) is not supported by timeslip yet"},
      {"EVENT trigger", R"("Name": "on-failed", "WorkflowName": "w", "Type": "CONDITIONAL")",
       R"("Name": "on-failed", "WorkflowName": "w", "Type": "EVENT")",
       "glue.triggers[2] (CreateTrigger): "},
      {"crawler action", R"("Actions": [{"JobName": "alert"}])",
       R"("Actions": [{"CrawlerName": "c"}])",
       "glue.triggers[2] (CreateTrigger): InvalidInputException: Actions[0].CrawlerName "
       "(crawlers) is not supported by timeslip yet"},
      {"job a trigger names is missing", R"("Actions": [{"JobName": "alert"}])",
       R"("Actions": [{"JobName": "nope"}])",
       "glue.triggers[2] (CreateTrigger): EntityNotFoundException: Job nope not found"},
  };
  for (const Case& c : cases) {
    std::string text = GlueScenario("");
    std::size_t at = text.find(c.from);
    ASSERT_NE(at, std::string::npos) << c.name;
    text.replace(at, c.from.size(), c.to);
    Scenario s = ParseOne(text);
    ScenarioReport report = RunAndCheck(s);
    EXPECT_EQ(report.verdict, ScenarioReport::Verdict::kError) << c.name;
    ASSERT_FALSE(report.lines.empty()) << c.name;
    EXPECT_EQ(report.lines[0].rfind(c.want, 0), 0u) << c.name << ": " << report.lines[0];
  }
}

TEST(ScenarioGlueTest, RunsTheWorkflowThroughTheGlueApi) {
  Ran ran = RunIt(GlueScenario(""));
  ASSERT_TRUE(ran.setup.ok()) << ran.setup.error().message;
  ASSERT_EQ(ran.runs.size(), 1u);
  const nlohmann::ordered_json& run = ran.runs[0];
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_EQ(run["WorkflowRunProperties"],
            nlohmann::ordered_json({{"env", "test"}, {"date", "2024-01-01"}}));
  EXPECT_EQ(run["Statistics"]["SucceededActions"], 2);
  // 01:00 + 10 minutes of extract + 5 of load.
  EXPECT_DOUBLE_EQ(run["CompletedOn"].get<double>() - run["StartedOn"].get<double>(), 900.0);
  EXPECT_EQ(JobRunStates(run),
            (std::map<std::string, std::vector<std::string>>{
                {"alert", {}}, {"extract", {"SUCCEEDED"}}, {"load", {"SUCCEEDED"}}}));
  EXPECT_EQ(WorkflowRunSummary(run).substr(run["WorkflowRunId"].get<std::string>().size()),
            ": COMPLETED; alert (never ran), extract SUCCEEDED, load SUCCEEDED");
}

struct Case {
  std::string_view expect;
  std::string_view want;  // the first line; "" when it holds
};

TEST(ScenarioGlueTest, EachAssertionHoldsAndFails) {
  const Case cases[] = {
      {R"({"status": "COMPLETED"})", ""},
      {R"({"status": "RUNNING"})", "expectWorkflowRun.status: expected RUNNING, got COMPLETED"},
      {R"({"statistics": {"TotalActions": 2, "SucceededActions": 2, "FailedActions": 0}})", ""},
      {R"({"statistics": {"FailedActions": 1}})",
       "expectWorkflowRun.statistics.FailedActions: expected 1, got 0"},
      {R"({"runProperties": {"env": "test", "date": "2024-01-01"}})", ""},
      {R"({"runProperties": {"env": "test"}})",
       R"(expectWorkflowRun.runProperties: expected {"env":"test"}, got {"env":"test","date":"2024-01-01"})"},
      {R"({"runPropertiesContain": {"date": "2024-01-01"}})", ""},
      {R"({"runPropertiesContain": {"date": "2024-01-02"}})",
       R"(expectWorkflowRun.runPropertiesContain: expected properties containing {"date":"2024-01-02"}, got {"env":"test","date":"2024-01-01"})"},
      {R"({"jobs": {"extract": ["SUCCEEDED"], "load": ["SUCCEEDED"], "alert": []}})", ""},
      {R"({"jobs": {"alert": ["SUCCEEDED"]}})",
       "expectWorkflowRun.jobs.alert: expected [SUCCEEDED], got [] (never ran)"},
      {R"({"jobs": {"extract": ["FAILED", "SUCCEEDED"]}})",
       "expectWorkflowRun.jobs.extract: expected [FAILED, SUCCEEDED], got [SUCCEEDED]"},
      {R"({"notRun": ["alert"]})", ""},
      {R"({"notRun": ["load"]})",
       "expectWorkflowRun.notRun: expected load never run, got 1 run [SUCCEEDED]"},
      {R"({"jobRunsContain": {"load": [{"TriggerName": "on-ok", "JobRunState": "SUCCEEDED",
                                         "Arguments": {"--WORKFLOW_NAME": "w"}}]}})",
       ""},
      {R"({"jobRunsContain": {"alert": [{"JobRunState": "SUCCEEDED"}]}})",
       R"(expectWorkflowRun.jobRunsContain.alert: expected 1 run containing [{"JobRunState":"SUCCEEDED"}], got [])"},
      {R"({"duration": {"min": "15m", "max": "15m"}})", ""},
      {R"({"duration": {"max": "10m"}})",
       "expectWorkflowRun.duration: expected at most 10m, got 15m"},
  };
  for (const Case& c : cases) {
    Ran ran =
        RunIt(GlueScenario(std::string(R"(, "expectWorkflowRun": )") + std::string(c.expect)));
    ASSERT_TRUE(ran.setup.ok()) << c.expect;
    if (c.want.empty()) {
      EXPECT_TRUE(ran.lines.empty()) << c.expect << ": " << ran.lines.front();
    } else {
      ASSERT_GE(ran.lines.size(), 2u) << c.expect;
      EXPECT_EQ(ran.lines[0], c.want) << c.expect;
      EXPECT_EQ(ran.lines[1].rfind("workflow run wr_", 0), 0u) << ran.lines[1];
    }
  }
}

// extract FAILS once: alert runs, load does not. An operator puts a property at 01:20 and
// resumes extract at 02:00: a second run reruns extract (SUCCEEDED now) and load.
TEST(ScenarioGlueTest, ActorsPutPropertiesAndResumeAFailedNode) {
  const std::string text = GlueScenario(
      R"(, "actors": [
        {"after": "20m", "do": "putWorkflowRunProperties", "properties": {"ack": "oncall"}},
        {"at": "2024-01-01T02:00:00Z", "do": "resumeWorkflowRun", "nodes": ["extract"]}],
      "expectWorkflowRuns": [
        {"status": "COMPLETED", "statistics": {"FailedActions": 1, "SucceededActions": 1},
         "jobs": {"extract": ["FAILED"], "alert": ["SUCCEEDED"], "load": []},
         "runPropertiesContain": {"ack": "oncall"}},
        {"status": "COMPLETED", "jobs": {"extract": ["SUCCEEDED"], "load": ["SUCCEEDED"]},
         "notRun": ["alert"], "runPropertiesContain": {"ack": "oncall", "date": "2024-01-01"},
         "duration": {"min": "15m", "max": "15m"}}])",
      R"([{"latency": "10m", "error": "SparkExecutorLost", "cause": "lost"}, {"latency": "10m"}])");
  Ran ran = RunIt(text);
  ASSERT_TRUE(ran.setup.ok()) << ran.setup.error().message;
  ASSERT_EQ(ran.runs.size(), 2u);
  EXPECT_TRUE(ran.lines.empty()) << ran.lines.front();
  EXPECT_EQ(ran.runs[1]["PreviousRunId"], ran.runs[0]["WorkflowRunId"]);

  // One run expected where there are two: the count fails, with both runs summarised.
  std::string one = text;
  one.replace(one.find("\"expectWorkflowRuns\": ["), 23, "\"expectWorkflowRuns\": [{}, {}, ");
  Ran wrong = RunIt(one);
  ASSERT_FALSE(wrong.lines.empty());
  EXPECT_EQ(wrong.lines[0], "expectWorkflowRuns: expected 4 runs, got 2");
}

// A resume of a run still going is refused by Glue: a note, not a failure.
TEST(ScenarioGlueTest, ARefusedActionIsANote) {
  Scenario s = ParseOne(GlueScenario(
      R"(, "actors": [{"after": "5m", "do": "resumeWorkflowRun", "nodes": ["extract"]}],
          "expectWorkflowRun": {"status": "RUNNING"})"));
  ScenarioRun run(s);
  ASSERT_TRUE(run.Run().ok());
  ASSERT_EQ(run.notes().size(), 1u);
  EXPECT_EQ(run.notes()[0].rfind("actors[0] resumeWorkflowRun at 2024-01-01T01:05:00.000Z: "
                                 "IllegalWorkflowStateException: ",
                                 0),
            0u)
      << run.notes()[0];
  std::vector<std::string> lines = CheckScenario(s, run);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().rfind("actor: actors[0] resumeWorkflowRun", 0), 0u) << lines.back();
}

TEST(ScenarioGlueTest, SameSeedSameRuns) {
  const std::string text =
      GlueScenario("", R"({"latency": {"lognormal": {"median": "10m", "sigma": 0.3}}})");
  Ran a = RunIt(text), b = RunIt(text);
  ASSERT_EQ(a.runs.size(), 1u);
  EXPECT_EQ(a.runs[0].dump(), b.runs[0].dump());
}

}  // namespace
}  // namespace timeslip::cli
