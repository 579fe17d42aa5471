#pragma once
// The workflow most Glue workflow tests run: jobs "extract" and "load"; ON_DEMAND trigger
// "start" runs extract, CONDITIONAL trigger "then" (StartOnCreation) runs load once extract
// SUCCEEDED. Two trigger nodes, two job nodes, three edges.

#include <string>
#include <string_view>

#include "tests/services/glue/glue_world.h"

namespace timeslip::services::glue::testing {

inline Json Condition(std::string_view job, std::string_view state) {
  return {{"LogicalOperator", "EQUALS"}, {"JobName", job}, {"State", state}};
}

inline Json Actions(std::string_view job) { return Json::array({{{"JobName", job}}}); }

inline void CreateNightly(GlueWorld& w, std::string_view workflow = "nightly",
                          Json workflow_extra = Json::object()) {
  w.Ok("CreateJob", JobRequest("extract", {{"ExecutionProperty", {{"MaxConcurrentRuns", 5}}}}));
  w.Ok("CreateJob", JobRequest("load", {{"ExecutionProperty", {{"MaxConcurrentRuns", 5}}}}));
  Json create = {{"Name", workflow}, {"DefaultRunProperties", {{"day", "today"}, {"env", "dev"}}}};
  create.update(workflow_extra);
  w.Ok("CreateWorkflow", create);
  w.Ok("CreateTrigger",
       {{"Name", "start"},
        {"WorkflowName", workflow},
        {"Type", "ON_DEMAND"},
        {"Actions", {{{"JobName", "extract"}, {"Arguments", {{"--mode", "full"}}}}}}});
  w.Ok("CreateTrigger", {{"Name", "then"},
                         {"WorkflowName", workflow},
                         {"Type", "CONDITIONAL"},
                         {"StartOnCreation", true},
                         {"Predicate", {{"Conditions", {Condition("extract", "SUCCEEDED")}}}},
                         {"Actions", Actions("load")}});
}

// The run's node of job `job` in GetWorkflowRun's graph; null when absent.
inline Json JobNode(const Json& run, std::string_view job) {
  for (const Json& node : run["Graph"]["Nodes"]) {
    if (node["Type"] == "JOB" && node["Name"] == job) return node;
  }
  return Json();
}

}  // namespace timeslip::services::glue::testing
