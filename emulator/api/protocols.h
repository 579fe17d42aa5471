#pragma once
// The wire protocols: how a request on the endpoint becomes a command (host/command.h) and how
// the command's outcome goes back, in the protocol the client spoke.
//   AWS JSON 1.0   X-Amz-Target "AWSStepFunctions.<Operation>" -> service "states"
//   AWS JSON 1.1   X-Amz-Target "AWSGlue.<Operation>"          -> service "glue"
//   REST-JSON      POST /2015-03-31/functions/{Name}/invocations -> lambda Invoke;
//                  /schedules[/{Name}] -> scheduler Create/Get/Delete/ListSchedules
//   query          form-encoded "Action=Publish&..." without X-Amz-Target -> sns <Action>; XML
//   control        /_timeslip/... -> timeslip GetHealth, GetClock, AdvanceClock, LoadFakes,
//                  GetFakeCalls, SetMockConfig
// This is the one request-to-command path: the endpoint serves through it, and recovery reads
// the requests of old journals through it (RequestDecoderFor).

#include <functional>
#include <optional>

#include "emulator/api/router.h"
#include "emulator/host/command.h"
#include "emulator/host/recorded_request.h"
#include "emulator/host/registry.h"

namespace timeslip::api {

// Where commands go: EngineHost::Submit for a live endpoint.
using Submit = std::function<void(host::Command command, host::CommandReply reply)>;

// Adds a route to `router` for every operation `registry` has, in its service's protocol, each
// handing its command to `submit`. Before serving.
void ServeServices(Router& router, const host::Registry& registry, Submit submit);

// Reads each recorded request as the command the endpoint would submit for it; nullopt when the
// wire refuses the request before any command (an unknown operation, a malformed body). The
// routes are built once, for every request it reads. `registry`: Not owned; must outlive it.
host::RequestDecoder RequestDecoderFor(const host::Registry& registry);

}  // namespace timeslip::api
