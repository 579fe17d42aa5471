#pragma once
// The errors every AWS service shares, whatever wire a call came on:
// https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html

#include <string_view>

namespace timeslip::host {

inline constexpr std::string_view kInternalFailure = "InternalFailure";
inline constexpr std::string_view kServiceUnavailable = "ServiceUnavailable";
inline constexpr std::string_view kSerializationException = "SerializationException";
inline constexpr std::string_view kUnknownOperationException = "UnknownOperationException";
inline constexpr std::string_view kValidationException = "ValidationException";

}  // namespace timeslip::host
