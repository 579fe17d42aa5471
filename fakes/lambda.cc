#include "fakes/lambda.h"

#include <fmt/format.h>

#include "emulator/json/parse.h"
#include "fakes/command.h"

namespace timeslip::fakes {
namespace {

constexpr const char* kLambdaUnknown = "Lambda.Unknown";

// A function error as Step Functions reports it: the error is the function's errorType and the
// cause the error object Lambda returned, as JSON text.
json::Error FunctionError(const std::string& type, const std::string& message,
                          const std::string& request_id) {
  nlohmann::ordered_json cause = {{"errorMessage", message},
                          {"errorType", type},
                          {"requestId", request_id},
                          {"stackTrace", nlohmann::ordered_json::array()}};
  return {type, cause.dump()};
}

// A Lambda service error as the SDK words it, e.g. "Rate Exceeded. (Service: AWSLambda; Status
// Code: 429; Error Code: TooManyRequestsException; Request ID: ...; Proxy: null)".
json::Error ServiceError(const std::string& name, const std::string& message,
                         const std::string& request_id) {
  const std::string code = name.substr(std::string_view("Lambda.").size());
  int status = 400;
  if (code == "ServiceException" || code == "AWSLambdaException" ||
      code == "EC2UnexpectedException" || code == "SdkClientException") {
    status = 500;
  } else if (code == "TooManyRequestsException") {
    status = 429;
  } else if (code == "ResourceNotFoundException") {
    status = 404;
  }
  if (code == "Unknown") {
    return {name, message.empty() ? "The cause could not be determined because Lambda did not "
                                    "return an error type."
                                  : message};
  }
  return {name, fmt::format("{} (Service: AWSLambda; Status Code: {}; Error Code: {}; Request ID: "
                            "{}; Proxy: null)",
                            message.empty() ? code : message, status, code, request_id)};
}

json::Result<nlohmann::ordered_json> RunFunctionCommand(const Step& step, const nlohmann::ordered_json& payload,
                                                const std::string& request_id) {
  json::Result<CommandOutput> ran =
      RunCommand(step.command, step.cwd, payload.dump(), kMaxLambdaResponseBytes);
  if (!ran.ok()) return ran.error();
  const CommandOutput& out = ran.value();
  if (out.out_truncated) {
    return json::Error{kLambdaUnknown,
                       fmt::format("Response payload size exceeded maximum allowed payload size "
                                   "({} bytes).",
                                   kMaxLambdaResponseBytes)};
  }
  std::string_view text = out.out;
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  if (out.exit_code != 0) {
    json::Result<nlohmann::ordered_json> parsed = json::Parse(text);
    if (parsed.ok() && parsed.value().is_object() && parsed.value().contains("errorType") &&
        parsed.value()["errorType"].is_string()) {
      const nlohmann::ordered_json& e = parsed.value();
      return FunctionError(e["errorType"].get<std::string>(),
                           e.value("errorMessage", std::string()), request_id);
    }
    std::string err = out.err;
    while (!err.empty() && std::isspace(static_cast<unsigned char>(err.back()))) err.pop_back();
    if (err.empty())
      err = fmt::format("'{}' exited with status {}", step.command[0], out.exit_code);
    return json::Error{kLambdaUnknown, std::move(err)};
  }
  if (text.empty()) return nlohmann::ordered_json(nullptr);
  json::Result<nlohmann::ordered_json> parsed = json::Parse(text);
  if (!parsed.ok()) {
    return json::Error{kLambdaUnknown, fmt::format("'{}' printed a result that is not JSON: {}",
                                                   step.command[0], parsed.error().message)};
  }
  return parsed;
}

}  // namespace

std::string FunctionName(const std::string& name_or_arn) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t colon = name_or_arn.find(':', start);
    parts.push_back(name_or_arn.substr(start, colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] == "function") return parts[i + 1];  // ARN or partial ARN
  }
  return parts[0];  // "f" or "f:qualifier"
}

json::Result<nlohmann::ordered_json> LambdaFake::Outcome(const FakeContext::Turn& turn,
                                                 const nlohmann::ordered_json& payload,
                                                 const std::string& request_id) {
  json::Result<nlohmann::ordered_json> answer = nlohmann::ordered_json(nullptr);
  switch (turn.step.outcome) {
    case OutcomeKind::kHang:
      break;  // the caller never answers
    case OutcomeKind::kThrottle:
      answer = ServiceError("Lambda.TooManyRequestsException", "Rate Exceeded.", request_id);
      break;
    case OutcomeKind::kTimeout: {
      const double seconds = static_cast<double>(turn.latency.count()) / 1000.0;
      answer = json::Error{
          "Sandbox.Timedout",
          nlohmann::ordered_json{{"errorMessage",
                          fmt::format("RequestId: {} Error: Task timed out after {:.2f} seconds",
                                      request_id, seconds)},
                         {"errorType", "Sandbox.Timedout"}}
              .dump()};
      break;
    }
    case OutcomeKind::kError:
      answer = turn.step.error.rfind("Lambda.", 0) == 0
                   ? ServiceError(turn.step.error, turn.step.cause, request_id)
                   : FunctionError(turn.step.error, turn.step.cause, request_id);
      break;
    case OutcomeKind::kSucceed:
      if (!turn.step.command.empty()) {
        answer = RunFunctionCommand(turn.step, payload, request_id);
      } else {
        answer = turn.step.result ? *turn.step.result : payload;  // by default, an echo
      }
      break;
  }
  return answer;
}

void LambdaFake::Invoke(const std::string& function, nlohmann::ordered_json payload,
                        const std::string& invocation_type, InvokeDone done) {
  const std::string name = FunctionName(function);
  FakeContext::Turn turn = ctx_.Next(Service::kLambda, name, {function, name});
  engine::TaskRequest request;
  request.task_id = next_invoke_id_++;
  request.resource = function;
  request.service_resource = function;
  request.parameters = {
      {"FunctionName", function}, {"InvocationType", invocation_type}, {"Payload", payload}};
  const std::int64_t call_id = ctx_.Record(Service::kLambda, "Invoke", name, request, turn.call);
  const std::string request_id = ctx_.rng().Uuid();
  if (turn.step.outcome == OutcomeKind::kHang) return;  // never answers
  json::Result<nlohmann::ordered_json> answer = Outcome(turn, payload, request_id);
  ctx_.AnswerAfter(request.task_id, call_id, turn.latency, std::move(done), std::move(answer));
}

void LambdaFake::Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) {
  const bool optimized = request.service_resource == kLambdaInvoke;
  const nlohmann::ordered_json& params = request.parameters;
  std::string function;
  nlohmann::ordered_json payload = nlohmann::ordered_json::object();
  if (optimized) {
    function = StringParam(params, "FunctionName");
    if (params.is_object() && params.contains("Payload")) payload = params["Payload"];
  } else {
    function = request.service_resource;
    payload = params;
  }
  const std::string name = FunctionName(function);
  FakeContext::Turn turn = ctx_.Next(Service::kLambda, name, {function, name});
  const std::int64_t call_id = ctx_.Record(Service::kLambda, "invoke", name, request, turn.call);
  const std::string request_id = ctx_.rng().Uuid();
  const Step& step = turn.step;

  if (name.empty()) {
    return ctx_.AnswerAfter(
        request.task_id, call_id, time::Duration{0}, std::move(callbacks.done),
        ServiceError("Lambda.InvalidParameterValueException",
                     "1 validation error detected: Value null at 'functionName' failed to "
                     "satisfy constraint: Member must not be null",
                     request_id));
  }
  if (step.outcome == OutcomeKind::kHang) return;  // never answers
  json::Result<nlohmann::ordered_json> answer = Outcome(turn, payload, request_id);
  if (answer.ok() && optimized) {
    const bool async = StringParam(params, "InvocationType") == "Event";
    nlohmann::ordered_json body = async ? nlohmann::ordered_json("") : answer.value();
    const std::string text = body.dump();
    nlohmann::ordered_json envelope = {
        {"ExecutedVersion", "$LATEST"},
        {"Payload", std::move(body)},
        {"SdkHttpMetadata", SdkHttpMetadata(ctx_.Now() + turn.latency, request_id,
                                            async ? 0 : text.size(), async ? 202 : 200)},
        {"SdkResponseMetadata", SdkResponseMetadata(request_id)},
        {"StatusCode", async ? 202 : 200}};
    envelope["SdkHttpMetadata"]["HttpHeaders"]["X-Amz-Executed-Version"] = "$LATEST";
    envelope["SdkHttpMetadata"]["AllHttpHeaders"]["X-Amz-Executed-Version"] = {"$LATEST"};
    answer = std::move(envelope);
  }
  ctx_.AnswerAfter(request.task_id, call_id, turn.latency, std::move(callbacks.done),
                   std::move(answer));
}

}  // namespace timeslip::fakes
