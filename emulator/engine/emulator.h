#pragma once
// Emulator: the C++ facade over everything a Step Functions client can do, for tests, the
// scenario runner and the endpoint. It owns the clock, the seeded generator, the engine and the
// registries of state machines and activities, and answers with AWS's error names.
//
// Threads: not thread-safe; one thread (the engine's) calls it.

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/asl/state_machine.h"
#include "emulator/engine/engine.h"
#include "emulator/engine/mock_config.h"
#include "emulator/engine/nested_executions.h"
#include "emulator/engine/state_machine_record.h"
#include "emulator/json/result.h"
#include "emulator/time/clock.h"
#include "emulator/time/rng.h"

namespace timeslip::engine {

enum class ClockMode { kVirtual, kManual, kWall };
// "virtual", "manual", "wall": as `serve --clock` and GET /_timeslip/clock spell them.
std::string_view ClockModeName(ClockMode mode);
// The mode a name spells; nullopt for any other text.
std::optional<ClockMode> ParseClockMode(std::string_view name);

struct EmulatorOptions {
  ClockMode clock = ClockMode::kVirtual;
  time::Instant start_time{};  // where the virtual and manual clocks start
  double time_scale = 1.0;     // wall mode only
  std::uint64_t seed = 0;
  std::string region = "us-east-1";
};

struct ActivityRecord {
  std::string arn;
  std::string name;
  time::Instant creation_date;
  Tags tags;
};

struct CreateStateMachineParams {
  std::string name;
  std::string definition;
  std::string role_arn;
  MachineType type = MachineType::kStandard;
  std::string region;  // empty: the emulator's
  Tags tags;
  nlohmann::ordered_json logging_configuration = nlohmann::ordered_json::object();
  nlohmann::ordered_json tracing_configuration = nlohmann::ordered_json::object();
};

struct StartExecutionParams {
  std::string state_machine_arn;
  std::optional<std::string> name;   // absent: a UUID from the seeded generator
  std::optional<std::string> input;  // JSON text; absent: "{}"
};

class Emulator {
 public:
  explicit Emulator(EmulatorOptions options = {});
  ~Emulator();

  // The integrations Task states reach; fakes register themselves here.
  Integrations& integrations() { return integrations_; }
  Engine& engine() { return *engine_; }
  const time::Clock& clock() const { return *clock_; }
  time::Rng& rng() { return rng_; }
  const EmulatorOptions& options() const { return options_; }
  // Virtual and manual modes only; nullptr for wall.
  time::VirtualClock* virtual_clock() { return virtual_clock_; }
  // Wall mode only; nullptr otherwise.
  time::WallClock* wall_clock() { return wall_clock_; }

  // ---- State machines ----
  // A record returned here is the machine's current revision. Revisions never change: an
  // update or a tag makes a new one, so a pointer stays valid while the machine is neither
  // updated, tagged, untagged nor deleted (executions keep theirs: Execution::machine_record()).
  //
  // Errors: InvalidName, InvalidDefinition (every diagnostic, AWS's message),
  // StateMachineAlreadyExists (same name, different definition or role),
  // StateMachineTypeNotSupported, InvalidArn (role).
  json::Result<const StateMachineRecord*> CreateStateMachine(CreateStateMachineParams params);
  json::Result<const StateMachineRecord*> DescribeStateMachine(const std::string& arn) const;
  json::Result<const StateMachineRecord*> UpdateStateMachine(const std::string& arn,
                                                             std::optional<std::string> definition,
                                                             std::optional<std::string> role_arn);
  json::Status DeleteStateMachine(const std::string& arn);
  std::vector<const StateMachineRecord*> ListStateMachines() const;  // by name

  // ---- Activities ----
  json::Result<const ActivityRecord*> CreateActivity(const std::string& name, Tags tags,
                                                     const std::string& region = "");
  json::Result<const ActivityRecord*> DescribeActivity(const std::string& arn) const;
  json::Status DeleteActivity(const std::string& arn);
  std::vector<const ActivityRecord*> ListActivities() const;

  // ---- Executions ----
  // Errors: StateMachineDoesNotExist, InvalidArn, InvalidName, InvalidExecutionInput,
  // ExecutionAlreadyExists (the name is taken and not by a running execution with the same
  // input: AWS's idempotency rule for Standard workflows).
  json::Result<Execution*> StartExecution(const StartExecutionParams& params);
  json::Result<Execution*> DescribeExecution(const std::string& arn);
  json::Status StopExecution(const std::string& arn, std::string error, std::string cause);
  json::Status RedriveExecution(const std::string& arn);
  // SendTask*: output must be JSON text (InvalidOutput).
  json::Status SendTaskSuccess(const std::string& token, const std::string& output);
  json::Status SendTaskFailure(const std::string& token, std::string error, std::string cause);
  json::Status SendTaskHeartbeat(const std::string& token);

  // Step Functions Local compatibility: StartExecution on "<state machine ARN>#<test case>"
  // runs that test case of `config` (its Task states answered by their mocked responses).
  void SetMockConfig(MockConfig config) { mock_config_ = std::move(config); }

  // ---- Tags ----
  json::Status TagResource(const std::string& arn, const Tags& tags);
  json::Status UntagResource(const std::string& arn, const std::vector<std::string>& keys);
  json::Result<Tags> ListTagsForResource(const std::string& arn) const;

  // Goes up each time a state machine or activity is created, updated, deleted, tagged or
  // untagged, and at no other time: the catalog is unchanged while it stands still.
  std::uint64_t catalog_version() const { return catalog_version_; }

  // ---- Time ----
  // Scripted runs: run until nothing is pending (virtual clock), or up to an instant.
  void RunToCompletion();
  void RunUntil(time::Instant until);
  // Moves a virtual or manual clock forward by `by` (the control API), firing what comes due.
  json::Status Advance(time::Duration by);

 private:
  json::Result<std::shared_ptr<const StateMachineRecord>> FindMachine(const std::string& arn) const;
  // Gives the state machine (as a new revision) or activity `arn` these tags.
  // REQUIRES: `arn` names one (ListTagsForResource succeeds).
  void ReplaceTags(const std::string& arn, Tags tags);
  std::string RevisionId();

  EmulatorOptions options_;
  std::unique_ptr<time::Clock> clock_;
  time::VirtualClock* virtual_clock_ = nullptr;  // Not owned: clock_, when virtual or manual.
  time::WallClock* wall_clock_ = nullptr;        // Not owned: clock_, when wall.
  time::Rng rng_;
  Integrations integrations_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<NestedExecutions> nested_executions_;  // states:startExecution
  std::map<std::string, std::shared_ptr<const StateMachineRecord>> machines_;  // current revisions
  std::map<std::string, std::unique_ptr<ActivityRecord>> activities_;
  std::uint64_t catalog_version_ = 0;
  MockConfig mock_config_;
};

}  // namespace timeslip::engine

namespace timeslip {
using engine::Emulator;
}
