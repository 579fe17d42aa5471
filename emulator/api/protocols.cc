#include "emulator/api/protocols.h"

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

json::Result<std::optional<host::Command>> CommandFor(const host::Registry& registry,
                                                      const host::RecordedRequest& recorded) {
  // The endpoint's own routes, with a sink that keeps the command instead of running it.
  Router router;
  std::optional<host::Command> command;
  ServeServices(router, registry,
                [&command](host::Command c, host::CommandReply) { command = std::move(c); });
  Request request;
  request.method = recorded.method;
  request.target = recorded.target;
  request.query = recorded.query;
  request.amz_target = recorded.amz_target;
  request.content_type = recorded.content_type;
  request.region = recorded.region;
  request.body = recorded.body;
  router.Handle(std::move(request), [](Response) {});
  return command;
}

}  // namespace timeslip::api
