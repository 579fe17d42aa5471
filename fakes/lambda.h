#pragma once
// LambdaFake: Lambda functions behind arn:aws:states:::lambda:invoke (and .waitForTaskToken)
// and plain function ARNs (arn:aws:lambda:REGION:ACCOUNT:function:NAME).
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
//
// Output: lambda:invoke answers AWS's envelope {"ExecutedVersion", "Payload", "SdkHttpMetadata",
// "SdkResponseMetadata", "StatusCode"}; a plain function ARN answers the payload itself.
// Payload: lambda:invoke sends Payload; a string Payload is the JSON text it holds (AWS sends a
// string's bytes as they are); none or null is {}. Content-Length is the length of the result
// as Lambda's Python runtime writes it (python_json.h).
// Errors: a behaviour error "MyError" is a function error: the task fails with error "MyError"
// and the cause {"errorMessage", "errorType", "requestId", "stackTrace"} as JSON text (compact
// behind lambda:invoke, the runtime's ", "-separated text behind a plain function ARN, as AWS
// passes each on); "notFound" is Lambda.ResourceNotFoundException "Function not found: ARN";
// names
// starting "Lambda." are the service's own (Lambda.ServiceException, ...), with AWS's message;
// throttle is Lambda.TooManyRequestsException; timeout is Sandbox.Timedout. A "command" step
// runs a local program with the payload on stdin and takes its stdout (JSON) as the result;
// a non-zero exit fails with Lambda.Unknown and stderr as the cause (or, when stdout is an
// object with "errorType", as that function error).
//
// Targets: the FunctionName as written (name, ARN, partial ARN, with or without a qualifier),
// then the bare function name. Calls are counted per bare function name.

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "emulator/engine/integration.h"
#include "emulator/json/result.h"
#include "fakes/context.h"

namespace timeslip::fakes {

inline constexpr std::string_view kLambdaInvoke = "arn:aws:states:::lambda:invoke";
inline constexpr std::string_view kLambdaArnPrefix = "arn:aws:lambda:";
// Lambda's limit on a synchronous response; a command's stdout beyond it is an error.
inline constexpr std::size_t kMaxLambdaResponseBytes = 6 * 1024 * 1024;

// "arn:aws:lambda:us-east-1:123456789012:function:f:prod", "123456789012:function:f",
// "f:prod" and "f" all name function "f".
std::string FunctionName(const std::string& name_or_arn);

// How a function error's cause is written: Step Functions' compact JSON (lambda:invoke, the
// Invoke API) or the runtime's own text (a plain function ARN).
enum class CauseText { kCompact, kRuntime };

class LambdaFake final : public engine::Integration {
 public:
  explicit LambdaFake(FakeContext& context) : ctx_(context) {}  // Not owned.
  void Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) override;
  void Cancel(std::uint64_t task_id) override { ctx_.Cancel(task_id); }

  // Lambda's Invoke API (POST /2015-03-31/functions/NAME/invocations): one call to `function`
  // (name, ARN or partial ARN, with or without a qualifier) with the same behaviours as a Task,
  // recorded in the call log as service "lambda", operation "Invoke", with the arguments
  // {"FunctionName", "Payload", "InvocationType"}. `done` gets the outcome after the step's
  // (virtual) latency, as a plain function ARN's Task does: the function's result; a function
  // error named by its errorType with the cause {"errorMessage","errorType","requestId",
  // "stackTrace"} as JSON text; "Sandbox.Timedout" likewise; or a service error "Lambda.<Code>"
  // whose message ends " (Service: AWSLambda; ...)". A hang never calls `done`.
  // Unlike a Task's call, a function no script names (by itself or "*") does not exist:
  // Lambda.ResourceNotFoundException at once, as AWS answers an unknown function.
  using InvokeDone = std::function<void(json::Result<nlohmann::ordered_json>)>;
  // Whether Invoke finds `function`: a script names it (name or ARN) or there is a "*" script.
  bool Exists(const std::string& function) const;
  void Invoke(const std::string& function, nlohmann::ordered_json payload,
              const std::string& invocation_type, InvokeDone done);

 private:
  // The outcome of one call's step, before any Task envelope. `function_arn` is named when
  // the function does not exist.
  json::Result<nlohmann::ordered_json> Outcome(const FakeContext::Turn& turn,
                                               const nlohmann::ordered_json& payload,
                                               const std::string& request_id,
                                               const std::string& function_arn,
                                               CauseText cause_text);

  FakeContext& ctx_;
  // Invoke's calls get task ids of their own, above any the engine hands out.
  std::uint64_t next_invoke_id_ = std::uint64_t{1} << 63;
};

}  // namespace timeslip::fakes
