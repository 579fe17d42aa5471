#include "emulator/engine/history_event.h"

#include "emulator/time/rfc3339.h"

namespace timeslip::engine {
namespace {

nlohmann::ordered_json Base(const HistoryEvent& event, nlohmann::ordered_json timestamp) {
  nlohmann::ordered_json out = {{"timestamp", std::move(timestamp)},
                        {"type", event.type},
                        {"id", event.id},
                        {"previousEventId", event.previous_event_id}};
  return out;
}

}  // namespace

nlohmann::ordered_json ToWireJson(const HistoryEvent& event, bool include_execution_data) {
  nlohmann::ordered_json out = Base(event, time::EpochSeconds(event.timestamp));
  if (event.details_key.empty()) return out;
  if (include_execution_data) {
    out[event.details_key] = event.details;
    return out;
  }
  nlohmann::ordered_json details = event.details;
  for (const char* field : {"input", "inputDetails", "output", "outputDetails", "parameters",
                            "assignedVariables", "assignedVariablesDetails"}) {
    details.erase(field);
  }
  out[event.details_key] = std::move(details);
  return out;
}

nlohmann::ordered_json ToReadableJson(const HistoryEvent& event) {
  nlohmann::ordered_json out = Base(event, time::FormatRfc3339(event.timestamp));
  if (!event.details_key.empty()) out[event.details_key] = event.details;
  return out;
}

}  // namespace timeslip::engine
