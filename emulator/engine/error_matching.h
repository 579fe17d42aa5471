#pragma once
// Which Retry or Catch ErrorEquals list handles an error name.
// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html

#include <string>
#include <string_view>
#include <vector>

namespace timeslip::engine {

// Exact names match themselves, but States.Runtime matches nothing: it always fails the
// execution. States.ALL matches everything but the terminal States.DataLimitExceeded. States.Timeout also matches
// States.HeartbeatTimeout ("a Task state either ran longer than the TimeoutSeconds value, or
// failed to send a heartbeat for a period longer than the HeartbeatSeconds value").
// States.TaskFailed matches everything but those timeouts (and the terminal errors).
// `from_task_result`: States.DataLimitExceeded for a task's result over the payload quota is
// reported by the integration, and AWS's recordings show States.ALL catching that one (the docs
// call the error terminal; the state's own input and output over the quota stay so).
bool ErrorMatches(const std::vector<std::string>& error_equals, std::string_view error,
                  bool from_task_result = false);

}  // namespace timeslip::engine
