#pragma once
// Endpoint: a host's services on one port: every operation the host's registry has, in its
// service's protocol (api/protocols.h), and the /_timeslip/ control API. `timeslip serve` is
// one; a C++ test starts its own in process:
//
//   world::World world({.emulator = options});    // virtual clock
//   api::Endpoint endpoint(world.host());         // port 0: any free port
//   json::Result<std::uint16_t> port = endpoint.Start();
//   ... drive endpoint.url() ("http://127.0.0.1:PORT") with any HTTP client or AWS SDK ...
//   endpoint.Stop();
//
// It owns the Router and the Server; it starts and stops the host's engine thread with them.
// Threads: construct, Start, Stop and destroy on one thread; after Start() only the engine
// thread touches the world: reach it through RunOnEngine().

#include <cstdint>
#include <functional>
#include <string>

#include "emulator/api/router.h"
#include "emulator/api/server.h"
#include "emulator/host/engine_host.h"
#include "emulator/json/result.h"

namespace timeslip::api {

struct EndpointOptions {
  ServerOptions server = {.port = 0};  // host, port (0: any free one), threads, limits
};

class Endpoint {
 public:
  // `host`: Not owned; must outlive this, its services registered.
  explicit Endpoint(host::EngineHost& host, EndpointOptions options = {});
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
  // Start() and after Stop(). An exception from `fn` is rethrown here. Not journaled: with a
  // store, change through it only what a restart need not rebuild. For reading the fakes' calls
  // or loading behaviours from C++:
  //   endpoint.RunOnEngine([&] { calls = world.fakes().CallsJson(); });
  void RunOnEngine(std::function<void()> fn);

  // Before Start(): handles `request` as the server would (journaled, when the host has a
  // journal), on the calling thread, and returns the answer. For tests and benchmarks.
  Response Call(Request request);

  // Add routes before Start().
  Router& router() { return router_; }
  host::EngineHost& host() { return host_; }

 private:
  host::EngineHost& host_;  // Not owned.
  EndpointOptions options_;
  Router router_;
  Server server_;
  bool running_ = false;  // between a successful Start() and Stop()
};

}  // namespace timeslip::api
