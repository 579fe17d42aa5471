#pragma once
// JsonataTemplate: one field of a JSONata state (Arguments, Output, Assign, Items, Condition,
// Seconds, ...) compiled once. A string written "{% expr %}" is a JSONata expression; objects and
// arrays are walked and each string in them that is an expression is evaluated; every other value
// is literal, "$.a" and "x.$" keys included.
// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
//
// An expression sees what AWS gives it: no input document ("$" and bare field names are
// undefined at the top), `$states` ({input, context, result, errorOutput}, as the field allows),
// the workflow variables in scope as `$name`, and Step Functions' own functions ($partition,
// $range, $hash, $random, $uuid, $parse). `$eval` is not available, as on AWS.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/json/result.h"
#include "emulator/query/eval_context.h"

namespace timeslip::query {

namespace internal {
struct JsonataTemplateParts;  // jsonata_template.cc
}

// True when `value` is a string written as one JSONata expression: "{%" first and "%}" last, with
// nothing outside them (AWS allows no surrounding spaces).
bool IsJsonataExpression(const nlohmann::ordered_json& value);

class JsonataTemplate {
 public:
  // `field` is where `value` sits in its state, as AWS names it in errors: "Output",
  // "Arguments", "Choices[0]/Condition". Error{"SCHEMA_VALIDATION_FAILED", message naming the
  // field and the JSONata error} when an expression does not parse.
  static json::Result<JsonataTemplate> Compile(const nlohmann::ordered_json& value,
                                               std::string field);

  // The value with every expression replaced by what it evaluates to. `ctx.input` is
  // $states.input; ctx.result and ctx.error_output, when set, $states.result and
  // $states.errorOutput. Errors, as AWS raises them: Error{"States.QueryEvaluationError",
  // "The JSONata expression 'E' specified for the field 'F' returned nothing (undefined)."} and
  // "... threw an error during evaluation. CODE: message"; the caller adds the state's prefix.
  json::Result<nlohmann::ordered_json> Evaluate(const EvalContext& ctx) const;

  // AWS's error when a field's expression gives a value of the wrong type, e.g. "The JSONata
  // expression '$v' specified for the field 'Items' returned an unexpected result type. Expected
  // 'array', but was 'boolean' for value: true" (States.QueryEvaluationError).
  json::Error UnexpectedType(std::string_view expected, const nlohmann::ordered_json& value) const;

  // The value as written.
  const nlohmann::ordered_json& raw() const;
  const std::string& field() const;
  // The whole value is one expression (not a literal or a template with expressions inside).
  bool is_expression() const;
  // Some part of the value is an expression: without one, Evaluate only copies raw().
  bool has_expression() const;
  // The text of the whole-value expression, between "{%" and "%}", trimmed; empty when
  // !is_expression().
  std::string expression_text() const;

 private:
  explicit JsonataTemplate(std::shared_ptr<const internal::JsonataTemplateParts> parts);
  std::shared_ptr<const internal::JsonataTemplateParts> parts_;
};

}  // namespace timeslip::query
