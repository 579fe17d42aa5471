#include "emulator/services/glue/workflows.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace timeslip::services::glue {
namespace {

// Glue passes a workflow run's identity to the jobs it starts as these arguments:
// https://docs.aws.amazon.com/glue/latest/dg/workflow-run-properties-code.html
constexpr const char* kWorkflowNameArg = "--WORKFLOW_NAME";
constexpr const char* kWorkflowRunIdArg = "--WORKFLOW_RUN_ID";

json::Error Illegal(std::string message) {
  return json::Error{std::string(kIllegalWorkflowState), std::move(message)};
}

}  // namespace

Workflows::Workflows(engine::Engine& engine, fakes::GlueJobs& jobs)
    : engine_(engine), jobs_(jobs), self_(std::make_shared<Workflows*>(this)) {
  // GlueJobs may outlive this (a world drops its services first): the listener holds only a
  // weak reference, and does nothing once this is gone.
  std::weak_ptr<Workflows*> weak = self_;
  jobs_.AddRunEndListener([weak](const fakes::JobRun& run) {
    if (std::shared_ptr<Workflows*> self = weak.lock()) (*self)->OnJobRunEnded(run);
  });
}

Workflows::~Workflows() {
  for (auto& [name, trigger] : triggers_) Disarm(trigger);
}

std::string Workflows::NewId(std::string_view prefix) {
  return std::string(prefix) + engine_.rng().Hex(64);
}

// ---- Triggers ----

const Trigger* Workflows::FindTrigger(const std::string& name) const {
  auto it = triggers_.find(name);
  return it == triggers_.end() ? nullptr : &it->second;
}

std::vector<const Trigger*> Workflows::TriggersOf(const std::string& workflow) const {
  std::vector<const Trigger*> out;
  for (const auto& [name, trigger] : triggers_) {
    if (!workflow.empty() && trigger.workflow == workflow) out.push_back(&trigger);
  }
  return out;
}

const Trigger* Workflows::StartingTrigger(const std::string& workflow) const {
  for (const Trigger* trigger : TriggersOf(workflow)) {
    if (trigger->type == kOnDemand || trigger->type == kScheduled) return trigger;
  }
  return nullptr;
}

// Graph node ids are drawn once, when a node first appears, so every read shows the same ones.
void Workflows::NameJobNodes(const Trigger& trigger) {
  auto it = workflows_.find(trigger.workflow);
  if (it == workflows_.end()) return;
  auto name = [&](const std::string& job) {
    if (!it->second.job_node_ids.contains(job)) it->second.job_node_ids[job] = NewId("wnode_");
  };
  for (const TriggerCondition& c : trigger.conditions) name(c.job_name);
  for (const TriggerAction& a : trigger.parsed_actions) name(a.job_name);
}

void Workflows::AddTrigger(Trigger trigger, bool start) {
  trigger.node_id = NewId("wnode_");
  trigger.met.assign(trigger.conditions.size(), false);
  const std::string name = trigger.name;
  Trigger& added = triggers_.insert_or_assign(name, std::move(trigger)).first->second;
  NameJobNodes(added);
  if (start && added.type != kOnDemand) {
    added.state = std::string(kActivated);
    Arm(added);
  }
}

void Workflows::ReplaceTrigger(Trigger updated) {
  Trigger& old = triggers_.at(updated.name);
  Disarm(old);
  updated.timer = time::TimerQueue::kNoTimer;
  updated.workflow = old.workflow;
  updated.type = old.type;
  updated.state = old.state;
  updated.node_id = old.node_id;
  updated.tags = old.tags;
  updated.met.assign(updated.conditions.size(), false);
  old = std::move(updated);
  NameJobNodes(old);
  Arm(old);
}

json::Status Workflows::StartTrigger(const std::string& name) {
  Trigger& trigger = triggers_.at(name);
  if (trigger.type == kOnDemand) {
    if (!trigger.workflow.empty()) {
      // Inside a workflow it starts a workflow run: that is StartWorkflowRun's to do.
      return InvalidInput(fmt::format(
          "Trigger {} is the starting trigger of workflow {}: start it with StartWorkflowRun", name,
          trigger.workflow));
    }
    return Fire(trigger, nullptr);
  }
  if (trigger.state != kActivated) {
    trigger.state = std::string(kActivated);
    trigger.met.assign(trigger.conditions.size(), false);
    Arm(trigger);
  }
  return json::Ok();
}

json::Status Workflows::StopTrigger(const std::string& name) {
  Trigger& trigger = triggers_.at(name);
  if (trigger.type == kOnDemand) {
    return InvalidInput(fmt::format("Trigger {} is ON_DEMAND: there is nothing to stop", name));
  }
  trigger.state = std::string(kDeactivated);
  Disarm(trigger);
  return json::Ok();
}

void Workflows::DeleteTrigger(const std::string& name) {
  auto it = triggers_.find(name);
  if (it == triggers_.end()) return;
  Disarm(it->second);
  triggers_.erase(it);
}

void Workflows::Arm(Trigger& trigger) {
  Disarm(trigger);
  if (trigger.type != kScheduled || trigger.state != kActivated || !trigger.cron) return;
  // Strictly after now: activating a trigger at 01:00:00 does not fire a 01:00 schedule.
  const time::Instant from = engine_.Now() + std::chrono::milliseconds(1);
  std::optional<time::Instant> next = trigger.cron->NextAtOrAfter(from, from);
  if (!next) return;
  // An outside actor to a server: its virtual clock waits there for a client to move it, rather
  // than spin an endless cron through the years.
  trigger.timer = engine_.ScheduleAt(
      *next,
      [this, name = trigger.name] {
        auto it = triggers_.find(name);
        if (it == triggers_.end()) return;
        it->second.timer = time::TimerQueue::kNoTimer;
        FireScheduled(name);
        if (auto again = triggers_.find(name); again != triggers_.end()) Arm(again->second);
      },
      time::TimerKind::kExternal);
}

void Workflows::Disarm(Trigger& trigger) {
  if (trigger.timer == time::TimerQueue::kNoTimer) return;
  engine_.CancelTimer(trigger.timer);
  trigger.timer = time::TimerQueue::kNoTimer;
}

// A firing Glue cannot start (MaxConcurrentRuns, a job gone) is skipped; the next one comes.
void Workflows::FireScheduled(const std::string& name) {
  const Trigger& trigger = triggers_.at(name);
  if (trigger.workflow.empty()) {
    (void)Fire(trigger, nullptr);
  } else {
    (void)StartRun(trigger.workflow, Json::object());
  }
}

json::Status Workflows::Fire(const Trigger& trigger, WorkflowRun* run) {
  if (run != nullptr) run->fired.insert(trigger.name);
  json::Status first = json::Ok();
  for (const TriggerAction& action : trigger.parsed_actions) {
    json::Status started = StartAction(trigger, action, run);
    if (!started.ok() && first.ok()) first = started;
  }
  return first;
}

json::Status Workflows::StartAction(const Trigger& trigger, const TriggerAction& action,
                                    WorkflowRun* run) {
  Json params = Json::object();
  Json arguments = action.arguments;
  if (run != nullptr) {
    arguments[kWorkflowNameArg] = run->workflow;
    arguments[kWorkflowRunIdArg] = run->id;
  }
  params["Arguments"] = std::move(arguments);
  if (action.timeout) params["Timeout"] = *action.timeout;
  if (jobs_.Defined(action.job_name) == nullptr) {
    if (run != nullptr) ++run->errored;
    return EntityNotFound(fmt::format("Job {} not found", action.job_name));
  }
  json::Result<std::string> id = jobs_.StartRun(action.job_name, params, trigger.name);
  if (!id.ok()) {
    if (run != nullptr) ++run->errored;
    return id.error();
  }
  if (run != nullptr) {
    run->job_runs.emplace_back(action.job_name, id.value());
    run_of_job_run_[id.value()] = run;
  }
  return json::Ok();
}

void Workflows::OnJobRunEnded(const fakes::JobRun& job_run) {
  auto it = run_of_job_run_.find(job_run.id);
  if (it == run_of_job_run_.end()) return OnStandaloneRunEnded(job_run);
  WorkflowRun& run = *it->second;
  if (run.status == kRunRunning) Evaluate(run);
  Settle(run);
}

// Outside a workflow, a trigger remembers which of its conditions were met since it last fired:
// AND fires once all of them were, ANY at the first.
void Workflows::OnStandaloneRunEnded(const fakes::JobRun& job_run) {
  std::vector<std::string> due;
  for (auto& [name, trigger] : triggers_) {
    if (trigger.type != kConditional || trigger.state != kActivated || !trigger.workflow.empty()) {
      continue;
    }
    bool matched = false;
    for (std::size_t i = 0; i < trigger.conditions.size(); ++i) {
      const TriggerCondition& c = trigger.conditions[i];
      if (c.job_name == job_run.job_name && c.state == job_run.state) {
        trigger.met[i] = matched = true;
      }
    }
    if (!matched) continue;
    const bool all = std::all_of(trigger.met.begin(), trigger.met.end(), [](bool b) { return b; });
    if (trigger.any || all) {
      trigger.met.assign(trigger.conditions.size(), false);
      due.push_back(name);
    }
  }
  for (const std::string& name : due) {
    if (const Trigger* trigger = FindTrigger(name)) (void)Fire(*trigger, nullptr);
  }
}

std::string Workflows::LatestState(const WorkflowRun& run, const std::string& job) const {
  for (auto it = run.job_runs.rbegin(); it != run.job_runs.rend(); ++it) {
    if (it->first != job) continue;
    const fakes::JobRun* job_run = jobs_.FindRun(job, it->second);
    if (job_run == nullptr || job_run->active()) return "";
    return job_run->state;
  }
  auto inherited = run.inherited.find(job);
  return inherited == run.inherited.end() ? "" : inherited->second;
}

void Workflows::Evaluate(WorkflowRun& run) {
  std::vector<std::string> due;
  for (const Trigger* trigger : TriggersOf(run.workflow)) {
    if (trigger->type != kConditional || trigger->state != kActivated ||
        run.fired.contains(trigger->name) || trigger->conditions.empty()) {
      continue;
    }
    int met = 0;
    for (const TriggerCondition& c : trigger->conditions) {
      met += LatestState(run, c.job_name) == c.state;
    }
    const bool holds = trigger->any ? met > 0 : met == static_cast<int>(trigger->conditions.size());
    if (holds) due.push_back(trigger->name);
  }
  for (const std::string& name : due) (void)Fire(triggers_.at(name), &run);
}

void Workflows::Settle(WorkflowRun& run) {
  if (!run.active()) return;
  for (const auto& [job, id] : run.job_runs) {
    const fakes::JobRun* job_run = jobs_.FindRun(job, id);
    if (job_run != nullptr && job_run->active()) return;
  }
  run.status = std::string(run.status == kRunStopping ? kRunStopped : kRunCompleted);
  run.completed_on = engine_.Now();
}

// ---- Workflows ----

const Workflow* Workflows::FindWorkflow(const std::string& name) const {
  auto it = workflows_.find(name);
  return it == workflows_.end() ? nullptr : &it->second;
}

void Workflows::PutWorkflow(Workflow workflow) {
  const std::string name = workflow.name;
  workflows_.insert_or_assign(name, std::move(workflow));
}

void Workflows::DeleteWorkflow(const std::string& name) {
  if (!workflows_.contains(name)) return;
  for (const WorkflowRun* run : Runs(name)) {
    if (run->status == kRunRunning) (void)StopRun(name, run->id);
  }
  std::vector<std::string> doomed;
  for (const Trigger* trigger : TriggersOf(name)) doomed.push_back(trigger->name);
  for (const std::string& trigger : doomed) DeleteTrigger(trigger);
  std::erase_if(run_of_job_run_, [&](const auto& entry) { return entry.second->workflow == name; });
  std::erase_if(runs_by_id_, [&](const auto& entry) { return entry.second->workflow == name; });
  std::erase_if(runs_, [&](const auto& run) { return run->workflow == name; });
  workflows_.erase(name);
}

// ---- Workflow runs ----

int Workflows::ActiveRuns(const std::string& workflow) const {
  int active = 0;
  for (const auto& run : runs_) active += run->workflow == workflow && run->active();
  return active;
}

json::Status Workflows::CheckCapacity(const std::string& workflow) const {
  const Workflow& w = workflows_.at(workflow);
  if (w.max_concurrent_runs && ActiveRuns(workflow) >= *w.max_concurrent_runs) {
    return json::Error{std::string(kConcurrentRunsExceeded),
                       fmt::format("Concurrent runs exceeded for workflow: {}", workflow)};
  }
  return json::Ok();
}

json::Result<std::string> Workflows::StartRun(const std::string& workflow, const Json& properties) {
  if (json::Status room = CheckCapacity(workflow); !room.ok()) return room.error();
  const Trigger* start = StartingTrigger(workflow);
  if (start == nullptr) {
    return InvalidInput(fmt::format(
        "Workflow {} has no starting trigger (ON_DEMAND or SCHEDULED) to run", workflow));
  }
  auto run = std::make_unique<WorkflowRun>();
  run->id = NewId("wr_");
  run->workflow = workflow;
  run->properties = workflows_.at(workflow).default_run_properties;
  run->properties.update(properties);
  run->started_on = engine_.Now();
  WorkflowRun& r = *run;
  runs_by_id_[r.id] = &r;
  runs_.push_back(std::move(run));
  (void)Fire(*start, &r);  // a refused action counts in ErroredActions
  Settle(r);
  return r.id;
}

const WorkflowRun* Workflows::FindRun(const std::string& workflow,
                                      const std::string& run_id) const {
  auto it = runs_by_id_.find(run_id);
  if (it == runs_by_id_.end() || it->second->workflow != workflow) return nullptr;
  return it->second;
}

std::vector<const WorkflowRun*> Workflows::Runs(const std::string& workflow) const {
  std::vector<const WorkflowRun*> out;
  for (auto it = runs_.rbegin(); it != runs_.rend(); ++it) {
    if ((*it)->workflow == workflow) out.push_back(it->get());
  }
  return out;
}

void Workflows::PutProperties(const std::string& run_id, const Json& properties) {
  runs_by_id_.at(run_id)->properties.update(properties);
}

json::Status Workflows::StopRun(const std::string& workflow, const std::string& run_id) {
  WorkflowRun& run = *runs_by_id_.at(run_id);
  if (run.status != kRunRunning) {
    return Illegal(fmt::format("Workflow run {} of workflow {} is not running: it is {}", run_id,
                               workflow, run.status));
  }
  run.status = std::string(kRunStopping);
  // Each stop ends a job run at once, and its end listener settles the run.
  const auto job_runs = run.job_runs;
  for (const auto& [job, id] : job_runs) {
    const fakes::JobRun* job_run = jobs_.FindRun(job, id);
    if (job_run != nullptr && job_run->active()) (void)jobs_.StopRun(job, id);
  }
  Settle(run);
  return json::Ok();
}

// https://docs.aws.amazon.com/glue/latest/dg/resuming-workflow.html: the selected nodes and
// every node downstream of them run again, in a new run whose PreviousRunId is this one.
json::Result<std::pair<std::string, std::vector<std::string>>> Workflows::ResumeRun(
    const std::string& workflow, const std::string& run_id,
    const std::vector<std::string>& node_ids) {
  const WorkflowRun& old = *runs_by_id_.at(run_id);
  if (old.active()) {
    return Illegal(
        fmt::format("Workflow run {} of workflow {} is {}: only a finished run can be resumed",
                    run_id, workflow, old.status));
  }
  const Workflow& w = workflows_.at(workflow);
  std::map<std::string, std::string> job_of_node;
  for (const auto& [job, node] : w.job_node_ids) job_of_node[node] = job;
  auto ran = [&](const std::string& job) {
    if (old.inherited.contains(job)) return true;
    return std::any_of(old.job_runs.begin(), old.job_runs.end(),
                       [&](const auto& r) { return r.first == job; });
  };
  std::vector<std::string> selected_nodes;
  std::set<std::string> selected;
  for (const std::string& node : node_ids) {
    auto it = job_of_node.find(node);
    if (it == job_of_node.end() || !ran(it->second)) {
      return InvalidInput(fmt::format(
          "Node {} is not a job node with a run attempt in workflow run {}", node, run_id));
    }
    if (selected.insert(it->second).second) selected_nodes.push_back(node);
  }
  if (json::Status room = CheckCapacity(workflow); !room.ok()) return room.error();

  // What runs again: the CONDITIONAL triggers that watch a rerun job, and the jobs they start.
  std::set<std::string> rerun_triggers, downstream_jobs, frontier = selected;
  while (!frontier.empty()) {
    std::set<std::string> next;
    for (const Trigger* trigger : TriggersOf(workflow)) {
      if (trigger->type != kConditional || rerun_triggers.contains(trigger->name)) continue;
      const bool watches =
          std::any_of(trigger->conditions.begin(), trigger->conditions.end(),
                      [&](const TriggerCondition& c) { return frontier.contains(c.job_name); });
      if (!watches) continue;
      rerun_triggers.insert(trigger->name);
      for (const TriggerAction& a : trigger->parsed_actions) {
        if (downstream_jobs.insert(a.job_name).second) next.insert(a.job_name);
      }
    }
    frontier = std::move(next);
  }

  auto run = std::make_unique<WorkflowRun>();
  run->id = NewId("wr_");
  run->workflow = workflow;
  run->previous_run_id = old.id;
  run->properties = old.properties;
  run->started_on = engine_.Now();
  for (const std::string& name : old.fired) {
    if (!rerun_triggers.contains(name)) run->fired.insert(name);
  }
  std::set<std::string> jobs_of_old;
  for (const auto& [job, state] : old.inherited) jobs_of_old.insert(job);
  for (const auto& [job, id] : old.job_runs) jobs_of_old.insert(job);
  for (const std::string& job : jobs_of_old) {
    if (selected.contains(job) || downstream_jobs.contains(job)) continue;
    if (std::string state = LatestState(old, job); !state.empty()) run->inherited[job] = state;
  }
  WorkflowRun& r = *run;
  runs_by_id_[r.id] = &r;
  runs_.push_back(std::move(run));

  // A selected job that a rerun trigger starts anyway waits for it rather than running twice.
  std::vector<std::string> restarted;
  for (const std::string& node : selected_nodes) {
    const std::string& job = job_of_node.at(node);
    if (downstream_jobs.contains(job)) continue;
    restarted.push_back(node);
    // Rerun with the action that started it last time: its trigger's arguments and timeout.
    TriggerAction action{.job_name = job};
    std::string trigger_name;
    for (auto it = old.job_runs.rbegin(); it != old.job_runs.rend(); ++it) {
      if (it->first != job) continue;
      if (const fakes::JobRun* last = jobs_.FindRun(job, it->second)) {
        trigger_name = last->trigger_name;
      }
      break;
    }
    Trigger fallback{.name = trigger_name};
    const Trigger* trigger = FindTrigger(trigger_name);
    if (trigger != nullptr) {
      for (const TriggerAction& a : trigger->parsed_actions) {
        if (a.job_name == job) action = a;
      }
    }
    (void)StartAction(trigger != nullptr ? *trigger : fallback, action, &r);
  }
  Settle(r);
  return std::make_pair(r.id, std::move(restarted));
}

RunStatistics Workflows::Statistics(const WorkflowRun& run) const {
  RunStatistics s;
  s.errored = run.errored;
  s.total = static_cast<int>(run.job_runs.size()) + run.errored;
  for (const auto& [job, id] : run.job_runs) {
    const fakes::JobRun* job_run = jobs_.FindRun(job, id);
    if (job_run == nullptr) continue;
    const std::string& state = job_run->state;
    if (job_run->active()) {
      ++s.running;
    } else if (state == "SUCCEEDED") {
      ++s.succeeded;
    } else if (state == "FAILED") {
      ++s.failed;
    } else if (state == "TIMEOUT") {
      ++s.timeout;
    } else if (state == "STOPPED") {
      ++s.stopped;
    } else {
      ++s.errored;
    }
  }
  return s;
}

}  // namespace timeslip::services::glue
