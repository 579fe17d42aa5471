#include "emulator/asl/parse_definition.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "emulator/asl/error_names.h"
#include "emulator/asl/states_key_order_internal.h"
#include "emulator/json/parse.h"
#include "emulator/time/rfc3339.h"

// Validation follows what AWS's CreateStateMachine and ValidateStateMachineDefinition report:
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html
// and the state pages of https://docs.aws.amazon.com/step-functions/latest/dg/concepts-states.html

namespace timeslip::asl {
namespace {

using Json = nlohmann::json;

// The largest value AWS takes for TimeoutSeconds, HeartbeatSeconds, Seconds, IntervalSeconds and
// MaxAttempts.
constexpr std::int64_t kMaxSecondsField = 99999999;
// MaxDelaySeconds: at most a year (366 days).
constexpr std::int64_t kMaxDelaySecondsLimit = 31622400;
// Map Label: at most 40 characters.
constexpr std::size_t kMaxLabelLength = 40;
// ItemBatcher MaxInputBytesPerBatch: at most 256 KiB.
constexpr std::int64_t kMaxInputBytesPerBatch = 256 * 1024;

constexpr std::string_view kTypeValues = "[Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]";

std::string At(const std::string& location, std::string_view field) {
  return fmt::format("{}/{}", location, field);
}

std::string AtIndex(const std::string& location, std::size_t index) {
  return fmt::format("{}/{}", location, index);
}

const Json* Find(const Json& object, std::string_view field) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(std::string(field));
  return it == object.end() ? nullptr : &*it;
}

bool IsJsonataExpression(const Json& value) {
  if (!value.is_string()) return false;
  const std::string& text = value.get_ref<const std::string&>();
  return text.size() >= 4 && text.compare(0, 2, "{%") == 0 &&
         text.compare(text.size() - 2, 2, "%}") == 0;
}

bool LooksLikePath(const std::string& text) {
  return text == "$" || text.rfind("$.", 0) == 0 || text.rfind("$[", 0) == 0 ||
         text.rfind("$$", 0) == 0;
}

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

// A transition by name, resolved to an index once every state of its machine is known.
struct Transition {
  enum class Kind { kNext, kDefault, kChoice, kCatch };
  Kind kind;
  std::size_t state;
  std::size_t item;  // kChoice, kCatch: which entry
  std::string target;
  std::string location;
};

enum class MachineKind { kTop, kBranch, kItemProcessor, kIterator };

class Parser {
 public:
  explicit Parser(internal::StatesKeyOrder key_order) : key_order_(std::move(key_order)) {}

  std::shared_ptr<const StateMachine> ParseRoot(const Json& root) {
    return ParseMachine(root, "", MachineKind::kTop, QueryLanguage::kJsonPath, 0);
  }

  std::vector<Diagnostic> TakeDiagnostics() { return std::move(diagnostics_); }

 private:
  // ---- Diagnostics ----

  void Error(std::string_view code, std::string location, std::string message) {
    diagnostics_.push_back(
        {Severity::kError, std::string(code), std::move(location), std::move(message)});
  }
  void Schema(std::string location, std::string message) {
    Error(kSchemaValidationFailed, std::move(location), std::move(message));
  }
  void Warn(std::string_view code, std::string location, std::string message) {
    diagnostics_.push_back(
        {Severity::kWarning, std::string(code), std::move(location), std::move(message)});
  }
  void TypeError(const std::string& location, std::string_view field, std::string_view kind) {
    Schema(At(location, field),
           fmt::format("The value for the field '{}' must be {}", field, kind));
  }
  void Unsupported(const std::string& location, std::string_view field) {
    Schema(location, fmt::format("Field '{}' is not supported", field));
  }
  void Required(const std::string& location, std::string_view fields) {
    Schema(location, fmt::format("These fields are required: [{}]", fields));
  }
  void Exclusive(const std::string& location, std::string_view a, std::string_view b) {
    Schema(At(location, a),
           fmt::format("Only one of these fields can be specified: [{}, {}]", a, b));
  }
  // Unknown fields of a nested object (Retry entries, ItemReader, ...).
  void CheckFields(const Json& object, const std::string& location,
                   std::initializer_list<std::string_view> allowed) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end()) {
        Unsupported(location, it.key());
      }
    }
  }

  // ---- Typed field readers: absent -> nullopt; wrong type or range -> a diagnostic ----

  std::optional<std::string> String(const Json& object, std::string_view field,
                                    const std::string& location) {
    const Json* value = Find(object, field);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) {
      TypeError(location, field, "a STRING");
      return std::nullopt;
    }
    return value->get<std::string>();
  }

  // An integer within [min, max]; `kind` says so in the message ("a positive integer").
  std::optional<std::int64_t> Integer(const Json& object, std::string_view field,
                                      const std::string& location, std::int64_t min,
                                      std::int64_t max, std::string_view kind) {
    const Json* value = Find(object, field);
    if (value == nullptr) return std::nullopt;
    return IntegerValue(*value, field, location, min, max, kind);
  }
  std::optional<std::int64_t> IntegerValue(const Json& value, std::string_view field,
                                           const std::string& location, std::int64_t min,
                                           std::int64_t max, std::string_view kind) {
    std::optional<std::int64_t> got;
    if (value.is_number_unsigned()) {
      std::uint64_t u = value.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(max) && static_cast<std::int64_t>(u) >= min) {
        got = static_cast<std::int64_t>(u);
      }
    } else if (value.is_number_integer()) {
      std::int64_t i = value.get<std::int64_t>();
      if (i >= min && i <= max) got = i;
    }
    if (!got) {
      if (value.is_number_integer()) {
        Schema(At(location, field),
               fmt::format("The value for the field '{}' must be {} (between {} and {})", field,
                           kind, min, max));
      } else {
        TypeError(location, field, kind);
      }
    }
    return got;
  }

  std::optional<double> Number(const Json& object, std::string_view field,
                               const std::string& location, double min, double max,
                               std::string_view kind) {
    const Json* value = Find(object, field);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number()) {
      TypeError(location, field, kind);
      return std::nullopt;
    }
    double d = value->get<double>();
    if (!(d >= min && d <= max)) {
      Schema(At(location, field),
             fmt::format("The value for the field '{}' must be {}", field, kind));
      return std::nullopt;
    }
    return d;
  }

  // One of `values`, spelled exactly.
  std::optional<std::string> Enum(const Json& object, std::string_view field,
                                  const std::string& location,
                                  std::initializer_list<std::string_view> values) {
    std::optional<std::string> text = String(object, field, location);
    if (!text) return std::nullopt;
    if (std::find(values.begin(), values.end(), *text) == values.end()) {
      Schema(At(location, field),
             fmt::format("The field '{}' should have one of these values: [{}]", field,
                         fmt::join(values, ", ")));
      return std::nullopt;
    }
    return text;
  }

  // A reference path field (ResultPath, *Path): a string that compiles as a reference path.
  std::optional<query::JsonPath> ReferencePath(const Json& value, std::string_view field,
                                               const std::string& location) {
    if (!value.is_string()) {
      TypeError(location, field, "a STRING");
      return std::nullopt;
    }
    json::Result<query::JsonPath> path =
        query::JsonPath::CompileReference(value.get_ref<const std::string&>());
    if (!path.ok()) {
      Error(path.error().name, At(location, field),
            fmt::format("The value for the field '{}' must be a valid Reference Path: {}", field,
                        path.error().message));
      return std::nullopt;
    }
    return std::move(path).value();
  }
  std::optional<query::JsonPath> ReferencePathField(const Json& object, std::string_view field,
                                                    const std::string& location) {
    const Json* value = Find(object, field);
    if (value == nullptr) return std::nullopt;
    return ReferencePath(*value, field, location);
  }

  // InputPath, OutputPath (any path) and ResultPath (a reference path): absent -> "$", JSON null
  // -> nullopt. An invalid path leaves "$" behind (the machine is not built anyway).
  std::optional<query::JsonPath> IoPath(const Json& object, std::string_view field,
                                        const std::string& location, bool reference) {
    const Json* value = Find(object, field);
    if (value == nullptr) return Dollar();
    if (value->is_null()) return std::nullopt;
    if (!value->is_string()) {
      TypeError(location, field, "a STRING or null");
      return Dollar();
    }
    const std::string& text = value->get_ref<const std::string&>();
    json::Result<query::JsonPath> path =
        reference ? query::JsonPath::CompileReference(text) : query::JsonPath::Compile(text);
    if (!path.ok()) {
      Error(path.error().name, At(location, field),
            fmt::format("The value for the field '{}' must be a valid {}: {}", field,
                        reference ? "Reference Path" : "JSONPath", path.error().message));
      return Dollar();
    }
    return std::move(path).value();
  }

  static query::JsonPath Dollar() {
    static const query::JsonPath kDollar = [] {
      json::Result<query::JsonPath> path = query::JsonPath::Compile("$");
      assert(path.ok());
      return std::move(path).value();
    }();
    return kDollar;
  }

  // A payload template (Parameters, ResultSelector, ItemSelector, Credentials).
  std::optional<query::PayloadTemplate> Template(const Json& object, std::string_view field,
                                                 const std::string& location) {
    const Json* value = Find(object, field);
    if (value == nullptr) return std::nullopt;
    if (!value->is_object()) {
      TypeError(location, field, "an OBJECT");
      return std::nullopt;
    }
    query::PayloadTemplate compiled;
    std::vector<json::Error> errors = query::PayloadTemplate::Compile(*value, &compiled);
    for (json::Error& e : errors) Error(e.name, At(location, field), std::move(e.message));
    WarnNoDollar(*value, At(location, field), 0);
    if (!errors.empty()) return std::nullopt;
    return compiled;
  }

  // NO_DOLLAR: a plain key whose value reads like a path or an intrinsic call.
  void WarnNoDollar(const Json& value, const std::string& location, int depth) {
    if (!value.is_object() || depth > 32) return;
    for (auto it = value.begin(); it != value.end(); ++it) {
      const std::string& key = it.key();
      bool dynamic = key.size() > 2 && key.compare(key.size() - 2, 2, ".$") == 0;
      if (dynamic) continue;
      if (it->is_string()) {
        const std::string& text = it->get_ref<const std::string&>();
        if (LooksLikePath(text) || query::Intrinsic::LooksLikeCall(text)) {
          Warn(kNoDollar, At(location, key),
               fmt::format("The value of the field '{}' looks like a JSONPath or an intrinsic "
                           "function, but the field name does not end with '.$'",
                           key));
        }
      } else if (it->is_object()) {
        WarnNoDollar(*it, At(location, key), depth + 1);
      }
    }
  }

  static bool HasDynamicKey(const Json& value, int depth) {
    if (depth > 32) return false;
    if (value.is_object()) {
      for (auto it = value.begin(); it != value.end(); ++it) {
        const std::string& key = it.key();
        if (key.size() > 2 && key.compare(key.size() - 2, 2, ".$") == 0) return true;
        if (HasDynamicKey(*it, depth + 1)) return true;
      }
    } else if (value.is_array()) {
      for (const Json& item : value) {
        if (HasDynamicKey(item, depth + 1)) return true;
      }
    }
    return false;
  }

  // ---- Machines ----

  std::shared_ptr<const StateMachine> ParseMachine(const Json& def, const std::string& location,
                                                   MachineKind kind, QueryLanguage inherited,
                                                   int depth) {
    if (depth > kMaxMachineNesting) {
      Error(kTooDeeplyNested, location, "The states are too deeply nested.");
      return nullptr;
    }
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
      case MachineKind::kIterator:
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
      for (const std::string& name : StateNamesInOrder(*states_json, states_location)) {
        std::string state_location = At(states_location, name);
        CheckStateName(name, state_location);
        states.push_back(ParseState(states_json->at(name), name, state_location, language, depth,
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

  // The state names in document order (nlohmann sorts keys), reporting names given twice.
  std::vector<std::string> StateNamesInOrder(const Json& states, const std::string& location) {
    std::vector<std::string> names;
    auto recorded = key_order_.find(location);
    if (recorded != key_order_.end()) {
      std::set<std::string> seen;
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
                                 [&](const std::string& n) { return states.contains(n); });
      if (matches) return names;
      names.clear();
    }
    for (auto it = states.begin(); it != states.end(); ++it) names.push_back(it.key());
    return names;
  }

  void CheckStateName(const std::string& name, const std::string& location) {
    if (name.empty() || name.size() > kMaxStateNameLength) {
      Error(
          kInvalidStateName, location,
          fmt::format("State names must be between 1 and {} characters long", kMaxStateNameLength));
    }
    // State names are unique across the whole definition, branches included.
    auto [it, inserted] = all_state_names_.emplace(name, location);
    if (!inserted && it->second != location) {
      Error(kDuplicateStateName, location, fmt::format("Duplicate State name: {}", name));
    }
  }

  void ReportUnreachable(const std::vector<State>& states, StateIndex start,
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

  // ---- States ----

  State ParseState(const Json& def, const std::string& name, const std::string& location,
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
            Schema(At(location, it.key()),
                   fmt::format("Field '{}' is only supported when QueryLanguage is JSONata",
                               it.key()));
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
        }
        state.arguments = *v;
      }
    }
    if (takes("Output")) {
      if (const Json* v = Find(def, "Output")) state.output = *v;
    }
    if (takes("Assign")) {
      if (const Json* v = Find(def, "Assign")) {
        if (!v->is_object()) TypeError(location, "Assign", "an OBJECT");
        state.assign = *v;
      }
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

  // Pass, Task, Wait, Parallel and Map need exactly one of Next and End (End true).
  void ParseNextOrEnd(const Json& def, const std::string& location, std::size_t index, State& state,
                      std::vector<Transition>& transitions) {
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

  // ---- Retry and Catch ----

  // Shared by Retry and Catch: a non-empty array of error names, States.ALL alone.
  std::vector<std::string> ErrorEquals(const Json& entry, const std::string& location,
                                       bool* has_all) {
    std::vector<std::string> names;
    *has_all = false;
    const Json* value = Find(entry, "ErrorEquals");
    if (value == nullptr) {
      Required(location, "ErrorEquals");
      return names;
    }
    if (!value->is_array() || value->empty()) {
      TypeError(location, "ErrorEquals", "a non-empty ARRAY of error names");
      return names;
    }
    std::string at = At(location, "ErrorEquals");
    for (std::size_t i = 0; i < value->size(); ++i) {
      const Json& item = (*value)[i];
      if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
        Schema(AtIndex(at, i), "An error name must be a non-empty STRING");
        continue;
      }
      names.push_back(item.get<std::string>());
    }
    *has_all = std::find(names.begin(), names.end(), kStatesAll) != names.end();
    if (*has_all && value->size() > 1) {
      Schema(at, fmt::format("'{}' must appear alone in ErrorEquals", kStatesAll));
    }
    return names;
  }

  void ParseRetry(const Json& def, const std::string& location, State& state) {
    const Json* retry = Find(def, "Retry");
    if (retry == nullptr) return;
    if (!retry->is_array()) {
      TypeError(location, "Retry", "an ARRAY");
      return;
    }
    std::string at = At(location, "Retry");
    for (std::size_t i = 0; i < retry->size(); ++i) {
      const Json& entry = (*retry)[i];
      std::string entry_at = AtIndex(at, i);
      if (!entry.is_object()) {
        Schema(entry_at, "A Retrier must be a JSON object");
        continue;
      }
      CheckFields(entry, entry_at,
                  {"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
                   "MaxDelaySeconds", "JitterStrategy", "Comment"});
      Retrier r;
      bool has_all = false;
      r.error_equals = ErrorEquals(entry, entry_at, &has_all);
      if (has_all && i + 1 != retry->size()) {
        Schema(entry_at, fmt::format("A Retrier with '{}' must be the last Retrier", kStatesAll));
      }
      if (auto v = Integer(entry, "IntervalSeconds", entry_at, 1, kMaxSecondsField,
                           "a positive integer")) {
        r.interval_seconds = static_cast<double>(*v);
      }
      if (auto v = Integer(entry, "MaxAttempts", entry_at, 0, kMaxSecondsField,
                           "a non-negative integer")) {
        r.max_attempts = static_cast<int>(*v);
      }
      if (auto v = Number(entry, "BackoffRate", entry_at, 1.0, 1e9,
                          "a number greater than or equal to 1.0")) {
        r.backoff_rate = *v;
      }
      if (auto v = Integer(entry, "MaxDelaySeconds", entry_at, 1, kMaxDelaySecondsLimit,
                           "a positive integer")) {
        r.max_delay_seconds = static_cast<double>(*v);
      }
      if (auto v = Enum(entry, "JitterStrategy", entry_at, {"FULL", "NONE"})) {
        r.jitter = *v == "FULL" ? JitterStrategy::kFull : JitterStrategy::kNone;
      }
      String(entry, "Comment", entry_at);
      state.retriers.push_back(std::move(r));
    }
  }

  void ParseCatch(const Json& def, const std::string& location, std::size_t index, bool jsonata,
                  State& state, std::vector<Transition>& transitions) {
    const Json* catches = Find(def, "Catch");
    if (catches == nullptr) return;
    if (!catches->is_array()) {
      TypeError(location, "Catch", "an ARRAY");
      return;
    }
    std::string at = At(location, "Catch");
    for (std::size_t i = 0; i < catches->size(); ++i) {
      const Json& entry = (*catches)[i];
      std::string entry_at = AtIndex(at, i);
      Catcher c;
      if (!entry.is_object()) {
        Schema(entry_at, "A Catcher must be a JSON object");
        state.catchers.push_back(std::move(c));
        continue;
      }
      if (jsonata) {
        CheckFields(entry, entry_at, {"ErrorEquals", "Next", "Output", "Assign", "Comment"});
      } else {
        CheckFields(entry, entry_at, {"ErrorEquals", "Next", "ResultPath", "Assign", "Comment"});
      }
      bool has_all = false;
      c.error_equals = ErrorEquals(entry, entry_at, &has_all);
      if (has_all && i + 1 != catches->size()) {
        Schema(entry_at, fmt::format("A Catcher with '{}' must be the last Catcher", kStatesAll));
      }
      c.result_path = jsonata ? Dollar() : IoPath(entry, "ResultPath", entry_at, true);
      if (jsonata) {
        if (const Json* v = Find(entry, "Output")) c.output = *v;
      }
      if (const Json* v = Find(entry, "Assign")) {
        if (!v->is_object()) TypeError(entry_at, "Assign", "an OBJECT");
        c.assign = *v;
      }
      String(entry, "Comment", entry_at);
      std::optional<std::string> next = String(entry, "Next", entry_at);
      if (Find(entry, "Next") == nullptr) Required(entry_at, "Next");
      if (next) {
        transitions.push_back(
            {Transition::Kind::kCatch, index, state.catchers.size(), *next, At(entry_at, "Next")});
      }
      state.catchers.push_back(std::move(c));
    }
  }

  // ---- Per type ----

  void ParsePass(const Json& def, const std::string& location, State& state) {
    if (const Json* result = Find(def, "Result")) {
      state.result = *result;
      if (HasDynamicKey(*result, 0)) {
        Warn(kPassResultIsStatic, At(location, "Result"),
             "The Result of a Pass state is static: keys ending in '.$' are not evaluated "
             "(use Parameters)");
      }
    }
  }

  void ParseTask(const Json& def, const std::string& location, bool jsonata, State& state) {
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
                       std::optional<std::string>& expr) {
      const Json* v = Find(def, field);
      if (v == nullptr) return;
      if (jsonata && IsJsonataExpression(*v)) {
        expr = v->get<std::string>();
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
    }
  }

  // "arn:partition:service:region:account:resource", region and account may be empty
  // ("arn:aws:states:::glue:startJobRun.sync").
  static bool IsArn(const std::string& text) {
    if (text.rfind("arn:", 0) != 0) return false;
    std::size_t colons = static_cast<std::size_t>(std::count(text.begin(), text.end(), ':'));
    if (colons < 5) return false;
    std::size_t partition_end = text.find(':', 4);
    std::size_t service_end = text.find(':', partition_end + 1);
    return partition_end > 4 && service_end > partition_end + 1 && text.back() != ':';
  }

  void ParseChoice(const Json& def, const std::string& location, std::size_t index, bool jsonata,
                   State& state, std::vector<Transition>& transitions) {
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
          std::optional<std::string> condition = String(rule, "Condition", rule_at);
          if (Find(rule, "Condition") == nullptr) Required(rule_at, "Condition");
          branch.condition = condition.value_or("");
          if (const Json* v = Find(rule, "Output")) branch.output = *v;
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
        if (const Json* v = Find(rule, "Assign")) {
          if (!v->is_object()) TypeError(rule_at, "Assign", "an OBJECT");
          branch.assign = *v;
        }
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
      transitions.push_back(
          {Transition::Kind::kDefault, index, 0, *target, At(location, "Default")});
    }
  }

  void ParseWait(const Json& def, const std::string& location, bool jsonata, State& state) {
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
        state.seconds_expr = v->get<std::string>();
      } else {
        state.seconds =
            IntegerValue(*v, "Seconds", location, 0, kMaxSecondsField, "a non-negative integer");
      }
    }
    if (const Json* v = Find(def, "Timestamp")) {
      if (jsonata && IsJsonataExpression(*v)) {
        state.timestamp_expr = v->get<std::string>();
      } else if (!v->is_string()) {
        TypeError(location, "Timestamp", "a STRING");
      } else {
        state.timestamp = time::ParseRfc3339(v->get_ref<const std::string&>());
        if (!state.timestamp) {
          Schema(At(location, "Timestamp"),
                 "The value for the field 'Timestamp' must be a valid RFC 3339 timestamp "
                 "(for example 2024-01-01T00:00:00Z)");
        }
      }
    }
    if (!jsonata) {
      state.seconds_path = ReferencePathField(def, "SecondsPath", location);
      state.timestamp_path = ReferencePathField(def, "TimestampPath", location);
    }
  }

  void ParseFail(const Json& def, const std::string& location, bool jsonata, State& state) {
    state.error = String(def, "Error", location);
    state.cause = String(def, "Cause", location);
    if (jsonata) return;
    for (auto [text, field] :
         {std::pair{&state.error, "Error"}, std::pair{&state.cause, "Cause"}}) {
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

  // ErrorPath and CausePath: a reference path, or an intrinsic function call.
  void DynamicField(const Json& def, std::string_view field, const std::string& location,
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

  void ParseParallel(const Json& def, const std::string& location, int depth, State& state) {
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

  void ParseMap(const Json& def, const std::string& location, int depth, bool jsonata,
                State& state) {
    const Json* processor = Find(def, "ItemProcessor");
    const Json* iterator = Find(def, "Iterator");
    if (processor != nullptr && iterator != nullptr) {
      Exclusive(location, "ItemProcessor", "Iterator");
    } else if (processor == nullptr && iterator == nullptr) {
      Required(location, "ItemProcessor");
    }
    if (processor != nullptr) {
      std::string at = At(location, "ItemProcessor");
      if (const Json* config = Find(*processor, "ProcessorConfig")) {
        ParseProcessorConfig(*config, At(at, "ProcessorConfig"), state);
      }
      state.item_processor = ParseMachine(*processor, at, MachineKind::kItemProcessor,
                                          state.query_language, depth + 1);
    } else if (iterator != nullptr) {
      state.item_processor = ParseMachine(*iterator, At(location, "Iterator"),
                                          MachineKind::kIterator, state.query_language, depth + 1);
    }

    if (jsonata) {
      if (const Json* v = Find(def, "Items")) {
        if (!v->is_array() && !IsJsonataExpression(*v)) {
          TypeError(location, "Items", "an ARRAY or a JSONata expression");
        }
        state.items = *v;
      }
      if (const Json* v = Find(def, "ItemSelector")) state.item_selector_raw = *v;
    } else {
      if (const Json* v = Find(def, "ItemsPath")) {
        state.items_path = ReferencePath(*v, "ItemsPath", location);
      } else {
        state.items_path = Dollar();
      }
      if (Find(def, "ItemSelector") && Find(def, "Parameters")) {
        Exclusive(location, "ItemSelector", "Parameters");
      }
      state.item_selector = Find(def, "ItemSelector") ? Template(def, "ItemSelector", location)
                                                      : Template(def, "Parameters", location);
      state.max_concurrency_path = ReferencePathField(def, "MaxConcurrencyPath", location);
      state.tolerated_failure_percentage_path =
          ReferencePathField(def, "ToleratedFailurePercentagePath", location);
      state.tolerated_failure_count_path =
          ReferencePathField(def, "ToleratedFailureCountPath", location);
      if (Find(def, "MaxConcurrency") && Find(def, "MaxConcurrencyPath")) {
        Exclusive(location, "MaxConcurrency", "MaxConcurrencyPath");
      }
      if (Find(def, "ToleratedFailurePercentage") && Find(def, "ToleratedFailurePercentagePath")) {
        Exclusive(location, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
      }
      if (Find(def, "ToleratedFailureCount") && Find(def, "ToleratedFailureCountPath")) {
        Exclusive(location, "ToleratedFailureCount", "ToleratedFailureCountPath");
      }
    }

    if (const Json* v = Find(def, "MaxConcurrency")) {
      if (jsonata && IsJsonataExpression(*v)) {
        state.max_concurrency_expr = v->get<std::string>();
      } else {
        state.max_concurrency =
            IntegerValue(*v, "MaxConcurrency", location, 0,
                         std::numeric_limits<std::int64_t>::max(), "a non-negative integer");
      }
    }
    if (const Json* v = Find(def, "ToleratedFailurePercentage")) {
      if (!(jsonata && IsJsonataExpression(*v))) {
        state.tolerated_failure_percentage = Number(def, "ToleratedFailurePercentage", location, 0,
                                                    100, "a number between 0 and 100");
      }
    }
    if (const Json* v = Find(def, "ToleratedFailureCount")) {
      if (!(jsonata && IsJsonataExpression(*v))) {
        state.tolerated_failure_count =
            IntegerValue(*v, "ToleratedFailureCount", location, 0,
                         std::numeric_limits<std::int64_t>::max(), "a non-negative integer");
      }
    }
    if (std::optional<std::string> label = String(def, "Label", location)) {
      state.label = *label;
      CheckLabel(*label, At(location, "Label"));
    }
    if (const Json* v = Find(def, "ItemReader")) ParseItemReader(*v, location, jsonata, state);
    if (const Json* v = Find(def, "ItemBatcher")) ParseItemBatcher(*v, location, jsonata, state);
    if (const Json* v = Find(def, "ResultWriter")) ParseResultWriter(*v, location, jsonata, state);
  }

  void ParseProcessorConfig(const Json& config, const std::string& at, State& state) {
    if (!config.is_object()) {
      Schema(at, "The value for the field 'ProcessorConfig' must be an OBJECT");
      return;
    }
    CheckFields(config, at, {"Mode", "ExecutionType"});
    if (auto mode = Enum(config, "Mode", at, {"INLINE", "DISTRIBUTED"})) {
      state.processor_mode =
          *mode == "DISTRIBUTED" ? ProcessorMode::kDistributed : ProcessorMode::kInline;
    }
    if (auto type = Enum(config, "ExecutionType", at, {"STANDARD", "EXPRESS"})) {
      state.execution_type =
          *type == "EXPRESS" ? ExecutionType::kExpress : ExecutionType::kStandard;
    }
    if (state.processor_mode == ProcessorMode::kDistributed &&
        Find(config, "ExecutionType") == nullptr) {
      Required(at, "ExecutionType");
    }
  }

  // Labels name Map Runs: at most 40 characters, none of them whitespace or ARN punctuation.
  void CheckLabel(const std::string& label, const std::string& at) {
    constexpr std::string_view kForbidden = "<>{}[]?*\"#%\\^|~`$&,;:/";
    bool bad = label.empty() || label.size() > kMaxLabelLength;
    for (char c : label) {
      auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u == 0x7f || kForbidden.find(c) != std::string_view::npos) bad = true;
    }
    if (bad) {
      Error(kInvalidLabelName, at,
            fmt::format("A Label must be 1 to {} characters, without whitespace or any of {}",
                        kMaxLabelLength, kForbidden));
    }
  }

  void ParseItemReader(const Json& reader, const std::string& location, bool jsonata,
                       State& state) {
    std::string at = At(location, "ItemReader");
    state.item_reader = reader;
    if (!reader.is_object()) {
      TypeError(location, "ItemReader", "an OBJECT");
      return;
    }
    CheckFields(reader, at, {"Resource", "ReaderConfig", jsonata ? "Arguments" : "Parameters"});
    std::optional<std::string> resource = String(reader, "Resource", at);
    if (Find(reader, "Resource") == nullptr) Required(at, "Resource");
    if (resource && *resource != "arn:aws:states:::s3:getObject" &&
        *resource != "arn:aws:states:::s3:listObjectsV2") {
      Schema(At(at, "Resource"),
             fmt::format("The field 'Resource' should have one of these values: "
                         "[arn:aws:states:::s3:getObject, arn:aws:states:::s3:listObjectsV2]"));
    }
    if (const Json* config = Find(reader, "ReaderConfig")) {
      std::string config_at = At(at, "ReaderConfig");
      if (!config->is_object()) {
        TypeError(at, "ReaderConfig", "an OBJECT");
      } else {
        CheckFields(*config, config_at,
                    {"InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems",
                     "MaxItemsPath", "ManifestType", "Transformation"});
        Enum(*config, "InputType", config_at, {"CSV", "JSON", "JSONL", "MANIFEST", "PARQUET"});
        Enum(*config, "CSVHeaderLocation", config_at, {"FIRST_ROW", "GIVEN"});
        Integer(*config, "MaxItems", config_at, 1, 100000000, "a positive integer");
        if (!jsonata) ReferencePathField(*config, "MaxItemsPath", config_at);
      }
    }
    if (!jsonata) state.item_reader_parameters = Template(reader, "Parameters", at);
  }

  void ParseItemBatcher(const Json& batcher, const std::string& location, bool jsonata,
                        State& state) {
    std::string at = At(location, "ItemBatcher");
    state.item_batcher = batcher;
    if (!batcher.is_object()) {
      TypeError(location, "ItemBatcher", "an OBJECT");
      return;
    }
    if (jsonata) {
      CheckFields(batcher, at, {"MaxItemsPerBatch", "MaxInputBytesPerBatch", "BatchInput"});
    } else {
      CheckFields(batcher, at,
                  {"MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch",
                   "MaxInputBytesPerBatchPath", "BatchInput"});
      ReferencePathField(batcher, "MaxItemsPerBatchPath", at);
      ReferencePathField(batcher, "MaxInputBytesPerBatchPath", at);
    }
    for (std::string_view field : {"MaxItemsPerBatch", "MaxInputBytesPerBatch"}) {
      const Json* v = Find(batcher, field);
      if (v == nullptr || (jsonata && IsJsonataExpression(*v))) continue;
      IntegerValue(*v, field, at, 1,
                   field == "MaxInputBytesPerBatch" ? kMaxInputBytesPerBatch
                                                    : std::numeric_limits<std::int32_t>::max(),
                   "a positive integer");
    }
    if (const Json* v = Find(batcher, "BatchInput"); v != nullptr && !v->is_object()) {
      TypeError(at, "BatchInput", "an OBJECT");
    }
  }

  void ParseResultWriter(const Json& writer, const std::string& location, bool jsonata,
                         State& state) {
    std::string at = At(location, "ResultWriter");
    state.result_writer = writer;
    if (!writer.is_object()) {
      TypeError(location, "ResultWriter", "an OBJECT");
      return;
    }
    CheckFields(writer, at, {"Resource", "WriterConfig", jsonata ? "Arguments" : "Parameters"});
    if (Find(writer, "Resource") == nullptr && Find(writer, "WriterConfig") == nullptr) {
      Required(at, "Resource");
    }
    if (std::optional<std::string> resource = String(writer, "Resource", at)) {
      if (*resource != "arn:aws:states:::s3:putObject") {
        Schema(At(at, "Resource"),
               "The field 'Resource' should have one of these values: "
               "[arn:aws:states:::s3:putObject]");
      }
    }
    if (const Json* config = Find(writer, "WriterConfig")) {
      std::string config_at = At(at, "WriterConfig");
      if (!config->is_object()) {
        TypeError(at, "WriterConfig", "an OBJECT");
      } else {
        CheckFields(*config, config_at, {"Transformation", "OutputType"});
        Enum(*config, "Transformation", config_at, {"NONE", "COMPACT", "FLATTEN"});
        Enum(*config, "OutputType", config_at, {"JSON", "JSONL"});
      }
    }
    if (!jsonata) state.result_writer_parameters = Template(writer, "Parameters", at);
  }

  internal::StatesKeyOrder key_order_;
  std::map<std::string, std::string> all_state_names_;  // name -> where first defined
  std::vector<Diagnostic> diagnostics_;
};

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
  std::optional<json::Result<Json>> parsing;
  try {
    parsing.emplace(json::Parse(json_text, kInvalidJsonDescription));
  } catch (const nlohmann::json::exception& e) {
    // json::Parse catches parse errors; a number too large for a double ("1e99999") still
    // arrives here as out_of_range.
    result.diagnostics.push_back({Severity::kError, std::string(kInvalidJsonDescription), "",
                                  fmt::format("Malformed JSON: {}", e.what())});
    return result;
  }
  json::Result<Json>& parsed = *parsing;
  if (!parsed.ok()) {
    result.diagnostics.push_back(
        {Severity::kError, parsed.error().name, "", parsed.error().message});
    return result;
  }
  Parser parser(internal::RecordStatesKeyOrder(json_text));
  std::shared_ptr<const StateMachine> machine = parser.ParseRoot(parsed.value());
  result.diagnostics = parser.TakeDiagnostics();
  if (!HasErrors(result.diagnostics)) result.machine = std::move(machine);
  return result;
}

}  // namespace timeslip::asl
