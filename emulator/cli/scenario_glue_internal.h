#pragma once
// Reading a scenario's Glue parts: "glue" (the CreateJob, CreateWorkflow and CreateTrigger
// requests) and "expectWorkflowRun(s)" (scenario_file.h describes their keys). Private to the
// scenario loader.

#include "emulator/cli/scenario_file.h"
#include "emulator/cli/scenario_reader_internal.h"

namespace timeslip::cli::internal {

// A "glue" object (or a "glueFile"'s document), appended to `out`: a name already declared
// there is an error. Only each request's "Name" is read here; the Glue API checks the rest when
// the scenario runs.
bool ReadGlue(ScenarioReader& in, const FieldReader& v, GlueSpec& out);

// An object of strings: run properties (StartWorkflowRun's RunProperties, and the like).
bool ReadStringMap(ScenarioReader& in, const FieldReader& v, nlohmann::ordered_json& out);

// The name `v` holds, which must be one of `known` (glue.jobs' or glue.workflows' names);
// `what` is "job" or "workflow", `list` "glue.jobs" or "glue.workflows", for the message.
bool KnownGlueName(ScenarioReader& in, const FieldReader& v, const std::vector<std::string>& known,
                   const char* what, const char* list, std::string& out);

// One "expectWorkflowRun" object; job names must be among `glue`'s jobs.
bool ReadWorkflowRunExpectation(ScenarioReader& in, const FieldReader& v, const GlueSpec& glue,
                                WorkflowRunExpectation& out);

}  // namespace timeslip::cli::internal
