#pragma once
// StateMachineRecord: one revision of a state machine, as DescribeStateMachine shows it.
// Revisions are immutable and shared (std::shared_ptr<const StateMachineRecord>): an update or a
// tag makes a new one, and each execution keeps the revision it started on.

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/time/clock.h"

namespace timeslip::asl {
class StateMachine;
}

namespace timeslip::engine {

enum class MachineType { kStandard, kExpress };
std::string_view MachineTypeName(MachineType type);  // "STANDARD", "EXPRESS"

using Tags = std::map<std::string, std::string>;

struct StateMachineRecord {
  std::string arn;
  std::string name;
  std::string definition;
  std::shared_ptr<const asl::StateMachine> machine;  // `definition`, compiled
  std::string role_arn;
  MachineType type = MachineType::kStandard;
  time::Instant creation_date;
  std::optional<time::Instant> update_date;
  std::string revision_id;
  std::string description;
  nlohmann::ordered_json logging_configuration = nlohmann::ordered_json::object();
  nlohmann::ordered_json tracing_configuration = nlohmann::ordered_json::object();
  Tags tags;
};

}  // namespace timeslip::engine
