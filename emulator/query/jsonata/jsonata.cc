#include "emulator/query/jsonata/jsonata.h"

#include "emulator/query/jsonata/ast_internal.h"
#include "emulator/query/jsonata/evaluator_internal.h"

namespace timeslip::query::jsonata {
namespace {

Value HostFunction(const Bindings::FunctionBinding& binding) {
  auto fn = std::make_shared<Function>();
  fn->kind = Function::Kind::kHost;
  fn->name = "$" + binding.name;
  fn->host = binding.fn;
  std::string sig = binding.signature;
  if (sig.size() >= 2 && sig.front() == '<' && sig.back() == '>')
    sig = sig.substr(1, sig.size() - 2);
  if (!sig.empty()) fn->signature = std::make_shared<const Signature>(ParseSignature(sig, 0));
  return Value::Of(std::move(fn));
}

}  // namespace

Expression Expression::Compile(std::string_view text) {
  return Expression(std::string(text), Parse(text));
}

json::Result<Expression> Expression::TryCompile(std::string_view text) {
  try {
    return Compile(text);
  } catch (const Error& e) {
    return json::Error{e.code(), e.what()};
  }
}

std::optional<nlohmann::ordered_json> Expression::Evaluate(const nlohmann::ordered_json* input,
                                                           const Bindings& bindings,
                                                           Environment& env) const {
  if (input == nullptr)
    return Evaluate(std::shared_ptr<const nlohmann::ordered_json>(), bindings, env);
  // Borrowed for the call only: a non-owning shared_ptr, since nothing outlives Evaluate().
  return Evaluate(std::shared_ptr<const nlohmann::ordered_json>(input, [](const auto*) {}),
                  bindings, env);
}

std::optional<nlohmann::ordered_json> Expression::Evaluate(
    std::shared_ptr<const nlohmann::ordered_json> input, const Bindings& bindings,
    Environment& env) const {
  Value in;
  if (input) in = Value::FromJson(std::move(input));
  // The reference wraps a top-level array so that the first step sees it whole.
  Value context = in;
  if (in.IsArray()) {
    auto wrapper = Array::Sequence();
    wrapper->items.push_back(in);
    wrapper->outer_wrapper = true;
    context = Value::Of(std::move(wrapper));
  }
  FrameSweeper sweeper;  // declared before the frames, so it sweeps after they are let go
  FramePtr global(new Frame);
  global->sweeper = &sweeper;
  sweeper.Add(global);
  for (const auto& [name, value] : bindings.values()) {
    global->Bind(name, Value::FromJson(value));
  }
  for (const auto& binding : bindings.functions())
    global->Bind(binding.name, HostFunction(binding));
  Evaluator ev(env, in);
  ev.set_global(global);
  Value result = ev.Eval(*root_, context, global);
  if (result.IsThunk()) result = ev.Apply(result, {}, context, 0);
  if (result.undefined()) return std::nullopt;
  return result.ToJson();
}

}  // namespace timeslip::query::jsonata
