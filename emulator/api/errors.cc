#include "emulator/api/errors.h"

#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace timeslip::api {
namespace {

struct StatusRow {
  std::string_view name;
  int status;
};

// AWS's common errors, with the statuses its API references give them, then ours. Every other name
// is a 400. https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html
constexpr std::array kStatusTable = {
    StatusRow{"AccessDeniedException", 400},
    StatusRow{"IncompleteSignature", 400},
    StatusRow{kInternalFailure, 500},
    StatusRow{"InternalServerError", 500},
    StatusRow{"InternalServiceException", 500},  // Glue's server fault
    StatusRow{"InvalidAction", 400},
    StatusRow{"InvalidClientTokenId", 403},
    StatusRow{"MissingAuthenticationToken", 403},
    StatusRow{"NotAuthorized", 400},
    StatusRow{"OptInRequired", 403},
    StatusRow{"RequestExpired", 400},
    StatusRow{kServiceUnavailable, 503},
    StatusRow{"ThrottlingException", 400},
    StatusRow{"UnrecognizedClientException", 400},
    StatusRow{"ValidationError", 400},
    StatusRow{kBadRequest, 400},
    StatusRow{kNotFound, 404},
    StatusRow{kMethodNotAllowed, 405},
    StatusRow{kRequestEntityTooLarge, 413},
};

}  // namespace

int HttpStatusFor(std::string_view error_name) {
  for (const StatusRow& row : kStatusTable) {
    if (row.name == error_name) return row.status;
  }
  return 400;
}

Response ErrorResponse(const json::Error& error, std::string_view content_type) {
  nlohmann::json body = {{"__type", error.name}, {"message", error.message}};
  Response response;
  response.status = HttpStatusFor(error.name);
  response.content_type = std::string(content_type);
  // Messages may quote the client's bytes; invalid UTF-8 is replaced rather than thrown on.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace timeslip::api
