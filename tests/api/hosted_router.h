#pragma once
// HostedRouter: a whole in-process endpoint without the network, for the api tests: a World
// (virtual clock at 2024-01-01T00:00:00Z, seed 1, unless told otherwise) with every service on
// its running EngineHost, and a Router with every protocol (what api::Endpoint wires, without the
// Server). Call() waits for the answer (a future, never a sleep).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <concepts>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <type_traits>

#include "emulator/api/protocols.h"
#include "emulator/api/router.h"
#include "emulator/engine/emulator.h"
#include "emulator/host/engine_host.h"
#include "emulator/time/rfc3339.h"
#include "emulator/world/world.h"
#include "fakes/fake_backends.h"

namespace timeslip::api::testing {

inline engine::EmulatorOptions TestOptions(engine::ClockMode mode = engine::ClockMode::kVirtual) {
  engine::EmulatorOptions options;
  options.clock = mode;
  options.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
  options.seed = 1;
  return options;
}

inline constexpr std::string_view kRole = "arn:aws:iam::123456789012:role/test";

class HostedRouter {
 public:
  explicit HostedRouter(engine::EmulatorOptions options = TestOptions(),
                        services::stepfunctions::Options sfn_options =
                            {.activity_poll_timeout = std::chrono::milliseconds(50)})
      : world_({.emulator = options, .stepfunctions = sfn_options}) {
    host::EngineHost& host = world_.host();
    ServeServices(router_, host.registry(), [&host](host::Command c, host::CommandReply r) {
      host.Submit(std::move(c), std::move(r));
    });
    host.Start();
  }
  ~HostedRouter() { world_.host().Stop(); }

  // The response to one request; fails the test if none comes within 10 s.
  Response Send(Request request) {
    auto promise = std::make_shared<std::promise<Response>>();
    std::future<Response> got = promise->get_future();
    router_.Handle(std::move(request), [promise](Response r) { promise->set_value(std::move(r)); });
    if (got.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      ADD_FAILURE() << "no response within 10 s";
      return Response{.status = 0};
    }
    return got.get();
  }

  // POSTs an AWSStepFunctions operation with `body` (any text) from `region`.
  Response Call(std::string_view op, std::string_view body, std::string_view region = "") {
    Request r;
    r.method = "POST";
    r.target = "/";
    r.amz_target = fmt::format("AWSStepFunctions.{}", op);
    r.content_type = std::string(kAmzJson10);
    r.body = std::string(body);
    if (!region.empty()) {
      r.authorization = fmt::format(
          "AWS4-HMAC-SHA256 Credential=AKID/20240101/{}/states/aws4_request, SignedHeaders=host, "
          "Signature=0",
          region);
    }
    return Send(std::move(r));
  }
  template <typename J>
  requires std::same_as<J, nlohmann::ordered_json> Response Call(std::string_view op, const J& body) {
    return Call(op, std::string_view(body.dump()));
  }

  Response Control(std::string_view method, std::string_view path, std::string_view body = "") {
    Request r;
    r.method = std::string(method);
    r.target = std::string(path);
    r.content_type = std::string(kJson);
    r.body = std::string(body);
    return Send(std::move(r));
  }

  // Runs `fn` on the engine thread and waits for it.
  template <typename Fn>
  auto OnEngine(Fn fn) {
    using T = decltype(fn());
    auto promise = std::make_shared<std::promise<T>>();
    std::future<T> got = promise->get_future();
    world_.host().Post([promise, fn = std::move(fn)]() mutable {
      if constexpr (std::is_void_v<T>) {
        fn();
        promise->set_value();
      } else {
        promise->set_value(fn());
      }
    });
    return got.get();
  }

  engine::Emulator& emulator() { return world_.emulator(); }
  host::EngineHost& host() { return world_.host(); }
  Router& router() { return router_; }
  world::World& world() { return world_; }
  // Engine thread only, once started: through OnEngine().
  fakes::FakeBackends& fakes() { return world_.fakes(); }

 private:
  world::World world_;
  Router router_;
};

// The parsed body of a response (null if it is not JSON).
inline nlohmann::ordered_json Body(const Response& r) {
  return nlohmann::ordered_json::parse(r.body, nullptr, false);
}

// The "__type" of an error response, or "" when the response is not an error.
inline std::string ErrorType(const Response& r) {
  nlohmann::ordered_json body = Body(r);
  if (!body.is_object() || !body.contains("__type")) return "";
  return body["__type"].get<std::string>();
}

inline std::string ErrorMessage(const Response& r) {
  nlohmann::ordered_json body = Body(r);
  if (!body.is_object() || !body.contains("message")) return "";
  return body["message"].get<std::string>();
}

}  // namespace timeslip::api::testing
