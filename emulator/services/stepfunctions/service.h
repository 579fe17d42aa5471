#pragma once
// The AWS Step Functions service: its operations (CreateStateMachine ... ListTagsForResource, in
// the shapes of botocore's stepfunctions/2016-11-23 model) on a host's registry, under the
// service name "states", each a function of the engine's state and a request document. Knows
// nothing of HTTP: api/ serves these as AWS JSON 1.0 ("AWSStepFunctions.<Operation>").
//
//   host::EngineHost host(emulator);
//   services::stepfunctions::Register(host);
//   host.Start();
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html

#include <chrono>
#include <string_view>

#include "emulator/host/engine_host.h"

namespace timeslip::services::stepfunctions {

// The service name its commands carry: AWS's signing name.
inline constexpr std::string_view kServiceName = "states";

struct Options {
  // How long GetActivityTask waits for a task before answering without one. AWS: 60 s.
  std::chrono::milliseconds activity_poll_timeout{60'000};
};

// Registers every operation on `host`'s registry, and a shutdown hook that answers pending long
// polls (empty) and synchronous executions (ServiceUnavailable).
void Register(host::EngineHost& host, Options options = {});

}  // namespace timeslip::services::stepfunctions
