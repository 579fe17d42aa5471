#pragma once
// Workflows: Glue's triggers, workflows and workflow runs, run over the world's GlueJobs on the
// engine's clock. The operations (trigger_ops.cc, workflow_ops.cc, workflow_run_ops.cc) check
// requests and shape answers; this model keeps the state and decides when a trigger fires.
// https://docs.aws.amazon.com/glue/latest/dg/workflows_overview.html
//
//   ON_DEMAND    fires when started: StartTrigger (outside a workflow), or StartWorkflowRun as
//                its workflow's starting trigger.
//   SCHEDULED    while ACTIVATED (StartTrigger, StartOnCreation), fires at each time of its cron
//                expression (UTC); in a workflow each firing starts a workflow run.
//   CONDITIONAL  while ACTIVATED, fires when job runs end in the states its Predicate names
//                (Logical AND: every condition; ANY: one). In a workflow it watches only the job
//                runs of that run and fires at most once per run.
//
// A job run a trigger starts carries the trigger's name (JobRun.TriggerName), and, within a
// workflow run, the arguments --WORKFLOW_NAME and --WORKFLOW_RUN_ID. A workflow run is COMPLETED
// once none of its job runs is running: its triggers fire as job runs end, so by then none can
// fire any more. A failed job does not fail the run; it counts in FailedActions.
//
// The model reacts to job runs ending through GlueJobs' end listener, never by polling; a
// schedule's next firing is an outside-actor timer, so a server's virtual clock stops there
// until a client moves it. Every id comes from the engine's seeded Rng, so replaying the journal
// rebuilds the same state.
//
// Threads: the engine's only.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/engine/engine.h"
#include "emulator/json/result.h"
#include "emulator/services/glue/fields.h"
#include "emulator/time/timer_queue.h"
#include "fakes/glue_jobs.h"
#include "fakes/schedule_expression.h"

namespace timeslip::services::glue {

inline constexpr std::string_view kConcurrentRunsExceeded = "ConcurrentRunsExceededException";
inline constexpr std::string_view kIllegalWorkflowState = "IllegalWorkflowStateException";

// TriggerType, TriggerState and WorkflowRunStatus values, as AWS spells them.
inline constexpr std::string_view kOnDemand = "ON_DEMAND";
inline constexpr std::string_view kScheduled = "SCHEDULED";
inline constexpr std::string_view kConditional = "CONDITIONAL";
inline constexpr std::string_view kCreated = "CREATED";
inline constexpr std::string_view kActivated = "ACTIVATED";
inline constexpr std::string_view kDeactivated = "DEACTIVATED";
inline constexpr std::string_view kRunRunning = "RUNNING";
inline constexpr std::string_view kRunCompleted = "COMPLETED";
inline constexpr std::string_view kRunStopping = "STOPPING";
inline constexpr std::string_view kRunStopped = "STOPPED";

struct TriggerCondition {
  std::string job_name;
  std::string state;  // SUCCEEDED, FAILED, TIMEOUT or STOPPED
};

struct TriggerAction {
  std::string job_name;
  Json arguments = Json::object();
  std::optional<std::int64_t> timeout;  // minutes
};

struct Trigger {
  std::string name;
  std::string workflow;  // "" outside a workflow
  std::string type;      // kOnDemand, kScheduled or kConditional
  std::string state = std::string(kCreated);
  Json description;  // null when none was given
  std::string schedule;
  std::optional<fakes::ScheduleExpression> cron;  // SCHEDULED
  Json actions = Json::array();                   // as sent: the Trigger shape echoes them
  std::vector<TriggerAction> parsed_actions;
  Json predicate;    // as sent; null when none
  bool any = false;  // Predicate.Logical is ANY
  std::vector<TriggerCondition> conditions;
  Json tags = Json::object();
  std::string node_id;  // its UniqueId in its workflow's graph

  // Outside a workflow, a CONDITIONAL trigger's conditions met since it last fired.
  std::vector<bool> met;
  time::TimerQueue::TimerId timer = time::TimerQueue::kNoTimer;  // a SCHEDULED one's next firing
};

struct Workflow {
  std::string name;
  Json description;  // null when none was given
  Json default_run_properties = Json::object();
  std::optional<std::int64_t> max_concurrent_runs;
  time::Instant created_on;
  time::Instant last_modified_on;
  Json tags = Json::object();
  std::map<std::string, std::string> job_node_ids;  // job name -> its UniqueId in the graph
};

struct WorkflowRun {
  std::string id;  // "wr_" + 64 hex digits
  std::string workflow;
  std::string previous_run_id;  // the run a ResumeWorkflowRun continued
  Json properties = Json::object();
  time::Instant started_on;
  std::optional<time::Instant> completed_on;
  std::string status = std::string(kRunRunning);
  std::set<std::string> fired;  // the triggers that fired in this run
  // The job runs this run started, in start order: (job name, run id).
  std::vector<std::pair<std::string, std::string>> job_runs;
  // A resumed run: the final state of the jobs it did not rerun, carried over from its previous
  // run for the conditions that watch them.
  std::map<std::string, std::string> inherited;
  int errored = 0;  // actions Glue refused to start (a missing job, MaxConcurrentRuns)

  bool active() const { return status == kRunRunning || status == kRunStopping; }
};

struct RunStatistics {
  int total = 0, timeout = 0, failed = 0, stopped = 0, succeeded = 0, running = 0, errored = 0,
      waiting = 0;
};

class Workflows {
 public:
  // `engine`, `jobs`: Not owned; must outlive this. Listens to `jobs`' run ends.
  Workflows(engine::Engine& engine, fakes::GlueJobs& jobs);
  ~Workflows();
  Workflows(const Workflows&) = delete;
  Workflows& operator=(const Workflows&) = delete;

  fakes::GlueJobs& jobs() { return jobs_; }
  const fakes::GlueJobs& jobs() const { return jobs_; }

  // ---- Triggers, by name ----
  const std::map<std::string, Trigger>& triggers() const { return triggers_; }
  const Trigger* FindTrigger(const std::string& name) const;
  // The triggers of `workflow`, by name.
  std::vector<const Trigger*> TriggersOf(const std::string& workflow) const;
  // Its ON_DEMAND or SCHEDULED trigger, if it has one.
  const Trigger* StartingTrigger(const std::string& workflow) const;
  // REQUIRES: `trigger` checked, its workflow (if any) exists and its name is free. `start`:
  // StartOnCreation.
  void AddTrigger(Trigger trigger, bool start);
  // Replaces a trigger's definition, keeping its name, type, workflow, state and graph node.
  // REQUIRES: the trigger exists; `updated` checked.
  void ReplaceTrigger(Trigger updated);
  // StartTrigger: runs an ON_DEMAND trigger's actions (outside a workflow; the first refusal
  // is the answer, the others run on); activates a SCHEDULED or CONDITIONAL one.
  json::Status StartTrigger(const std::string& name);
  // StopTrigger: deactivates a SCHEDULED or CONDITIONAL trigger.
  json::Status StopTrigger(const std::string& name);
  void DeleteTrigger(const std::string& name);

  // ---- Workflows, by name ----
  const std::map<std::string, Workflow>& workflows() const { return workflows_; }
  const Workflow* FindWorkflow(const std::string& name) const;
  // Creates or replaces. REQUIRES: checked.
  void PutWorkflow(Workflow workflow);
  // Deletes the workflow with its triggers and runs; job runs still going are stopped.
  void DeleteWorkflow(const std::string& name);

  // ---- Workflow runs ----
  // StartWorkflowRun: fires the starting trigger with DefaultRunProperties merged under
  // `properties`. Errors: ConcurrentRunsExceededException (MaxConcurrentRuns), InvalidInput
  // (no starting trigger). REQUIRES: the workflow exists.
  json::Result<std::string> StartRun(const std::string& workflow, const Json& properties);
  const WorkflowRun* FindRun(const std::string& workflow, const std::string& run_id) const;
  // Newest first.
  std::vector<const WorkflowRun*> Runs(const std::string& workflow) const;
  // PutWorkflowRunProperties. REQUIRES: the run exists.
  void PutProperties(const std::string& run_id, const Json& properties);
  // StopWorkflowRun: stops the run's job runs. IllegalWorkflowStateException unless RUNNING.
  json::Status StopRun(const std::string& workflow, const std::string& run_id);
  // ResumeWorkflowRun: a new run (PreviousRunId: this one) that reruns the job nodes
  // `node_ids` and what follows them. Returns the new run's id and the nodes restarted.
  // Errors: IllegalWorkflowStateException (the run is still going), InvalidInputException (a
  // node that is not one of the run's job nodes with a run), ConcurrentRunsExceededException.
  json::Result<std::pair<std::string, std::vector<std::string>>> ResumeRun(
      const std::string& workflow, const std::string& run_id,
      const std::vector<std::string>& node_ids);
  RunStatistics Statistics(const WorkflowRun& run) const;

 private:
  std::string NewId(std::string_view prefix);
  void NameJobNodes(const Trigger& trigger);
  void Arm(Trigger& trigger);
  void Disarm(Trigger& trigger);
  void FireScheduled(const std::string& name);
  // Starts `trigger`'s actions, within `run` when there is one. Returns the first refusal.
  json::Status Fire(const Trigger& trigger, WorkflowRun* run);
  json::Status StartAction(const Trigger& trigger, const TriggerAction& action, WorkflowRun* run);
  void OnJobRunEnded(const fakes::JobRun& job_run);
  void OnStandaloneRunEnded(const fakes::JobRun& job_run);
  // The final state of `job`'s latest run in `run`; "" while it runs or when it never ran.
  std::string LatestState(const WorkflowRun& run, const std::string& job) const;
  // Fires the run's CONDITIONAL triggers whose predicates now hold.
  void Evaluate(WorkflowRun& run);
  // Ends the run once none of its job runs is running.
  void Settle(WorkflowRun& run);
  int ActiveRuns(const std::string& workflow) const;
  json::Status CheckCapacity(const std::string& workflow) const;

  engine::Engine& engine_;            // Not owned; must outlive this.
  fakes::GlueJobs& jobs_;             // Not owned; must outlive this.
  std::shared_ptr<Workflows*> self_;  // what the job-end listener holds: null once this is gone
  std::map<std::string, Trigger> triggers_;
  std::map<std::string, Workflow> workflows_;
  std::vector<std::unique_ptr<WorkflowRun>> runs_;      // in start order
  std::map<std::string, WorkflowRun*> runs_by_id_;      // workflow run id -> run
  std::map<std::string, WorkflowRun*> run_of_job_run_;  // job run id -> its workflow run
};

}  // namespace timeslip::services::glue
