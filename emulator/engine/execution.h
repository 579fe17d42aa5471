#pragma once
// Execution: one run of a state machine, as DescribeExecution and GetExecutionHistory show it.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/engine/history_event.h"
#include "emulator/engine/mock_config.h"
#include "emulator/engine/state_machine_record.h"
#include "emulator/time/clock.h"

namespace timeslip::engine {

enum class ExecutionStatus { kRunning, kSucceeded, kFailed, kTimedOut, kAborted };
inline constexpr ExecutionStatus kAllExecutionStatuses[] = {
    ExecutionStatus::kRunning, ExecutionStatus::kSucceeded, ExecutionStatus::kFailed,
    ExecutionStatus::kTimedOut, ExecutionStatus::kAborted};
// "RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED".
std::string_view StatusName(ExecutionStatus status);

// What starts an execution.
struct StartParams {
  // The revision of the state machine it starts on. REQUIRES: set, and `machine`,
  // `state_machine_arn`, `state_machine_name`, `role_arn` and `type` copied from it.
  std::shared_ptr<const StateMachineRecord> machine_record;
  std::shared_ptr<const asl::StateMachine> machine;
  std::string state_machine_arn;
  std::string state_machine_name;
  std::string execution_arn;
  std::string name;
  nlohmann::ordered_json input = nlohmann::ordered_json::object();
  // The input as the client sent it, which DescribeExecution answers with byte for byte
  // (spacing included); empty when the execution did not start from a client's text.
  std::string input_text;
  std::string role_arn;
  std::string region = "us-east-1";
  MachineType type = MachineType::kStandard;
  // Step Functions Local's test case ("ARN#TestCase"): mocked Task states. Null: none.
  std::shared_ptr<const MockTestCase> mocks;
};

namespace internal {
class Runner;
}

class Execution {
 public:
  const std::string& arn() const { return params_.execution_arn; }
  const std::string& name() const { return params_.name; }
  const std::string& state_machine_arn() const { return params_.state_machine_arn; }
  const std::string& state_machine_name() const { return params_.state_machine_name; }
  const StartParams& params() const { return params_; }
  const nlohmann::ordered_json& input() const { return params_.input; }
  // The input's text as the client sent it, else its compact JSON text.
  std::string input_text() const;
  MachineType type() const { return params_.type; }
  // The state machine as it was when this execution started, kept through updates and
  // redrives: what DescribeStateMachineForExecution shows.
  const std::shared_ptr<const StateMachineRecord>& machine_record() const {
    return params_.machine_record;
  }

  ExecutionStatus status() const { return status_; }
  // Whether the execution has ended: SUCCEEDED, FAILED, TIMED_OUT or ABORTED, each recorded by
  // its event_type::IsTerminal event. A redrive makes it RUNNING again.
  bool ended() const { return status_ != ExecutionStatus::kRunning; }
  const std::optional<nlohmann::ordered_json>& output() const { return output_; }
  const std::string& error() const { return error_; }
  const std::string& cause() const { return cause_; }
  time::Instant start_date() const { return start_date_; }
  std::optional<time::Instant> stop_date() const { return stop_date_; }
  int redrive_count() const { return redrive_count_; }
  std::optional<time::Instant> redrive_date() const { return redrive_date_; }

  // Whether this execution keeps a history. Standard executions do; Express ones do not, as on
  // AWS (their record is logging), unless the engine was asked to keep theirs too
  // (Engine::set_record_express_history). Without one, history() stays empty and listeners hear
  // nothing; event ids still count on, so runtime causes name the same "event id #N".
  bool records_history() const { return records_history_; }
  const std::vector<HistoryEvent>& history() const { return history_; }
  // How many events the execution has had, recorded or not: the id of the last one.
  std::int64_t event_count() const { return event_count_; }
  // The whole history as readable JSON (RFC 3339 timestamps): the determinism tests compare it.
  nlohmann::ordered_json HistoryJson() const;

 private:
  friend class Engine;
  friend class internal::Runner;

  StartParams params_;
  ExecutionStatus status_ = ExecutionStatus::kRunning;
  std::optional<nlohmann::ordered_json> output_;
  std::string error_;
  std::string cause_;
  time::Instant start_date_;
  std::optional<time::Instant> stop_date_;
  int redrive_count_ = 0;
  std::optional<time::Instant> redrive_date_;
  bool records_history_ = true;
  std::int64_t event_count_ = 0;
  std::vector<HistoryEvent> history_;
  std::unique_ptr<internal::Runner> runner_;
};

}  // namespace timeslip::engine
