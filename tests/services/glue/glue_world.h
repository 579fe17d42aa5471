#pragma once
// GlueWorld: a whole World (manual clock at 2024-01-01T00:00:00Z, seed 1) driven through its
// commands, as the endpoint drives it, without HTTP: Glue operations, Step Functions operations,
// and the control service's clock and fakes.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "emulator/engine/emulator.h"
#include "emulator/host/command.h"
#include "emulator/host/store.h"
#include "emulator/time/rfc3339.h"
#include "emulator/world/world.h"

namespace timeslip::services::glue::testing {

using Json = nlohmann::ordered_json;

inline constexpr std::int64_t kStart = 1704067200;  // 2024-01-01T00:00:00Z, epoch seconds

inline engine::EmulatorOptions Options(engine::ClockMode mode) {
  engine::EmulatorOptions options;
  options.clock = mode;
  options.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
  options.seed = 1;
  return options;
}

// CreateJob's minimal request for `name`, with `extra` members.
inline Json JobRequest(std::string_view name, Json extra = Json::object()) {
  Json request = {{"Name", name},
                  {"Role", "arn:aws:iam::123456789012:role/glue"},
                  {"Command", {{"Name", "glueetl"}, {"ScriptLocation", "s3://scripts/job.py"}}}};
  request.update(extra);
  return request;
}

class GlueWorld {
 public:
  explicit GlueWorld(std::string_view behaviours = "{}",
                     engine::ClockMode mode = engine::ClockMode::kManual,
                     host::Store* store = nullptr)
      : world_({.emulator = Options(mode), .store = store}) {
    if (behaviours.empty()) return;  // a world about to be recovered: the journal loads them
    host::Outcome loaded = world_.host().Call(
        {.service = "timeslip", .operation = "LoadFakes", .input = Json::parse(behaviours)});
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
  }

  host::Outcome Call(std::string_view operation, Json input, std::string_view service = "glue") {
    return world_.host().Call(
        {.service = std::string(service), .operation = std::string(operation), .input = input});
  }
  // The answer of an operation expected to succeed; null (and a failure) otherwise.
  Json Ok(std::string_view operation, Json input, std::string_view service = "glue") {
    host::Outcome out = Call(operation, std::move(input), service);
    EXPECT_TRUE(out.ok()) << operation << ": " << (out.ok() ? "" : out.error().message);
    return out.ok() ? out.value() : Json();
  }
  // The error name of an operation expected to fail, and its message in `message`.
  std::string ErrorOf(std::string_view operation, Json input, std::string* message = nullptr) {
    host::Outcome out = Call(operation, std::move(input));
    EXPECT_FALSE(out.ok()) << operation << " answered " << (out.ok() ? out.value().dump() : "");
    if (out.ok()) return "";
    if (message != nullptr) *message = out.error().message;
    return out.error().name;
  }

  void Advance(double seconds) { Ok("AdvanceClock", {{"seconds", seconds}}, "timeslip"); }
  Json Run(const std::string& job, const std::string& id) {
    return Ok("GetJobRun", {{"JobName", job}, {"RunId", id}})["JobRun"];
  }

  world::World& world() { return world_; }

 private:
  world::World world_;
};

}  // namespace timeslip::services::glue::testing
