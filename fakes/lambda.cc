#include "fakes/lambda.h"

#include <fmt/format.h>

#include <optional>
#include <utility>
#include <vector>

#include "emulator/json/parse.h"
#include "fakes/command.h"
#include "fakes/python_json.h"

namespace timeslip::fakes {
namespace {

constexpr const char* kLambdaUnknown = "Lambda.Unknown";
constexpr const char* kResourceNotFound = "Lambda.ResourceNotFoundException";

// The ARN AWS names in "Function not found": the one given, else the function's in the region
// and account of the execution that called it.
std::string FunctionArn(const std::string& function, const std::string& execution_arn) {
  if (function.rfind(kLambdaArnPrefix, 0) == 0) return function;
  // arn:aws:states:REGION:ACCOUNT:execution:...
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    std::size_t colon = execution_arn.find(':', start);
    if (colon == std::string::npos) break;
    parts.push_back(execution_arn.substr(start, colon - start));
    start = colon + 1;
  }
  const std::string region = parts.size() > 3 ? parts[3] : "us-east-1";
  const std::string account = parts.size() > 4 ? parts[4] : "123456789012";
  return fmt::format("arn:aws:lambda:{}:{}:function:{}", region, account, function);
}

// "Root=1-65a1b2c3-...": an X-Ray trace header, made from the request id so that it draws
// nothing more from the seeded generator (the ids that follow stay as they were).
std::string TraceId(const std::string& request_id) {
  std::string hex;
  for (char c : request_id) {
    if (c != '-') hex += c;
  }
  return fmt::format("Root=1-{}-{};Sampled=0", hex.substr(0, 8), hex.substr(8, 24));
}

// A function error as Step Functions reports it: the error is the function's errorType and the
// cause the error object Lambda returned. Behind lambda:invoke Step Functions rewrites that object
// as compact JSON; behind a plain function ARN it passes on the runtime's own text (Python's
// json.dumps), as the recordings of both show.
json::Error FunctionError(const Step& step, const std::string& request_id, CauseText text) {
  nlohmann::ordered_json cause = {{"errorMessage", step.cause},
                                  {"errorType", step.error},
                                  {"requestId", request_id},
                                  {"stackTrace", step.stack_trace}};
  return {step.error, text == CauseText::kRuntime ? PythonJsonText(cause) : cause.dump()};
}

json::Error FunctionError(const std::string& type, const std::string& message,
                          const std::string& request_id) {
  Step step;
  step.error = type;
  step.cause = message;
  return FunctionError(step, request_id, CauseText::kCompact);
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

// The event a lambda:invoke Task sends: Payload as given, or, when Payload is a string, the JSON
// that string holds (Step Functions sends a string's bytes as they are, so "0.0" arrives as the
// number). No Payload, or null, sends nothing, which the runtime reads as {}.
json::Result<nlohmann::ordered_json> InvokePayload(const nlohmann::ordered_json& params) {
  if (!params.is_object() || !params.contains("Payload")) return nlohmann::ordered_json::object();
  const nlohmann::ordered_json& payload = params["Payload"];
  if (payload.is_null()) return nlohmann::ordered_json::object();
  if (!payload.is_string()) return payload;
  json::Result<nlohmann::ordered_json> parsed = json::Parse(payload.get<std::string>());
  if (!parsed.ok()) {
    return json::Error{"InvalidRequestContentException",
                       "Could not parse request body into json: " + parsed.error().message};
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
                                                         const std::string& request_id,
                                                         const std::string& function_arn,
                                                         CauseText cause_text) {
  json::Result<nlohmann::ordered_json> answer = nlohmann::ordered_json(nullptr);
  switch (turn.step.outcome) {
    case OutcomeKind::kHang:
      break;  // the caller never answers
    case OutcomeKind::kNotFound:
      answer = ServiceError(kResourceNotFound, "Function not found: " + function_arn, request_id);
      break;
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
                   : FunctionError(turn.step, request_id, cause_text);
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

bool LambdaFake::Exists(const std::string& function) const {
  return ctx_.behaviours().Find(Service::kLambda, {function, FunctionName(function)}) != nullptr;
}

void LambdaFake::Invoke(const std::string& function, nlohmann::ordered_json payload,
                        const std::string& invocation_type, InvokeDone done) {
  const std::string name = FunctionName(function);
  FakeContext::Turn turn = ctx_.Next(Service::kLambda, name, {function, name});
  if (!turn.scripted) {  // nobody declared it: AWS has no such function
    turn.step = Step{};
    turn.step.outcome = OutcomeKind::kNotFound;
    turn.latency = time::Duration{0};
  }
  engine::TaskRequest request;
  request.task_id = next_invoke_id_++;
  request.resource = function;
  request.service_resource = function;
  request.parameters = {
      {"FunctionName", function}, {"InvocationType", invocation_type}, {"Payload", payload}};
  const std::int64_t call_id = ctx_.Record(Service::kLambda, "Invoke", name, request, turn.call);
  const std::string request_id = ctx_.rng().Uuid();
  if (turn.step.outcome == OutcomeKind::kHang) return;  // never answers
  json::Result<nlohmann::ordered_json> answer =
      Outcome(turn, payload, request_id, FunctionArn(function, ""), CauseText::kCompact);
  ctx_.AnswerAfter(request.task_id, call_id, turn.latency, std::move(done), std::move(answer));
}

void LambdaFake::Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) {
  const bool optimized = request.service_resource == kLambdaInvoke;
  const nlohmann::ordered_json& params = request.parameters;
  std::string function;
  nlohmann::ordered_json payload = nlohmann::ordered_json::object();
  std::optional<json::Error> bad_payload;
  if (optimized) {
    function = StringParam(params, "FunctionName");
    json::Result<nlohmann::ordered_json> read = InvokePayload(params);
    if (read.ok()) {
      payload = std::move(read).value();
    } else {
      bad_payload = read.error();
    }
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
  if (bad_payload) {
    return ctx_.AnswerAfter(request.task_id, call_id, time::Duration{0},
                            std::move(callbacks.done),
                            ServiceError("Lambda.InvalidRequestContentException",
                                         bad_payload->message, request_id));
  }
  if (step.outcome == OutcomeKind::kHang) return;  // never answers
  json::Result<nlohmann::ordered_json> answer =
      Outcome(turn, payload, request_id, FunctionArn(function, request.execution_arn),
              optimized ? CauseText::kCompact : CauseText::kRuntime);
  if (answer.ok() && optimized) {
    const bool async = StringParam(params, "InvocationType") == "Event";
    nlohmann::ordered_json body = async ? nlohmann::ordered_json("") : answer.value();
    // The runtime writes the response; Step Functions parses it back into Payload.
    const std::size_t length = async ? 0 : PythonJsonText(body).size();
    nlohmann::ordered_json envelope = {
        {"ExecutedVersion", "$LATEST"},
        {"Payload", std::move(body)},
        {"SdkHttpMetadata",
         SdkHttpMetadata(ctx_.Now() + turn.latency, request_id, length, async ? 202 : 200)},
        {"SdkResponseMetadata", SdkResponseMetadata(request_id)},
        {"StatusCode", async ? 202 : 200}};
    nlohmann::ordered_json& headers = envelope["SdkHttpMetadata"]["HttpHeaders"];
    nlohmann::ordered_json& all = envelope["SdkHttpMetadata"]["AllHttpHeaders"];
    const std::string trace = TraceId(request_id);
    for (const auto& [header, value] :
         {std::pair<const char*, std::string>{"X-Amz-Executed-Version", "$LATEST"},
          {"x-amzn-Remapped-Content-Length", "0"},
          {"X-Amzn-Trace-Id", trace}}) {
      headers[header] = value;
      all[header] = {value};
    }
    answer = std::move(envelope);
  }
  ctx_.AnswerAfter(request.task_id, call_id, turn.latency, std::move(callbacks.done),
                   std::move(answer));
}

}  // namespace timeslip::fakes
