#pragma once
// The Parser behind ParseDefinition, private to asl: one walk over the parsed JSON that builds the
// StateMachine and collects every diagnostic on the way. Its parts: parse_fields.cc (typed field
// readers, diagnostics), parse_machine.cc (machines, the entry point), parse_states.cc (each state
// type), parse_retry_catch.cc (Retry and Catch), parse_map.cc (Map).
//
// Validation follows what AWS's CreateStateMachine and ValidateStateMachineDefinition report:
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html
// and the state pages of https://docs.aws.amazon.com/step-functions/latest/dg/concepts-states.html

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "emulator/asl/diagnostic.h"
#include "emulator/asl/state_machine.h"
#include "emulator/asl/states_key_order_internal.h"
#include "emulator/json/field_reader.h"
#include "emulator/query/assign.h"
#include "emulator/query/intrinsic.h"
#include "emulator/query/json_path.h"
#include "emulator/query/payload_template.h"

namespace timeslip::asl::internal {

using Json = nlohmann::ordered_json;

// The largest value AWS takes for TimeoutSeconds, HeartbeatSeconds, Seconds, IntervalSeconds and
// MaxAttempts.
inline constexpr std::int64_t kMaxSecondsField = 99999999;

// Locations are JSON pointers: At("/States/A", "Next") is "/States/A/Next".
inline std::string At(const std::string& location, std::string_view field) {
  return json::MemberPath(json::PathStyle::kPointer, location, field);
}
inline std::string AtIndex(const std::string& location, std::size_t index) {
  return json::ElementPath(json::PathStyle::kPointer, location, index);
}
using json::Find;
using query::IsJsonataExpression;
bool LooksLikePath(const std::string& text);

// A transition by name, resolved to an index once every state of its machine is known.
struct Transition {
  enum class Kind { kNext, kDefault, kChoice, kCatch };
  Kind kind;
  std::size_t state;
  std::size_t item;  // kChoice, kCatch: which entry
  std::string target;
  std::string location;
};

enum class MachineKind { kTop, kBranch, kItemProcessor };

class Parser {
 public:
  explicit Parser(StatesKeyOrder key_order) : key_order_(std::move(key_order)) {}

  std::shared_ptr<const StateMachine> ParseRoot(const Json& root) {
    std::shared_ptr<const StateMachine> machine =
        ParseMachine(root, "", MachineKind::kTop, QueryLanguage::kJsonPath, 0);
    CheckVariableScopes();
    return machine;
  }

  std::vector<Diagnostic> TakeDiagnostics() { return std::move(diagnostics_); }

 private:
  // ---- Diagnostics ----

  void Error(std::string_view code, std::string location, std::string message);
  void Schema(std::string location, std::string message);
  void Warn(std::string_view code, std::string location, std::string message);
  void TypeError(const std::string& location, std::string_view field, std::string_view kind);
  // A json::FieldReader problem with member `field` of `location`: of the wrong type, it must be
  // `kind`; otherwise (out of range, not allowed) `otherwise` says what is wrong.
  void Misfit(const json::Problem& problem, const std::string& location, std::string_view field,
              std::string_view kind, std::string otherwise);
  void Unsupported(const std::string& location, std::string_view field);
  void Required(const std::string& location, std::string_view fields);
  void Exclusive(const std::string& location, std::string_view a, std::string_view b);
  // Unknown fields of a nested object (Retry entries, ItemReader, ...).
  void CheckFields(const Json& object, const std::string& location,
                   std::initializer_list<std::string_view> allowed);

  // ---- Typed field readers (json::FieldReader): absent -> nullopt; wrong type or range -> a
  // diagnostic ----

  // Member `field` if it is of `type`; nullptr when absent, or after reporting that it must be
  // `kind` ("an OBJECT").
  const Json* Typed(const Json& object, std::string_view field, const std::string& location,
                    json::Type type, std::string_view kind);
  std::optional<std::string> String(const Json& object, std::string_view field,
                                    const std::string& location);
  // An integer within [min, max]; `kind` says so in the message ("a positive integer").
  std::optional<std::int64_t> Integer(const Json& object, std::string_view field,
                                      const std::string& location, std::int64_t min,
                                      std::int64_t max, std::string_view kind);
  std::optional<std::int64_t> IntegerValue(const Json& value, std::string_view field,
                                           const std::string& location, std::int64_t min,
                                           std::int64_t max, std::string_view kind);
  std::optional<double> Number(const Json& object, std::string_view field,
                               const std::string& location, double min, double max,
                               std::string_view kind);
  // One of `values`, spelled exactly.
  std::optional<std::string> Enum(const Json& object, std::string_view field,
                                  const std::string& location,
                                  std::initializer_list<std::string_view> values);
  // A reference path field (ResultPath, *Path): a string that compiles as a reference path.
  std::optional<query::JsonPath> ReferencePath(const Json& value, std::string_view field,
                                               const std::string& location);
  std::optional<query::JsonPath> ReferencePathField(const Json& object, std::string_view field,
                                                    const std::string& location);
  // InputPath, OutputPath (any path) and ResultPath (a reference path): absent -> "$", JSON null
  // -> nullopt. An invalid path leaves "$" behind (the machine is not built anyway).
  std::optional<query::JsonPath> IoPath(const Json& object, std::string_view field,
                                        const std::string& location, bool reference);
  static query::JsonPath Dollar();
  // A JSONata state's field (Arguments, Output, Items, Seconds, ...), compiled: nullopt when the
  // value is invalid (reported). `name` is the field as AWS names it at run time
  // ("Choices[0]/Condition").
  std::optional<query::JsonataTemplate> JsonataField(const Json& value, const std::string& location,
                                                     std::string name);
  // A payload template (Parameters, ResultSelector, ItemSelector, Credentials).
  std::optional<query::PayloadTemplate> Template(const Json& object, std::string_view field,
                                                 const std::string& location);
  // NO_DOLLAR: a plain key whose value reads like a path or an intrinsic call.
  void WarnNoDollar(const Json& value, const std::string& location, int depth);
  static bool HasDynamicKey(const Json& value, int depth);

  // ---- Machines ----

  std::shared_ptr<const StateMachine> ParseMachine(const Json& def, const std::string& location,
                                                   MachineKind kind, QueryLanguage inherited,
                                                   int depth);
  // A "States" object's members by name (views into `states`, which must outlive it).
  using StatesByName = std::unordered_map<std::string_view, const Json*>;
  // The state names in document order, duplicates reported and dropped (the parsed document
  // keeps one member per name). `by_name` indexes `states`.
  std::vector<std::string> StateNamesInOrder(const Json& states, const StatesByName& by_name,
                                             const std::string& location);
  void CheckStateName(const std::string& name, const std::string& location);
  void ReportUnreachable(const std::vector<State>& states, StateIndex start,
                         const std::vector<std::string>& locations);

  // ---- States ----

  State ParseState(const Json& def, const std::string& name, const std::string& location,
                   QueryLanguage inherited, int depth, std::size_t index,
                   std::vector<Transition>& transitions);
  // Pass, Task, Wait, Parallel and Map need exactly one of Next and End (End true).
  void ParseNextOrEnd(const Json& def, const std::string& location, std::size_t index, State& state,
                      std::vector<Transition>& transitions);

  // ---- Assign (parse_assign.cc) ----

  // Assign of `owner` (a state, a Choice rule, a Catcher) at `location`: nullopt when absent or
  // invalid. Checks the variable names and remembers them for CheckVariableScopes.
  // `field` names it in JSONata's runtime errors ("Choices[0]/Assign").
  std::optional<query::Assign> ParseAssign(const Json& owner, const std::string& location,
                                           bool jsonata, std::string field = "Assign");
  // A variable assigned in a Parallel branch or Map iteration must not share its name with one
  // assigned in a scope around it. Run once the whole definition is parsed.
  void CheckVariableScopes();
  // Each machine (the top, a branch, an item processor) is a scope; ParseMachine holds one of
  // these while it parses its states.
  class ScopeGuard {
   public:
    explicit ScopeGuard(Parser& parser);
    ~ScopeGuard();
    ScopeGuard(const ScopeGuard&) = delete;
    ScopeGuard& operator=(const ScopeGuard&) = delete;

   private:
    Parser& parser_;
  };
  struct AssignedName {
    std::vector<int> scopes;  // the scope it is assigned in, last; those around it before
    std::string name;
    std::string location;
  };

  // ---- Retry and Catch ----

  // Shared by Retry and Catch: a non-empty array of error names, States.ALL alone.
  std::vector<std::string> ErrorEquals(const Json& entry, const std::string& location,
                                       bool* has_all);
  void ParseRetry(const Json& def, const std::string& location, State& state);
  void ParseCatch(const Json& def, const std::string& location, std::size_t index, bool jsonata,
                  State& state, std::vector<Transition>& transitions);

  // ---- Per type ----

  void ParsePass(const Json& def, const std::string& location, State& state);
  void ParseTask(const Json& def, const std::string& location, bool jsonata, State& state);
  // "arn:partition:service:region:account:resource", region and account may be empty
  // ("arn:aws:states:::glue:startJobRun.sync").
  static bool IsArn(const std::string& text);
  void ParseChoice(const Json& def, const std::string& location, std::size_t index, bool jsonata,
                   State& state, std::vector<Transition>& transitions);
  void ParseWait(const Json& def, const std::string& location, bool jsonata, State& state);
  void ParseFail(const Json& def, const std::string& location, bool jsonata, State& state);
  // ErrorPath and CausePath: a reference path, or an intrinsic function call.
  void DynamicField(const Json& def, std::string_view field, const std::string& location,
                    std::optional<query::JsonPath>& path,
                    std::optional<query::Intrinsic>& intrinsic);
  void ParseParallel(const Json& def, const std::string& location, int depth, State& state);

  // ---- Map ----

  void ParseMap(const Json& def, const std::string& location, int depth, bool jsonata,
                State& state);
  void ParseProcessorConfig(const Json& config, const std::string& at, State& state);
  // Labels name Map Runs: at most 40 characters, none of them whitespace or ARN punctuation.
  void CheckLabel(const std::string& label, const std::string& at);
  void ParseItemReader(const Json& reader, const std::string& location, bool jsonata, State& state);
  void ParseItemBatcher(const Json& batcher, const std::string& location, bool jsonata,
                        State& state);
  void ParseResultWriter(const Json& writer, const std::string& location, bool jsonata,
                         State& state);

  StatesKeyOrder key_order_;
  std::vector<int> scopes_;  // the scopes being parsed, outermost first
  int next_scope_ = 0;
  std::vector<AssignedName> assigned_;
  std::map<std::string, std::string> all_state_names_;  // name -> where first defined
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace timeslip::asl::internal
