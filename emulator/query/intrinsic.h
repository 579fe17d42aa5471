#pragma once
// Intrinsic: one ASL intrinsic function call, e.g. "States.Format('Hi {}', $.name)", compiled
// once. Arguments are string literals ('...' with \' \{ \} \\ escapes), numbers, true/false/null,
// JSONPaths ($, $$) and nested calls.
// https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "emulator/json/result.h"
#include "emulator/query/eval_context.h"

namespace timeslip::query {

namespace internal {
struct IntrinsicCall;  // the parsed call tree; intrinsic_internal.h
}

class Intrinsic {
 public:
  // True when `text` is meant as a call: it starts with "States." (after no whitespace).
  static bool LooksLikeCall(std::string_view text);

  // Parses `text` and checks what can be checked statically (known function name, argument
  // count where fixed, literal argument types). On failure: Error{"SCHEMA_VALIDATION_FAILED",
  // message naming the function and the problem}. Never aborts, whatever the text.
  static json::Result<Intrinsic> Compile(std::string_view text);

  const std::string& text() const;

  // Evaluates the call. Errors: Error{"States.IntrinsicFailure", message} for bad arguments at
  // run time (wrong type, out of range, limits); path arguments that cannot be found raise
  // Error{"States.Runtime", ...} as JsonPath::Select does.
  json::Result<nlohmann::ordered_json> Evaluate(const EvalContext& ctx) const;

 private:
  explicit Intrinsic(std::shared_ptr<const internal::IntrinsicCall> call);
  std::shared_ptr<const internal::IntrinsicCall> call_;
};

}  // namespace timeslip::query
