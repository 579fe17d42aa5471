#pragma once
// Command: one call of an operation of a service, whoever makes it: the HTTP layer, `serve`
// loading --fakes at start-up, a scenario, a C++ test, recovery replaying the journal. A command
// is a document in and a document (or an AWS error) out; it carries nothing of the wire it came
// on, so the journal can keep it and replay it.
//
//   host.Submit(host::Command{.service = "states", .operation = "StartExecution",
//                             .input = {{"stateMachineArn", arn}}, .region = "eu-west-1"},
//               [](host::Outcome outcome) { ... });

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/json/result.h"

namespace timeslip::host {

// The region a command runs in when its caller names none.
inline constexpr std::string_view kDefaultRegion = "us-east-1";

struct Command {
  std::string service;    // AWS's signing name: "states", "lambda", "sns", "scheduler"; "timeslip"
  std::string operation;  // as AWS names it: "StartExecution", "Invoke", "Publish"
  nlohmann::ordered_json input = nlohmann::ordered_json::object();  // the request document, AWS's member names
  std::string region = std::string(kDefaultRegion);
};

// What an operation answers: the response document, or an error named as AWS names it
// ("ExecutionDoesNotExist"); the wire decides how each looks.
using Outcome = json::Result<nlohmann::ordered_json>;
// Called exactly once, on the engine thread, now or later (a long poll); later calls are ignored.
using CommandReply = std::function<void(Outcome)>;

}  // namespace timeslip::host
