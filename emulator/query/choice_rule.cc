// STUB: being replaced by the Choice rules implementation.
#include "emulator/query/choice_rule.h"

namespace timeslip::query {
namespace internal {
struct RuleNode {};
}  // namespace internal

ChoiceRule::ChoiceRule(std::shared_ptr<const internal::RuleNode> root) : root_(std::move(root)) {}
json::Result<ChoiceRule> ChoiceRule::Compile(const nlohmann::json&, bool) {
  return ChoiceRule(std::make_shared<internal::RuleNode>());
}
json::Result<bool> ChoiceRule::Evaluate(const EvalContext&) const { return false; }
}  // namespace timeslip::query
