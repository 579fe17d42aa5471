#pragma once
// HostedRouter: a whole in-process endpoint without the network, for the api tests: an Emulator
// (virtual clock at 2024-01-01T00:00:00Z, seed 1, unless told otherwise), the fake backends, an
// EngineHost running it, and a Router with every Step Functions operation, the SNS API and every
// control route (what api::Endpoint wires, without the Server). Call() waits for the answer (a
// future, never a sleep).

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

#include "emulator/api/control_ops.h"
#include "emulator/api/engine_host.h"
#include "emulator/api/fakes_ops.h"
#include "emulator/api/router.h"
#include "emulator/api/sns_ops.h"
#include "emulator/api/stepfunctions_ops.h"
#include "emulator/engine/emulator.h"
#include "emulator/time/rfc3339.h"
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
  explicit HostedRouter(
      engine::EmulatorOptions options = TestOptions(),
      StepFunctionsOptions sfn_options = {.activity_poll_timeout = std::chrono::milliseconds(50)})
      : emulator_(options), fakes_(emulator_.engine()), host_(emulator_), ops_(host_, sfn_options) {
    fakes_.RegisterOn(emulator_.integrations());
    ops_.Register(router_);
    RegisterControlOps(router_, host_);
    RegisterFakesOps(router_, host_, fakes_);
    RegisterSnsOps(router_, host_, fakes_);
    host_.Start();
  }
  ~HostedRouter() { host_.Stop(); }

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
  requires std::same_as<J, nlohmann::json> Response Call(std::string_view op, const J& body) {
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
    host_.Post([promise, fn = std::move(fn)]() mutable {
      if constexpr (std::is_void_v<T>) {
        fn();
        promise->set_value();
      } else {
        promise->set_value(fn());
      }
    });
    return got.get();
  }

  engine::Emulator& emulator() { return emulator_; }
  EngineHost& host() { return host_; }
  Router& router() { return router_; }
  // Engine thread only, once started: through OnEngine().
  fakes::FakeBackends& fakes() { return fakes_; }

 private:
  engine::Emulator emulator_;
  fakes::FakeBackends fakes_;
  EngineHost host_;
  StepFunctionsOps ops_;
  Router router_;
};

// The parsed body of a response (null if it is not JSON).
inline nlohmann::json Body(const Response& r) {
  return nlohmann::json::parse(r.body, nullptr, false);
}

// The "__type" of an error response, or "" when the response is not an error.
inline std::string ErrorType(const Response& r) {
  nlohmann::json body = Body(r);
  if (!body.is_object() || !body.contains("__type")) return "";
  return body["__type"].get<std::string>();
}

inline std::string ErrorMessage(const Response& r) {
  nlohmann::json body = Body(r);
  if (!body.is_object() || !body.contains("message")) return "";
  return body["message"].get<std::string>();
}

}  // namespace timeslip::api::testing
