// EventBridge Scheduler's REST-JSON protocol -> scheduler commands:
//   POST   /schedules/{Name}  CreateSchedule (the body's members, and Name)
//   GET    /schedules/{Name}  GetSchedule [?groupName=]
//   DELETE /schedules/{Name}  DeleteSchedule [?groupName=]
//   GET    /schedules         ListSchedules
//   [?NamePrefix=&State=&MaxResults=&NextToken=&ScheduleGroup=]
// Answers are the command's document; errors X-Amzn-ErrorType and {"Message"}; a path or method
// the API lacks is 404 UnknownOperationException.
// https://docs.aws.amazon.com/scheduler/latest/APIReference/API_Operations.html
#include <fmt/format.h>

#include <optional>
#include <string>
#include <utility>

#include "emulator/api/errors.h"
#include "emulator/api/protocols_internal.h"
#include "emulator/api/url.h"
#include "emulator/json/parse.h"
#include "emulator/json/text.h"

namespace timeslip::api {
namespace {

constexpr std::string_view kSchedulesPath = "/schedules";

Response SchedulerError(std::string_view name, std::string message) {
  return RestErrorResponse(json::Error{std::string(name), std::move(message)},
                           Wire::kSchedulerRest);
}

Response SchedulerResponse(const host::Outcome& outcome) {
  if (!outcome.ok()) return RestErrorResponse(outcome.error(), Wire::kSchedulerRest);
  return Response{
      .status = 200, .content_type = std::string(kJson), .body = json::Text(outcome.value())};
}

// The command a request names, or the answer that refuses it.
using Mapped = std::pair<std::optional<host::Command>, Response>;

Mapped Refuse(Response response) { return {std::nullopt, std::move(response)}; }

Mapped Map(const Request& request) {
  auto command = [&](std::string_view operation, nlohmann::ordered_json input) {
    return Mapped{
        host::Command{"scheduler", std::string(operation), std::move(input), request.region},
        Response{}};
  };
  std::string_view path = request.target;
  path.remove_prefix(kSchedulesPath.size());
  auto unknown = [&] {
    return Refuse(SchedulerError(
        kUnknownOperationException,
        fmt::format("The operation {} {} is not supported", request.method, request.target)));
  };
  auto params = ParseQuery(request.query);
  if (!params) {
    return Refuse(SchedulerError(kValidationException, "The query string is not well-formed."));
  }
  if (path.empty() || path == "/") {
    if (request.method != "GET") return unknown();
    nlohmann::ordered_json input = nlohmann::ordered_json::object();
    for (const char* key : {"NamePrefix", "State", "MaxResults", "NextToken", "ScheduleGroup"}) {
      if (auto it = params->find(key); it != params->end()) input[key] = it->second;
    }
    return command("ListSchedules", std::move(input));
  }
  if (!path.starts_with("/")) return unknown();  // "/schedulesX"
  path.remove_prefix(1);
  std::optional<std::string> name = PercentDecode(path, false);
  if (!name || name->find('/') != std::string::npos) return unknown();
  if (request.method == "POST") {
    const bool empty = request.body.find_first_not_of(" \t\r\n") == std::string::npos;
    json::Result<nlohmann::ordered_json> body =
        json::Parse(empty ? "{}" : request.body, kValidationException);
    if (!body.ok()) {
      return Refuse(
          SchedulerError(kValidationException,
                         fmt::format("Could not parse request body: {}", body.error().message)));
    }
    if (!body.value().is_object()) {
      return Refuse(
          SchedulerError(kValidationException, "The request body must be a JSON object."));
    }
    nlohmann::ordered_json input = std::move(body).value();
    input["Name"] = *name;
    return command("CreateSchedule", std::move(input));
  }
  if (request.method != "GET" && request.method != "DELETE") return unknown();
  nlohmann::ordered_json input = {{"Name", *name}};
  if (auto group = params->find("groupName"); group != params->end()) {
    input["GroupName"] = group->second;
  }
  return command(request.method == "GET" ? "GetSchedule" : "DeleteSchedule", std::move(input));
}

}  // namespace

void ServeSchedulerRest(Router& router, const Submit& submit) {
  router.AddRestHandler(kSchedulesPath, [submit](Request request, Reply reply) {
    Mapped mapped = Map(request);
    if (!mapped.first) return reply(std::move(mapped.second));
    submit(std::move(*mapped.first), [reply = std::move(reply)](host::Outcome outcome) {
      reply(SchedulerResponse(outcome));
    });
  });
}

}  // namespace timeslip::api
