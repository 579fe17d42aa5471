#pragma once
// Assign: the workflow variables a state sets, compiled once.
// https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
//
// In a JSONPath state Assign reads like Parameters: a key ending in ".$" names a variable whose
// value comes from a path or an intrinsic function ("total.$": "$.sum", "x.$": "$other"); any
// other value is literal, "$.a" and "{% ... %}" included. What "$" reads depends on the state
// (its result, its input, a Catch's error output): the caller passes it in the EvalContext.
// In a JSONata state, values are literal unless they hold a "{% %}" expression (a
// JsonataTemplate), which reads $states.input, $states.result or $states.errorOutput as the
// caller's EvalContext gives them.

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "emulator/json/result.h"
#include "emulator/query/eval_context.h"
#include "emulator/query/jsonata_template.h"
#include "emulator/query/payload_template.h"

namespace timeslip::query {

class Assign {
 public:
  // A JSONPath Assign (an object). Every problem is returned, as PayloadTemplate::Compile
  // reports them, in document order; empty on success, when `out` holds the Assign. Variable
  // names are the parser's to check (VariableNameProblem).
  static std::vector<TemplateProblem> Compile(const nlohmann::ordered_json& assign, Assign* out);
  // A JSONata Assign (an object), compiled.
  static Assign Jsonata(JsonataTemplate assign);

  // The variables to set, name -> value, in the order written. Errors: as PayloadTemplate's
  // Render, or JsonataTemplate's Evaluate.
  json::Result<nlohmann::ordered_json> Evaluate(const EvalContext& ctx) const;

 private:
  std::optional<PayloadTemplate> template_;  // JSONPath
  std::optional<JsonataTemplate> jsonata_;
};

}  // namespace timeslip::query
