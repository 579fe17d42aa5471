#pragma once
// Request and Response: one HTTP exchange as the operations see it, with no Beast in sight.
// The server fills a Request from the wire and writes a Response back; tests build them by hand.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/host/command.h"

namespace timeslip::api {

// The Content-Type of each protocol the endpoint speaks.
inline constexpr std::string_view kAmzJson10 = "application/x-amz-json-1.0";  // Step Functions
inline constexpr std::string_view kAmzJson11 = "application/x-amz-json-1.1";  // Glue
inline constexpr std::string_view kJson = "application/json";                 // /_timeslip/

// The region a request names when its Authorization header names none.
inline constexpr std::string_view kDefaultRegion = host::kDefaultRegion;

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;        // "POST"
  std::string target;        // the path only: "/", "/_timeslip/clock"
  std::string query;         // after the '?', without it; empty when there is none
  std::string amz_target;    // X-Amz-Target: "AWSStepFunctions.StartExecution"
  std::string content_type;  // Content-Type
  std::string authorization;
  std::string body;
  std::string region;  // from the SigV4 credential scope; filled by the Router when empty
  std::string host;    // Host
  // Every header as received, in order, names as the client spelled them.
  Headers headers;
  // Assigned by the server, one counter per server; sent back as x-amzn-RequestId.
  std::string request_id;
};

struct Response {
  int status = 200;
  std::string content_type{};
  std::string body{};
  // Sent as they are, after Content-Type. The server adds x-amzn-RequestId and Content-Length.
  Headers headers{};
};

// The value of header `name` (compared case-insensitively), or empty if absent.
std::string_view FindHeader(const Headers& headers, std::string_view name);

// The region in a SigV4 Authorization header's credential scope:
// "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/states/aws4_request, SignedHeaders=..."
// gives "eu-west-1". Anything else (no header, another scheme, a malformed scope, a region with
// characters no region has) gives kDefaultRegion: signatures are not verified.
std::string RegionFromAuthorization(std::string_view authorization);

}  // namespace timeslip::api
