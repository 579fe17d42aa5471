#pragma once
// EvalContext: what a path, template, intrinsic or Choice rule reads while it is evaluated.

#include <functional>

#include <nlohmann/json.hpp>

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

 private:
  mutable const nlohmann::ordered_json* context_ = nullptr;
  std::function<const nlohmann::ordered_json&()> make_context_;
};

}  // namespace timeslip::query
