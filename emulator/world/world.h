#pragma once
// World: everything one timeslip process runs, assembled in one place: the clock and the seeded
// generator (inside the Emulator), the engine, the fake backends on its Task integrations, the
// EventBridge Scheduler, the engine host with its registry, and every service registered on it.
// `timeslip serve`, `timeslip scenario run`, the in-process endpoint and the tests all build
// theirs here. Adding a service means one line in the constructor.
//
//   world::World world({.emulator = options});
//   api::Endpoint endpoint(world.host());       // serve it over HTTP ...
//   world.host().Call({.service = "states", .operation = "ListStateMachines"});  // ... or not
//
// Threads: construct and destroy on one thread. Before host().Start() that thread may use
// everything directly (a scenario runs its whole world so); after, only the engine thread may:
// reach it through host().Post() or Submit().

#include <memory>

#include "emulator/engine/emulator.h"
#include "emulator/host/engine_host.h"
#include "emulator/host/journal.h"
#include "emulator/host/store.h"
#include "emulator/services/stepfunctions/service.h"
#include "fakes/fake_backends.h"
#include "fakes/scheduler.h"

namespace timeslip::world {

struct WorldOptions {
  engine::EmulatorOptions emulator;
  services::stepfunctions::Options stepfunctions;
  // Not owned; must outlive the world. With a store every change is journaled and
  // group-committed into it, and a call is answered once its effects are committed
  // (host/journal.h); host::Recover rebuilds the state from it. Null: memory only.
  host::Store* store = nullptr;
};

class World {
 public:
  explicit World(WorldOptions options = {});
  ~World();  // stops the host first: nothing runs while the rest goes
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  engine::Emulator& emulator() { return emulator_; }
  const engine::Emulator& emulator() const { return emulator_; }
  fakes::FakeBackends& fakes() { return fakes_; }
  const fakes::FakeBackends& fakes() const { return fakes_; }
  fakes::Scheduler& scheduler() { return scheduler_; }
  host::EngineHost& host() { return host_; }
  // Null without a store.
  host::Journal* journal() { return journal_.get(); }

 private:
  engine::Emulator emulator_;
  std::unique_ptr<host::Journal> journal_;  // with a store
  fakes::FakeBackends fakes_;
  fakes::Scheduler scheduler_;  // EventBridge Scheduler: schedules start executions
  host::EngineHost host_;       // its registry holds every service's operations and state
};

}  // namespace timeslip::world
