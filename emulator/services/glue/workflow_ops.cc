// CreateWorkflow, GetWorkflow, UpdateWorkflow, DeleteWorkflow, ListWorkflows, BatchGetWorkflows:
// a workflow is a name, its default run properties and its MaxConcurrentRuns; its graph is
// made of the triggers that name it (CreateTrigger's WorkflowName) and the jobs they touch.
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-workflow.html
#include <fmt/format.h>

#include <string>
#include <vector>

#include "emulator/services/glue/service_internal.h"
#include "emulator/services/glue/workflow_shape.h"

namespace timeslip::services::glue {
namespace {

constexpr Field kName{.name = "Name", .required = true, .min = 1, .max = 255};
constexpr Field kIncludeGraph{.name = "IncludeGraph", .kind = FieldKind::kBoolean};
// The model gives MaxConcurrentRuns no bounds; below 1 no run could ever start, so we refuse it.
constexpr Field kMaxConcurrentRuns{
    .name = "MaxConcurrentRuns", .kind = FieldKind::kInteger, .min = 1};
constexpr Field kDefaultRunProperties{.name = "DefaultRunProperties",
                                      .kind = FieldKind::kStringMap};
// ListWorkflows answers at most 25 names (the WorkflowNames list's bound), BatchGetWorkflows
// takes at most 25.
constexpr std::size_t kMaxNames = 25;

json::Error WorkflowNotFound(const std::string& name) {
  return EntityNotFound(fmt::format("Workflow {} not found", name));
}

bool IncludeGraph(const Json& in) {
  return Has(in, "IncludeGraph") && in["IncludeGraph"].get<bool>();
}

host::Outcome CreateWorkflow(State& s, const Json& in) {
  json::Status checked = CheckFields(in, {kName,
                                          {.name = "Description"},
                                          kDefaultRunProperties,
                                          {.name = "Tags", .kind = FieldKind::kStringMap},
                                          kMaxConcurrentRuns});
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  if (s.workflows.FindWorkflow(name) != nullptr) {
    return json::Error{std::string(kAlreadyExists),
                       fmt::format("Workflow with name {} already exists", name)};
  }
  Workflow w{.name = name, .created_on = s.Now(), .last_modified_on = s.Now()};
  if (Has(in, "Description")) w.description = in["Description"];
  if (Has(in, "DefaultRunProperties")) w.default_run_properties = in["DefaultRunProperties"];
  if (Has(in, "MaxConcurrentRuns")) w.max_concurrent_runs = GetInt(in, "MaxConcurrentRuns", 1);
  if (Has(in, "Tags")) w.tags = in["Tags"];
  s.workflows.PutWorkflow(std::move(w));
  return Json{{"Name", name}};
}

host::Outcome GetWorkflow(State& s, const Json& in) {
  json::Status checked = CheckFields(in, {kName, kIncludeGraph});
  if (!checked.ok()) return checked.error();
  const Workflow* w = s.workflows.FindWorkflow(GetString(in, "Name"));
  if (w == nullptr) return WorkflowNotFound(GetString(in, "Name"));
  return Json{{"Workflow", WorkflowJson(s.workflows, *w, IncludeGraph(in))}};
}

// Members present replace the workflow's; absent ones keep it.
host::Outcome UpdateWorkflow(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {kName, {.name = "Description"}, kDefaultRunProperties, kMaxConcurrentRuns});
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  const Workflow* old = s.workflows.FindWorkflow(name);
  if (old == nullptr) return WorkflowNotFound(name);
  Workflow w = *old;
  w.last_modified_on = s.Now();
  if (Has(in, "Description")) w.description = in["Description"];
  if (Has(in, "DefaultRunProperties")) w.default_run_properties = in["DefaultRunProperties"];
  if (Has(in, "MaxConcurrentRuns")) w.max_concurrent_runs = GetInt(in, "MaxConcurrentRuns", 1);
  s.workflows.PutWorkflow(std::move(w));
  return Json{{"Name", name}};
}

// DeleteWorkflow's errors have no EntityNotFoundException: deleting a missing one is no error.
host::Outcome DeleteWorkflow(State& s, const Json& in) {
  if (json::Status checked = CheckFields(in, {kName}); !checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  s.workflows.DeleteWorkflow(name);
  return Json{{"Name", name}};
}

host::Outcome ListWorkflows(State& s, const Json& in) {
  json::Status checked =
      CheckFields(in, {{.name = "NextToken"},
                       {.name = "MaxResults", .kind = FieldKind::kInteger, .min = 1, .max = 1000}});
  if (!checked.ok()) return checked.error();
  std::vector<std::string> names;
  for (const auto& [name, w] : s.workflows.workflows()) names.push_back(name);
  Json next;
  Json bounded = in;
  if (PageSize(in, kMaxNames) > kMaxNames) bounded["MaxResults"] = kMaxNames;
  auto page = NamePage(bounded, "ListWorkflows", names, kMaxNames, next);
  if (!page.ok()) return page.error();
  Json out = {{"Workflows", page.value()}};
  if (!next.is_null()) out["NextToken"] = std::move(next);
  return out;
}

host::Outcome BatchGetWorkflows(State& s, const Json& in) {
  json::Status checked = CheckFields(in, {{.name = "Names",
                                           .kind = FieldKind::kStringList,
                                           .required = true,
                                           .min = 1,
                                           .max = kMaxNames},
                                          kIncludeGraph});
  if (!checked.ok()) return checked.error();
  Json found = Json::array(), missing = Json::array();
  for (const Json& name : in["Names"]) {
    const Workflow* w = s.workflows.FindWorkflow(name.get<std::string>());
    if (w != nullptr) {
      found.push_back(WorkflowJson(s.workflows, *w, IncludeGraph(in)));
    } else {
      missing.push_back(name);
    }
  }
  Json out = {{"Workflows", std::move(found)}};
  if (!missing.empty()) out["MissingWorkflows"] = std::move(missing);
  return out;
}

}  // namespace

void RegisterWorkflowOps(host::Registry& registry, const std::shared_ptr<State>& state) {
  using host::Access;
  AddOp(registry, state, "CreateWorkflow", Access::kWrites, &CreateWorkflow);
  AddOp(registry, state, "GetWorkflow", Access::kReads, &GetWorkflow);
  AddOp(registry, state, "UpdateWorkflow", Access::kWrites, &UpdateWorkflow);
  AddOp(registry, state, "DeleteWorkflow", Access::kWrites, &DeleteWorkflow);
  AddOp(registry, state, "ListWorkflows", Access::kReads, &ListWorkflows);
  AddOp(registry, state, "BatchGetWorkflows", Access::kReads, &BatchGetWorkflows);
}

}  // namespace timeslip::services::glue
