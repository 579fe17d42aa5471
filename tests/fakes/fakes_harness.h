#pragma once
// FakesHarness: a TestEngine (virtual clock at 2024-01-01T00:00:00Z) whose integrations are the
// real fakes, loaded with a behaviour document.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "fakes/fake_backends.h"
#include "tests/support/test_engine.h"

namespace timeslip::fakes {

class FakesHarness {
 public:
  explicit FakesHarness(std::string_view behaviours = "{}", std::uint64_t seed = 1)
      : t_(seed), fakes_(t_.engine()) {
    fakes_.RegisterOn(t_.emulator().integrations());  // replaces the scripted test doubles
    json::Status loaded = fakes_.LoadJson(behaviours);
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
  }

  // Starts `definition` with `input` and runs until nothing is pending.
  engine::Execution& Run(std::string_view definition, std::string_view input = "{}") {
    engine::Execution& run = t_.Start(definition, input);
    t_.RunToCompletion();
    return run;
  }

  // Seconds since the start of virtual time.
  std::int64_t SecondsAt(time::Instant at) const {
    return std::chrono::duration_cast<std::chrono::seconds>(at - t_.start_time()).count();
  }

  testing::TestEngine& t() { return t_; }
  FakeBackends& fakes() { return fakes_; }
  const CallLog& calls() const { return fakes_.calls(); }

 private:
  testing::TestEngine t_;
  FakeBackends fakes_;
};

// A one-Task state machine around `resource` with `parameters` (JSON text) and extra fields.
inline std::string OneTask(std::string_view resource, std::string_view parameters,
                           std::string_view extra = "") {
  std::string def = R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")";
  def += resource;
  def += R"(","Parameters":)";
  def += parameters;
  if (!extra.empty()) {
    def += ",";
    def += extra;
  }
  def += R"(,"End":true}}})";
  return def;
}

inline nlohmann::ordered_json Output(const engine::Execution& run) {
  return run.output() ? *run.output() : nlohmann::ordered_json();
}

}  // namespace timeslip::fakes
