#include "fakes/events.h"

#include <fmt/format.h>

#include <optional>
#include <utility>

#include "emulator/json/parse.h"

namespace timeslip::fakes {
namespace {

constexpr const char* kDefaultBus = "default";

struct EntryProblem {
  std::string code;
  std::string message;
};

// Why EventBridge refuses `entry`, if it does; fills `event` otherwise.
std::optional<EntryProblem> ReadEntry(const nlohmann::ordered_json& entry, PutEvent& event) {
  if (!entry.is_object()) return EntryProblem{"InvalidArgument", "Entry is not an object."};
  event.source = StringParam(entry, "Source");
  event.detail_type = StringParam(entry, "DetailType");
  event.event_bus_name = StringParam(entry, "EventBusName");
  if (event.event_bus_name.empty()) event.event_bus_name = kDefaultBus;
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"Source", &event.source},
        {"DetailType", &event.detail_type}}) {
    if (value->empty()) {
      return EntryProblem{"InvalidArgument",
                          fmt::format("Parameter {0} is not valid. Reason: {0} is a required "
                                      "argument.",
                                      field)};
    }
  }
  // Detail is the text of a JSON object; Step Functions writes an object's text for it.
  const nlohmann::ordered_json detail =
      entry.contains("Detail") ? entry["Detail"] : nlohmann::ordered_json("{}");
  if (detail.is_object()) {
    event.detail = detail.dump();
    return std::nullopt;
  }
  if (detail.is_string()) {
    json::Result<nlohmann::ordered_json> parsed = json::Parse(detail.get<std::string>());
    if (parsed.ok() && parsed.value().is_object()) {
      event.detail = detail.get<std::string>();
      return std::nullopt;
    }
  }
  return EntryProblem{"MalformedDetail", "Detail is malformed."};
}

std::string FirstBus(const nlohmann::ordered_json& entries) {
  if (!entries.is_array() || entries.empty()) return kDefaultBus;
  std::string bus = StringParam(entries[0], "EventBusName");
  return bus.empty() ? kDefaultBus : bus;
}

}  // namespace

void EventsFake::Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) {
  const nlohmann::ordered_json& params = request.parameters;
  const nlohmann::ordered_json entries = params.is_object() && params.contains("Entries")
                                             ? params["Entries"]
                                             : nlohmann::ordered_json();
  const std::string bus = FirstBus(entries);
  FakeContext::Turn turn = ctx_.Next(Service::kEvents, bus, {bus});
  const std::int64_t call_id = ctx_.Record(Service::kEvents, "putEvents", bus, request, turn.call);
  const Step& step = turn.step;

  if (!entries.is_array() || entries.empty() || entries.size() > kMaxPutEventsEntries) {
    const std::string why =
        entries.is_array() && !entries.empty()
            ? fmt::format(
                  "Value '{}' at 'entries' failed to satisfy constraint: Member must have "
                  "length less than or equal to {}",
                  entries.size(), kMaxPutEventsEntries)
            : "Value null at 'entries' failed to satisfy constraint: Member must not be null";
    return ctx_.AnswerAfter(
        request.task_id, call_id, time::Duration{0}, std::move(callbacks.done),
        json::Error{"EventBridge.ValidationException", "1 validation error detected: " + why});
  }
  // notFound is refused for events when the behaviours are parsed.
  if (step.outcome == OutcomeKind::kHang) return;
  if (std::optional<json::Error> error =
          ScriptedSdkError(step, "EventBridge", "ThrottlingException")) {
    return ctx_.AnswerAfter(request.task_id, call_id, turn.latency, std::move(callbacks.done),
                            std::move(*error));
  }

  // Entries are answered in order; ids are drawn now, so the order of draws follows the calls.
  nlohmann::ordered_json answered = nlohmann::ordered_json::array();
  std::vector<PutEvent> accepted;
  int failed = 0;
  for (const nlohmann::ordered_json& entry : entries) {
    PutEvent event;
    if (std::optional<EntryProblem> problem = ReadEntry(entry, event)) {
      ++failed;
      answered.push_back({{"ErrorCode", problem->code}, {"ErrorMessage", problem->message}});
      continue;
    }
    event.event_id = ctx_.rng().Uuid();
    event.execution_arn = request.execution_arn;
    answered.push_back({{"EventId", event.event_id}});
    accepted.push_back(std::move(event));
  }
  nlohmann::ordered_json answer = {{"Entries", std::move(answered)}, {"FailedEntryCount", failed}};
  json::Result<nlohmann::ordered_json> outcome = answer;
  // https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html: a failed
  // entry fails the task with EventBridge.FailedEntry.
  if (failed > 0) outcome = json::Error{"EventBridge.FailedEntry", answer.dump()};
  ctx_.AnswerAfter(
      request.task_id, call_id, turn.latency,
      [this, accepted = std::move(accepted),
       done = std::move(callbacks.done)](json::Result<nlohmann::ordered_json> result) mutable {
        for (PutEvent& event : accepted) {
          event.put_at = ctx_.Now();
          events_.push_back(std::move(event));
        }
        if (done) done(std::move(result));
      },
      std::move(outcome));
}

}  // namespace timeslip::fakes
