#pragma once
// Endpoint: the whole timeslip endpoint for one Emulator, on one port: the Step Functions API,
// the SNS API, the /_timeslip/ control API (clock, fakes), and the fake backends the Emulator's
// Task states reach. `timeslip serve` is one; a C++ test starts its own in process:
//
//   engine::Emulator emulator(options);       // virtual clock
//   api::Endpoint endpoint(emulator);         // port 0: any free port
//   json::Result<std::uint16_t> port = endpoint.Start();
//   ... drive endpoint.url() ("http://127.0.0.1:PORT") with any HTTP client or AWS SDK ...
//   endpoint.Stop();
//
// It owns the FakeBackends (registered on the Emulator's integrations at construction), the
// EngineHost (the Emulator's thread), the Router with every operation, and the Server.
// Threads: construct, Start, Stop and destroy on one thread; after Start() only the engine
// thread touches the Emulator and the fakes: reach them through RunOnEngine().

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "emulator/api/engine_host.h"
#include "emulator/api/journal.h"
#include "emulator/api/router.h"
#include "emulator/api/server.h"
#include "emulator/api/stepfunctions_ops.h"
#include "emulator/engine/emulator.h"
#include "emulator/json/result.h"
#include "emulator/store/store.h"
#include "fakes/fake_backends.h"
#include "fakes/scheduler.h"

namespace timeslip::api {

struct EndpointOptions {
  ServerOptions server = {.port = 0};  // host, port (0: any free one), threads, limits
  StepFunctionsOptions stepfunctions;
  // Not owned; must outlive the endpoint. With a store every change is journaled and
  // group-committed into it, and a call is answered once its effects are committed
  // (api/journal.h); api::Recover rebuilds the state from it. Null: memory only.
  store::Store* store = nullptr;
};

class Endpoint {
 public:
  // `emulator`: Not owned; must outlive this. Its integrations keep pointers to the fakes this
  // owns, so it must not run executions after this is destroyed.
  explicit Endpoint(engine::Emulator& emulator, EndpointOptions options = {});
  ~Endpoint();  // Stop()s first.
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  // Starts the engine thread, then binds and serves; returns the bound port. On failure (the
  // address does not resolve, the port is taken) an Error named "ServerStartFailed" and the
  // engine thread is stopped again. REQUIRES: called at most once.
  json::Result<std::uint16_t> Start();

  // Graceful, as `timeslip serve` on SIGTERM: answers pending long polls and synchronous
  // executions, lets requests in flight be answered, then stops the server and the engine
  // thread. Idempotent.
  void Stop();

  // The bound port once Start() succeeded; 0 before.
  std::uint16_t port() const { return server_.port(); }
  // "http://HOST:PORT", the --endpoint-url for clients. Empty before Start().
  std::string url() const;

  // Runs `fn` on the engine thread and returns when it has run; on the calling thread before
  // Start() and after Stop(). An exception from `fn` is rethrown here. Not journaled: with a store,
  // change through it only what a restart need not rebuild. For reading the fakes' calls or
  // loading behaviours from C++:
  //   endpoint.RunOnEngine([&] { calls = endpoint.fakes().CallsJson(); });
  void RunOnEngine(std::function<void()> fn);

  // Before Start(): handles `request` as the server would (journaled, when there is a store), on
  // the calling thread, and returns the answer. For start-up loads (`serve --fakes`) and tests.
  Response Call(Request request);

  // Touch these only through RunOnEngine() while the endpoint runs.
  engine::Emulator& emulator() { return emulator_; }
  fakes::FakeBackends& fakes() { return *fakes_; }
  fakes::Scheduler& scheduler() { return scheduler_; }
  // Add routes before Start().
  Router& router() { return router_; }
  EngineHost& host() { return host_; }
  // Null without a store.
  store::Store* store() { return options_.store; }
  Journal* journal() { return journal_.get(); }

 private:
  engine::Emulator& emulator_;  // Not owned.
  EndpointOptions options_;
  std::unique_ptr<Journal> journal_;  // with a store
  std::unique_ptr<fakes::FakeBackends> fakes_;
  fakes::Scheduler scheduler_;  // EventBridge Scheduler: schedules start executions
  EngineHost host_;
  StepFunctionsOps stepfunctions_;
  Router router_;
  Server server_;
  bool running_ = false;  // between a successful Start() and Stop()
};

}  // namespace timeslip::api
