#pragma once
// ChoiceRule: one Choice state rule (a comparison, or And/Or/Not of rules), compiled once.
// https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator/json/result.h"
#include "emulator/query/eval_context.h"

namespace timeslip::query {

namespace internal {
struct RuleNode;  // choice_rule_internal.h
}

class ChoiceRule {
 public:
  // Compiles `rule`. A top-level rule (an entry of "Choices") must carry "Next", which this
  // ignores (the ASL parser reads it); a nested one (inside And/Or/Not) must not.
  // Errors carry AWS's validation code as name: "SCHEMA_VALIDATION_FAILED" (no operator, two
  // operators, wrong operand type, Next inside a nested rule, unknown field) or
  // "INVALID_JSON_PATH" (Variable or a *Path operand is not a valid reference path); the message
  // names the field.
  static json::Result<ChoiceRule> Compile(const nlohmann::ordered_json& rule, bool top_level);

  // Evaluates against ctx. A comparison whose operand has the wrong type is false, not an
  // error. A Variable (or *Path operand) that cannot be found raises Error{"States.Runtime",
  // "Invalid path '<path>': The choice state's condition path references an invalid value."},
  // except under IsPresent, which is then false.
  json::Result<bool> Evaluate(const EvalContext& ctx) const;

 private:
  explicit ChoiceRule(std::shared_ptr<const internal::RuleNode> root);
  std::shared_ptr<const internal::RuleNode> root_;
};

}  // namespace timeslip::query
