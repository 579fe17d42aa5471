#include "emulator/services/lambda/service.h"

#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "emulator/json/parse.h"

namespace timeslip::services::lambda {
namespace {

constexpr std::string_view kServicePrefix = "Lambda.";
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
constexpr std::size_t kMaxSyncPayloadBytes = 6 * 1024 * 1024;
constexpr std::size_t kMaxEventPayloadBytes = 256 * 1024;

json::Error Invalid(std::string message) {
  return json::Error{"InvalidParameterValueException", std::move(message)};
}

json::Error ShuttingDown() {
  return json::Error{"ServiceException", "The server is shutting down."};
}

// A string member of `input`, "" when absent; an error when it is there and not a string.
json::Result<std::string> StringMember(const nlohmann::ordered_json& input, std::string_view name) {
  auto it = input.find(name);
  if (it == input.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Invalid(fmt::format("{} must be a string", name));
  return it->get<std::string>();
}

// The function error Lambda answers 200 with: {"errorMessage", "errorType"} from the fake's
// cause (JSON text), or, when the cause is no such object, the runtime's own error.
nlohmann::ordered_json FunctionErrorBody(const json::Error& error) {
  json::Result<nlohmann::ordered_json> cause = json::Parse(error.message);
  if (cause.ok() && cause.value().is_object()) {
    const nlohmann::ordered_json& c = cause.value();
    nlohmann::ordered_json body = {{"errorMessage", ""}, {"errorType", error.name}};
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
host::Outcome InvokeOutput(const json::Result<nlohmann::ordered_json>& outcome) {
  nlohmann::ordered_json out = {{"StatusCode", 200}, {"ExecutedVersion", "$LATEST"}};
  if (outcome.ok()) {
    out["Payload"] = outcome.value();
    return out;
  }
  const json::Error& error = outcome.error();
  if (error.name.starts_with(kServicePrefix) && error.name != "Lambda.Unknown") {
    // The fake words service errors as the Java SDK does: "<message> (Service: AWSLambda; ...)".
    std::string message = error.message;
    if (std::size_t sdk = message.find(" (Service: AWSLambda;"); sdk != std::string::npos) {
      message.resize(sdk);
    }
    return json::Error{error.name.substr(kServicePrefix.size()), message};
  }
  out["FunctionError"] = "Unhandled";
  out["Payload"] = FunctionErrorBody(error);
  return out;
}

struct InvokeCall {
  std::string function;         // as the client wrote it, with the qualifier
  std::string invocation_type;  // RequestResponse, Event or DryRun
  nlohmann::ordered_json payload;
};

json::Result<InvokeCall> ParseInvoke(const nlohmann::ordered_json& input) {
  json::Result<std::string> function = StringMember(input, "FunctionName");
  if (!function.ok()) return function.error();
  if (function.value().empty() || function.value().find('/') != std::string::npos) {
    return Invalid(
        "1 validation error detected: Value at 'functionName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern");
  }
  json::Result<std::string> qualifier = StringMember(input, "Qualifier");
  if (!qualifier.ok()) return qualifier.error();
  InvokeCall call;
  call.function = std::move(function).value();
  if (!qualifier.value().empty() && fakes::FunctionName(call.function) == call.function) {
    call.function += ":" + qualifier.value();  // "f" and Qualifier "prod" name "f:prod"
  }
  json::Result<std::string> type = StringMember(input, "InvocationType");
  if (!type.ok()) return type.error();
  call.invocation_type = type.value().empty() ? "RequestResponse" : type.value();
  if (call.invocation_type != "RequestResponse" && call.invocation_type != "Event" &&
      call.invocation_type != "DryRun") {
    return Invalid(
        fmt::format("1 validation error detected: Value '{}' at 'invocationType' failed to "
                    "satisfy constraint: Member must satisfy enum value set: [Event, "
                    "RequestResponse, DryRun]",
                    call.invocation_type));
  }
  json::Result<std::string> payload = StringMember(input, "Payload");
  if (!payload.ok()) return payload.error();
  const std::size_t limit =
      call.invocation_type == "Event" ? kMaxEventPayloadBytes : kMaxSyncPayloadBytes;
  if (payload.value().size() > limit) {
    return json::Error{
        "RequestTooLargeException",
        fmt::format("Request must be smaller than {} bytes for the {} operation", limit,
                    call.invocation_type == "Event" ? "Event invocation type" : "InvokeFunction")};
  }
  if (payload.value().find_first_not_of(" \t\r\n") == std::string::npos) {
    call.payload = nlohmann::ordered_json::object();
  } else {
    json::Result<nlohmann::ordered_json> parsed = json::Parse(payload.value());
    if (!parsed.ok()) {
      return json::Error{
          "InvalidRequestContentException",
          fmt::format("Could not parse request body into json: {}", parsed.error().message)};
    }
    call.payload = std::move(parsed).value();
  }
  return call;
}

struct State {
  State(host::EngineHost& h, fakes::FakeBackends& f) : host(h), fakes(f) {}
  host::EngineHost& host;
  fakes::FakeBackends& fakes;
  // Engine thread only: synchronous invocations still waiting for the fake, answered with
  // ServiceException if the server shuts down first.
  std::map<std::uint64_t, host::CommandReply> waiting;
  std::uint64_t next_id = 1;
};

void Invoke(const std::shared_ptr<State>& s, const host::Command& command,
            host::CommandReply reply) {
  json::Result<InvokeCall> parsed = ParseInvoke(command.input);
  if (!parsed.ok()) return reply(parsed.error());
  InvokeCall call = std::move(parsed).value();
  if (s->host.shutting_down()) return reply(ShuttingDown());
  // An unknown function is refused whatever the invocation type: it takes the waiting path
  // below, whose answer is ResourceNotFoundException at once.
  const bool exists = s->fakes.lambda().Exists(call.function);
  if (exists && call.invocation_type == "DryRun") {
    return reply(nlohmann::ordered_json{{"StatusCode", 204}});
  }
  if (exists && call.invocation_type == "Event") {
    s->fakes.lambda().Invoke(call.function, std::move(call.payload), call.invocation_type, nullptr);
    return reply(nlohmann::ordered_json{{"StatusCode", 202}});
  }
  const std::uint64_t id = s->next_id++;
  s->waiting.emplace(id, std::move(reply));
  std::weak_ptr<State> weak = s;
  s->fakes.lambda().Invoke(call.function, std::move(call.payload), call.invocation_type,
                           [weak, id](json::Result<nlohmann::ordered_json> outcome) {
                             std::shared_ptr<State> state = weak.lock();
                             if (!state) return;
                             auto it = state->waiting.find(id);
                             if (it == state->waiting.end()) return;  // answered at shutdown
                             host::CommandReply waiting = std::move(it->second);
                             state->waiting.erase(it);
                             waiting(InvokeOutput(outcome));
                           });
}

}  // namespace

void Register(host::EngineHost& host, fakes::FakeBackends& fakes) {
  auto state = std::make_shared<State>(host, fakes);
  std::weak_ptr<State> weak = state;
  host.AddShutdownHook([weak] {
    std::shared_ptr<State> s = weak.lock();
    if (!s) return;
    std::map<std::uint64_t, host::CommandReply> waiting = std::move(s->waiting);
    s->waiting.clear();
    for (auto& [id, reply] : waiting) reply(ShuttingDown());
  });
  host.registry().Add(kServiceName, "Invoke", host::Access::kWrites,
                      [state](const host::Command& command, host::CommandReply reply) {
                        Invoke(state, command, std::move(reply));
                      });
}

}  // namespace timeslip::services::lambda
