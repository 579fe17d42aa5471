#pragma once
// Scenario files: what `timeslip scenario run FILE...` reads, and the scenario model the runner
// plays. This comment is the format's reference.
//
// A file is JSON with comments (`//` to the end of the line and `/* ... */`, outside strings).
// It holds one scenario object, or {"scenarios": [ {...}, ... ]} (that key alone) for several.
// Paths inside a file (definitionFile, fakesFile) are relative to the file's directory.
// Every field is optional unless marked REQUIRED; an unknown field is an error.
//
//   name          string; default: the file name without directory ("nightly.json"), with
//                 "#i" appended for the i-th scenario of a "scenarios" array.
//   seed          unsigned integer, the one seeded generator (default 0).
//   startTime     RFC 3339 instant where the virtual clock starts (2024-01-01T00:00:00Z).
//   horizon       duration: the run stops at startTime + horizon even if timers are pending
//                 (default 366d; a Standard execution lives at most a year on AWS).
//   stateMachines name -> {"definition": ASL object or JSON text} or {"definitionFile": path},
//                 plus "type": "STANDARD" (default) | "EXPRESS". Created in name order, with
//                 the role arn:aws:iam::123456789012:role/timeslip. At least one of
//                 stateMachines and glue is REQUIRED; when given it must not be empty.
//   glue          Glue jobs, workflows and triggers, as the Glue API's requests:
//                 {"jobs": [CreateJob request...], "workflows": [CreateWorkflow request...],
//                  "triggers": [CreateTrigger request...]} (each list optional). Every request
//                 is an object with a non-empty "Name" (read here) and is otherwise checked by
//                 the Glue API itself when the scenario runs: jobs first, then workflows, then
//                 triggers, each in list order, through the very operations the endpoint
//                 serves. What Glue refuses, or timeslip does not run (EVENT triggers,
//                 crawlers, MaxRetries above 0), makes the scenario an ERROR naming the
//                 request ("glue.triggers[2] (CreateTrigger): InvalidInputException: ...").
//                 A CONDITIONAL trigger watches job runs only once ACTIVATED: give it
//                 "StartOnCreation": true. Job runs play the fakes' "glue" scripts by job name.
//   glueFile      path to a document of the same shape. With both, the inline requests are
//                 added to the file's (jobs still first, then workflows, then triggers); a job
//                 or workflow name declared twice is an error.
//   fakes         a behaviour document, exactly fakes/behaviour.h's format.
//   fakesFile     path to one. With both, the inline document is merged over the file's per
//                 service and target: an inline script replaces the file's script for that
//                 target; other targets of the file stay.
//   start         {"stateMachine": REQUIRED, "name", "input" (JSON, default {}), "at"
//                 (instant, default startTime)}: one execution; or
//                 {"workflow": REQUIRED, "runProperties" (object of strings, default {}),
//                 "at"}: one Glue workflow run (StartWorkflowRun: the workflow's ON_DEMAND or
//                 SCHEDULED trigger fires, DefaultRunProperties merged under runProperties).
//   schedule      {"expression": REQUIRED, "timezone" (default "UTC"), "stateMachine":
//                 REQUIRED, "input" (default {}), "count" (firings, default 1, at most 10000)}.
//                 Played by fakes::Scheduler (fakes/scheduler.h), as schedule "scenario"
//                 starting at startTime: cron(...), rate(...) (first firing at startTime) and
//                 at(...) as EventBridge Scheduler reads them, in the IANA time zone given.
//                 Executions are named "scenario-<yyyymmddThhmmssZ>" (the firing's UTC time);
//                 the input is passed as is.
//                 Exactly one of start / schedule is REQUIRED.
//   actors        a list of scripted outside actors:
//                 {"on": {"state": S, "event": E}, "after": D, "do": ACTION, ...}
//                   fires each time state S (any state when absent) records history event E
//                   (REQUIRED; e.g. TaskSubmitted, TaskStarted, ActivityScheduled), in any
//                   execution, `after` (default 0) later.
//                 {"at": INSTANT, "do": ...}   at an instant (every execution running then)
//                 {"after": D, "do": ...}      D after each started execution's start
//                 "every": D, "times": N       repeat: first at `after` (default: `every`)
//                   past the trigger, then every D, N times in all (times REQUIRED, <= 10000).
//                 ACTION: "sendTaskSuccess" ("output": JSON, default {}), "sendTaskFailure"
//                 ("error", "cause"), "sendTaskHeartbeat" (these three need "on": they act
//                 with the token of the task whose event triggered them; for an activity the
//                 actor polls it at once, as a worker would, so ActivityStarted is at the
//                 trigger and the answer `after` later), "stopExecution" ("error", "cause").
//                 With a workflow start, the actions are Glue's, on the workflow's latest run
//                 when they act (the start's run, or the newest a resume made), "after"
//                 counting from the start's run and "on" not allowed:
//                 "putWorkflowRunProperties" ("properties": REQUIRED, object of strings),
//                 "stopWorkflowRun", "resumeWorkflowRun" ("nodes": REQUIRED, the job names
//                 whose nodes ResumeWorkflowRun restarts; what follows them runs again too).
//                 An action AWS refuses (the task already timed out, say) does not fail the
//                 scenario: it is listed under "actors:" when the scenario fails.
//                 "Never answers" is simply no actor.
//   expect        assertions about the single execution started by "start":
//                   status         RUNNING|SUCCEEDED|FAILED|TIMED_OUT|ABORTED
//                   output         exact JSON (numbers compare by value)
//                   outputContains every key/value given is present, recursively (arrays:
//                                  same length, element-wise containment)
//                   error, cause   exact; causeContains: a substring of the cause
//                   path           the ordered names of top-level states entered (exactly)
//                   pathContains   these top-level states were entered in this order, not
//                                  necessarily adjacent
//                   notEntered     states (any depth) never entered
//                   entered        {state: n}: entered exactly n times, any depth
//                   calls          [{"service" REQUIRED, "target", "count", "argumentsContain"}]:
//                                  the execution's fake calls to service (and target) whose
//                                  arguments contain argumentsContain number `count` exactly,
//                                  or at least one when count is absent
//                   duration       {"min": D, "max": D}: stop - start, inclusive; a RUNNING
//                                  execution fails it
//                   events         {"present": [type...], "absent": [type...]}
//                 State names and event types are checked against the state machines and
//                 AWS's history event types when the file is loaded.
//   expectAll     the same keys, checked for every execution the start or schedule started.
//   expectCount   {STATUS: n}: how many of those executions ended in each status (statuses not
//                 named are not checked).
//                 expect, expectAll and expectCount need a stateMachine start or a schedule.
//   expectWorkflowRun   assertions about the Glue workflow run "start" started, as
//                 GetWorkflowRun (IncludeGraph) answers at the end:
//                   status         RUNNING|COMPLETED|STOPPING|STOPPED|ERROR
//                   statistics     {"TotalActions": n, "SucceededActions": n, ...}: each key
//                                  given (AWS's WorkflowRunStatistics members) exactly
//                   runProperties  the final run properties, exactly
//                   runPropertiesContain   these properties among them
//                   jobs           {job: [JobRunState...]}: the final states of the job's runs
//                                  in this workflow run, in start order ([]: it never ran)
//                   notRun         jobs with no run in this workflow run
//                   jobRunsContain {job: [JobRun...]}: the job's runs in this workflow run, in
//                                  start order, as GetJobRun shows them: as many as given,
//                                  each containing the members given (e.g. "Arguments",
//                                  "ErrorMessage", "TriggerName")
//                   duration       {"min": D, "max": D}: CompletedOn - StartedOn; a run that
//                                  has not completed fails it
//                 Job names must be among glue.jobs.
//   expectWorkflowRuns  a list of the same, one per run of that workflow in start order: the
//                 start's run, then each run a resumeWorkflowRun made. A different number of
//                 runs fails. Both need a workflow start.
//
// Durations: "90s", "20m", "5h", "1h30m", "250ms", "2d", or a number of seconds.
//
// Errors: LoadScenarioFile never throws; a file that cannot be read or is not a valid scenario
// gives Error{"ScenarioError", "<file>: <where>: <problem>"}, <where> being "line L, column C"
// for JSON syntax errors and the field's path ("scenarios[1].expect.status") otherwise.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/engine/execution.h"
#include "emulator/json/result.h"
#include "emulator/time/clock.h"

namespace timeslip::cli {

inline constexpr std::string_view kScenarioError = "ScenarioError";
inline constexpr std::string_view kScenarioRoleArn = "arn:aws:iam::123456789012:role/timeslip";

struct MachineSpec {
  std::string name;
  std::string definition;  // JSON text
  engine::MachineType type = engine::MachineType::kStandard;
};

struct StartSpec {
  std::string state_machine;  // empty when a workflow run is started
  std::string workflow;       // empty when an execution is started
  nlohmann::ordered_json run_properties = nlohmann::ordered_json::object();
  std::optional<std::string> name;
  nlohmann::ordered_json input = nlohmann::ordered_json::object();
  std::optional<time::Instant> at;
};

struct ScheduleSpec {
  std::string expression;
  std::string timezone = "UTC";
  std::string state_machine;
  nlohmann::ordered_json input = nlohmann::ordered_json::object();
  int count = 1;
};

enum class ActorAction {
  kSendTaskSuccess,
  kSendTaskFailure,
  kSendTaskHeartbeat,
  kStopExecution,
  kPutWorkflowRunProperties,
  kStopWorkflowRun,
  kResumeWorkflowRun,
};
// True for the actions on a Glue workflow run.
bool IsWorkflowAction(ActorAction action);
std::string_view ActorActionName(ActorAction action);  // "sendTaskSuccess", ...

struct ActorSpec {
  std::string where;  // "actors[2]", for notes
  // Exactly one of: on (an event), at (an instant), or neither (after each execution's start).
  bool on_event = false;
  std::string on_state;  // empty: any state
  std::string on_event_type;
  std::optional<time::Instant> at;
  std::optional<time::Duration> after;
  std::optional<time::Duration> every;
  int times = 1;
  ActorAction action = ActorAction::kStopExecution;
  nlohmann::ordered_json output = nlohmann::ordered_json::object();
  std::string error;
  std::string cause;
  nlohmann::ordered_json properties = nlohmann::ordered_json::object();  // putWorkflowRunProperties
  std::vector<std::string> nodes;  // resumeWorkflowRun: job names
};

// The Glue API requests a scenario's "glue" holds, each with where it was in the file
// ("glue.jobs[0]"), run in this order when the scenario starts.
struct GlueRequest {
  std::string operation;  // CreateJob, CreateWorkflow or CreateTrigger
  std::string where;
  nlohmann::ordered_json input;
};

struct GlueSpec {
  std::vector<GlueRequest> requests;  // jobs, then workflows, then triggers
  std::vector<std::string> jobs;      // the jobs' names, in list order
  std::vector<std::string> workflows;
};

struct WorkflowRunExpectation {
  std::optional<std::string> status;
  std::map<std::string, int> statistics;  // WorkflowRunStatistics member -> value
  std::optional<nlohmann::ordered_json> run_properties;
  std::optional<nlohmann::ordered_json> run_properties_contain;
  std::map<std::string, std::vector<std::string>> jobs;  // job -> final JobRunStates, in order
  std::vector<std::string> not_run;
  std::map<std::string, nlohmann::ordered_json> job_runs_contain;  // job -> [JobRun subset...]
  std::optional<time::Duration> duration_min;
  std::optional<time::Duration> duration_max;
};

struct CallExpectation {
  std::string service;
  std::string target;  // empty: any target
  std::optional<int> count;
  std::optional<nlohmann::ordered_json> arguments_contain;
};

struct Expectation {
  std::optional<std::string> status;
  std::optional<nlohmann::ordered_json> output;
  std::optional<nlohmann::ordered_json> output_contains;
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<std::string> cause_contains;
  std::optional<std::vector<std::string>> path;
  std::optional<std::vector<std::string>> path_contains;
  std::vector<std::string> not_entered;
  std::map<std::string, int> entered;
  std::vector<CallExpectation> calls;
  std::optional<time::Duration> duration_min;
  std::optional<time::Duration> duration_max;
  std::vector<std::string> events_present;
  std::vector<std::string> events_absent;
};

struct Scenario {
  std::string file;  // as given on the command line
  std::string name;
  std::uint64_t seed = 0;
  time::Instant start_time;
  time::Duration horizon;
  std::vector<MachineSpec> machines;                // by name
  nlohmann::ordered_json fakes = nlohmann::ordered_json::object();  // a behaviour document, already validated
  std::optional<StartSpec> start;
  std::optional<ScheduleSpec> schedule;
  std::vector<ActorSpec> actors;
  std::optional<Expectation> expect;
  std::optional<Expectation> expect_all;
  std::map<std::string, int> expect_count;
  std::optional<GlueSpec> glue;
  std::optional<WorkflowRunExpectation> expect_workflow_run;
  std::optional<std::vector<WorkflowRunExpectation>> expect_workflow_runs;
};

// json::StripComments, its error named kScenarioError: replaces comments (outside strings) with
// spaces, keeping newlines, so byte offsets and line numbers still point into the original
// text. Error (kScenarioError, "line L, column C: unterminated /* comment") for a `/*` without
// its `*/`.
json::Result<std::string> StripJsonComments(std::string_view text);

// Parses a scenario file's text. `file` names it in messages; `base_dir` resolves its relative
// paths ("" for the current directory).
json::Result<std::vector<Scenario>> ParseScenarioText(std::string_view text,
                                                      const std::string& file,
                                                      const std::string& base_dir);

// Reads and parses a file.
json::Result<std::vector<Scenario>> LoadScenarioFile(const std::string& path);

}  // namespace timeslip::cli
