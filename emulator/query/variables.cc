#include "emulator/query/variables.h"

#include <fmt/format.h>

#include <vector>

#include "emulator/json/utf8.h"

namespace timeslip::query {
namespace {

bool IsAsciiLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<std::string> VariableNameProblem(std::string_view name) {
  if (name.empty()) return "a variable name must not be empty";
  const std::vector<char32_t> chars = json::CodePoints(name);
  if (chars.size() > kMaxVariableNameLength) {
    return fmt::format("a variable name must be at most {} characters", kMaxVariableNameLength);
  }
  for (std::size_t i = 0; i < chars.size(); ++i) {
    const char32_t c = chars[i];
    const bool letter = IsAsciiLetter(c) || c == '_' || c >= 0x80;
    if (letter || (i > 0 && IsAsciiDigit(c))) continue;
    return i == 0 ? "a variable name must start with a letter or '_'"
                  : "a variable name may hold only letters, digits and '_'";
  }
  return std::nullopt;
}

const nlohmann::ordered_json* VariableScope::Find(std::string_view name) const {
  for (const VariableScope* scope = this; scope != nullptr; scope = scope->outer) {
    if (scope->values == nullptr) continue;
    auto it = scope->values->find(name);
    if (it != scope->values->end()) return &*it;
  }
  return nullptr;
}

json::Error UndefinedVariable(std::string_view name, std::string_view path) {
  return json::Error{std::string(kQueryEvaluationError),
                     fmt::format("The JSONPath '{}' references the variable '{}', which has not "
                                 "been assigned.",
                                 path, name)};
}

}  // namespace timeslip::query
