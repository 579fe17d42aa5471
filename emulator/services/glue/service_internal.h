#pragma once
// What the Glue operations share: the service's state (the one GlueJobs of the world and the
// triggers and workflows over it, the data-quality rulesets and the fake that runs their
// evaluations), how an
// operation is added to the registry, and how each resource's file registers its operations.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "emulator/host/command.h"
#include "emulator/host/engine_host.h"
#include "emulator/host/registry.h"
#include "emulator/services/glue/fields.h"
#include "emulator/services/glue/workflows.h"
#include "fakes/data_quality.h"
#include "fakes/glue_jobs.h"

namespace timeslip::services::glue {

// A data-quality ruleset as CreateDataQualityRuleset made it.
struct DqRuleset {
  Json document;  // GetDataQualityRuleset's answer: Name, Description, Ruleset, TargetTable, ...
  Json tags = Json::object();
  int rule_count = 0;
};

struct State {
  State(host::EngineHost& h, fakes::GlueJobs& j, fakes::DataQualityFake& dq)
      : host(h), jobs(j), workflows(h.emulator().engine(), j), data_quality(dq) {}
  host::EngineHost& host;  // Not owned; must outlive this.
  fakes::GlueJobs& jobs;   // Not owned: the fakes' runner, shared with Step Functions tasks.
  Workflows workflows;     // triggers, workflows and their runs, over `jobs`
  // Not owned: evaluation runs, shared with the aws-sdk:glue data-quality tasks.
  fakes::DataQualityFake& data_quality;
  std::map<std::string, DqRuleset> rulesets;  // by name
  time::Instant Now() { return host.emulator().engine().Now(); }
};

using OpFn = host::Outcome (*)(State&, const Json& input);

// Adds operation `name` of "glue" to `registry`, run with `state` on the engine thread.
void AddOp(host::Registry& registry, const std::shared_ptr<State>& state, std::string_view name,
           host::Access access, OpFn fn);

void RegisterJobOps(host::Registry& registry, const std::shared_ptr<State>& state);
void RegisterJobRunOps(host::Registry& registry, const std::shared_ptr<State>& state);
void RegisterTriggerOps(host::Registry& registry, const std::shared_ptr<State>& state);
void RegisterWorkflowOps(host::Registry& registry, const std::shared_ptr<State>& state);
void RegisterWorkflowRunOps(host::Registry& registry, const std::shared_ptr<State>& state);
void RegisterDataQualityOps(host::Registry& registry, const std::shared_ptr<State>& state);

}  // namespace timeslip::services::glue
