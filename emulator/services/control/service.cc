#include "emulator/services/control/service.h"

#include <chrono>
#include <cmath>
#include <string>

#include "emulator/host/common_errors.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::services::control {
namespace {

using Json = nlohmann::ordered_json;

// The largest advance accepted: 100 years, far beyond any timeout, short of overflowing Instant.
constexpr double kMaxAdvanceSeconds = 100.0 * 365 * 24 * 3600;

Json ClockJson(engine::Emulator& emulator) {
  time::Instant now = emulator.clock().Now();
  return {{"mode", engine::ClockModeName(emulator.options().clock)},
          {"now", time::FormatRfc3339(now)},
          {"epochMillis", now.time_since_epoch().count()}};
}

json::Error Invalid(std::string message) {
  return json::Error{std::string(host::kValidationException), std::move(message)};
}

host::Outcome AdvanceClock(engine::Emulator& emulator, const Json& input) {
  auto seconds = input.find("seconds");
  if (seconds == input.end() || !seconds->is_number() || !std::isfinite(seconds->get<double>()) ||
      seconds->get<double>() < 0 || seconds->get<double>() > kMaxAdvanceSeconds) {
    return Invalid("'seconds' must be a number of seconds, 0 or more (at most 100 years)");
  }
  if (emulator.options().clock == engine::ClockMode::kWall) {
    return Invalid("The clock is in wall mode; only virtual and manual clocks can be advanced.");
  }
  auto by = std::chrono::milliseconds(
      static_cast<std::int64_t>(std::llround(seconds->get<double>() * 1000.0)));
  json::Status advanced = emulator.Advance(by);
  if (!advanced.ok()) return advanced.error();
  return ClockJson(emulator);
}

}  // namespace

void Register(host::EngineHost& host, fakes::FakeBackends& fakes) {
  host::Registry& registry = host.registry();
  engine::Emulator& emulator = host.emulator();
  registry.AddSync(kServiceName, "GetHealth", host::Access::kReads, [](const host::Command&) {
    return host::Outcome(Json{{"status", "ok"}});
  });
  registry.AddSync(
      kServiceName, "GetClock", host::Access::kReads,
      [&emulator](const host::Command&) { return host::Outcome(ClockJson(emulator)); });
  registry.AddSync(kServiceName, "AdvanceClock", host::Access::kWrites,
                   [&emulator](const host::Command& c) { return AdvanceClock(emulator, c.input); });
  registry.AddSync(kServiceName, "LoadFakes", host::Access::kWrites,
                   [&fakes](const host::Command& c) -> host::Outcome {
                     json::Status loaded = fakes.LoadDocument(c.input);
                     if (!loaded.ok()) return loaded.error();
                     return Json::object();
                   });
  registry.AddSync(kServiceName, "GetFakeCalls", host::Access::kReads,
                   [&fakes](const host::Command&) { return host::Outcome(fakes.CallsJson()); });
  registry.AddSync(kServiceName, "SetMockConfig", host::Access::kWrites,
                   [&emulator](const host::Command& c) -> host::Outcome {
                     json::Result<engine::MockConfig> config =
                         engine::MockConfig::Parse(c.input.dump());
                     if (!config.ok()) return config.error();
                     emulator.SetMockConfig(std::move(config).value());
                     return Json::object();
                   });
}

}  // namespace timeslip::services::control
