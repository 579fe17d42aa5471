// Assign, wherever a state may carry it (the state, a Choice rule, a Catcher): variable names
// checked, values compiled, and each name remembered with its scope so that one scope does not
// reuse a name the scopes around it assign.
// https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "emulator/asl/parser_internal.h"
#include "emulator/query/variables.h"

namespace timeslip::asl::internal {
namespace {

constexpr std::string_view kDynamicSuffix = ".$";

}  // namespace

Parser::ScopeGuard::ScopeGuard(Parser& parser) : parser_(parser) {
  parser_.scopes_.push_back(parser_.next_scope_++);
}

Parser::ScopeGuard::~ScopeGuard() { parser_.scopes_.pop_back(); }

std::optional<query::Assign> Parser::ParseAssign(const Json& owner, const std::string& location,
                                                 bool jsonata, std::string field) {
  const Json* assign = Typed(owner, "Assign", location, json::Type::kObject, "an OBJECT");
  if (assign == nullptr) return std::nullopt;
  const std::string at = At(location, "Assign");
  bool valid = true;
  std::set<std::string, std::less<>> names;
  for (auto it = assign->begin(); it != assign->end(); ++it) {
    // In JSONPath, "x.$" sets x from a path; in JSONata the key is the name as written.
    std::string_view name = it.key();
    if (!jsonata && name.size() > kDynamicSuffix.size() && name.ends_with(kDynamicSuffix)) {
      name.remove_suffix(kDynamicSuffix.size());
    }
    if (std::optional<std::string> problem = query::VariableNameProblem(name)) {
      Schema(at, fmt::format("The variable name '{}' is not valid: {}", name, *problem));
      valid = false;
    } else if (name == query::kReservedVariable) {
      Schema(at, fmt::format("The variable name '{}' is reserved", name));
      valid = false;
    } else if (!names.emplace(name).second) {
      Schema(at, fmt::format("The variable '{}' is assigned more than once", name));
      valid = false;
    } else {
      assigned_.push_back({scopes_, std::string(name), at});
    }
  }
  if (jsonata) {
    if (!valid) return std::nullopt;
    std::optional<query::JsonataTemplate> compiled = JsonataField(*assign, at, std::move(field));
    if (!compiled) return std::nullopt;
    return query::Assign::Jsonata(std::move(*compiled));
  }
  query::Assign compiled;
  for (query::TemplateProblem& p : query::Assign::Compile(*assign, &compiled)) {
    Error(p.name, at + p.location, std::move(p.message));
    valid = false;
  }
  WarnNoDollar(*assign, at, 0);
  if (!valid) return std::nullopt;
  return compiled;
}

void Parser::CheckVariableScopes() {
  std::map<int, std::set<std::string, std::less<>>> names_in;
  for (const AssignedName& a : assigned_) names_in[a.scopes.back()].insert(a.name);
  for (const AssignedName& a : assigned_) {
    for (std::size_t i = 0; i + 1 < a.scopes.size(); ++i) {
      auto outer = names_in.find(a.scopes[i]);
      if (outer == names_in.end() || !outer->second.contains(a.name)) continue;
      Schema(a.location,
             fmt::format("The variable '{}' is assigned in an outer scope; a Parallel branch "
                         "or Map iteration cannot assign it",
                         a.name));
      break;
    }
  }
}

}  // namespace timeslip::asl::internal
