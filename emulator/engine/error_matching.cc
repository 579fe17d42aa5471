#include "emulator/engine/error_matching.h"

#include "emulator/asl/error_names.h"

namespace timeslip::engine {

bool ErrorMatches(const std::vector<std::string>& error_equals, std::string_view error,
                  bool from_task_result) {
  const bool terminal = error == asl::kStatesRuntime ||
                        (error == asl::kStatesDataLimitExceeded && !from_task_result);
  // States.Timeout covers both TimeoutSeconds and HeartbeatSeconds running out.
  const bool timeout = error == asl::kStatesTimeout || error == asl::kStatesHeartbeatTimeout;
  // "States.Runtime ... is not retriable and will always cause the execution to fail": AWS does
  // not catch it even by name.
  if (error == asl::kStatesRuntime) return false;
  for (const std::string& name : error_equals) {
    if (name == error) return true;
    if (terminal) continue;
    if (name == asl::kStatesAll) return true;
    if (name == asl::kStatesTimeout && timeout) return true;
    if (name == asl::kStatesTaskFailed && !timeout) return true;
  }
  return false;
}

}  // namespace timeslip::engine
