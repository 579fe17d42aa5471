#pragma once
// Lambda's Invoke API on the endpoint, in AWS's REST-JSON protocol, reaching the same LambdaFake
// (behaviours and call log) a `lambda:invoke` Task uses:
//   POST /2015-03-31/functions/{FunctionName}/invocations[?Qualifier=Q]
//   FunctionName: a name, an ARN or a partial ARN, with or without ":qualifier" (URL-encoded).
//   X-Amz-Invocation-Type: RequestResponse (default): answers when the fake does, after its
//     (virtual) latency: 200 with the function's result as the body and X-Amz-Executed-Version:
//     $LATEST; a function error is 200 too, with X-Amz-Function-Error: Unhandled and the body
//     {"errorMessage", "errorType"}.
//   Event: 202 with an empty body at once; the call is still made and recorded.
//   DryRun: 204, no call.
//   The body is the payload: any JSON; empty is {}.
// Errors are REST-JSON's: the status from Lambda's model, header X-Amzn-ErrorType: <Name>, body
// {"Type": "User"|"Service", "message": "..."}: a scripted Lambda.TooManyRequestsException is
// 429 TooManyRequestsException, Lambda.ServiceException 500 ServiceException; a payload that is
// not JSON 400 InvalidRequestContentException; a payload over 6 MB (256 KiB for Event) 413
// RequestTooLargeException; a bad invocation type or function name 400
// InvalidParameterValueException. Every call runs on the EngineHost's thread.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html

#include <string_view>

#include "emulator/api/engine_host.h"
#include "emulator/api/router.h"
#include "fakes/fake_backends.h"

namespace timeslip::api {

inline constexpr std::string_view kLambdaFunctionsPath = "/2015-03-31/functions/";

// Adds the Invoke route to `router`. `host`, `fakes`: Not owned; must outlive `router`'s use.
void RegisterLambdaOps(Router& router, EngineHost& host, fakes::FakeBackends& fakes);

}  // namespace timeslip::api
