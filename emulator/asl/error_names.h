#pragma once
// The error names ASL predefines, defined once. Clients match on these exact strings.
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html

#include <string_view>

namespace timeslip::asl {

inline constexpr std::string_view kStatesAll = "States.ALL";
inline constexpr std::string_view kStatesBranchFailed = "States.BranchFailed";
inline constexpr std::string_view kStatesDataLimitExceeded = "States.DataLimitExceeded";
inline constexpr std::string_view kStatesExceedToleratedFailureThreshold =
    "States.ExceedToleratedFailureThreshold";
inline constexpr std::string_view kStatesHeartbeatTimeout = "States.HeartbeatTimeout";
inline constexpr std::string_view kStatesIntrinsicFailure = "States.IntrinsicFailure";
inline constexpr std::string_view kStatesItemReaderFailed = "States.ItemReaderFailed";
inline constexpr std::string_view kStatesNoChoiceMatched = "States.NoChoiceMatched";
inline constexpr std::string_view kStatesParameterPathFailure = "States.ParameterPathFailure";
inline constexpr std::string_view kStatesPermissions = "States.Permissions";
inline constexpr std::string_view kStatesResultPathMatchFailure = "States.ResultPathMatchFailure";
inline constexpr std::string_view kStatesResultWriterFailed = "States.ResultWriterFailed";
inline constexpr std::string_view kStatesRuntime = "States.Runtime";
inline constexpr std::string_view kStatesTaskFailed = "States.TaskFailed";
inline constexpr std::string_view kStatesTimeout = "States.Timeout";
inline constexpr std::string_view kStatesQueryEvaluationError = "States.QueryEvaluationError";

// True for the names above: the errors the service itself raises.
bool IsPredefinedError(std::string_view name);

}  // namespace timeslip::asl
