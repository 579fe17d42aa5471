#pragma once
// PayloadTemplate: a Parameters, ItemSelector or ResultSelector object, compiled once.
// Keys ending in ".$" take their value from a path or an intrinsic function; nested objects and
// arrays are templates too.
// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/json/result.h"
#include "emulator/query/eval_context.h"

namespace timeslip::query {

namespace internal {
struct TemplateNode;
}

// A problem found compiling a template, placed as AWS places it: at the object holding the key.
struct TemplateProblem {
  std::string name;      // AWS's validation code: "SCHEMA_VALIDATION_FAILED", "INVALID_JSON_PATH"
  std::string location;  // JSON pointer from the template's root to that object; "" for the root
  std::string message;   // AWS's words, naming the key
};

class PayloadTemplate {
 public:
  // Compiles `tmpl` (any JSON value; usually an object). Every problem found is returned, in
  // document order. Empty on success, when `out` holds the template.
  static std::vector<TemplateProblem> Compile(const nlohmann::ordered_json& tmpl,
                                              PayloadTemplate* out);

  // Renders against ctx. Errors: Error{"States.Runtime", ...} (AWS's name, not the spec's ParameterPathFailure) when a ".$" path
  // cannot be found; UndefinedVariable (variables.h) when it reads a variable no scope has;
  // intrinsic failures as Intrinsic::Evaluate reports them.
  json::Result<nlohmann::ordered_json> Render(const EvalContext& ctx) const;

  PayloadTemplate();

 private:
  std::shared_ptr<const internal::TemplateNode> root_;
};

}  // namespace timeslip::query
