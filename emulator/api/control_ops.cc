#include "emulator/api/control_ops.h"

#include <chrono>
#include <cmath>

#include "emulator/api/errors.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::api {
namespace {

std::string_view ModeName(engine::ClockMode mode) {
  switch (mode) {
    case engine::ClockMode::kVirtual:
      return "virtual";
    case engine::ClockMode::kManual:
      return "manual";
    case engine::ClockMode::kWall:
      return "wall";
  }
  return "";
}

nlohmann::json ClockJson(engine::Emulator& emulator) {
  time::Instant now = emulator.clock().Now();
  return {{"mode", ModeName(emulator.options().clock)},
          {"now", time::FormatRfc3339(now)},
          {"epochMillis", now.time_since_epoch().count()}};
}

// The largest advance accepted: 100 years, far beyond any timeout, short of overflowing Instant.
constexpr double kMaxAdvanceSeconds = 100.0 * 365 * 24 * 3600;

}  // namespace

void RegisterControlOps(Router& router, EngineHost& host) {
  router.AddControlRoute(
      "GET", "/_timeslip/clock", [&host](nlohmann::json, const Request&, OpReply reply) {
        host.Post([&host, reply = std::move(reply)] { reply(ClockJson(host.emulator())); });
      });
  router.AddControlRoute(
      "POST", "/_timeslip/clock/advance",
      [&host](nlohmann::json input, const Request&, OpReply reply) {
        auto seconds = input.find("seconds");
        if (seconds == input.end() || !seconds->is_number() ||
            !std::isfinite(seconds->get<double>()) || seconds->get<double>() < 0 ||
            seconds->get<double>() > kMaxAdvanceSeconds) {
          reply(json::Error{std::string(kValidationException),
                            "'seconds' must be a number of seconds, 0 or more (at most 100 "
                            "years)"});
          return;
        }
        auto by = std::chrono::milliseconds(
            static_cast<std::int64_t>(std::llround(seconds->get<double>() * 1000.0)));
        host.Post([&host, by, reply = std::move(reply)] {
          if (host.emulator().options().clock == engine::ClockMode::kWall) {
            reply(json::Error{std::string(kValidationException),
                              "The clock is in wall mode; only virtual and manual clocks can be "
                              "advanced."});
            return;
          }
          json::Status advanced = host.emulator().Advance(by);
          if (!advanced.ok()) return reply(advanced.error());
          reply(ClockJson(host.emulator()));
        });
      });
  // Step Functions Local's MockConfigFile.json, replacing the one in use.
  router.AddControlRoute(
      "POST", "/_timeslip/mock-config",
      [&host](nlohmann::json input, const Request&, OpReply reply) {
        json::Result<engine::MockConfig> config = engine::MockConfig::Parse(input.dump());
        if (!config.ok()) return reply(config.error());
        host.Post([&host, config = std::move(config).value(), reply = std::move(reply)]() mutable {
          host.emulator().SetMockConfig(std::move(config));
          reply(nlohmann::json::object());
        });
      });
}

}  // namespace timeslip::api
