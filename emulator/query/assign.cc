#include "emulator/query/assign.h"

#include <utility>

namespace timeslip::query {

std::vector<TemplateProblem> Assign::Compile(const nlohmann::ordered_json& assign, Assign* out) {
  PayloadTemplate compiled;
  std::vector<TemplateProblem> problems = PayloadTemplate::Compile(assign, &compiled);
  if (problems.empty() && out != nullptr) {
    out->template_ = std::move(compiled);
    out->literal_ = nullptr;
    out->has_expression_ = false;
  }
  return problems;
}

Assign Assign::Jsonata(nlohmann::ordered_json assign, bool has_expression) {
  Assign out;
  out.literal_ = std::move(assign);
  out.has_expression_ = has_expression;
  return out;
}

json::Result<nlohmann::ordered_json> Assign::Evaluate(const EvalContext& ctx) const {
  if (template_) return template_->Render(ctx);
  // Refused at run time, not at creation: the definition is valid on AWS, and a state machine
  // whose JSONata states never run their Assign still runs here.
  if (has_expression_) {
    return json::Error{"States.Runtime",
                       "The field 'Assign' is not supported by this emulator yet."};
  }
  return literal_;
}

}  // namespace timeslip::query
