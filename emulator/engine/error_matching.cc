#include "emulator/engine/error_matching.h"

#include "emulator/asl/error_names.h"

namespace timeslip::engine {

bool ErrorMatches(const std::vector<std::string>& error_equals, std::string_view error) {
  const bool terminal = error == asl::kStatesRuntime || error == asl::kStatesDataLimitExceeded;
  for (const std::string& name : error_equals) {
    if (name == error) return true;
    if (terminal) continue;
    if (name == asl::kStatesAll) return true;
    if (name == asl::kStatesTaskFailed && error != asl::kStatesTimeout) return true;
  }
  return false;
}

}  // namespace timeslip::engine
