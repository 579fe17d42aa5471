#pragma once
// AWS's Step Functions quotas that the engine enforces, each named once and checked in one place.
// https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html
// The 256 KiB limit on any input, output or task result is json::kMaxPayloadBytes.

#include <cstddef>
#include <cstdint>

#include "emulator/json/size.h"

namespace timeslip::engine {

// State machine, activity and execution names: 1 to 80 characters (CheckName).
inline constexpr std::size_t kMaxNameLength = 80;

// StartExecution's input (Emulator::StartExecution).
inline constexpr std::size_t kMaxExecutionInputBytes = json::kMaxPayloadBytes;

// SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat take tokens of 1 to 2048 characters
// (botocore's stepfunctions model, TaskToken); longer ones are InvalidToken (Engine).
inline constexpr std::size_t kMaxTaskTokenLength = 2048;

// Events in a Standard execution's history; past them the execution fails (the runner).
// Express executions keep no history on AWS, so the quota does not apply to them.
inline constexpr std::size_t kMaxHistoryEvents = 25000;

// How long an Express execution may run, whatever its TimeoutSeconds says (the runner).
inline constexpr int kMaxExpressDurationSeconds = 300;

// An Express execution whose states take no virtual time (a loop without a Wait or a Task
// with latency) would never reach its five-minute timer and would hold the engine forever. On
// AWS each transition takes real time, so such a loop times out; here it ends TIMED_OUT
// (States.Timeout) once it has entered this many states at one virtual instant. Ten times the
// benchmark's 100,000-turn loop, well past any execution that ends by itself.
inline constexpr std::uint64_t kMaxExpressTransitionsAtOneInstant = 2'000'000;

// The largest TimeoutSeconds and HeartbeatSeconds, and so the largest value their *Path
// variants may select at run time (the runner).
inline constexpr std::int64_t kMaxTaskTimeoutSeconds = 99999999;

// The longest delay a Wait state accepts at run time (a Java int of seconds, ~68 years); a
// SecondsPath or TimestampPath beyond it fails with "Wait state delay is too long.".
inline constexpr std::int64_t kMaxWaitDelaySeconds = 2147483647;

// Workflow variables, measured as JSON text: one variable, everything one Assign sets, and every
// variable an execution holds at once (the runner, EvaluateAssign).
// https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
inline constexpr std::size_t kMaxVariableBytes = 256 * 1024;
inline constexpr std::size_t kMaxAssignBytes = 256 * 1024;
inline constexpr std::size_t kMaxExecutionVariablesBytes = 10 * 1024 * 1024;

}  // namespace timeslip::engine
