// The top level of the parser: a machine's own fields (StartAt, States, Comment, QueryLanguage,
// TimeoutSeconds), its transitions resolved to indices, and ParseDefinition itself.
#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "emulator/asl/parse_definition.h"
#include "emulator/asl/parser_internal.h"
#include "emulator/json/parse.h"

namespace timeslip::asl {
namespace internal {

std::shared_ptr<const StateMachine> Parser::ParseMachine(const Json& def,
                                                         const std::string& location,
                                                         MachineKind kind, QueryLanguage inherited,
                                                         int depth) {
  if (depth > kMaxMachineNesting) {
    Error(kTooDeeplyNested, location, "The states are too deeply nested.");
    return nullptr;
  }
  ScopeGuard scope(*this);
  if (!def.is_object()) {
    Schema(location, kind == MachineKind::kTop ? "The definition must be a JSON object"
                                               : "The value must be a JSON object");
    return nullptr;
  }
  switch (kind) {
    case MachineKind::kTop:
      CheckFields(def, location,
                  {"StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"});
      break;
    case MachineKind::kBranch:
      CheckFields(def, location, {"StartAt", "States", "Comment"});
      break;
    case MachineKind::kItemProcessor:
      CheckFields(def, location, {"StartAt", "States", "Comment", "ProcessorConfig"});
      break;
  }

  QueryLanguage language = inherited;
  std::string version;
  std::optional<std::int64_t> timeout_seconds;
  if (kind == MachineKind::kTop) {
    std::optional<std::string> ql = Enum(def, "QueryLanguage", location, {"JSONPath", "JSONata"});
    if (ql) language = *ql == "JSONata" ? QueryLanguage::kJsonata : QueryLanguage::kJsonPath;
    version = String(def, "Version", location).value_or("");
    timeout_seconds =
        Integer(def, "TimeoutSeconds", location, 1, kMaxSecondsField, "a positive integer");
  }
  std::string comment = String(def, "Comment", location).value_or("");
  std::optional<std::string> start_at = String(def, "StartAt", location);
  if (Find(def, "StartAt") == nullptr) Required(location, "StartAt");

  std::vector<State> states;
  std::vector<Transition> transitions;
  std::vector<std::string> state_locations;
  const Json* states_json = Find(def, "States");
  std::string states_location = At(location, "States");
  if (states_json == nullptr) {
    Required(location, "States");
  } else if (!states_json->is_object()) {
    TypeError(location, "States", "an OBJECT");
  } else if (states_json->empty()) {
    Schema(states_location, "The field 'States' must not be empty");
  } else {
    // ordered_json finds a member by scanning those before it; looking each state up that way
    // made a machine of n states cost n² key comparisons.
    StatesByName by_name;
    by_name.reserve(states_json->size());
    for (auto it = states_json->begin(); it != states_json->end(); ++it) {
      by_name.emplace(it.key(), &it.value());
    }
    std::vector<std::string> names = StateNamesInOrder(*states_json, by_name, states_location);
    states.reserve(names.size());
    state_locations.reserve(names.size());
    for (const std::string& name : names) {
      std::string state_location = At(states_location, name);
      CheckStateName(name, state_location);
      states.push_back(ParseState(*by_name.at(name), name, state_location, language, depth,
                                  states.size(), transitions));
      state_locations.push_back(std::move(state_location));
    }
  }

  // Names to indices.
  std::map<std::string, StateIndex, std::less<>> index_of;
  for (std::size_t i = 0; i < states.size(); ++i) {
    index_of.emplace(states[i].name, static_cast<StateIndex>(i));
  }
  auto resolve = [&](const std::string& target, const std::string& at) -> StateIndex {
    auto it = index_of.find(target);
    if (it == index_of.end()) {
      Error(kMissingTransitionTarget, at, fmt::format("Missing 'Next' target: {}", target));
      return kNoState;
    }
    return it->second;
  };
  StateIndex start = kNoState;
  if (start_at && !states.empty()) start = resolve(*start_at, At(location, "StartAt"));
  for (const Transition& t : transitions) {
    StateIndex target = resolve(t.target, t.location);
    State& state = states[t.state];
    switch (t.kind) {
      case Transition::Kind::kNext:
        state.next = target;
        break;
      case Transition::Kind::kDefault:
        state.default_next = target;
        break;
      case Transition::Kind::kChoice:
        state.choices[t.item].next = target;
        break;
      case Transition::Kind::kCatch:
        state.catchers[t.item].next = target;
        break;
    }
  }

  // AWS asks for a terminal state only of the whole machine, and then does not go on to look
  // for unreachable states.
  bool has_terminal =
      std::any_of(states.begin(), states.end(), [](const State& s) { return s.is_terminal(); });
  if (kind == MachineKind::kTop && !states.empty() && !has_terminal) {
    Error(kMissingEndState, location, "Workflow has no terminal state");
  } else if (start != kNoState) {
    ReportUnreachable(states, start, state_locations);
  }

  return std::make_shared<const StateMachine>(start, std::move(states), std::move(comment),
                                              std::move(version), timeout_seconds, language);
}

std::vector<std::string> Parser::StateNamesInOrder(const Json& states,
                                                   const StatesByName& by_name,
                                                   const std::string& location) {
  std::vector<std::string> names;
  auto recorded = key_order_.find(location);
  if (recorded != key_order_.end()) {
    std::unordered_set<std::string_view> seen;
    seen.reserve(recorded->second.size());
    for (const std::string& name : recorded->second) {
      if (!seen.insert(name).second) {
        Error(kDuplicateStateName, At(location, name),
              fmt::format("Duplicate State name: {}", name));
        continue;
      }
      names.push_back(name);
    }
    // Trust the record only if it describes this very object.
    bool matches = names.size() == states.size() &&
                   std::all_of(names.begin(), names.end(),
                               [&](const std::string& n) { return by_name.count(n) != 0; });
    if (matches) return names;
    names.clear();
  }
  for (auto it = states.begin(); it != states.end(); ++it) names.push_back(it.key());
  return names;
}

void Parser::CheckStateName(const std::string& name, const std::string& location) {
  if (name.empty() || name.size() > kMaxStateNameLength) {
    Error(kInvalidStateName, location,
          fmt::format("State names must be between 1 and {} characters long", kMaxStateNameLength));
  }
  // State names are unique across the whole definition, branches included.
  auto [it, inserted] = all_state_names_.emplace(name, location);
  if (!inserted && it->second != location) {
    Error(kDuplicateStateName, location, fmt::format("Duplicate State name: {}", name));
  }
}

void Parser::ReportUnreachable(const std::vector<State>& states, StateIndex start,
                               const std::vector<std::string>& locations) {
  std::vector<bool> reached(states.size(), false);
  std::vector<StateIndex> todo = {start};
  reached[static_cast<std::size_t>(start)] = true;
  auto visit = [&](StateIndex i) {
    if (i != kNoState && !reached[static_cast<std::size_t>(i)]) {
      reached[static_cast<std::size_t>(i)] = true;
      todo.push_back(i);
    }
  };
  while (!todo.empty()) {
    const State& s = states[static_cast<std::size_t>(todo.back())];
    todo.pop_back();
    visit(s.next);
    visit(s.default_next);
    for (const ChoiceBranch& c : s.choices) visit(c.next);
    for (const Catcher& c : s.catchers) visit(c.next);
  }
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (!reached[i]) {
      Error(kMissingTransitionTarget, locations[i],
            fmt::format("State \"{}\" is not reachable.", states[i].name));
    }
  }
}

}  // namespace internal

namespace {

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

}  // namespace

ParseResult ParseDefinition(std::string_view json_text) {
  ParseResult result;
  if (IsBlank(json_text)) {
    result.diagnostics.push_back(
        {Severity::kError, std::string(kMissingDescription), "", "The definition is empty"});
    return result;
  }
  if (json::NestingDepth(json_text) > json::kMaxDepth) {
    result.diagnostics.push_back(
        {Severity::kError, std::string(kTooDeeplyNested), "",
         fmt::format("The definition nests JSON deeper than {} levels", json::kMaxDepth)});
    return result;
  }
  std::optional<json::Result<nlohmann::ordered_json>> parsing;
  try {
    parsing.emplace(json::Parse(json_text, kInvalidJsonDescription));
  } catch (const nlohmann::ordered_json::exception& e) {
    // json::Parse catches parse errors; a number too large for a double ("1e99999") still
    // arrives here as out_of_range.
    result.diagnostics.push_back({Severity::kError, std::string(kInvalidJsonDescription), "",
                                  fmt::format("Malformed JSON: {}", e.what())});
    return result;
  }
  json::Result<nlohmann::ordered_json>& parsed = *parsing;
  if (!parsed.ok()) {
    result.diagnostics.push_back(
        {Severity::kError, parsed.error().name, "", parsed.error().message});
    return result;
  }
  internal::Parser parser(internal::RecordStatesKeyOrder(json_text));
  std::shared_ptr<const StateMachine> machine = parser.ParseRoot(parsed.value());
  result.diagnostics = parser.TakeDiagnostics();
  if (!HasErrors(result.diagnostics)) result.machine = std::move(machine);
  return result;
}

}  // namespace timeslip::asl
