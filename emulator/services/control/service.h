#pragma once
// timeslip's own service (service name "timeslip"): the controls a test has over the world.
// api/ serves them under /_timeslip/ as plain JSON:
//   GetHealth      {} -> {"status": "ok"}
//   GetClock       {} -> {"mode": "virtual", "now": "2024-01-01T00:00:00.000Z",
//                         "epochMillis": 1704067200000}
//   AdvanceClock   {"seconds": N} -> the clock as GetClock answers, after moving a virtual or
//                  manual clock forward and firing what came due. ValidationException in wall
//                  mode, or for a negative, non-numeric or over-100-year N.
//   LoadFakes      a behaviour document (fakes/behaviour.h) -> {}; replaces every behaviour.
//                  ValidationException naming the path; nothing changes then.
//   GetFakeCalls   {} -> every call the fakes received (fakes/call_log.h).
//   SetMockConfig  a Step Functions Local mock configuration -> {}; replaces the one in use.

#include <string_view>

#include "emulator/host/engine_host.h"
#include "fakes/fake_backends.h"

namespace timeslip::services::control {

inline constexpr std::string_view kServiceName = "timeslip";

// Registers the operations on `host`'s registry. `fakes`: Not owned; must outlive `host`'s use.
void Register(host::EngineHost& host, fakes::FakeBackends& fakes);

}  // namespace timeslip::services::control
