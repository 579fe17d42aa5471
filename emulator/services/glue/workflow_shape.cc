#include "emulator/services/glue/workflow_shape.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace timeslip::services::glue {

Json TriggerJson(const Trigger& trigger) {
  Json out = {{"Name", trigger.name}};
  if (!trigger.workflow.empty()) out["WorkflowName"] = trigger.workflow;
  out["Type"] = trigger.type;
  out["State"] = trigger.state;
  if (!trigger.description.is_null()) out["Description"] = trigger.description;
  if (!trigger.schedule.empty()) out["Schedule"] = trigger.schedule;
  out["Actions"] = trigger.actions;
  if (!trigger.predicate.is_null()) out["Predicate"] = trigger.predicate;
  return out;
}

Json GraphJson(const Workflows& model, const Workflow& workflow, const WorkflowRun* run) {
  const std::vector<const Trigger*> triggers = model.TriggersOf(workflow.name);
  std::set<std::string> jobs;
  for (const Trigger* trigger : triggers) {
    for (const TriggerCondition& c : trigger->conditions) jobs.insert(c.job_name);
    for (const TriggerAction& a : trigger->parsed_actions) jobs.insert(a.job_name);
  }
  auto job_node = [&](const std::string& job) {
    auto it = workflow.job_node_ids.find(job);
    return it == workflow.job_node_ids.end() ? job : it->second;
  };
  Json nodes = Json::array(), edges = Json::array();
  for (const Trigger* trigger : triggers) {
    nodes.push_back({{"Type", "TRIGGER"},
                     {"Name", trigger->name},
                     {"UniqueId", trigger->node_id},
                     {"TriggerDetails", {{"Trigger", TriggerJson(*trigger)}}}});
  }
  for (const std::string& job : jobs) {
    Json node = {{"Type", "JOB"}, {"Name", job}, {"UniqueId", job_node(job)}};
    if (run != nullptr) {
      Json runs = Json::array();
      for (auto it = run->job_runs.rbegin(); it != run->job_runs.rend(); ++it) {
        if (it->first != job) continue;
        if (const fakes::JobRun* job_run = model.jobs().FindRun(job, it->second)) {
          runs.push_back(fakes::ToJson(*job_run, fakes::TimestampStyle::kEpochSeconds));
        }
      }
      if (!runs.empty()) node["JobDetails"] = {{"JobRuns", std::move(runs)}};
    }
    nodes.push_back(std::move(node));
  }
  for (const Trigger* trigger : triggers) {
    for (const TriggerCondition& c : trigger->conditions) {
      edges.push_back({{"SourceId", job_node(c.job_name)}, {"DestinationId", trigger->node_id}});
    }
    for (const TriggerAction& a : trigger->parsed_actions) {
      edges.push_back({{"SourceId", trigger->node_id}, {"DestinationId", job_node(a.job_name)}});
    }
  }
  return Json{{"Nodes", std::move(nodes)}, {"Edges", std::move(edges)}};
}

Json WorkflowRunJson(const Workflows& model, const WorkflowRun& run, bool graph) {
  Json out = {{"Name", run.workflow}, {"WorkflowRunId", run.id}};
  if (!run.previous_run_id.empty()) out["PreviousRunId"] = run.previous_run_id;
  out["WorkflowRunProperties"] = run.properties;
  out["StartedOn"] = EpochSeconds(run.started_on);
  if (run.completed_on) out["CompletedOn"] = EpochSeconds(*run.completed_on);
  out["Status"] = run.status;
  const RunStatistics s = model.Statistics(run);
  out["Statistics"] = {{"TotalActions", s.total},         {"TimeoutActions", s.timeout},
                       {"FailedActions", s.failed},       {"StoppedActions", s.stopped},
                       {"SucceededActions", s.succeeded}, {"RunningActions", s.running},
                       {"ErroredActions", s.errored},     {"WaitingActions", s.waiting}};
  if (graph) {
    if (const Workflow* workflow = model.FindWorkflow(run.workflow)) {
      out["Graph"] = GraphJson(model, *workflow, &run);
    }
  }
  return out;
}

Json WorkflowJson(const Workflows& model, const Workflow& workflow, bool graph) {
  Json out = {{"Name", workflow.name}};
  if (!workflow.description.is_null()) out["Description"] = workflow.description;
  out["DefaultRunProperties"] = workflow.default_run_properties;
  out["CreatedOn"] = EpochSeconds(workflow.created_on);
  out["LastModifiedOn"] = EpochSeconds(workflow.last_modified_on);
  const std::vector<const WorkflowRun*> runs = model.Runs(workflow.name);
  if (!runs.empty()) out["LastRun"] = WorkflowRunJson(model, *runs.front(), graph);
  if (graph) out["Graph"] = GraphJson(model, workflow, nullptr);
  if (workflow.max_concurrent_runs) out["MaxConcurrentRuns"] = *workflow.max_concurrent_runs;
  return out;
}

}  // namespace timeslip::services::glue
