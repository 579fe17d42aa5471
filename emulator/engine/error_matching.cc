#include "emulator/engine/error_matching.h"

#include "emulator/asl/error_names.h"

namespace timeslip::engine {

bool ErrorMatches(const std::vector<std::string>& error_equals, std::string_view error) {
  const bool terminal = error == asl::kStatesRuntime || error == asl::kStatesDataLimitExceeded;
  // States.Timeout covers both TimeoutSeconds and HeartbeatSeconds running out.
  const bool timeout = error == asl::kStatesTimeout || error == asl::kStatesHeartbeatTimeout;
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
