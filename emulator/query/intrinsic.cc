// STUB: being replaced by the intrinsic functions implementation.
#include "emulator/query/intrinsic.h"

namespace timeslip::query {
namespace internal {
struct IntrinsicCall {
  std::string text;
};
}  // namespace internal

Intrinsic::Intrinsic(std::shared_ptr<const internal::IntrinsicCall> call) : call_(std::move(call)) {}
bool Intrinsic::LooksLikeCall(std::string_view text) { return text.substr(0, 7) == "States."; }
json::Result<Intrinsic> Intrinsic::Compile(std::string_view text) {
  return Intrinsic(std::make_shared<internal::IntrinsicCall>(internal::IntrinsicCall{std::string(text)}));
}
const std::string& Intrinsic::text() const { return call_->text; }
json::Result<nlohmann::json> Intrinsic::Evaluate(const EvalContext&) const {
  return json::Error{"States.IntrinsicFailure", "not implemented"};
}
}  // namespace timeslip::query
