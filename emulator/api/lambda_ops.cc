#include "emulator/api/lambda_ops.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "emulator/json/parse.h"

namespace timeslip::api {
namespace {

constexpr std::string_view kInvocationsSuffix = "/invocations";
constexpr std::string_view kServicePrefix = "Lambda.";
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
constexpr std::size_t kMaxSyncPayloadBytes = 6 * 1024 * 1024;
constexpr std::size_t kMaxEventPayloadBytes = 256 * 1024;

// Lambda's errors, with the status and message member botocore's model gives them
// (botocore/data/lambda/2015-03-31/service-2.json). Every other name is a 400 with "message".
struct ErrorRow {
  std::string_view name;
  int status;
  std::string_view message_member;
};
constexpr std::array kErrors = {
    ErrorRow{"ServiceException", 500, "Message"},
    ErrorRow{"ResourceNotFoundException", 404, "Message"},
    ErrorRow{"InvalidRequestContentException", 400, "message"},
    ErrorRow{"RequestTooLargeException", 413, "message"},
    ErrorRow{"UnsupportedMediaTypeException", 415, "message"},
    ErrorRow{"TooManyRequestsException", 429, "message"},
    ErrorRow{"InvalidParameterValueException", 400, "message"},
    ErrorRow{"EC2UnexpectedException", 502, "Message"},
    ErrorRow{"SubnetIPAddressLimitReachedException", 502, "Message"},
    ErrorRow{"ENILimitReachedException", 502, "Message"},
    ErrorRow{"EFSMountConnectivityException", 408, "Message"},
    ErrorRow{"EFSMountFailureException", 403, "Message"},
    ErrorRow{"EFSMountTimeoutException", 408, "Message"},
    ErrorRow{"EFSIOException", 410, "Message"},
    ErrorRow{"SnapStartException", 400, "Message"},
    ErrorRow{"SnapStartTimeoutException", 408, "Message"},
    ErrorRow{"SnapStartNotReadyException", 409, "Message"},
    ErrorRow{"EC2ThrottledException", 502, "Message"},
    ErrorRow{"EC2AccessDeniedException", 502, "Message"},
    ErrorRow{"InvalidSubnetIDException", 502, "Message"},
    ErrorRow{"InvalidSecurityGroupIDException", 502, "Message"},
    ErrorRow{"InvalidZipFileException", 502, "Message"},
    ErrorRow{"KMSDisabledException", 502, "Message"},
    ErrorRow{"KMSInvalidStateException", 502, "Message"},
    ErrorRow{"KMSAccessDeniedException", 502, "Message"},
    ErrorRow{"KMSNotFoundException", 502, "Message"},
    ErrorRow{"InvalidRuntimeException", 502, "Message"},
    ErrorRow{"ResourceConflictException", 409, "message"},
    ErrorRow{"ResourceNotReadyException", 502, "message"},
    ErrorRow{"UnknownOperationException", 404, "message"},  // not Lambda's: a path it lacks
};

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A REST-JSON error: X-Amzn-ErrorType names it, the body carries Type and the message.
Response LambdaError(std::string_view name, std::string_view message) {
  ErrorRow row{name, 400, "message"};
  for (const ErrorRow& known : kErrors) {
    if (known.name == name) row = known;
  }
  Response response;
  response.status = row.status;
  response.content_type = std::string(kJson);
  response.body = Dump({{"Type", row.status >= 500 ? "Service" : "User"},
                        {std::string(row.message_member), std::string(message)}});
  response.headers.emplace_back("X-Amzn-ErrorType", std::string(name));
  return response;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A URI's %XX escapes decoded ('+' stays itself in a path); nullopt for a broken escape.
std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int hi = HexDigit(text[i + 1]);
    const int lo = HexDigit(text[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// The value of `key` in a query string ("Qualifier=prod&x=y"), decoded; "" when absent,
// nullopt when malformed.
std::optional<std::string> QueryParam(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) != key) continue;
    if (eq == std::string_view::npos) return std::string();
    std::string value(pair.substr(eq + 1));
    for (char& c : value) {
      if (c == '+') c = ' ';
    }
    return PercentDecode(value);
  }
  return std::string();
}

// The function error Lambda answers 200 with: {"errorMessage", "errorType"} from the fake's
// cause (JSON text), or, when the cause is no such object, the runtime's own error.
nlohmann::json FunctionErrorBody(const json::Error& error) {
  json::Result<nlohmann::json> cause = json::Parse(error.message);
  if (cause.ok() && cause.value().is_object()) {
    const nlohmann::json& c = cause.value();
    nlohmann::json body = {{"errorMessage", ""}, {"errorType", error.name}};
    if (auto it = c.find("errorMessage"); it != c.end() && it->is_string()) {
      body["errorMessage"] = *it;
    }
    if (auto it = c.find("errorType"); it != c.end() && it->is_string()) body["errorType"] = *it;
    return body;
  }
  // Lambda.Unknown: a command that failed without an error object, or answered too much.
  std::string type = error.message.starts_with("Response payload size exceeded")
                         ? "Function.ResponseSizeTooLarge"
                         : "Runtime.ExitError";
  return {{"errorMessage", error.message}, {"errorType", type}};
}

// The fake's outcome as Invoke answers it.
Response InvokeResponse(const json::Result<nlohmann::json>& outcome) {
  Response response;
  response.content_type = std::string(kJson);
  response.headers.emplace_back("X-Amz-Executed-Version", "$LATEST");
  if (outcome.ok()) {
    response.body = Dump(outcome.value());
    return response;
  }
  const json::Error& error = outcome.error();
  if (error.name.starts_with(kServicePrefix) && error.name != "Lambda.Unknown") {
    // The fake words service errors as the Java SDK does: "<message> (Service: AWSLambda; ...)".
    std::string message = error.message;
    if (std::size_t sdk = message.find(" (Service: AWSLambda;"); sdk != std::string::npos) {
      message.resize(sdk);
    }
    return LambdaError(std::string_view(error.name).substr(kServicePrefix.size()), message);
  }
  response.headers.emplace_back("X-Amz-Function-Error", "Unhandled");
  response.body = Dump(FunctionErrorBody(error));
  return response;
}

struct LambdaState {
  LambdaState(EngineHost& h, fakes::FakeBackends& f) : host(h), fakes(f) {}
  EngineHost& host;
  fakes::FakeBackends& fakes;
  // Engine thread only: synchronous invocations still waiting for the fake, answered with
  // ServiceException if the server shuts down first.
  std::map<std::uint64_t, Reply> waiting;
  std::uint64_t next_id = 1;
};

struct InvokeCall {
  std::string function;         // as the client wrote it, with the qualifier
  std::string invocation_type;  // RequestResponse, Event or DryRun
  nlohmann::json payload;
};

// Checks the request off the engine thread; an error Response, or the call to make.
std::variant<Response, InvokeCall> ParseInvoke(const Request& request) {
  std::string_view path = request.target;
  path.remove_prefix(kLambdaFunctionsPath.size());
  if (request.method != "POST" || !path.ends_with(kInvocationsSuffix)) {
    return LambdaError(
        "UnknownOperationException",
        fmt::format("The operation {} {} is not supported", request.method, request.target));
  }
  path.remove_suffix(kInvocationsSuffix.size());
  std::optional<std::string> function = PercentDecode(path);
  if (!function || function->empty() || function->find('/') != std::string::npos) {
    return LambdaError("InvalidParameterValueException",
                       "1 validation error detected: Value at 'functionName' failed to satisfy "
                       "constraint: Member must satisfy regular expression pattern");
  }
  std::optional<std::string> qualifier = QueryParam(request.query, "Qualifier");
  if (!qualifier) {
    return LambdaError("InvalidParameterValueException",
                       "The Qualifier query parameter is not well-formed");
  }
  InvokeCall call;
  call.function = *std::move(function);
  if (!qualifier->empty() && fakes::FunctionName(call.function) == call.function) {
    call.function += ":" + *qualifier;  // "f" and ?Qualifier=prod name "f:prod"
  }
  call.invocation_type = std::string(FindHeader(request.headers, "X-Amz-Invocation-Type"));
  if (call.invocation_type.empty()) call.invocation_type = "RequestResponse";
  if (call.invocation_type != "RequestResponse" && call.invocation_type != "Event" &&
      call.invocation_type != "DryRun") {
    return LambdaError(
        "InvalidParameterValueException",
        fmt::format("1 validation error detected: Value '{}' at 'invocationType' failed to "
                    "satisfy constraint: Member must satisfy enum value set: [Event, "
                    "RequestResponse, DryRun]",
                    call.invocation_type));
  }
  const std::size_t limit =
      call.invocation_type == "Event" ? kMaxEventPayloadBytes : kMaxSyncPayloadBytes;
  if (request.body.size() > limit) {
    return LambdaError(
        "RequestTooLargeException",
        fmt::format("Request must be smaller than {} bytes for the {} operation", limit,
                    call.invocation_type == "Event" ? "Event invocation type" : "InvokeFunction"));
  }
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    call.payload = nlohmann::json::object();
  } else {
    json::Result<nlohmann::json> payload = json::Parse(request.body);
    if (!payload.ok()) {
      return LambdaError(
          "InvalidRequestContentException",
          fmt::format("Could not parse request body into json: {}", payload.error().message));
    }
    call.payload = std::move(payload).value();
  }
  return call;
}

// On the engine thread.
void Invoke(const std::shared_ptr<LambdaState>& s, InvokeCall call, Reply reply) {
  if (s->host.shutting_down()) {
    reply(LambdaError("ServiceException", "The server is shutting down."));
    return;
  }
  if (call.invocation_type == "DryRun") {
    reply(Response{.status = 204, .content_type = std::string(kJson)});
    return;
  }
  if (call.invocation_type == "Event") {
    s->fakes.lambda().Invoke(call.function, std::move(call.payload), call.invocation_type, nullptr);
    reply(Response{.status = 202, .content_type = std::string(kJson)});
    return;
  }
  const std::uint64_t id = s->next_id++;
  s->waiting.emplace(id, std::move(reply));
  std::weak_ptr<LambdaState> weak = s;
  s->fakes.lambda().Invoke(call.function, std::move(call.payload), call.invocation_type,
                           [weak, id](json::Result<nlohmann::json> outcome) {
                             std::shared_ptr<LambdaState> state = weak.lock();
                             if (!state) return;
                             auto it = state->waiting.find(id);
                             if (it == state->waiting.end()) return;  // answered at shutdown
                             Reply waiting = std::move(it->second);
                             state->waiting.erase(it);
                             waiting(InvokeResponse(outcome));
                           });
}

}  // namespace

void RegisterLambdaOps(Router& router, EngineHost& host, fakes::FakeBackends& fakes) {
  auto state = std::make_shared<LambdaState>(host, fakes);
  std::weak_ptr<LambdaState> weak = state;
  host.AddShutdownHook([weak] {
    std::shared_ptr<LambdaState> s = weak.lock();
    if (!s) return;
    std::map<std::uint64_t, Reply> waiting = std::move(s->waiting);
    s->waiting.clear();
    for (auto& [id, reply] : waiting) {
      reply(LambdaError("ServiceException", "The server is shutting down."));
    }
  });
  router.AddRestHandler(kLambdaFunctionsPath, [state](Request request, Reply reply) {
    std::variant<Response, InvokeCall> parsed = ParseInvoke(request);
    if (Response* error = std::get_if<Response>(&parsed)) {
      reply(std::move(*error));
      return;
    }
    state->host.Post([state, call = std::get<InvokeCall>(std::move(parsed)),
                      reply = std::move(reply)]() mutable {
      try {
        Invoke(state, std::move(call), reply);
      } catch (const std::exception& e) {
        reply(LambdaError("ServiceException", e.what()));
      } catch (...) {
        reply(LambdaError("ServiceException", "Unknown internal failure"));
      }
    });
  });
}

}  // namespace timeslip::api
