#pragma once
// The one error table of the wire: for each protocol the endpoint speaks, the HTTP status AWS
// answers an error name with (and, for REST-JSON, the member that carries its message), and the
// shape an error takes on that wire. Error names come from the services (an Outcome's error) or
// from the transport itself (below).

#include <string_view>

#include "emulator/api/request.h"
#include "emulator/host/common_errors.h"
#include "emulator/json/result.h"

namespace timeslip::api {

using host::kInternalFailure;
using host::kSerializationException;
using host::kServiceUnavailable;
using host::kUnknownOperationException;
using host::kValidationException;
// Ours, for what happens below the protocol: no AWS service names these in a JSON body.
inline constexpr std::string_view kBadRequest = "BadRequestException";                        // 400
inline constexpr std::string_view kNotFound = "NotFoundException";                            // 404
inline constexpr std::string_view kMethodNotAllowed = "MethodNotAllowedException";            // 405
inline constexpr std::string_view kRequestEntityTooLarge = "RequestEntityTooLargeException";  // 413

// The protocols, each with its own statuses and error shape.
enum class Wire {
  kAwsJson,        // AWS JSON 1.0/1.1 and /_timeslip/: {"__type", "message"}
  kLambdaRest,     // Lambda: X-Amzn-ErrorType, {"Type": "User"|"Service", <member>: "..."}
  kSchedulerRest,  // Scheduler: X-Amzn-ErrorType, {"Message": "..."}
  kQuery,          // SNS: <ErrorResponse><Error><Type><Code><Message>...</ErrorResponse>
};

// The HTTP status AWS answers `error_name` with on `wire`. Names not in the table are 400, as
// AWS's service-specific client errors (ExecutionDoesNotExist, InvalidArn, ...) all are.
int HttpStatusFor(std::string_view error_name, Wire wire = Wire::kAwsJson);

// `error` as an AWS JSON response: status from HttpStatusFor, body {"__type","message"}, the
// given Content-Type.
Response ErrorResponse(const json::Error& error, std::string_view content_type);
// `error` as a REST-JSON response (Lambda's, Scheduler's).
Response RestErrorResponse(const json::Error& error, Wire wire);
// `error` as a query-protocol (XML) response, in the namespace `xmlns`.
Response QueryErrorResponse(const json::Error& error, std::string_view xmlns,
                            std::string_view request_id);

}  // namespace timeslip::api
