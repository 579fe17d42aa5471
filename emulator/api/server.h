#pragma once
// Server: the HTTP/1.1 endpoint (Boost.Beast, hidden here behind a pimpl). It moves bytes only:
// reads a request (with a body limit and a timeout), hands it to a Handler, writes the reply.
//
//   api::Router router;  // a Handler
//   api::Server server({.port = 0}, router);
//   json::Result<std::uint16_t> port = server.Start();
//   ...
//   server.Stop();

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "emulator/api/handler.h"
#include "emulator/json/result.h"

namespace timeslip::api {

// Step Functions definitions may be 1 MiB; the body limit leaves room for the JSON around one.
inline constexpr std::size_t kDefaultBodyLimit = 2 * 1024 * 1024;

struct ServerOptions {
  std::string host = "127.0.0.1";  // an address or a name that resolves to one
  std::uint16_t port = 8083;       // 0: any free port; Start() says which
  int io_threads = 2;
  // A larger body is answered 413 RequestEntityTooLargeException and the connection closed.
  std::size_t body_limit = kDefaultBodyLimit;
  // How long a connection may take to deliver a whole request, counted from when the server
  // starts waiting for it; so it also bounds how long a keep-alive connection may sit idle. A
  // client that is too slow is disconnected without an answer.
  std::chrono::milliseconds read_timeout{60'000};
  // How long a client may take to accept a response.
  std::chrono::milliseconds write_timeout{60'000};
  // How long Stop() waits for requests in flight to be answered before cutting them off.
  std::chrono::milliseconds stop_grace{10'000};
};

class Server {
 public:
  // `handler`: Not owned; must outlive this. It is called on the I/O threads, never after Stop().
  Server(ServerOptions options, Handler& handler);
  ~Server();  // Stop()s first.
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the I/O threads; returns the bound port. On failure (the address
  // does not resolve, the port is taken) an Error named "ServerStartFailed", saying why.
  // REQUIRES: called at most once.
  json::Result<std::uint16_t> Start();

  // Graceful: stops accepting, closes idle connections and connections still sending a request,
  // lets requests already handed to the Handler be answered and written (for up to stop_grace),
  // then joins the I/O threads. Replies that come later are dropped. Idempotent.
  void Stop();

  // The bound port once Start() succeeded; 0 before.
  std::uint16_t port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace timeslip::api
