#pragma once
// Recovery: rebuilds a host's state from its store's journal (host/journal.h) when
// `timeslip serve` starts on an existing database.
//
//   world::World world({.emulator = stored_options, .store = &store});  // a fresh world
//   json::Result<host::RecoveryReport> recovered = host::Recover(world.host(), &decoder);
//   world.host().Start();
//
// Every journaled turn is replayed in order, at its recorded virtual instant (a virtual or manual
// clock must arrive there by itself; a wall clock is pinned to it). Then the rebuilt state is
// checked against what the store holds: every execution with its status and number of events,
// the clock's position, the generator's state. A mismatch means the journal cannot be trusted to
// rebuild the rest (another timeslip build wrote it, or a fake ran a command whose output
// changed), and recovery refuses rather than start from a state that differs from the stored one.
// Last, the clients that were waiting when the server stopped (long polls, synchronous
// executions) are let go, as a journaled release: their connections are gone.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "emulator/host/engine_host.h"
#include "emulator/host/journal.h"
#include "emulator/json/result.h"
#include "emulator/time/clock.h"

namespace timeslip::host {

struct RecoveryReport {
  std::int64_t entries = 0;              // journal entries replayed
  std::size_t executions = 0;            // executions rebuilt
  std::size_t running = 0;               // of which still running
  std::optional<time::Instant> last_at;  // the last entry's instant; none for an empty journal
};

// REQUIRES: `host` has a journal, its services registered, and has not started. `requests` reads
// the "request" entries of journals written before commands (api::RequestDecoderFor); without it
// such a journal is refused. Errors (StoreError): the store cannot be read, a corrupt entry, a
// replay that rebuilt a different state.
json::Result<RecoveryReport> Recover(EngineHost& host, const RequestDecoder* requests = nullptr);

}  // namespace timeslip::host
