#include "emulator/api/protocols.h"

#include <memory>
#include <utility>

#include "emulator/api/protocols_internal.h"

namespace timeslip::api {

void ServeServices(Router& router, const host::Registry& registry, Submit submit) {
  ServeAwsJson(router, registry, submit);
  ServeControl(router, registry, submit);
  if (!registry.Operations("lambda").empty()) ServeLambdaRest(router, submit);
  if (!registry.Operations("scheduler").empty()) ServeSchedulerRest(router, submit);
  if (!registry.Operations("sns").empty()) ServeSnsQuery(router, registry, submit);
}

host::RequestDecoder RequestDecoderFor(const host::Registry& registry) {
  // The endpoint's own routes, with a sink that keeps the command instead of running it.
  struct Reader {
    Router router;
    std::optional<host::Command> command;
  };
  auto reader = std::make_shared<Reader>();
  ServeServices(
      reader->router, registry,
      [kept = reader.get()](host::Command c, host::CommandReply) { kept->command = std::move(c); });
  return [reader](
             const host::RecordedRequest& recorded) -> json::Result<std::optional<host::Command>> {
    Request request;
    request.method = recorded.method;
    request.target = recorded.target;
    request.query = recorded.query;
    request.amz_target = recorded.amz_target;
    request.content_type = recorded.content_type;
    request.region = recorded.region;
    request.body = recorded.body;
    reader->command.reset();
    reader->router.Handle(std::move(request), [](Response) {});
    return std::exchange(reader->command, std::nullopt);
  };
}

}  // namespace timeslip::api
