// Workflow variables: what a state's Assign sets, checked against AWS's quotas, set when the
// state exits and shown in its Exited event; each frame's scope, and the execution's total.
// https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
#include <fmt/format.h>

#include "emulator/asl/error_names.h"
#include "emulator/engine/limits.h"
#include "emulator/engine/runner_internal.h"
#include "emulator/json/text.h"

namespace timeslip::engine::internal {
namespace {

using Json = nlohmann::ordered_json;

json::Error DataLimit(std::string message) {
  return {std::string(asl::kStatesDataLimitExceeded), std::move(message)};
}

}  // namespace

json::Error AsRuntimeError(json::Error error) {
  if (error.name != query::kQueryEvaluationError) error.name = asl::kStatesRuntime;
  return error;
}

json::Status Runner::EvaluateAssign(Frame& frame, const std::optional<query::Assign>& assign,
                                    const Json& dollar) {
  return EvaluateAssign(frame, assign, Ctx(frame, dollar));
}

json::Status Runner::EvaluateAssign(Frame& frame, const std::optional<query::Assign>& assign,
                                    const query::EvalContext& ctx) {
  frame.assigned = nullptr;
  frame.assigned_texts = nullptr;
  if (!assign) return json::Ok();
  json::Result<Json> values = assign->Evaluate(ctx);
  if (!values.ok()) return values.error();
  const std::string& state = StateOf(frame).name;
  Json texts = Json::object();
  std::size_t assign_bytes = 0;
  std::size_t execution_bytes = variables_bytes_;
  for (auto it = values.value().begin(); it != values.value().end(); ++it) {
    std::string text = json::Text(it.value());
    if (text.size() > kMaxVariableBytes) {
      return DataLimit(
          fmt::format("The state/task '{}' assigned the variable '{}' a value with a "
                      "size exceeding the maximum number of bytes service limit.",
                      state, it.key()));
    }
    assign_bytes += text.size();
    execution_bytes += text.size();
    // A variable set again replaces its old value in the total.
    if (auto old = frame.variable_sizes.find(it.key()); old != frame.variable_sizes.end()) {
      execution_bytes -= old->second;
    }
    texts[it.key()] = std::move(text);
  }
  if (assign_bytes > kMaxAssignBytes) {
    return DataLimit(
        fmt::format("The state/task '{}' assigned variables with a combined size "
                    "exceeding the maximum number of bytes service limit.",
                    state));
  }
  if (execution_bytes > kMaxExecutionVariablesBytes) {
    return DataLimit(
        fmt::format("The state/task '{}' assigned variables that would bring the "
                    "execution's variables over the maximum number of bytes service "
                    "limit.",
                    state));
  }
  frame.assigned = std::move(values).value();
  frame.assigned_texts = std::move(texts);
  return json::Ok();
}

void Runner::CommitAssigned(Frame& frame, Json& details) {
  if (frame.assigned.is_null()) return;
  if (frame.variables.is_null()) frame.variables = Json::object();
  for (auto it = frame.assigned.begin(); it != frame.assigned.end(); ++it) {
    const std::size_t size = frame.assigned_texts[it.key()].get_ref<const std::string&>().size();
    std::size_t& recorded = frame.variable_sizes[it.key()];
    variables_bytes_ = variables_bytes_ - recorded + size;
    recorded = size;
    frame.variables[it.key()] = std::move(it.value());
  }
  // AWS shows each variable as JSON text: "assignedVariables": {"x": "42", "s": "\"a\""}.
  details["assignedVariables"] = std::move(frame.assigned_texts);
  details["assignedVariablesDetails"] = {{"truncated", false}};
  frame.assigned = nullptr;
  frame.assigned_texts = nullptr;
}

void Runner::ReleaseVariables(Frame& frame) {
  for (const auto& [name, size] : frame.variable_sizes) variables_bytes_ -= size;
  frame.variable_sizes.clear();
}

}  // namespace timeslip::engine::internal
