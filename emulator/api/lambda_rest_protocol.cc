// Lambda's REST-JSON protocol: POST /2015-03-31/functions/{FunctionName}/invocations
// [?Qualifier=Q], X-Amz-Invocation-Type, the payload as the body -> lambda Invoke. The answer's
// StatusCode is the HTTP status, its Payload the body; X-Amz-Executed-Version and
// X-Amz-Function-Error carry the rest. Errors: X-Amzn-ErrorType and {"Type", message}.
// https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
#include <fmt/format.h>

#include <optional>
#include <string>
#include <utility>

#include "emulator/api/errors.h"
#include "emulator/api/protocols_internal.h"
#include "emulator/api/url.h"
#include "emulator/json/text.h"

namespace timeslip::api {
namespace {

constexpr std::string_view kFunctionsPath = "/2015-03-31/functions/";
constexpr std::string_view kInvocationsSuffix = "/invocations";

Response LambdaError(std::string_view name, std::string message) {
  return RestErrorResponse(json::Error{std::string(name), std::move(message)}, Wire::kLambdaRest);
}

Response InvokeResponse(const host::Outcome& outcome) {
  if (!outcome.ok()) return RestErrorResponse(outcome.error(), Wire::kLambdaRest);
  const nlohmann::ordered_json& out = outcome.value();
  Response response;
  response.status = out.value("StatusCode", 200);
  response.content_type = std::string(kJson);
  if (auto version = out.find("ExecutedVersion"); version != out.end()) {
    response.headers.emplace_back("X-Amz-Executed-Version", version->get<std::string>());
  }
  if (auto error = out.find("FunctionError"); error != out.end()) {
    response.headers.emplace_back("X-Amz-Function-Error", error->get<std::string>());
  }
  if (auto payload = out.find("Payload"); payload != out.end())
    response.body = json::Text(*payload);
  return response;
}

}  // namespace

void ServeLambdaRest(Router& router, const Submit& submit) {
  router.AddRestHandler(kFunctionsPath, [submit](Request request, Reply reply) {
    std::string_view path = request.target;
    path.remove_prefix(kFunctionsPath.size());
    if (request.method != "POST" || !path.ends_with(kInvocationsSuffix)) {
      return reply(LambdaError(
          kUnknownOperationException,
          fmt::format("The operation {} {} is not supported", request.method, request.target)));
    }
    path.remove_suffix(kInvocationsSuffix.size());
    std::optional<std::string> function = PercentDecode(path, false);
    if (!function) {
      return reply(LambdaError("InvalidParameterValueException",
                               "1 validation error detected: Value at 'functionName' failed to "
                               "satisfy constraint: Member must satisfy regular expression "
                               "pattern"));
    }
    auto query = ParseQuery(request.query);
    if (!query) {
      return reply(LambdaError("InvalidParameterValueException",
                               "The Qualifier query parameter is not well-formed"));
    }
    nlohmann::ordered_json input = {{"FunctionName", *std::move(function)},
                            {"Payload", std::move(request.body)}};
    if (auto qualifier = query->find("Qualifier"); qualifier != query->end()) {
      input["Qualifier"] = qualifier->second;
    }
    if (std::string_view type = FindHeader(request.headers, "X-Amz-Invocation-Type");
        !type.empty()) {
      input["InvocationType"] = std::string(type);
    }
    submit(host::Command{"lambda", "Invoke", std::move(input), request.region},
           [reply = std::move(reply)](host::Outcome outcome) { reply(InvokeResponse(outcome)); });
  });
}

}  // namespace timeslip::api
