// Parsing one state: the fields every type shares, checked against what its type and query
// language take, then each type's own (Pass, Task, Choice, Wait, Succeed, Fail, Parallel).
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "emulator/asl/parser_internal.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::asl::internal {
namespace {

constexpr std::string_view kTypeValues = "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]";

std::optional<StateType> ParseStateType(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, StateType>, 8> kTypes = {{
      {"Pass", StateType::kPass},
      {"Task", StateType::kTask},
      {"Choice", StateType::kChoice},
      {"Wait", StateType::kWait},
      {"Succeed", StateType::kSucceed},
      {"Fail", StateType::kFail},
      {"Parallel", StateType::kParallel},
      {"Map", StateType::kMap},
  }};
  for (const auto& [spelled, type] : kTypes) {
    if (spelled == name) return type;
  }
  return std::nullopt;
}

// Which fields a state type takes, and under which query language.
enum class FieldRule { kAllowed, kJsonPathOnly, kJsonataOnly, kUnknown };

struct TypeFields {
  std::vector<std::string_view> both;
  std::vector<std::string_view> jsonpath;
  std::vector<std::string_view> jsonata;
};

const TypeFields& FieldsOf(StateType type) {
  // Assign is accepted in both languages; Output, Arguments and Items only in JSONata.
  static const TypeFields kPass{{"Type", "Comment", "QueryLanguage", "Next", "End", "Assign"},
                                {"InputPath", "OutputPath", "Parameters", "Result", "ResultPath"},
                                {"Output"}};
  static const TypeFields kTask{
      {"Type", "Comment", "QueryLanguage", "Next", "End", "Assign", "Resource", "Retry", "Catch",
       "TimeoutSeconds", "HeartbeatSeconds", "Credentials"},
      {"InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
       "TimeoutSecondsPath", "HeartbeatSecondsPath"},
      {"Arguments", "Output"}};
  static const TypeFields kChoice{
      {"Type", "Comment", "QueryLanguage", "Choices", "Default", "Assign"},
      {"InputPath", "OutputPath"},
      {"Output"}};
  static const TypeFields kWait{
      {"Type", "Comment", "QueryLanguage", "Next", "End", "Assign", "Seconds", "Timestamp"},
      {"InputPath", "OutputPath", "SecondsPath", "TimestampPath"},
      {"Output"}};
  static const TypeFields kSucceed{
      {"Type", "Comment", "QueryLanguage"}, {"InputPath", "OutputPath"}, {"Output"}};
  static const TypeFields kFail{
      {"Type", "Comment", "QueryLanguage", "Error", "Cause"}, {"ErrorPath", "CausePath"}, {}};
  static const TypeFields kParallel{
      {"Type", "Comment", "QueryLanguage", "Next", "End", "Assign", "Branches", "Retry", "Catch"},
      {"InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath"},
      {"Arguments", "Output"}};
  static const TypeFields kMap{
      {"Type", "Comment", "QueryLanguage", "Next", "End", "Assign", "ItemProcessor", "Iterator",
       "ItemSelector", "ItemReader", "ItemBatcher", "ResultWriter", "MaxConcurrency",
       "ToleratedFailurePercentage", "ToleratedFailureCount", "Label", "Retry", "Catch"},
      {"InputPath", "OutputPath", "ItemsPath", "Parameters", "ResultSelector", "ResultPath",
       "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath"},
      {"Items", "Output"}};
  switch (type) {
    case StateType::kPass:
      return kPass;
    case StateType::kTask:
      return kTask;
    case StateType::kChoice:
      return kChoice;
    case StateType::kWait:
      return kWait;
    case StateType::kSucceed:
      return kSucceed;
    case StateType::kFail:
      return kFail;
    case StateType::kParallel:
      return kParallel;
    case StateType::kMap:
      return kMap;
  }
  return kPass;
}

FieldRule RuleFor(StateType type, std::string_view field) {
  const TypeFields& fields = FieldsOf(type);
  auto has = [&](const std::vector<std::string_view>& list) {
    return std::find(list.begin(), list.end(), field) != list.end();
  };
  if (has(fields.both)) return FieldRule::kAllowed;
  if (has(fields.jsonpath)) return FieldRule::kJsonPathOnly;
  if (has(fields.jsonata)) return FieldRule::kJsonataOnly;
  return FieldRule::kUnknown;
}

}  // namespace

State Parser::ParseState(const Json& def, const std::string& name, const std::string& location,
                         QueryLanguage inherited, int depth, std::size_t index,
                         std::vector<Transition>& transitions) {
  State state;
  state.name = name;
  state.query_language = inherited;
  if (!def.is_object()) {
    Schema(location, "A state must be a JSON object");
    return state;
  }
  std::optional<std::string> type_name = String(def, "Type", location);
  if (Find(def, "Type") == nullptr) {
    Required(location, "Type");
    return state;
  }
  if (!type_name) return state;
  std::optional<StateType> type = ParseStateType(*type_name);
  if (!type) {
    Schema(At(location, "Type"),
           fmt::format("The field 'Type' should have one of these values: {}", kTypeValues));
    return state;
  }
  state.type = *type;

  std::optional<std::string> ql = Enum(def, "QueryLanguage", location, {"JSONPath", "JSONata"});
  if (ql) {
    state.query_language_set = true;
    state.query_language = *ql == "JSONata" ? QueryLanguage::kJsonata : QueryLanguage::kJsonPath;
  }
  const bool jsonata = state.query_language == QueryLanguage::kJsonata;

  for (auto it = def.begin(); it != def.end(); ++it) {
    switch (RuleFor(state.type, it.key())) {
      case FieldRule::kAllowed:
        break;
      case FieldRule::kJsonPathOnly:
        if (jsonata) {
          Schema(
              At(location, it.key()),
              fmt::format("Field '{}' is not supported when QueryLanguage is JSONata", it.key()));
        }
        break;
      case FieldRule::kJsonataOnly:
        if (!jsonata) {
          Schema(
              At(location, it.key()),
              fmt::format("Field '{}' is only supported when QueryLanguage is JSONata", it.key()));
        }
        break;
      case FieldRule::kUnknown:
        Unsupported(location, it.key());
        break;
    }
  }
  // From here on, read a field only where its type and language take it.
  auto takes = [&](std::string_view field) {
    FieldRule rule = RuleFor(state.type, field);
    return rule == FieldRule::kAllowed || (rule == FieldRule::kJsonPathOnly && !jsonata) ||
           (rule == FieldRule::kJsonataOnly && jsonata);
  };

  state.comment = String(def, "Comment", location).value_or("");
  if (takes("Next")) ParseNextOrEnd(def, location, index, state, transitions);

  if (takes("InputPath")) state.input_path = IoPath(def, "InputPath", location, false);
  if (takes("OutputPath")) state.output_path = IoPath(def, "OutputPath", location, false);
  if (takes("ResultPath")) state.result_path = IoPath(def, "ResultPath", location, true);
  if (jsonata) {
    // A JSONata state has no paths; "$" keeps the engine's JSONPath code inert if it runs.
    state.input_path = state.output_path = state.result_path = Dollar();
  }
  if (takes("Parameters") && state.type != StateType::kMap) {
    state.parameters = Template(def, "Parameters", location);
  }
  if (takes("ResultSelector")) {
    state.result_selector = Template(def, "ResultSelector", location);
  }
  if (takes("Arguments")) {
    if (const Json* v = Find(def, "Arguments")) {
      if (!v->is_object() && !IsJsonataExpression(*v)) {
        TypeError(location, "Arguments", "an OBJECT or a JSONata expression");
      } else {
        state.arguments = JsonataField(*v, At(location, "Arguments"), "Arguments");
      }
    }
  }
  if (takes("Output")) {
    if (const Json* v = Find(def, "Output")) {
      state.output = JsonataField(*v, At(location, "Output"), "Output");
    }
  }
  if (takes("Assign")) {
    if (const Json* v = Find(def, "Assign")) state.assign = *v;
    state.assignments = ParseAssign(def, location, jsonata);
  }
  if (takes("Retry")) ParseRetry(def, location, state);
  if (takes("Catch")) ParseCatch(def, location, index, jsonata, state, transitions);

  switch (state.type) {
    case StateType::kPass:
      ParsePass(def, location, state);
      break;
    case StateType::kTask:
      ParseTask(def, location, jsonata, state);
      break;
    case StateType::kChoice:
      ParseChoice(def, location, index, jsonata, state, transitions);
      break;
    case StateType::kWait:
      ParseWait(def, location, jsonata, state);
      break;
    case StateType::kSucceed:
      break;
    case StateType::kFail:
      ParseFail(def, location, jsonata, state);
      break;
    case StateType::kParallel:
      ParseParallel(def, location, depth, state);
      break;
    case StateType::kMap:
      ParseMap(def, location, depth, jsonata, state);
      break;
  }
  return state;
}

void Parser::ParseNextOrEnd(const Json& def, const std::string& location, std::size_t index,
                            State& state, std::vector<Transition>& transitions) {
  const Json* end = Find(def, "End");
  if (end != nullptr) {
    if (!end->is_boolean()) {
      TypeError(location, "End", "a BOOLEAN");
    } else {
      state.end = end->get<bool>();
    }
  }
  std::optional<std::string> next = String(def, "Next", location);
  const bool has_next = Find(def, "Next") != nullptr;
  if (state.end && has_next) {
    Schema(location, "Only one of these fields can be specified: [Next, End]");
    state.end = false;
  } else if (!state.end && !has_next && (end == nullptr || end->is_boolean())) {
    Schema(location, "Exactly one of these fields is required: [Next, End]");
  }
  if (next && !state.end) {
    transitions.push_back({Transition::Kind::kNext, index, 0, *next, At(location, "Next")});
  }
}

void Parser::ParsePass(const Json& def, const std::string& location, State& state) {
  if (const Json* result = Find(def, "Result")) {
    state.result = *result;
    if (HasDynamicKey(*result, 0)) {
      Warn(kPassResultIsStatic, At(location, "Result"),
           "The Result of a Pass state is static: keys ending in '.$' are not evaluated "
           "(use Parameters)");
    }
  }
}

void Parser::ParseTask(const Json& def, const std::string& location, bool jsonata, State& state) {
  std::optional<std::string> resource = String(def, "Resource", location);
  if (Find(def, "Resource") == nullptr) Required(location, "Resource");
  if (resource) {
    state.resource = *resource;
    if (!IsArn(*resource)) {
      Error(kInvalidResource, At(location, "Resource"),
            fmt::format("The resource provided {} is not recognized. The value is not a valid "
                        "resource ARN, or the resource is not available in this region.",
                        *resource));
    }
  }

  auto seconds = [&](std::string_view field, std::optional<std::int64_t>& literal,
                     std::optional<query::JsonataTemplate>& expr) {
    const Json* v = Find(def, field);
    if (v == nullptr) return;
    if (jsonata && IsJsonataExpression(*v)) {
      expr = JsonataField(*v, At(location, field), std::string(field));
      return;
    }
    literal = IntegerValue(*v, field, location, 1, kMaxSecondsField, "a positive integer");
  };
  seconds("TimeoutSeconds", state.timeout_seconds, state.timeout_seconds_expr);
  seconds("HeartbeatSeconds", state.heartbeat_seconds, state.heartbeat_seconds_expr);
  if (!jsonata) {
    state.timeout_seconds_path = ReferencePathField(def, "TimeoutSecondsPath", location);
    state.heartbeat_seconds_path = ReferencePathField(def, "HeartbeatSecondsPath", location);
    if (Find(def, "TimeoutSeconds") && Find(def, "TimeoutSecondsPath")) {
      Exclusive(location, "TimeoutSeconds", "TimeoutSecondsPath");
    }
    if (Find(def, "HeartbeatSeconds") && Find(def, "HeartbeatSecondsPath")) {
      Exclusive(location, "HeartbeatSeconds", "HeartbeatSecondsPath");
    }
  }
  if (state.timeout_seconds && state.heartbeat_seconds &&
      *state.heartbeat_seconds >= *state.timeout_seconds) {
    Schema(At(location, "HeartbeatSeconds"),
           "The value for the field 'HeartbeatSeconds' must be smaller than 'TimeoutSeconds'");
  }

  if (const Json* credentials = Find(def, "Credentials")) {
    state.credentials_raw = *credentials;
    if (!jsonata) {
      state.credentials = Template(def, "Credentials", location);
    } else if (!credentials->is_object()) {
      TypeError(location, "Credentials", "an OBJECT");
    }
    // Credentials name the role to assume, so AWS refuses {} and {"InvalidField": ...} alike.
    // The role may come from a path ("RoleArn.$") in JSONPath states.
    bool has_role = Find(*credentials, "RoleArn") || (!jsonata && Find(*credentials, "RoleArn.$"));
    if (credentials->is_object() && !has_role) {
      Schema(At(location, "Credentials"), "The field 'RoleArn' is required but was missing");
    }
  }
}

bool Parser::IsArn(const std::string& text) {
  if (text.rfind("arn:", 0) != 0) return false;
  std::size_t colons = static_cast<std::size_t>(std::count(text.begin(), text.end(), ':'));
  if (colons < 5) return false;
  std::size_t partition_end = text.find(':', 4);
  std::size_t service_end = text.find(':', partition_end + 1);
  return partition_end > 4 && service_end > partition_end + 1 && text.back() != ':';
}

void Parser::ParseChoice(const Json& def, const std::string& location, std::size_t index,
                         bool jsonata, State& state, std::vector<Transition>& transitions) {
  const Json* choices = Find(def, "Choices");
  if (choices == nullptr) {
    Required(location, "Choices");
  } else if (!choices->is_array() || choices->empty()) {
    TypeError(location, "Choices", "a non-empty ARRAY");
  } else {
    std::string at = At(location, "Choices");
    for (std::size_t i = 0; i < choices->size(); ++i) {
      const Json& rule = (*choices)[i];
      std::string rule_at = AtIndex(at, i);
      ChoiceBranch branch;
      if (!rule.is_object()) {
        Schema(rule_at, "A Choice Rule must be a JSON object");
        continue;
      }
      if (jsonata) {
        CheckFields(rule, rule_at, {"Condition", "Next", "Comment", "Assign", "Output"});
        const std::string field = fmt::format("Choices[{}]", i);
        if (const Json* v = Find(rule, "Condition"); v == nullptr) {
          Required(rule_at, "Condition");
        } else if (!v->is_boolean() && !IsJsonataExpression(*v)) {
          TypeError(rule_at, "Condition", "a BOOLEAN or a JSONata expression");
        } else {
          branch.condition = JsonataField(*v, At(rule_at, "Condition"), field + "/Condition");
        }
        if (const Json* v = Find(rule, "Output")) {
          branch.output = JsonataField(*v, At(rule_at, "Output"), field + "/Output");
        }
      } else {
        // Assign belongs to the ASL state, not to the comparison: the query layer sees the
        // rule without it.
        Json comparison = rule;
        comparison.erase("Assign");
        json::Result<query::ChoiceRule> compiled =
            query::ChoiceRule::Compile(comparison, /*top_level=*/true);
        if (!compiled.ok()) {
          Error(compiled.error().name, rule_at, compiled.error().message);
        } else {
          branch.rule = std::move(compiled).value();
        }
      }
      if (const Json* v = Find(rule, "Assign")) branch.assign = *v;
      branch.assignments =
          ParseAssign(rule, rule_at, jsonata, fmt::format("Choices[{}]/Assign", i));
      std::optional<std::string> next = String(rule, "Next", rule_at);
      // In JSONPath the rule compiler already asks for Next.
      if (Find(rule, "Next") == nullptr && jsonata) Required(rule_at, "Next");
      if (next) {
        transitions.push_back(
            {Transition::Kind::kChoice, index, state.choices.size(), *next, At(rule_at, "Next")});
      }
      state.choices.push_back(std::move(branch));
    }
  }
  if (std::optional<std::string> target = String(def, "Default", location)) {
    transitions.push_back({Transition::Kind::kDefault, index, 0, *target, At(location, "Default")});
  }
}

void Parser::ParseWait(const Json& def, const std::string& location, bool jsonata, State& state) {
  constexpr std::array<std::string_view, 4> kFields = {"Seconds", "Timestamp", "SecondsPath",
                                                       "TimestampPath"};
  int given = 0;
  for (std::string_view field : kFields) {
    bool applies = !jsonata || RuleFor(StateType::kWait, field) != FieldRule::kJsonPathOnly;
    if (applies && Find(def, field) != nullptr) ++given;
  }
  if (given != 1) {
    Schema(location, jsonata ? "Exactly one of these fields is required: [Seconds, Timestamp]"
                             : "Exactly one of these fields is required: [Seconds, Timestamp, "
                               "SecondsPath, TimestampPath]");
  }
  if (const Json* v = Find(def, "Seconds")) {
    if (jsonata && IsJsonataExpression(*v)) {
      state.seconds_expr = JsonataField(*v, At(location, "Seconds"), "Seconds");
    } else {
      state.seconds =
          IntegerValue(*v, "Seconds", location, 0, kMaxSecondsField, "a non-negative integer");
    }
  }
  if (const Json* v = Find(def, "Timestamp")) {
    if (jsonata && IsJsonataExpression(*v)) {
      state.timestamp_expr = JsonataField(*v, At(location, "Timestamp"), "Timestamp");
    } else if (!v->is_string()) {
      TypeError(location, "Timestamp", "a STRING");
    } else {
      state.timestamp = time::ParseRfc3339(v->get_ref<const std::string&>());
      if (!state.timestamp) {
        Schema(At(location, "Timestamp"), "String does not match RFC3339 timestamp");
      }
    }
  }
  if (!jsonata) {
    state.seconds_path = ReferencePathField(def, "SecondsPath", location);
    state.timestamp_path = ReferencePathField(def, "TimestampPath", location);
  }
}

void Parser::ParseFail(const Json& def, const std::string& location, bool jsonata, State& state) {
  if (jsonata) {
    // Error and Cause are strings, and may be expressions.
    for (auto [field, expr] : {std::pair{"Error", &state.error_expr},
                               std::pair{"Cause", &state.cause_expr}}) {
      if (!String(def, field, location)) continue;
      const Json& v = *Find(def, field);
      if (IsJsonataExpression(v)) {
        *expr = JsonataField(v, At(location, field), field);
      } else {
        (field == std::string_view("Error") ? state.error : state.cause) = v.get<std::string>();
      }
    }
    return;
  }
  state.error = String(def, "Error", location);
  state.cause = String(def, "Cause", location);
  for (auto [text, field] : {std::pair{&state.error, "Error"}, std::pair{&state.cause, "Cause"}}) {
    if (*text && LooksLikePath(**text)) {
      Warn(kNoPath, At(location, field),
           fmt::format("The value of the field '{}' looks like a path, but the field name does "
                       "not end with 'Path'",
                       field));
    }
  }
  DynamicField(def, "ErrorPath", location, state.error_path, state.error_intrinsic);
  DynamicField(def, "CausePath", location, state.cause_path, state.cause_intrinsic);
  if (Find(def, "Error") && Find(def, "ErrorPath")) Exclusive(location, "Error", "ErrorPath");
  if (Find(def, "Cause") && Find(def, "CausePath")) Exclusive(location, "Cause", "CausePath");
}

void Parser::DynamicField(const Json& def, std::string_view field, const std::string& location,
                          std::optional<query::JsonPath>& path,
                          std::optional<query::Intrinsic>& intrinsic) {
  const Json* v = Find(def, field);
  if (v == nullptr) return;
  if (v->is_string() && query::Intrinsic::LooksLikeCall(v->get_ref<const std::string&>())) {
    json::Result<query::Intrinsic> call =
        query::Intrinsic::Compile(v->get_ref<const std::string&>());
    if (!call.ok()) {
      Error(call.error().name, At(location, field),
            fmt::format("The value for the field '{}' must be a valid intrinsic function call: "
                        "{}",
                        field, call.error().message));
    } else {
      intrinsic = std::move(call).value();
    }
    return;
  }
  path = ReferencePath(*v, field, location);
}

void Parser::ParseParallel(const Json& def, const std::string& location, int depth, State& state) {
  const Json* branches = Find(def, "Branches");
  if (branches == nullptr) {
    Required(location, "Branches");
    return;
  }
  if (!branches->is_array() || branches->empty()) {
    TypeError(location, "Branches", "a non-empty ARRAY");
    return;
  }
  std::string at = At(location, "Branches");
  for (std::size_t i = 0; i < branches->size(); ++i) {
    state.branches.push_back(ParseMachine((*branches)[i], AtIndex(at, i), MachineKind::kBranch,
                                          state.query_language, depth + 1));
  }
}

}  // namespace timeslip::asl::internal
