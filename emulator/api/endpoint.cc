#include "emulator/api/endpoint.h"

#include <fmt/format.h>

#include <exception>
#include <future>
#include <optional>
#include <utility>

#include "emulator/api/control_ops.h"
#include "emulator/api/errors.h"
#include "emulator/api/fakes_ops.h"
#include "emulator/api/lambda_ops.h"
#include "emulator/api/scheduler_ops.h"
#include "emulator/api/sns_ops.h"

namespace timeslip::api {

Endpoint::Endpoint(engine::Emulator& emulator, EndpointOptions options)
    : emulator_(emulator),
      options_(std::move(options)),
      journal_(options_.store ? std::make_unique<Journal>(*options_.store, emulator) : nullptr),
      fakes_(std::make_unique<fakes::FakeBackends>(emulator.engine())),
      scheduler_(emulator),
      host_(emulator),
      stepfunctions_(host_, options_.stepfunctions),
      server_(options_.server, router_) {
  if (journal_) {
    host_.AttachJournal(journal_.get());
    router_.set_journaled(true);
  }
  fakes_->RegisterOn(emulator.integrations());
  stepfunctions_.Register(router_);
  RegisterControlOps(router_, host_);
  RegisterFakesOps(router_, host_, *fakes_);
  RegisterSnsOps(router_, host_, *fakes_);
  RegisterLambdaOps(router_, host_, *fakes_);
  RegisterSchedulerOps(router_, host_, scheduler_);
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
