#include "emulator/engine/nested_executions.h"

#include <fmt/format.h>

#include "emulator/asl/error_names.h"
#include "emulator/engine/emulator.h"
#include "emulator/engine/event_types.h"
#include "emulator/json/text.h"

namespace timeslip::engine {
namespace {

std::int64_t EpochMillis(time::Instant t) { return t.time_since_epoch().count(); }

using json::Text;

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

json::Error RuntimeError(std::string message) {
  return json::Error{std::string(asl::kStatesRuntime), std::move(message)};
}

// The StartExecution request the Task's effective parameters describe.
json::Result<StartExecutionParams> ReadParameters(const nlohmann::ordered_json& parameters) {
  if (!parameters.is_object()) {
    return RuntimeError("The parameters of states:startExecution must be an object.");
  }
  StartExecutionParams params;
  auto arn = parameters.find("StateMachineArn");
  if (arn == parameters.end() || !arn->is_string()) {
    return RuntimeError("states:startExecution requires a string field 'StateMachineArn'.");
  }
  params.state_machine_arn = arn->get<std::string>();
  if (auto name = parameters.find("Name"); name != parameters.end()) {
    if (!name->is_string()) {
      return RuntimeError("The field 'Name' of states:startExecution must be a string.");
    }
    params.name = name->get<std::string>();
  }
  // Input is the execution's input: an object written inline, or JSON text as StartExecution
  // takes it.
  if (auto input = parameters.find("Input"); input != parameters.end() && !input->is_null()) {
    params.input = input->is_string() ? input->get<std::string>() : Text(*input);
  }
  return params;
}

}  // namespace

NestedExecutions::NestedExecutions(Emulator& emulator) : emulator_(emulator) {
  // An end, not a terminal event: an Express child keeps no history.
  emulator_.engine().AddEndListener([this](const Execution& execution) {
    if (by_child_.count(execution.arn()) == 0) return;
    // Read once the runner is done with this turn, as the parent's Task would hear it.
    emulator_.engine().Post([this, arn = execution.arn()] { ChildEnded(arn); });
  });
}

void NestedExecutions::Register(Integrations& integrations) {
  integrations.Register(kStartExecutionResource, this);
}

nlohmann::ordered_json NestedExecutions::Describe(const Execution& execution, bool parsed) {
  nlohmann::ordered_json out = {
      {"ExecutionArn", execution.arn()},
      {"Input", parsed ? execution.input() : nlohmann::ordered_json(Text(execution.input()))},
      {"InputDetails", {{"Included", true}}},
      {"Name", execution.name()},
      {"StartDate", EpochMillis(execution.start_date())},
      {"StateMachineArn", execution.state_machine_arn()},
      {"Status", std::string(StatusName(execution.status()))}};
  if (execution.output()) {
    out["Output"] = parsed ? *execution.output() : nlohmann::ordered_json(Text(*execution.output()));
    out["OutputDetails"] = {{"Included", true}};
  }
  if (execution.stop_date()) out["StopDate"] = EpochMillis(*execution.stop_date());
  if (!execution.error().empty()) out["Error"] = execution.error();
  if (!execution.cause().empty()) out["Cause"] = execution.cause();
  return out;
}

void NestedExecutions::Start(const TaskRequest& request, TaskCallbacks callbacks) {
  json::Result<StartExecutionParams> params = ReadParameters(request.parameters);
  const std::uint64_t task_id = request.task_id;
  const IntegrationPattern pattern = request.pattern;
  const bool parsed = EndsWith(request.resource, ".sync:2");
  pending_.insert(task_id);
  // Answer on a later turn, never from inside the runner's own call.
  emulator_.engine().Post([this, task_id, pattern, parsed, params = std::move(params),
                           callbacks = std::move(callbacks)]() mutable {
    if (pending_.erase(task_id) == 0) return;  // cancelled before it started
    if (!params.ok()) return callbacks.done(params.error());
    json::Result<Execution*> started = emulator_.StartExecution(params.value());
    if (!started.ok()) {
      // AWS's API error, under the integration's prefix: "StepFunctions.ExecutionLimitExceeded".
      return callbacks.done(
          json::Error{"StepFunctions." + started.error().name, started.error().message});
    }
    Execution& child = *started.value();
    nlohmann::ordered_json response = {{"ExecutionArn", child.arn()},
                               {"StartDate", EpochMillis(child.start_date())}};
    if (pattern != IntegrationPattern::kSync) return callbacks.done(std::move(response));
    if (callbacks.submitted) callbacks.submitted(response);
    waiting_[task_id] = Waiting{child.arn(), parsed, std::move(callbacks.done)};
    by_child_[child.arn()] = task_id;
    if (child.ended()) ChildEnded(child.arn());
  });
}

void NestedExecutions::ChildEnded(const std::string& child_arn) {
  auto by = by_child_.find(child_arn);
  if (by == by_child_.end()) return;
  auto it = waiting_.find(by->second);
  by_child_.erase(by);
  if (it == waiting_.end()) return;
  Waiting waiting = std::move(it->second);
  waiting_.erase(it);
  Execution* child = emulator_.engine().Find(child_arn);
  if (child == nullptr) {
    return waiting.done(json::Error{std::string(asl::kStatesTaskFailed),
                                    fmt::format("Execution Does Not Exist: '{}'", child_arn)});
  }
  nlohmann::ordered_json description = Describe(*child, waiting.parsed);
  if (child->status() == ExecutionStatus::kSucceeded) return waiting.done(std::move(description));
  // A child that fails, times out or is aborted fails the task, its description as the cause.
  waiting.done(json::Error{std::string(asl::kStatesTaskFailed), Text(description)});
}

void NestedExecutions::Cancel(std::uint64_t task_id) {
  pending_.erase(task_id);
  auto it = waiting_.find(task_id);
  if (it == waiting_.end()) return;
  std::string child_arn = it->second.child_arn;
  by_child_.erase(child_arn);
  waiting_.erase(it);
  // Stopping a parent stops its .sync children; on the next turn, outside the parent's runner.
  emulator_.engine().Post([this, child_arn] {
    Execution* child = emulator_.engine().Find(child_arn);
    if (child != nullptr && !child->ended()) {
      (void)emulator_.engine().Stop(child_arn, "", "");
    }
  });
}

}  // namespace timeslip::engine
