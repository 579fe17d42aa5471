#pragma once
// The types of history events, as AWS spells them (the HistoryEventType enum), defined once.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html

#include <string_view>

namespace timeslip::engine::event_type {

inline constexpr std::string_view kActivityFailed = "ActivityFailed";
inline constexpr std::string_view kActivityScheduled = "ActivityScheduled";
inline constexpr std::string_view kActivityScheduleFailed = "ActivityScheduleFailed";
inline constexpr std::string_view kActivityStarted = "ActivityStarted";
inline constexpr std::string_view kActivitySucceeded = "ActivitySucceeded";
inline constexpr std::string_view kActivityTimedOut = "ActivityTimedOut";
inline constexpr std::string_view kChoiceStateEntered = "ChoiceStateEntered";
inline constexpr std::string_view kChoiceStateExited = "ChoiceStateExited";
inline constexpr std::string_view kExecutionAborted = "ExecutionAborted";
inline constexpr std::string_view kExecutionFailed = "ExecutionFailed";
inline constexpr std::string_view kExecutionStarted = "ExecutionStarted";
inline constexpr std::string_view kExecutionSucceeded = "ExecutionSucceeded";
inline constexpr std::string_view kExecutionTimedOut = "ExecutionTimedOut";
inline constexpr std::string_view kFailStateEntered = "FailStateEntered";
inline constexpr std::string_view kLambdaFunctionFailed = "LambdaFunctionFailed";
inline constexpr std::string_view kLambdaFunctionScheduled = "LambdaFunctionScheduled";
inline constexpr std::string_view kLambdaFunctionScheduleFailed = "LambdaFunctionScheduleFailed";
inline constexpr std::string_view kLambdaFunctionStarted = "LambdaFunctionStarted";
inline constexpr std::string_view kLambdaFunctionStartFailed = "LambdaFunctionStartFailed";
inline constexpr std::string_view kLambdaFunctionSucceeded = "LambdaFunctionSucceeded";
inline constexpr std::string_view kLambdaFunctionTimedOut = "LambdaFunctionTimedOut";
inline constexpr std::string_view kMapIterationAborted = "MapIterationAborted";
inline constexpr std::string_view kMapIterationFailed = "MapIterationFailed";
inline constexpr std::string_view kMapIterationStarted = "MapIterationStarted";
inline constexpr std::string_view kMapIterationSucceeded = "MapIterationSucceeded";
inline constexpr std::string_view kMapStateAborted = "MapStateAborted";
inline constexpr std::string_view kMapStateEntered = "MapStateEntered";
inline constexpr std::string_view kMapStateExited = "MapStateExited";
inline constexpr std::string_view kMapStateFailed = "MapStateFailed";
inline constexpr std::string_view kMapStateStarted = "MapStateStarted";
inline constexpr std::string_view kMapStateSucceeded = "MapStateSucceeded";
inline constexpr std::string_view kParallelStateAborted = "ParallelStateAborted";
inline constexpr std::string_view kParallelStateEntered = "ParallelStateEntered";
inline constexpr std::string_view kParallelStateExited = "ParallelStateExited";
inline constexpr std::string_view kParallelStateFailed = "ParallelStateFailed";
inline constexpr std::string_view kParallelStateStarted = "ParallelStateStarted";
inline constexpr std::string_view kParallelStateSucceeded = "ParallelStateSucceeded";
inline constexpr std::string_view kPassStateEntered = "PassStateEntered";
inline constexpr std::string_view kPassStateExited = "PassStateExited";
inline constexpr std::string_view kSucceedStateEntered = "SucceedStateEntered";
inline constexpr std::string_view kSucceedStateExited = "SucceedStateExited";
inline constexpr std::string_view kTaskFailed = "TaskFailed";
inline constexpr std::string_view kTaskScheduled = "TaskScheduled";
inline constexpr std::string_view kTaskStarted = "TaskStarted";
inline constexpr std::string_view kTaskStartFailed = "TaskStartFailed";
inline constexpr std::string_view kTaskStateAborted = "TaskStateAborted";
inline constexpr std::string_view kTaskStateEntered = "TaskStateEntered";
inline constexpr std::string_view kTaskStateExited = "TaskStateExited";
inline constexpr std::string_view kTaskSubmitFailed = "TaskSubmitFailed";
inline constexpr std::string_view kTaskSubmitted = "TaskSubmitted";
inline constexpr std::string_view kTaskSucceeded = "TaskSucceeded";
inline constexpr std::string_view kTaskTimedOut = "TaskTimedOut";
inline constexpr std::string_view kWaitStateAborted = "WaitStateAborted";
inline constexpr std::string_view kWaitStateEntered = "WaitStateEntered";
inline constexpr std::string_view kWaitStateExited = "WaitStateExited";
inline constexpr std::string_view kMapRunAborted = "MapRunAborted";
inline constexpr std::string_view kMapRunFailed = "MapRunFailed";
inline constexpr std::string_view kMapRunStarted = "MapRunStarted";
inline constexpr std::string_view kMapRunSucceeded = "MapRunSucceeded";
inline constexpr std::string_view kExecutionRedriven = "ExecutionRedriven";
inline constexpr std::string_view kMapRunRedriven = "MapRunRedriven";
inline constexpr std::string_view kEvaluationFailed = "EvaluationFailed";

// Every type above, in the order AWS's documentation lists them.
inline constexpr std::string_view kAllEventTypes[] = {
    kActivityFailed,
    kActivityScheduled,
    kActivityScheduleFailed,
    kActivityStarted,
    kActivitySucceeded,
    kActivityTimedOut,
    kChoiceStateEntered,
    kChoiceStateExited,
    kExecutionAborted,
    kExecutionFailed,
    kExecutionStarted,
    kExecutionSucceeded,
    kExecutionTimedOut,
    kFailStateEntered,
    kLambdaFunctionFailed,
    kLambdaFunctionScheduled,
    kLambdaFunctionScheduleFailed,
    kLambdaFunctionStarted,
    kLambdaFunctionStartFailed,
    kLambdaFunctionSucceeded,
    kLambdaFunctionTimedOut,
    kMapIterationAborted,
    kMapIterationFailed,
    kMapIterationStarted,
    kMapIterationSucceeded,
    kMapStateAborted,
    kMapStateEntered,
    kMapStateExited,
    kMapStateFailed,
    kMapStateStarted,
    kMapStateSucceeded,
    kParallelStateAborted,
    kParallelStateEntered,
    kParallelStateExited,
    kParallelStateFailed,
    kParallelStateStarted,
    kParallelStateSucceeded,
    kPassStateEntered,
    kPassStateExited,
    kSucceedStateEntered,
    kSucceedStateExited,
    kTaskFailed,
    kTaskScheduled,
    kTaskStarted,
    kTaskStartFailed,
    kTaskStateAborted,
    kTaskStateEntered,
    kTaskStateExited,
    kTaskSubmitFailed,
    kTaskSubmitted,
    kTaskSucceeded,
    kTaskTimedOut,
    kWaitStateAborted,
    kWaitStateEntered,
    kWaitStateExited,
    kMapRunAborted,
    kMapRunFailed,
    kMapRunStarted,
    kMapRunSucceeded,
    kExecutionRedriven,
    kMapRunRedriven,
    kEvaluationFailed,
};

// True for the four types that end an execution: ExecutionSucceeded, ExecutionFailed,
// ExecutionTimedOut and ExecutionAborted (ExecutionRedriven may start it again).
constexpr bool IsTerminal(std::string_view type) {
  return type == kExecutionSucceeded || type == kExecutionFailed || type == kExecutionTimedOut ||
         type == kExecutionAborted;
}

}  // namespace timeslip::engine::event_type
