#pragma once
// The control API under /_timeslip/ (health is the Router's own):
//   GET  /_timeslip/clock          {"mode": "virtual", "now": "2024-01-01T00:00:00.000Z",
//                                   "epochMillis": 1704067200000}
//   POST /_timeslip/clock/advance  {"seconds": N}: moves a virtual or manual clock forward,
//                                   firing what comes due; answers with the clock as GET does.
//                                   ValidationException (400) in wall mode, or for a negative
//                                   or non-numeric N.

#include "emulator/api/engine_host.h"
#include "emulator/api/router.h"

namespace timeslip::api {

// `host`: Not owned; must outlive `router`'s use of these routes.
void RegisterControlOps(Router& router, EngineHost& host);

}  // namespace timeslip::api
