#pragma once
// Scenario assertions: checking an Expectation against an execution, and saying what was
// expected and what happened when it does not hold.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulator/cli/scenario_file.h"
#include "emulator/engine/execution.h"
#include "fakes/call_log.h"

namespace timeslip::cli {

class ScenarioRun;

// One line per assertion that failed, each starting with the field ("status: expected
// SUCCEEDED, got FAILED (States.TaskFailed: boom)"). Empty when all hold.
std::vector<std::string> CheckExpectation(const Expectation& expect,
                                          const engine::Execution& execution,
                                          const fakes::CallLog& calls);

// The same for a Glue workflow run, as GetWorkflowRun (IncludeGraph) shows it
// ("status: expected COMPLETED, got RUNNING"). Empty when all hold.
std::vector<std::string> CheckWorkflowRun(const WorkflowRunExpectation& expect,
                                          const nlohmann::ordered_json& run);

// "wr_1a2b...: COMPLETED; extract-orders SUCCEEDED, transform-orders FAILED, apply-fx (never
// ran), ..." : what a workflow run did, printed under its failed assertions.
std::string WorkflowRunSummary(const nlohmann::ordered_json& run);

// The JobRuns of `job` in a workflow run, in start order (GetWorkflowRun lists newest first).
nlohmann::ordered_json JobRuns(const nlohmann::ordered_json& run, const std::string& job);

// The final states of each job's runs in a workflow run, in start order, for every job node of
// its graph (an empty list for a job that never ran).
std::map<std::string, std::vector<std::string>> JobRunStates(const nlohmann::ordered_json& run);

// Every line a failed scenario prints: start errors, expect/expectAll/expectCount failures,
// each with the path the execution took, and the actors' refused actions. Empty: it passed.
std::vector<std::string> CheckScenario(const Scenario& scenario, const ScenarioRun& run);

// The names of the states entered, in order: every depth, or only the top-level machine's.
std::vector<std::string> StatesEntered(const engine::Execution& execution);
std::vector<std::string> TopLevelPath(const engine::Execution& execution);

// True when every key/value of `want` is in `have`, recursively; arrays match element-wise
// with equal lengths; numbers compare by value.
bool JsonContains(const nlohmann::ordered_json& have, const nlohmann::ordered_json& want);

}  // namespace timeslip::cli
