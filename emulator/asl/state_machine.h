#pragma once
// StateMachine: a parsed and validated ASL definition, an immutable graph of States. Built only
// by ParseDefinition() (parse_definition.h) and shared as std::shared_ptr<const StateMachine>.
// State names are resolved to StateIndex at parse time: nothing is looked up by name at run time.
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/query/assign.h"
#include "emulator/query/choice_rule.h"
#include "emulator/query/intrinsic.h"
#include "emulator/query/jsonata_template.h"
#include "emulator/query/json_path.h"
#include "emulator/query/payload_template.h"
#include "emulator/time/clock.h"

namespace timeslip::asl {

enum class StateType { kPass, kTask, kChoice, kWait, kSucceed, kFail, kParallel, kMap };
enum class QueryLanguage { kJsonPath, kJsonata };
enum class JitterStrategy { kNone, kFull };
enum class ProcessorMode { kInline, kDistributed };
enum class ExecutionType { kStandard, kExpress };

// "Pass", "Task", ...: the "Type" value, as AWS spells it.
std::string_view StateTypeName(StateType type);

// A state's position in its machine's states(); transitions never cross machines.
using StateIndex = int;
inline constexpr StateIndex kNoState = -1;

class StateMachine;

// One entry of "Retry", with AWS's defaults for what the definition leaves out.
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
struct Retrier {
  std::vector<std::string> error_equals;
  double interval_seconds = 1;
  int max_attempts = 3;
  double backoff_rate = 2.0;
  std::optional<double> max_delay_seconds;
  JitterStrategy jitter = JitterStrategy::kNone;
};

// One entry of "Catch".
struct Catcher {
  std::vector<std::string> error_equals;
  // JSONPath: absent -> "$"; JSON null -> nullopt (the error output is discarded).
  std::optional<query::JsonPath> result_path;
  StateIndex next = kNoState;
  // JSONata only: what the state outputs when caught ($states.errorOutput when absent).
  std::optional<query::JsonataTemplate> output;
  nlohmann::ordered_json assign;  // raw; null when absent
  // Assign compiled (both languages): "$" is the error output. nullopt when absent.
  std::optional<query::Assign> assignments;
};

// One entry of a Choice state's "Choices".
struct ChoiceBranch {
  std::optional<query::ChoiceRule> rule;           // JSONPath: always present
  std::optional<query::JsonataTemplate> condition;  // JSONata: always present
  StateIndex next = kNoState;
  nlohmann::ordered_json assign;                 // raw; null when absent
  std::optional<query::JsonataTemplate> output;  // JSONata; the state's Output when absent
  // Assign compiled, used when this rule matches: "$" is the state's effective input.
  std::optional<query::Assign> assignments;
};

// Every field AWS documents, for every state type; a field that does not apply to `type` keeps its
// default. Paths follow io_processing.h: InputPath/OutputPath/ResultPath absent -> "$" compiled,
// JSON null -> nullopt. JSONata fields are compiled templates (query/jsonata_template.h): a
// field that may hold an expression or a literal is a template either way.
struct State {
  std::string name;
  StateType type = StateType::kPass;
  QueryLanguage query_language = QueryLanguage::kJsonPath;  // effective, after inheritance
  bool query_language_set = false;                          // "QueryLanguage" on the state
  std::string comment;

  StateIndex next = kNoState;  // kNoState when end (or for Choice/Succeed/Fail)
  bool end = false;

  // JSONPath input and output processing.
  std::optional<query::JsonPath> input_path;
  std::optional<query::JsonPath> output_path;
  std::optional<query::JsonPath> result_path;
  std::optional<query::PayloadTemplate> parameters;  // also Map's older "Parameters"
  std::optional<query::PayloadTemplate> result_selector;

  // JSONata; nullopt when absent. `assign` (raw; null when absent) applies to both languages.
  std::optional<query::JsonataTemplate> arguments;
  std::optional<query::JsonataTemplate> output;
  nlohmann::ordered_json assign;
  // Assign compiled (both languages); nullopt when absent. "$" is the result (after
  // ResultSelector) for Pass, Task, Parallel and Map; the effective input for Choice (used when
  // no rule matched) and Wait.
  std::optional<query::Assign> assignments;

  // Pass.
  std::optional<nlohmann::ordered_json> result;

  // Task.
  std::string resource;
  std::optional<std::int64_t> timeout_seconds;
  std::optional<query::JsonPath> timeout_seconds_path;
  std::optional<query::JsonataTemplate> timeout_seconds_expr;  // JSONata
  std::optional<std::int64_t> heartbeat_seconds;
  std::optional<query::JsonPath> heartbeat_seconds_path;
  std::optional<query::JsonataTemplate> heartbeat_seconds_expr;  // JSONata
  std::optional<query::PayloadTemplate> credentials;  // JSONPath
  nlohmann::ordered_json credentials_raw;                     // as written; null when absent

  // Task, Parallel, Map.
  std::vector<Retrier> retriers;
  std::vector<Catcher> catchers;

  // Choice.
  std::vector<ChoiceBranch> choices;
  StateIndex default_next = kNoState;

  // Wait: exactly one of these is set.
  std::optional<std::int64_t> seconds;
  std::optional<time::Instant> timestamp;
  std::optional<query::JsonPath> seconds_path;
  std::optional<query::JsonPath> timestamp_path;
  std::optional<query::JsonataTemplate> seconds_expr;    // JSONata
  std::optional<query::JsonataTemplate> timestamp_expr;  // JSONata

  // Fail. ErrorPath and CausePath are a reference path or an intrinsic function.
  std::optional<std::string> error;
  std::optional<std::string> cause;
  std::optional<query::JsonPath> error_path;
  std::optional<query::Intrinsic> error_intrinsic;
  std::optional<query::JsonPath> cause_path;
  std::optional<query::Intrinsic> cause_intrinsic;
  std::optional<query::JsonataTemplate> error_expr;  // JSONata
  std::optional<query::JsonataTemplate> cause_expr;  // JSONata

  // Parallel.
  std::vector<std::shared_ptr<const StateMachine>> branches;

  // Map.
  std::shared_ptr<const StateMachine> item_processor;  // "ItemProcessor" or the older "Iterator"
  ProcessorMode processor_mode = ProcessorMode::kInline;
  std::optional<ExecutionType> execution_type;  // DISTRIBUTED only
  std::optional<query::JsonPath> items_path;    // JSONPath: absent -> "$"
  std::optional<query::JsonataTemplate> items;  // JSONata "Items"; the input when absent
  std::optional<query::PayloadTemplate> item_selector;
  std::optional<query::JsonataTemplate> jsonata_item_selector;  // JSONata "ItemSelector"
  std::optional<std::int64_t> max_concurrency;  // absent: 0, unlimited
  std::optional<query::JsonPath> max_concurrency_path;
  std::optional<query::JsonataTemplate> max_concurrency_expr;  // JSONata
  // Distributed mode, validated for shape and kept as written; null when absent.
  nlohmann::ordered_json item_reader;
  std::optional<query::PayloadTemplate> item_reader_parameters;
  nlohmann::ordered_json item_batcher;
  nlohmann::ordered_json result_writer;
  std::optional<query::PayloadTemplate> result_writer_parameters;
  std::optional<double> tolerated_failure_percentage;
  std::optional<query::JsonPath> tolerated_failure_percentage_path;
  std::optional<std::int64_t> tolerated_failure_count;
  std::optional<query::JsonPath> tolerated_failure_count_path;
  std::optional<query::JsonataTemplate> tolerated_failure_percentage_expr;  // JSONata
  std::optional<query::JsonataTemplate> tolerated_failure_count_expr;       // JSONata
  std::string label;

  bool is_terminal() const {
    return end || type == StateType::kSucceed || type == StateType::kFail;
  }
};

// A whole definition, or one Parallel branch or Map item processor.
class StateMachine {
 public:
  StateMachine(StateIndex start_at, std::vector<State> states, std::string comment,
               std::string version, std::optional<std::int64_t> timeout_seconds,
               QueryLanguage query_language)
      : start_at_(start_at),
        states_(std::move(states)),
        comment_(std::move(comment)),
        version_(std::move(version)),
        timeout_seconds_(timeout_seconds),
        query_language_(query_language) {}

  StateIndex start_at() const { return start_at_; }
  const std::vector<State>& states() const { return states_; }  // in definition order
  // REQUIRES: 0 <= index < states().size().
  const State& state(StateIndex index) const { return states_[static_cast<std::size_t>(index)]; }
  const std::string& comment() const { return comment_; }
  const std::string& version() const { return version_; }
  std::optional<std::int64_t> timeout_seconds() const { return timeout_seconds_; }
  QueryLanguage query_language() const { return query_language_; }

  // The index of the state called `name` in this machine (not in its branches), or kNoState.
  // For tests and tools: the engine follows indices.
  StateIndex FindState(std::string_view name) const;

 private:
  StateIndex start_at_;
  std::vector<State> states_;
  std::string comment_;
  std::string version_;
  std::optional<std::int64_t> timeout_seconds_;
  QueryLanguage query_language_;
};

}  // namespace timeslip::asl
