#pragma once
// EvalContext: what a path, template, intrinsic or Choice rule reads while it is evaluated.
// PathRoots: where a path that does not read "$" starts, for io_processing.h.

#include <functional>

#include <nlohmann/json.hpp>

#include "emulator/query/variables.h"
#include "emulator/time/clock.h"
#include "emulator/time/rng.h"

namespace timeslip::query {

class EvalContext {
 public:
  // `context` is what "$$" reads. Not owned; both documents must outlive the EvalContext.
  EvalContext(const nlohmann::ordered_json& input, const nlohmann::ordered_json& context,
              time::Rng* rng = nullptr)
      : input(input), rng(rng), context_(&context) {}
  // The context object is made only if something reads "$$": building it copies the
  // execution's input, which most states never look at.
  EvalContext(const nlohmann::ordered_json& input, std::function<const nlohmann::ordered_json&()> make_context,
              time::Rng* rng = nullptr)
      : input(input), rng(rng), make_context_(std::move(make_context)) {}

  const nlohmann::ordered_json& context() const {
    if (context_ == nullptr) context_ = &make_context_();
    return *context_;
  }

  const nlohmann::ordered_json& input;  // what "$" reads: the state's (effective) input
  time::Rng* rng = nullptr;     // States.MathRandom and States.UUID draw here. Not owned.
  // What "$name" reads; null: no variables (every "$name" is undefined). Not owned.
  const VariableScope* variables = nullptr;

  // JSONata's $states beyond input and context: the state's result (Output and Assign of Task,
  // Parallel and Map) and a Catch's error output; null where the field cannot read them. Not
  // owned. `now` is what JSONata's $now() and $millis() answer.
  const nlohmann::ordered_json* result = nullptr;
  const nlohmann::ordered_json* error_output = nullptr;
  time::Instant now{};

 private:
  mutable const nlohmann::ordered_json* context_ = nullptr;
  std::function<const nlohmann::ordered_json&()> make_context_;
};

// The context object ("$$") and the variables ("$name") a path may start from. Not owned: both
// must outlive it. A bare document converts, for paths that read no variables.
struct PathRoots {
  PathRoots(const nlohmann::ordered_json& context, const VariableScope* variables = nullptr)
      : context(context), variables(variables) {}
  const nlohmann::ordered_json& context;
  const VariableScope* variables;
};

}  // namespace timeslip::query
