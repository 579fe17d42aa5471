#include "emulator/api/default_integrations.h"

#include <fmt/format.h>

#include <utility>

namespace timeslip::api {

// The optimized Lambda integration's result shape:
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
void DefaultLambda::Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) {
  calls_.push_back(request);
  nlohmann::json result = nlohmann::json::object();  // a function ARN returns the payload itself
  if (request.service_resource == "arn:aws:states:::lambda:invoke") {
    // Request ids from a counter, not the seeded generator, so they leave histories unchanged.
    std::string request_id = fmt::format("00000000-0000-4000-a000-{:012x}", ++invocations_);
    result = {{"ExecutedVersion", "$LATEST"},
              {"Payload", nlohmann::json::object()},
              {"SdkHttpMetadata",
               {{"HttpHeaders",
                 {{"Content-Type", "application/json"},
                  {"X-Amz-Executed-Version", "$LATEST"},
                  {"x-amzn-RequestId", request_id}}},
                {"HttpStatusCode", 200}}},
              {"SdkResponseMetadata", {{"RequestId", request_id}}},
              {"StatusCode", 200}};
  }
  // Answer from the loop, not from inside Start: the engine is still recording the task.
  engine_.Post([done = std::move(callbacks.done), result = std::move(result)]() mutable {
    done(std::move(result));
  });
}

DefaultIntegrations::DefaultIntegrations(engine::Emulator& emulator) : lambda_(emulator.engine()) {
  emulator.integrations().Register("arn:aws:states:::lambda:invoke", &lambda_);
  emulator.integrations().RegisterPrefix("arn:aws:lambda:", &lambda_);
}

}  // namespace timeslip::api
