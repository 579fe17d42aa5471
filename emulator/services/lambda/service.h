#pragma once
// AWS Lambda's Invoke, as a service of the host (service name "lambda"), reaching the same
// LambdaFake (behaviours and call log) a `lambda:invoke` Task uses. Knows nothing of HTTP: api/
// serves it as Lambda's REST protocol (POST /2015-03-31/functions/{FunctionName}/invocations).
//
// Invoke, input (botocore's InvocationRequest, the payload as text):
//   {"FunctionName": a name, an ARN or a partial ARN, with or without ":qualifier",
//    "Qualifier"?: "prod", "InvocationType"?: "RequestResponse" (default) | "Event" | "DryRun",
//    "Payload"?: JSON text (empty or absent: {})}
// output:
//   RequestResponse: answers when the fake does, after its (virtual) latency:
//     {"StatusCode": 200, "ExecutedVersion": "$LATEST", "Payload": the function's result}; a
//     function error is 200 too, with "FunctionError": "Unhandled" and the Payload
//     {"errorMessage", "errorType"};
//   Event: {"StatusCode": 202} at once; the call is still made and recorded;
//   DryRun: {"StatusCode": 204}, no call.
// Errors, as Lambda names them: a scripted Lambda.TooManyRequestsException is
// TooManyRequestsException, Lambda.ServiceException ServiceException; a payload that is not JSON
// InvalidRequestContentException; a payload over 6 MB (256 KiB for Event)
// RequestTooLargeException; a bad invocation type or function name
// InvalidParameterValueException; ServiceException while the server shuts down.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html

#include <string_view>

#include "emulator/host/engine_host.h"
#include "fakes/fake_backends.h"

namespace timeslip::services::lambda {

inline constexpr std::string_view kServiceName = "lambda";

// Registers Invoke on `host`'s registry, and a shutdown hook that answers invocations still
// waiting for the fake. `fakes`: Not owned; must outlive `host`'s use of it.
void Register(host::EngineHost& host, fakes::FakeBackends& fakes);

}  // namespace timeslip::services::lambda
