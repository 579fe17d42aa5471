#include "emulator/api/endpoint.h"

#include <fmt/format.h>

#include <exception>
#include <future>
#include <memory>
#include <optional>
#include <utility>

#include "emulator/api/errors.h"
#include "emulator/api/protocols.h"

namespace timeslip::api {

Endpoint::Endpoint(host::EngineHost& host, EndpointOptions options)
    : host_(host), options_(std::move(options)), server_(options_.server, router_) {
  ServeServices(router_, host_.registry(),
                [&host](host::Command command, host::CommandReply reply) {
                  host.Submit(std::move(command), std::move(reply));
                });
}

Endpoint::~Endpoint() { Stop(); }

json::Result<std::uint16_t> Endpoint::Start() {
  host_.Start();
  json::Result<std::uint16_t> port = server_.Start();
  if (!port.ok()) {
    host_.Stop();
    return port;
  }
  running_ = true;
  return port;
}

void Endpoint::Stop() {
  host_.BeginShutdown();  // answer long polls now, so the server need not wait for them
  server_.Stop();
  host_.Stop();
  running_ = false;
}

Response Endpoint::Call(Request request) {
  // Shared: an operation that answers later (a long poll) may outlive this call.
  auto answer = std::make_shared<std::optional<Response>>();
  router_.Handle(std::move(request),
                 [answer](Response response) { *answer = std::move(response); });
  host_.RunPending();
  if (!*answer) {
    return ErrorResponse({std::string(kInternalFailure), "The operation did not answer"}, kJson);
  }
  return std::move(**answer);
}

std::string Endpoint::url() const {
  if (port() == 0) return "";
  return fmt::format("http://{}:{}", options_.server.host, port());
}

void Endpoint::RunOnEngine(std::function<void()> fn) {
  if (!running_) {
    fn();
    return;
  }
  std::promise<void> done;
  std::future<void> ran = done.get_future();
  host_.Post([&fn, &done] {
    try {
      fn();
      done.set_value();
    } catch (...) {
      done.set_exception(std::current_exception());  // rethrown on the caller's thread
    }
  });
  ran.get();
}

}  // namespace timeslip::api
