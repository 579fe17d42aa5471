#include "emulator/api/errors.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "emulator/json/text.h"
#include "emulator/json/xml_escape.h"

namespace timeslip::api {
namespace {

struct StatusRow {
  Wire wire;
  std::string_view name;
  int status;
  std::string_view message_member = "message";  // REST-JSON: the member carrying the message
};

// AWS's statuses, as each service's API reference and botocore's models give them. Every other
// name is a 400.
constexpr std::array kStatusTable = {
    // Common errors:
    // https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html
    StatusRow{Wire::kAwsJson, "AccessDeniedException", 400},
    StatusRow{Wire::kAwsJson, "IncompleteSignature", 400},
    StatusRow{Wire::kAwsJson, kInternalFailure, 500},
    StatusRow{Wire::kAwsJson, "InternalServerError", 500},
    StatusRow{Wire::kAwsJson, "InternalServiceException", 500},  // Glue's server fault
    StatusRow{Wire::kAwsJson, "InvalidAction", 400},
    StatusRow{Wire::kAwsJson, "InvalidClientTokenId", 403},
    StatusRow{Wire::kAwsJson, "MissingAuthenticationToken", 403},
    StatusRow{Wire::kAwsJson, "NotAuthorized", 400},
    StatusRow{Wire::kAwsJson, "OptInRequired", 403},
    StatusRow{Wire::kAwsJson, "RequestExpired", 400},
    StatusRow{Wire::kAwsJson, kServiceUnavailable, 503},
    StatusRow{Wire::kAwsJson, "ThrottlingException", 400},
    StatusRow{Wire::kAwsJson, "UnrecognizedClientException", 400},
    StatusRow{Wire::kAwsJson, "ValidationError", 400},
    StatusRow{Wire::kAwsJson, kBadRequest, 400},
    StatusRow{Wire::kAwsJson, kNotFound, 404},
    StatusRow{Wire::kAwsJson, kMethodNotAllowed, 405},
    StatusRow{Wire::kAwsJson, kRequestEntityTooLarge, 413},
    // Lambda: botocore/data/lambda/2015-03-31/service-2.json.
    StatusRow{Wire::kLambdaRest, "ServiceException", 500, "Message"},
    StatusRow{Wire::kLambdaRest, "ResourceNotFoundException", 404, "Message"},
    StatusRow{Wire::kLambdaRest, "InvalidRequestContentException", 400},
    StatusRow{Wire::kLambdaRest, "RequestTooLargeException", 413},
    StatusRow{Wire::kLambdaRest, "UnsupportedMediaTypeException", 415},
    StatusRow{Wire::kLambdaRest, "TooManyRequestsException", 429},
    StatusRow{Wire::kLambdaRest, "InvalidParameterValueException", 400},
    StatusRow{Wire::kLambdaRest, "EC2UnexpectedException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "SubnetIPAddressLimitReachedException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "ENILimitReachedException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "EFSMountConnectivityException", 408, "Message"},
    StatusRow{Wire::kLambdaRest, "EFSMountFailureException", 403, "Message"},
    StatusRow{Wire::kLambdaRest, "EFSMountTimeoutException", 408, "Message"},
    StatusRow{Wire::kLambdaRest, "EFSIOException", 410, "Message"},
    StatusRow{Wire::kLambdaRest, "SnapStartException", 400, "Message"},
    StatusRow{Wire::kLambdaRest, "SnapStartTimeoutException", 408, "Message"},
    StatusRow{Wire::kLambdaRest, "SnapStartNotReadyException", 409, "Message"},
    StatusRow{Wire::kLambdaRest, "EC2ThrottledException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "EC2AccessDeniedException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "InvalidSubnetIDException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "InvalidSecurityGroupIDException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "InvalidZipFileException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "KMSDisabledException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "KMSInvalidStateException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "KMSAccessDeniedException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "KMSNotFoundException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "InvalidRuntimeException", 502, "Message"},
    StatusRow{Wire::kLambdaRest, "ResourceConflictException", 409},
    StatusRow{Wire::kLambdaRest, "ResourceNotReadyException", 502},
    StatusRow{Wire::kLambdaRest, kUnknownOperationException, 404},  // not Lambda's: a path it lacks
    // Scheduler: botocore/data/scheduler/2021-06-30/service-2.json.
    StatusRow{Wire::kSchedulerRest, "ValidationException", 400, "Message"},
    StatusRow{Wire::kSchedulerRest, "ConflictException", 409, "Message"},
    StatusRow{Wire::kSchedulerRest, "ResourceNotFoundException", 404, "Message"},
    StatusRow{Wire::kSchedulerRest, "ServiceQuotaExceededException", 402, "Message"},
    StatusRow{Wire::kSchedulerRest, "ThrottlingException", 429, "Message"},
    StatusRow{Wire::kSchedulerRest, "InternalServerException", 500, "Message"},
    StatusRow{Wire::kSchedulerRest, kUnknownOperationException, 404, "Message"},  // a path it lacks
    // SNS: https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html
    StatusRow{Wire::kQuery, "NotFound", 404},
    StatusRow{Wire::kQuery, "InternalError", 500},
};

// The row for `name` on `wire`, or a 400 whose message member is the wire's usual one.
StatusRow RowFor(std::string_view name, Wire wire) {
  for (const StatusRow& row : kStatusTable) {
    if (row.wire == wire && row.name == name) return row;
  }
  return StatusRow{wire, name, 400, wire == Wire::kSchedulerRest ? "Message" : "message"};
}

}  // namespace

int HttpStatusFor(std::string_view error_name, Wire wire) {
  return RowFor(error_name, wire).status;
}

Response ErrorResponse(const json::Error& error, std::string_view content_type) {
  Response response;
  response.status = HttpStatusFor(error.name);
  response.content_type = std::string(content_type);
  response.body = json::Text({{"__type", error.name}, {"message", error.message}});
  return response;
}

Response RestErrorResponse(const json::Error& error, Wire wire) {
  const StatusRow row = RowFor(error.name, wire);
  nlohmann::ordered_json body = {{std::string(row.message_member), error.message}};
  if (wire == Wire::kLambdaRest) body["Type"] = row.status >= 500 ? "Service" : "User";
  Response response;
  response.status = row.status;
  response.content_type = std::string(kJson);
  response.body = json::Text(body);
  response.headers.emplace_back("X-Amzn-ErrorType", error.name);
  return response;
}

Response QueryErrorResponse(const json::Error& error, std::string_view xmlns,
                            std::string_view request_id) {
  Response response;
  response.status = HttpStatusFor(error.name, Wire::kQuery);
  response.content_type = "text/xml";
  response.body = fmt::format(
      "<ErrorResponse xmlns=\"{}\"><Error><Type>{}</Type><Code>{}</Code><Message>{}</Message>"
      "</Error><RequestId>{}</RequestId></ErrorResponse>",
      xmlns, response.status >= 500 ? "Receiver" : "Sender", json::XmlEscape(error.name),
      json::XmlEscape(error.message), json::XmlEscape(request_id));
  return response;
}

}  // namespace timeslip::api
