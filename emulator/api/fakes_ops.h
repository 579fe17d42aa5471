#pragma once
// The fakes' control routes under /_timeslip/, each running on the EngineHost's thread:
//   POST /_timeslip/fakes        body: a behaviour document (fakes/behaviour.h). Replaces every
//                                behaviour; answers {}. A bad document: 400 ValidationException
//                                whose message starts with the path in the document
//                                ("lambda.f[0].latency: ..."), and nothing changes; malformed
//                                JSON: 400 SerializationException.
//   GET  /_timeslip/fakes/calls  {"calls": [...]}: every call the fakes received, in order
//                                (FakeBackends::CallsJson()).

#include "emulator/api/engine_host.h"
#include "emulator/api/router.h"
#include "fakes/fake_backends.h"

namespace timeslip::api {

// `host`, `fakes`: Not owned; must outlive `router`'s use of these routes. `fakes` is touched
// only on the host's thread.
void RegisterFakesOps(Router& router, EngineHost& host, fakes::FakeBackends& fakes);

}  // namespace timeslip::api
