#pragma once
// Behaviours: what each fake backend does, call by call. One format for every fake, as JSON
// (scenario files embed it; `timeslip serve --fakes FILE` and POST /_timeslip/fakes load it):
//
//   {
//     "glue": {"transform-orders": [
//         {"error": "Glue.ConcurrentRunsExceededException", "cause": "...", "repeat": 2,
//          "latency": "30s"},
//         {"latency": "20m", "result": {"rows": 1200}}]},
//     "glueJobs": {"transform-orders": {"Timeout": 120, "MaxConcurrentRuns": 1}},
//     "lambda": {"enrich-currency": [
//         {"latency": {"lognormal": {"median": "2s", "sigma": 0.4}}, "result": {"ok": true}}]},
//     "http": {"GET https://fx.example.com/rates": [
//         {"status": 503, "repeat": 2}, {"status": 200, "body": {"EUR": 1.1}}]},
//     "sns": {},
//     "events": {"default": {"latency": "50ms"}},
//     "sqs": {"*": {"notFound": true}, "https://sqs.us-east-1.amazonaws.com/1/jobs": {}},
//     "dataQuality": {"orders-ruleset": [
//         {"score": 0.97, "rules": [{"name": "IsComplete \"id\"", "result": "PASS"}]}]}
//   }
//
// Per service, per target (Glue: job name; Lambda: function name or ARN; HTTP: "METHOD URL" or
// just "URL" for any method; SNS: topic ARN; events: event bus name, "default" when the entry
// names none; sqs: queue URL or name; dataQuality: ruleset name) a script: a list of steps (a
// single step object is a one-step script). Call n of a target plays the step its position selects,
// counting `repeat` (default 1); the last step repeats forever. The target "*" scripts every target
// of its service that has no script of its own.
//
// A step has a `latency` (virtual; default 0) and at most one outcome:
//   (none), "result": JSON   succeed; the result is the service's answer (defaults below)
//   "error": NAME, "cause"   fail with that error name and cause
//   "throttle": true         the service's own throttling error
//   "timeout": true          the work times out (a Glue run ends TIMEOUT at the job Timeout;
//                            Lambda answers Sandbox.Timedout; HTTP States.Http.Socket)
//   "hang": true             never answers: the Task's TimeoutSeconds decides
//   "notFound": true         the target does not exist (lambda: Lambda.ResourceNotFoundException;
//                            sns: SNS.NotFoundException; sqs: SQS.QueueDoesNotExistException),
//                            as AWS answers a deleted one
// and per service:
//   lambda       "command": ["python3", "f.py"], "cwd": DIR   run a local command with the
//                payload on stdin and its stdout (JSON) as the result;
//                "stackTrace": ["..."] with "error": the function error's stack trace
//   http         "status": 200, "body": JSON, "headers": {"Name": "value"}
//   dataQuality  "score": 0..1, "rules": [{"name", "result": PASS|FAIL|ERROR, "message"}]
//   glue         "result" is merged into the JobRun the .sync task returns
//
// Latencies: a duration ("90s", "20m", "5h", "1h30m", "250ms", "2d", or a number of
// seconds), or {"fixed": D}, {"uniform": {"min": D, "max": D}}, {"normal": {"mean": D,
// "stddev": D}}, {"lognormal": {"median": D, "sigma": X}}, sampled with the engine's seeded Rng.
//
// A target without a script (and no "*") succeeds at once with a plausible result: a Glue run
// that SUCCEEDS, a Lambda that returns its payload, HTTP 200 with {}, a DQ score of 1. Declare
// "*": {"notFound": true} to have unknown functions, topics and queues answer as AWS does.
//
// "glueJobs" holds job definitions: {"Timeout": minutes (2880), "MaxConcurrentRuns": (1),
// "WorkerType": ("G.1X"), "NumberOfWorkers": (10), "GlueVersion": ("4.0"),
// "DefaultArguments": {...}}; a job without one gets AWS's defaults. A job created through the
// Glue API (CreateJob) of the same name takes precedence (fakes/glue_jobs.h).
//
// Errors: ParseBehaviours never throws or aborts; every problem is an Error named
// kBehaviourError whose message starts with the path in the document:
// "glue.transform-orders[1].latency: unknown unit 'q'".

#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/json/result.h"
#include "fakes/latency.h"

namespace timeslip::fakes {

enum class Service { kGlue, kLambda, kHttp, kSns, kDataQuality, kEvents, kSqs };
inline constexpr Service kAllServices[] = {Service::kGlue, Service::kLambda,      Service::kHttp,
                                           Service::kSns,  Service::kDataQuality, Service::kEvents,
                                           Service::kSqs};
// The service's key in a behaviour document and the call log: "glue", "lambda", "http", "sns",
// "dataQuality", "events", "sqs".
std::string_view ServiceKey(Service service);

enum class OutcomeKind { kSucceed, kError, kThrottle, kTimeout, kHang, kNotFound };

// The target that scripts every target of a service without a script of its own.
inline constexpr std::string_view kAnyTarget = "*";

// One rule's scripted outcome in a data-quality result.
struct RuleOutcome {
  std::string name;
  std::string result;  // PASS, FAIL or ERROR
  std::string message;
  friend bool operator==(const RuleOutcome&, const RuleOutcome&) = default;
};

struct Step {
  Latency latency;
  int repeat = 1;
  OutcomeKind outcome = OutcomeKind::kSucceed;
  std::optional<nlohmann::ordered_json> result;  // "result", or HTTP's "body"
  std::string error;                             // kError
  std::string cause;                             // kError
  std::vector<std::string> stack_trace;          // kError, lambda: the function error's stackTrace
  // lambda: a local command instead of a scripted result.
  std::vector<std::string> command;
  std::string cwd;
  // http
  int status = 200;
  nlohmann::ordered_json headers = nlohmann::ordered_json::object();
  // dataQuality
  std::optional<double> score;
  std::vector<RuleOutcome> rules;
};

// The error an SDK-integration fake answers for a scripted throttle, timeout or error step:
// `<service>.<throttle_exception>` "Rate exceeded", `<service>.SdkClientException` read timed
// out, or the step's own error and cause. nullopt for the other outcomes.
std::optional<json::Error> ScriptedSdkError(const Step& step, std::string_view service,
                                            std::string_view throttle_exception);

struct Script {
  std::vector<Step> steps;  // never empty once parsed
  // The step that call `call` (1 for the first) plays. REQUIRES: !steps.empty().
  const Step& ForCall(int call) const;
};

// A Glue job definition, as much of it as the fake needs.
struct GlueJobConfig {
  int timeout_minutes = 2880;  // AWS's default: 48 hours
  int max_concurrent_runs = 1;
  std::string worker_type = "G.1X";
  int number_of_workers = 10;
  std::string glue_version = "4.0";
  nlohmann::ordered_json default_arguments = nlohmann::ordered_json::object();
};

struct BehaviourSet {
  std::map<std::string, Script> glue, lambda, http, sns, data_quality, events, sqs;
  std::map<std::string, GlueJobConfig> glue_jobs;

  std::map<std::string, Script>& scripts(Service service);
  const std::map<std::string, Script>& scripts(Service service) const;
  // The script a call to a target plays: that of the first of `keys` with one, else the
  // service's "*" script; null when neither exists (the call plays the default step).
  const Script* Find(Service service, std::initializer_list<std::string> keys) const;
};

// Parses a behaviour document from JSON text, or one already parsed (a scenario's "fakes").
json::Result<BehaviourSet> ParseBehaviours(std::string_view text);
json::Result<BehaviourSet> ParseBehaviourDocument(const nlohmann::ordered_json& document);

}  // namespace timeslip::fakes
