#pragma once
// The errors the transport itself raises, the one table from error name to HTTP status, and the
// shape AWS's JSON protocols give an error: {"__type": "<Name>", "message": "..."}.

#include <string_view>

#include "emulator/api/request.h"
#include "emulator/json/result.h"

namespace timeslip::api {

// AWS's common errors:
// https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html
inline constexpr std::string_view kInternalFailure = "InternalFailure";
inline constexpr std::string_view kServiceUnavailable = "ServiceUnavailable";
inline constexpr std::string_view kSerializationException = "SerializationException";
inline constexpr std::string_view kUnknownOperationException = "UnknownOperationException";
inline constexpr std::string_view kValidationException = "ValidationException";
// Ours, for what happens below the protocol: no AWS service names these in a JSON body.
inline constexpr std::string_view kBadRequest = "BadRequestException";                        // 400
inline constexpr std::string_view kNotFound = "NotFoundException";                            // 404
inline constexpr std::string_view kMethodNotAllowed = "MethodNotAllowedException";            // 405
inline constexpr std::string_view kRequestEntityTooLarge = "RequestEntityTooLargeException";  // 413

// The HTTP status AWS answers `error_name` with. Client errors not in the table are 400, as AWS's
// service-specific errors (ExecutionDoesNotExist, InvalidArn, ...) all are.
int HttpStatusFor(std::string_view error_name);

// `error` as a response: status from HttpStatusFor, body {"__type","message"}, the given type.
Response ErrorResponse(const json::Error& error, std::string_view content_type);

}  // namespace timeslip::api
