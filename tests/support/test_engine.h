#pragma once
// TestEngine: an Emulator on a virtual clock at 2024-01-01T00:00:00Z with seed 1, and scripted
// integrations for the resources tests use. Helpers render histories compactly.

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/engine/emulator.h"

namespace timeslip::testing {

// One scripted attempt: after `latency`, `outcome` (a result or an Error); or never, if `hang`.
struct Step {
  time::Duration latency{0};
  json::Result<nlohmann::ordered_json> outcome = nlohmann::ordered_json::object();
  bool hang = false;
};

// Plays its steps in order, one per call; the last step repeats. Records every call.
class ScriptedIntegration final : public engine::Integration {
 public:
  explicit ScriptedIntegration(engine::Engine& engine) : engine_(engine) {}
  void Script(std::vector<Step> steps) { steps_ = std::move(steps); }
  void Start(const engine::TaskRequest& request, engine::TaskCallbacks callbacks) override;
  void Cancel(std::uint64_t task_id) override { cancelled.push_back(task_id); }

  std::vector<engine::TaskRequest> calls;
  std::vector<std::uint64_t> cancelled;

 private:
  engine::Engine& engine_;
  std::vector<Step> steps_;
};

class TestEngine {
 public:
  static constexpr std::string_view kStart = "2024-01-01T00:00:00Z";
  static constexpr std::string_view kRole = "arn:aws:iam::123456789012:role/test";

  explicit TestEngine(std::uint64_t seed = 1);

  // Creates a state machine from `definition` (failing the test if invalid) and starts it.
  engine::Execution& Start(std::string_view definition, std::string_view input = "{}",
                           engine::MachineType type = engine::MachineType::kStandard);
  void RunToCompletion() { emulator_.RunToCompletion(); }
  void RunFor(time::Duration d) { emulator_.RunUntil(emulator_.clock().Now() + d); }

  Emulator& emulator() { return emulator_; }
  engine::Engine& engine() { return emulator_.engine(); }
  // Registered for arn:aws:states:::lambda:invoke, glue:startJobRun and arn:aws:lambda: ARNs.
  ScriptedIntegration& lambda() { return *lambda_; }
  ScriptedIntegration& glue() { return *glue_; }
  time::Instant start_time() const;

 private:
  Emulator emulator_;
  std::unique_ptr<ScriptedIntegration> lambda_;
  std::unique_ptr<ScriptedIntegration> glue_;
  int machines_ = 0;
};

// "ExecutionStarted@0 PassStateEntered@0 ... ExecutionSucceeded@3600": event types with
// seconds since the execution started.
std::string Timeline(const engine::Execution& execution);
// Only the types, space-separated.
std::string EventTypes(const engine::Execution& execution);
// The task token handed out in the last TaskScheduled/ActivityScheduled parameters, or the
// last one the scripted integration saw.
std::string LastToken(const ScriptedIntegration& integration);

}  // namespace timeslip::testing
