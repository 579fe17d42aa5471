#pragma once
// EventsFake: Amazon EventBridge behind arn:aws:states:::events:putEvents, recording every event
// it accepts. Parameters: Entries, a list of {Source, DetailType, Detail, EventBusName,
// Resources, Time}; Detail may be a JSON object (Step Functions sends its text) or a string
// that holds one.
// https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
//
// Output: {"Entries": [{"EventId": a UUID from the seeded Rng}, ...], "FailedEntryCount": 0}.
// Errors: an entry without Source or DetailType (InvalidArgument) or whose Detail is not a JSON
// object (MalformedDetail) is a failed entry, answered in its place as {"ErrorCode",
// "ErrorMessage"}; the others are still put. Any failed entry fails the task with
// EventBridge.FailedEntry and the whole answer, as JSON text, for the cause. No Entries, or
// more than 10, is EventBridge.ValidationException. A behaviour error as scripted (target: the
// first entry's EventBusName, "default" when it names none); throttle is
// EventBridge.ThrottlingException.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulator/engine/integration.h"
#include "fakes/context.h"

namespace timeslip::fakes {

inline constexpr std::string_view kEventsPutEvents = "arn:aws:states:::events:putEvents";
// PutEvents takes at most this many entries.
inline constexpr std::size_t kMaxPutEventsEntries = 10;

struct PutEvent {
  std::string event_id;
  std::string event_bus_name;
  std::string source;
  std::string detail_type;
  std::string detail;  // JSON text of an object
  time::Instant put_at;
  std::string execution_arn;
};

class EventsFake final : public engine::Integration {
 public:
  explicit EventsFake(FakeContext& context) : ctx_(context) {}  // Not owned.
  void Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) override;
  void Cancel(std::uint64_t task_id) override { ctx_.Cancel(task_id); }

  // Every event put, in order.
  const std::vector<PutEvent>& events() const { return events_; }

 private:
  FakeContext& ctx_;
  std::vector<PutEvent> events_;
};

}  // namespace timeslip::fakes
