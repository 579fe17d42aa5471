#pragma once
// Which Retry or Catch ErrorEquals list handles an error name.
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html

#include <string>
#include <string_view>
#include <vector>

namespace timeslip::engine {

// Exact names match themselves. States.ALL matches everything but the terminal
// States.DataLimitExceeded and States.Runtime. States.Timeout also matches
// States.HeartbeatTimeout ("a Task state either ran longer than the TimeoutSeconds value, or
// failed to send a heartbeat for a period longer than the HeartbeatSeconds value").
// States.TaskFailed matches everything but those timeouts (and the terminal errors).
bool ErrorMatches(const std::vector<std::string>& error_equals, std::string_view error);

}  // namespace timeslip::engine
