#include "emulator/api/fakes_ops.h"

#include <utility>

namespace timeslip::api {

void RegisterFakesOps(Router& router, EngineHost& host, fakes::FakeBackends& fakes) {
  router.AddControlRoute("POST", "/_timeslip/fakes",
                         [&host, &fakes](nlohmann::json input, const Request&, OpReply reply) {
                           host.Post([&fakes, input = std::move(input), reply = std::move(reply)] {
                             json::Status loaded = fakes.LoadDocument(input);
                             if (!loaded.ok()) return reply(loaded.error());
                             reply(nlohmann::json::object());
                           });
                         });
  router.AddControlRoute(
      "GET", "/_timeslip/fakes/calls",
      [&host, &fakes](nlohmann::json, const Request&, OpReply reply) {
        host.Post([&fakes, reply = std::move(reply)] { reply(fakes.CallsJson()); });
      });
}

}  // namespace timeslip::api
