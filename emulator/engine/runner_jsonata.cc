// JSONata states: Output and Assign over $states.input and $states.result, Choice Conditions,
// Fail's Error and Cause, and a Map's Items. Arguments are EffectiveParameters' (runner.cc), the
// expression-valued Wait and Task fields WaitDue's and RunTask's.
// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
#include <fmt/format.h>

#include "emulator/asl/error_names.h"
#include "emulator/engine/runner_internal.h"

namespace timeslip::engine::internal {

using Json = nlohmann::ordered_json;

void Runner::FinishJsonata(const FramePtr& frame, const Json* result, asl::StateIndex next,
                           const std::optional<query::JsonataTemplate>& output,
                           const std::optional<query::Assign>& assign) {
  query::EvalContext ctx = Ctx(*frame, frame->input);
  ctx.result = result;
  // Assign and Output both read the variables as they were when the state began.
  if (json::Status s = EvaluateAssign(*frame, assign, ctx); !s.ok()) {
    return Raise(frame, s.error());
  }
  Json out;
  if (output) {
    json::Result<Json> evaluated = output->Evaluate(ctx);
    if (!evaluated.ok()) return Raise(frame, evaluated.error());
    out = std::move(evaluated).value();
  } else {
    out = result != nullptr ? *result : TakeInput(*frame);
  }
  Exit(frame, std::move(out), next);
}

void Runner::RunChoiceJsonata(const FramePtr& frame) {
  const asl::State& state = StateOf(*frame);
  query::EvalContext ctx = Ctx(*frame, frame->input);
  for (const asl::ChoiceBranch& branch : state.choices) {
    json::Result<Json> matched = branch.condition->Evaluate(ctx);
    if (!matched.ok()) return Raise(frame, matched.error());
    if (!matched.value().is_boolean()) {
      return Raise(frame, branch.condition->UnexpectedType("boolean", matched.value()));
    }
    if (matched.value().get<bool>()) {
      return FinishJsonata(frame, nullptr, branch.next, branch.output ? branch.output : state.output,
                           branch.assignments);
    }
  }
  if (state.default_next == asl::kNoState) {
    return Raise(frame, json::Error{std::string(asl::kStatesNoChoiceMatched),
                                    fmt::format("No Choice Rules matched in state '{}' and no "
                                                "Default was specified.",
                                                state.name)});
  }
  FinishJsonata(frame, nullptr, state.default_next, state.output, state.assignments);
}

void Runner::RunFailJsonata(const FramePtr& frame) {
  const asl::State& state = StateOf(*frame);
  query::EvalContext ctx = Ctx(*frame, frame->input);
  auto read = [&](const std::optional<std::string>& literal,
                  const std::optional<query::JsonataTemplate>& expr) -> json::Result<std::string> {
    if (!expr) return literal.value_or("");
    json::Result<Json> v = expr->Evaluate(ctx);
    if (!v.ok()) return v.error();
    if (!v.value().is_string()) return expr->UnexpectedType("string", v.value());
    return v.value().get<std::string>();
  };
  json::Result<std::string> error = read(state.error, state.error_expr);
  if (!error.ok()) return Raise(frame, error.error());
  json::Result<std::string> cause = read(state.cause, state.cause_expr);
  if (!cause.ok()) return Raise(frame, cause.error());
  EndFrame(frame, json::Error{error.value(), cause.value()});
}

json::Result<Json> Runner::JsonataItems(Frame& frame) {
  const asl::State& state = StateOf(frame);
  if (!state.items) return frame.input;
  json::Result<Json> items = state.items->Evaluate(Ctx(frame, frame.input));
  if (!items.ok()) return items.error();
  if (!items.value().is_array()) return state.items->UnexpectedType("array", items.value());
  return items;
}

}  // namespace timeslip::engine::internal
