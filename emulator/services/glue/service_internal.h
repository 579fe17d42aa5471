#pragma once
// What the Glue operations share: the service's state (the one GlueJobs of the world and the
// triggers and workflows over it), how an
// operation is added to the registry, and how each resource's file registers its operations.

#include <memory>
#include <string_view>

#include "emulator/host/command.h"
#include "emulator/host/engine_host.h"
#include "emulator/host/registry.h"
#include "emulator/services/glue/fields.h"
#include "emulator/services/glue/workflows.h"
#include "fakes/glue_jobs.h"

namespace timeslip::services::glue {

struct State {
  State(host::EngineHost& h, fakes::GlueJobs& j)
      : host(h), jobs(j), workflows(h.emulator().engine(), j) {}
  host::EngineHost& host;  // Not owned; must outlive this.
  fakes::GlueJobs& jobs;   // Not owned: the fakes' runner, shared with Step Functions tasks.
  Workflows workflows;     // triggers, workflows and their runs, over `jobs`
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

}  // namespace timeslip::services::glue
