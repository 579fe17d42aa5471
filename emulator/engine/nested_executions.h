#pragma once
// NestedExecutions: the Step Functions integration with itself, a Task state starting another
// state machine's execution.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
//
//   arn:aws:states:::states:startExecution                    {"ExecutionArn", "StartDate"}
//   arn:aws:states:::states:startExecution.sync               the child's DescribeExecution, with
//                                                              Input and Output as JSON text
//   arn:aws:states:::states:startExecution.sync:2             the same, Input and Output as JSON
//   arn:aws:states:::states:startExecution.waitForTaskToken   the parent waits for its token
//
// Parameters: StateMachineArn (required), Input (an object, or JSON text; default {}), Name.
// A .sync child that fails, times out or is aborted fails the task with States.TaskFailed and
// the child's DescribeExecution as the cause; an error starting the child fails it with
// "StepFunctions.<AWS's error name>" (StepFunctions.StateMachineDoesNotExist, ...). Cancel
// (the parent stopped, or the task timed out) stops a .sync child.
//
// Threads: the engine's only.

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "emulator/engine/integration.h"

namespace timeslip::engine {

class Emulator;
class Execution;

inline constexpr char kStartExecutionResource[] = "arn:aws:states:::states:startExecution";

class NestedExecutions final : public Integration {
 public:
  // Not owned; must outlive this. Listens to `emulator`'s engine for children ending.
  explicit NestedExecutions(Emulator& emulator);
  // Registers for kStartExecutionResource (all three patterns).
  void Register(Integrations& integrations);

  void Start(const TaskRequest& request, TaskCallbacks callbacks) override;
  void Cancel(std::uint64_t task_id) override;

  // The DescribeExecution shape a .sync task answers with; `parsed` for .sync:2.
  static nlohmann::ordered_json Describe(const Execution& execution, bool parsed);

 private:
  struct Waiting {
    std::string child_arn;
    bool parsed = false;  // .sync:2
    std::function<void(json::Result<nlohmann::ordered_json>)> done;
  };
  void ChildEnded(const std::string& child_arn);

  Emulator& emulator_;
  std::set<std::uint64_t> pending_;                // started, not yet answered
  std::map<std::uint64_t, Waiting> waiting_;       // task id -> its .sync child
  std::map<std::string, std::uint64_t> by_child_;  // child ARN -> task id
};

}  // namespace timeslip::engine
