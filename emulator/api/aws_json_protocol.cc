// AWS JSON 1.0/1.1 (X-Amz-Target) and the /_timeslip/ control routes: a JSON body in, a JSON
// document or {"__type", "message"} out. The Router does the framing; each route only names the
// command.
#include <string>
#include <utility>

#include "emulator/api/protocols_internal.h"

namespace timeslip::api {
namespace {

struct JsonService {
  std::string_view target_prefix;  // X-Amz-Target's
  std::string_view service;        // the command's
};
constexpr JsonService kJsonServices[] = {
    {kStepFunctionsService, "states"},
    {kGlueService, "glue"},
};

struct ControlRoute {
  std::string_view method;
  std::string_view path;
  std::string_view operation;
};
constexpr std::string_view kControlService = "timeslip";
constexpr ControlRoute kControlRoutes[] = {
    {"GET", "/_timeslip/health", "GetHealth"},
    {"GET", "/_timeslip/clock", "GetClock"},
    {"POST", "/_timeslip/clock/advance", "AdvanceClock"},
    {"POST", "/_timeslip/fakes", "LoadFakes"},
    {"GET", "/_timeslip/fakes/calls", "GetFakeCalls"},
    {"POST", "/_timeslip/mock-config", "SetMockConfig"},
};

Operation Submitting(const Submit& submit, std::string_view service, std::string_view operation) {
  return [submit, service = std::string(service), operation = std::string(operation)](
             nlohmann::ordered_json input, const Request& request, OpReply reply) {
    submit(host::Command{service, operation, std::move(input), request.region}, std::move(reply));
  };
}

}  // namespace

void ServeAwsJson(Router& router, const host::Registry& registry, const Submit& submit) {
  for (const JsonService& s : kJsonServices) {
    for (const std::string& operation : registry.Operations(s.service)) {
      router.AddOperation(s.target_prefix, operation, Submitting(submit, s.service, operation));
    }
  }
}

void ServeControl(Router& router, const host::Registry& registry, const Submit& submit) {
  for (const ControlRoute& route : kControlRoutes) {
    if (registry.Find(kControlService, route.operation) == nullptr) continue;
    router.AddControlRoute(route.method, route.path,
                           Submitting(submit, kControlService, route.operation));
  }
}

}  // namespace timeslip::api
