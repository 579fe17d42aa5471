#include "emulator/services/glue/service.h"

#include <utility>

#include "emulator/services/glue/service_internal.h"

namespace timeslip::services::glue {

void AddOp(host::Registry& registry, const std::shared_ptr<State>& state, std::string_view name,
           host::Access access, OpFn fn) {
  registry.AddSync(kServiceName, name, access,
                   [state, fn](const host::Command& command) { return fn(*state, command.input); });
}

void Register(host::EngineHost& host, fakes::FakeBackends& fakes) {
  auto state = std::make_shared<State>(host, fakes.glue(), fakes.data_quality());
  RegisterJobOps(host.registry(), state);
  RegisterJobRunOps(host.registry(), state);
  RegisterTriggerOps(host.registry(), state);
  RegisterWorkflowOps(host.registry(), state);
  RegisterWorkflowRunOps(host.registry(), state);
  RegisterDataQualityOps(host.registry(), state);
}

}  // namespace timeslip::services::glue
