#pragma once
// Workflow variables as paths and templates see them: what a name may be, the scopes a state
// reads them from, and the error for one that was never assigned.
// https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
//
// A state reads the variables of its own scope first, then those of the scopes around it: a
// Parallel branch or a Map iteration has a scope of its own, and reads the scope its Parallel or
// Map state runs in. What a branch or iteration assigns stays in its own scope.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/json/result.h"

namespace timeslip::query {

// Variable names are at most 80 characters (AWS's limit, as for state names).
inline constexpr std::size_t kMaxVariableNameLength = 80;

// "$states" is AWS's reserved variable (JSONata's view of input, result and context): no Assign
// may set it.
inline constexpr std::string_view kReservedVariable = "states";

// What is wrong with `name` as a variable name, or nullopt when it is a good one. AWS follows
// Unicode's identifier rules (UAX #31, like JavaScript): a letter or '_' first, then letters,
// digits and '_'. Beyond ASCII every code point is taken as a letter: the check is permissive
// there rather than carry Unicode's tables.
std::optional<std::string> VariableNameProblem(std::string_view name);

// One scope's variables and the scope around it. Not owned: `values` (an object, name -> value)
// and `outer` must outlive the scope; `values` null means nothing assigned yet.
struct VariableScope {
  const nlohmann::ordered_json* values = nullptr;
  const VariableScope* outer = nullptr;

  // The value of `name` here or in a scope around this one (innermost first); nullptr when no
  // scope has it.
  const nlohmann::ordered_json* Find(std::string_view name) const;
};

// A path read variable `name`, which no state has assigned (or none this state can see).
// Error{"States.QueryEvaluationError", ...}: the error AWS raises when a query finds no value
// for a variable; `path` is the path as written.
json::Error UndefinedVariable(std::string_view name, std::string_view path);
inline constexpr std::string_view kQueryEvaluationError = "States.QueryEvaluationError";

}  // namespace timeslip::query
