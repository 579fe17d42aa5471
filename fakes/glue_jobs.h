#pragma once
// GlueJobs: the fake Glue job runner behind arn:aws:states:::glue:startJobRun (request-response:
// answers {"JobName", "JobRunId"} at once while the run goes on) and startJobRun.sync (the task
// ends with the run: the JobRun when it SUCCEEDS, else States.TaskFailed with the JobRun as the
// cause). https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html
//
// Runs follow AWS's JobRunState: STARTING, RUNNING, then SUCCEEDED, FAILED, TIMEOUT (the job's
// Timeout in minutes, or the StartJobRun Timeout parameter) or STOPPED (the .sync task was
// cancelled: its execution stopped or the task timed out). A job admits MaxConcurrentRuns
// active runs; one more is Glue.ConcurrentRunsExceededException. Behaviours (see behaviour.h):
//   - an error named "Glue.*" or a throttle: StartJobRun refuses the run, after the latency;
//   - any other error: the run FAILS after the latency, ErrorMessage = the cause;
//   - timeout: the run ends TIMEOUT at the job's Timeout; hang: it runs until that Timeout too;
//   - success: the run SUCCEEDS after the latency (TIMEOUT if that is past the Timeout).
// Runs stay queryable by job name and run id for the Glue API (GetJobRun, GetJobRuns).
//
// One Glue world: a job defined through the Glue API (Define: CreateJob, UpdateJob) is the job a
// task of that name runs, ahead of the behaviours' "glueJobs" and AWS's defaults; runs started
// by a task or by StartRun (the API's StartJobRun) share the same list, the same
// MaxConcurrentRuns count, the same scripts and the same clock.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "emulator/engine/integration.h"
#include "emulator/json/result.h"
#include "fakes/behaviour.h"
#include "fakes/context.h"

namespace timeslip::fakes {

inline constexpr std::string_view kGlueStartJobRun = "arn:aws:states:::glue:startJobRun";

struct JobRun {
  std::string id;  // "jr_" + 64 hex digits from the seeded Rng
  std::string job_name;
  int attempt = 0;  // Glue's own retries of the run; the fake never retries
  nlohmann::ordered_json arguments = nlohmann::ordered_json::object();
  std::string state = "STARTING";  // JobRunState
  time::Instant started_on;
  time::Instant last_modified_on;
  std::optional<time::Instant> completed_on;
  std::string error_message;
  int timeout_minutes = 2880;
  std::string worker_type;
  int number_of_workers = 0;
  std::string glue_version;
  std::string trigger_name;  // the Glue trigger that started it, if one did
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();  // a behaviour's "result", merged in
  // Who started it: the Task attempt (0 for the Glue API).
  std::uint64_t task_id = 0;
  std::string execution_arn;

  bool active() const { return state == "STARTING" || state == "RUNNING" || state == "STOPPING"; }
};

// A job defined through the Glue API: its definition as GetJob answers it (AWS's Job shape), its
// tags, and what its runs need of it.
struct GlueJobDefinition {
  nlohmann::ordered_json job = nlohmann::ordered_json::object();
  nlohmann::ordered_json tags = nlohmann::ordered_json::object();
  GlueJobConfig config;
};

enum class TimestampStyle {
  kEpochMillis,   // Step Functions' .sync output: 1704067200000
  kEpochSeconds,  // the Glue API (JSON 1.1): 1704067200.0
};
// AWS's JobRun shape.
nlohmann::ordered_json ToJson(const JobRun& run, TimestampStyle style = TimestampStyle::kEpochMillis);

class GlueJobs final : public engine::Integration {
 public:
  explicit GlueJobs(FakeContext& context) : ctx_(context) {}  // Not owned.

  void Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) override;
  void Cancel(std::uint64_t task_id) override;

  // The job's definition: the one Define()d, else the behaviours' "glueJobs", else AWS's
  // defaults.
  GlueJobConfig Job(const std::string& job_name) const;

  // Jobs of the Glue API, by name. Define creates or replaces one; runs already going keep the
  // settings they started with. Undefine: false when there was none.
  void Define(const std::string& job_name, GlueJobDefinition definition);
  bool Undefine(const std::string& job_name);
  const GlueJobDefinition* Defined(const std::string& job_name) const;
  const std::map<std::string, GlueJobDefinition>& defined() const { return defined_; }

  // The Glue API's StartJobRun: plays the job's next script step like a task does, and records
  // the call ("StartJobRun") in the call log. `params`: StartJobRun's request (Arguments,
  // Timeout, WorkerType, NumberOfWorkers are used). Returns the new run's id, or an error named
  // as the Glue API names it: ConcurrentRunsExceededException, ThrottlingException (a scripted
  // throttle), or a scripted "Glue.*" error without its prefix. Answers at once: a scripted
  // refusal's latency is not waited for.
  // `trigger_name`: the Glue trigger starting the run (its JobRun's TriggerName), if any.
  json::Result<std::string> StartRun(const std::string& job_name,
                                     const nlohmann::ordered_json& params,
                                     const std::string& trigger_name = "");

  // Called on the engine thread each time a run ends (SUCCEEDED, FAILED, TIMEOUT, STOPPED), once
  // its final state is set and a .sync task has heard of it: how Glue triggers and workflow runs
  // learn that a job they wait on has finished. A listener may start and stop runs.
  using RunEndListener = std::function<void(const JobRun&)>;
  void AddRunEndListener(RunEndListener listener);

  // For the Glue API. Runs of a job, newest first (GetJobRuns' order).
  std::vector<const JobRun*> Runs(const std::string& job_name) const;
  const JobRun* FindRun(const std::string& job_name, const std::string& run_id) const;
  // BatchStopJobRun: an active run ends STOPPED. EntityNotFoundException for an unknown run;
  // a finished run is left as it is.
  json::Status StopRun(const std::string& job_name, const std::string& run_id);

 private:
  struct Live {  // a run still going
    time::TimerQueue::TimerId timer = time::TimerQueue::kNoTimer;
    std::int64_t call_id = 0;
    std::function<void(json::Result<nlohmann::ordered_json>)> done;  // .sync only
  };
  // Why a run was not started, as the Glue API names it, and after how long a task hears it.
  struct Refusal {
    time::Duration after{0};
    json::Error error;
  };
  // Creates the run `turn` scripts and schedules its end; null with `refusal` set when the
  // script or MaxConcurrentRuns refuses it.
  JobRun* Launch(const std::string& job_name, const nlohmann::ordered_json& params,
                 const FakeContext::Turn& turn, std::int64_t call_id, Refusal& refusal);
  void End(JobRun& run, std::string state, std::string error_message);

  FakeContext& ctx_;
  std::map<std::string, GlueJobDefinition> defined_;  // the Glue API's jobs, by name
  std::vector<std::unique_ptr<JobRun>> runs_;         // in start order
  std::map<std::string, JobRun*> by_id_;              // run id -> run
  std::map<std::string, Live> live_;                  // run id -> its pending end
  std::map<std::uint64_t, std::string> by_task_;      // .sync task id -> run id
  std::vector<RunEndListener> end_listeners_;
};

}  // namespace timeslip::fakes
