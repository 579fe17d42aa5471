// StartWorkflowRun, GetWorkflowRun, GetWorkflowRuns, GetWorkflowRunProperties,
// PutWorkflowRunProperties, StopWorkflowRun, ResumeWorkflowRun: a workflow's runs, as the
// Workflows model plays them on the engine's clock.
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-workflow.html
#include <fmt/format.h>

#include <string>
#include <vector>

#include "emulator/services/glue/service_internal.h"
#include "emulator/services/glue/workflow_shape.h"

namespace timeslip::services::glue {
namespace {

constexpr Field kName{.name = "Name", .required = true, .min = 1, .max = 255};
constexpr Field kRunId{.name = "RunId", .required = true, .min = 1, .max = 255};
constexpr Field kIncludeGraph{.name = "IncludeGraph", .kind = FieldKind::kBoolean};
constexpr std::size_t kDefaultPageSize = 100;

bool IncludeGraph(const Json& in) {
  return Has(in, "IncludeGraph") && in["IncludeGraph"].get<bool>();
}

// The run `in` names (Name, RunId), or EntityNotFoundException naming what is missing.
json::Result<const WorkflowRun*> FindRun(State& s, const Json& in) {
  const std::string name = GetString(in, "Name"), id = GetString(in, "RunId");
  if (s.workflows.FindWorkflow(name) == nullptr) {
    return EntityNotFound(fmt::format("Workflow {} not found", name));
  }
  const WorkflowRun* run = s.workflows.FindRun(name, id);
  if (run == nullptr) {
    return EntityNotFound(fmt::format("Workflow run {} of workflow {} not found", id, name));
  }
  return run;
}

host::Outcome StartWorkflowRun(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {kName, {.name = "RunProperties", .kind = FieldKind::kStringMap}});
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  if (s.workflows.FindWorkflow(name) == nullptr) {
    return EntityNotFound(fmt::format("Workflow {} not found", name));
  }
  json::Result<std::string> id =
      s.workflows.StartRun(name, Has(in, "RunProperties") ? in["RunProperties"] : Json::object());
  if (!id.ok()) return id.error();
  return Json{{"RunId", id.value()}};
}

host::Outcome GetWorkflowRun(State& s, const Json& in) {
  json::Status checked = CheckFields(in, {kName, kRunId, kIncludeGraph});
  if (!checked.ok()) return checked.error();
  json::Result<const WorkflowRun*> run = FindRun(s, in);
  if (!run.ok()) return run.error();
  return Json{{"Run", WorkflowRunJson(s.workflows, *run.value(), IncludeGraph(in))}};
}

host::Outcome GetWorkflowRuns(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {kName,
                       kIncludeGraph,
                       {.name = "NextToken"},
                       {.name = "MaxResults", .kind = FieldKind::kInteger, .min = 1, .max = 1000}});
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  if (s.workflows.FindWorkflow(name) == nullptr) {
    return EntityNotFound(fmt::format("Workflow {} not found", name));
  }
  const std::vector<const WorkflowRun*> runs = s.workflows.Runs(name);  // newest first
  std::vector<std::string_view> ids;
  for (const WorkflowRun* run : runs) ids.push_back(run->id);
  Json next;
  json::Result<PageRange> range =
      RunPage(in, "GetWorkflowRuns\n" + name, ids, kDefaultPageSize, next);
  if (!range.ok()) return range.error();
  Json page = Json::array();
  for (std::size_t i = range.value().begin; i < range.value().end; ++i) {
    page.push_back(WorkflowRunJson(s.workflows, *runs[i], IncludeGraph(in)));
  }
  Json out = {{"Runs", std::move(page)}};
  if (!next.is_null()) out["NextToken"] = std::move(next);
  return out;
}

host::Outcome GetWorkflowRunProperties(State& s, const Json& in) {
  json::Status checked = CheckFields(in, {kName, kRunId});
  if (!checked.ok()) return checked.error();
  json::Result<const WorkflowRun*> run = FindRun(s, in);
  if (!run.ok()) return run.error();
  return Json{{"RunProperties", run.value()->properties}};
}

// "If a property already exists for the specified run, then it overrides the value otherwise
// adds the property to existing properties." IllegalWorkflowStateException is not among this
// operation's errors, so a finished run's properties are updated too.
host::Outcome PutWorkflowRunProperties(State& s, const Json& in) {
  json::Status checked = CheckFields(
      in,
      {kName, kRunId, {.name = "RunProperties", .kind = FieldKind::kStringMap, .required = true}});
  if (!checked.ok()) return checked.error();
  json::Result<const WorkflowRun*> run = FindRun(s, in);
  if (!run.ok()) return run.error();
  s.workflows.PutProperties(run.value()->id, in["RunProperties"]);
  return Json::object();
}

host::Outcome StopWorkflowRun(State& s, const Json& in) {
  json::Status checked = CheckFields(in, {kName, kRunId});
  if (!checked.ok()) return checked.error();
  json::Result<const WorkflowRun*> run = FindRun(s, in);
  if (!run.ok()) return run.error();
  json::Status stopped = s.workflows.StopRun(run.value()->workflow, run.value()->id);
  if (!stopped.ok()) return stopped.error();
  return Json::object();
}

host::Outcome ResumeWorkflowRun(State& s, const Json& in) {
  json::Status checked = CheckFields(
      in, {kName,
           kRunId,
           {.name = "NodeIds", .kind = FieldKind::kStringList, .required = true, .min = 1}});
  if (!checked.ok()) return checked.error();
  json::Result<const WorkflowRun*> run = FindRun(s, in);
  if (!run.ok()) return run.error();
  std::vector<std::string> nodes;
  for (const Json& node : in["NodeIds"]) nodes.push_back(node.get<std::string>());
  auto resumed = s.workflows.ResumeRun(run.value()->workflow, run.value()->id, nodes);
  if (!resumed.ok()) return resumed.error();
  return Json{{"RunId", resumed.value().first}, {"NodeIds", resumed.value().second}};
}

}  // namespace

void RegisterWorkflowRunOps(host::Registry& registry, const std::shared_ptr<State>& state) {
  using host::Access;
  AddOp(registry, state, "StartWorkflowRun", Access::kWrites, &StartWorkflowRun);
  AddOp(registry, state, "GetWorkflowRun", Access::kReads, &GetWorkflowRun);
  AddOp(registry, state, "GetWorkflowRuns", Access::kReads, &GetWorkflowRuns);
  AddOp(registry, state, "GetWorkflowRunProperties", Access::kReads, &GetWorkflowRunProperties);
  AddOp(registry, state, "PutWorkflowRunProperties", Access::kWrites, &PutWorkflowRunProperties);
  AddOp(registry, state, "StopWorkflowRun", Access::kWrites, &StopWorkflowRun);
  AddOp(registry, state, "ResumeWorkflowRun", Access::kWrites, &ResumeWorkflowRun);
}

}  // namespace timeslip::services::glue
