#pragma once
// HistoryEvent: one entry of an execution's history, shaped as GetExecutionHistory returns it.
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator/time/clock.h"

namespace timeslip::engine {

struct HistoryEvent {
  std::int64_t id = 0;
  std::int64_t previous_event_id = 0;
  time::Instant timestamp;
  std::string type;         // an event_type constant (event_types.h): "TaskStateEntered"
  std::string details_key;  // "stateEnteredEventDetails"; empty when the event has none
  nlohmann::ordered_json details;   // the details object, AWS's field names
};

// The event as AWS's JSON 1.0 wire shape: timestamp in epoch seconds (ms precision).
// Without execution data, input/output fields (and their *Details) are left out, as
// GetExecutionHistory does for includeExecutionData=false.
nlohmann::ordered_json ToWireJson(const HistoryEvent& event, bool include_execution_data = true);

// The event with an RFC 3339 timestamp: for scenario reports, golden files and diffs.
nlohmann::ordered_json ToReadableJson(const HistoryEvent& event);

}  // namespace timeslip::engine
