#include "emulator/query/assign.h"

#include <utility>

namespace timeslip::query {

std::vector<TemplateProblem> Assign::Compile(const nlohmann::ordered_json& assign, Assign* out) {
  PayloadTemplate compiled;
  std::vector<TemplateProblem> problems = PayloadTemplate::Compile(assign, &compiled);
  if (problems.empty() && out != nullptr) {
    out->template_ = std::move(compiled);
    out->jsonata_.reset();
  }
  return problems;
}

Assign Assign::Jsonata(JsonataTemplate assign) {
  Assign out;
  out.jsonata_ = std::move(assign);
  return out;
}

json::Result<nlohmann::ordered_json> Assign::Evaluate(const EvalContext& ctx) const {
  if (template_) return template_->Render(ctx);
  return jsonata_->Evaluate(ctx);
}

}  // namespace timeslip::query
