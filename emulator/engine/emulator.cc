#include "emulator/engine/emulator.h"

#include <fmt/format.h>

#include "emulator/asl/parse_definition.h"
#include "emulator/engine/limits.h"
#include "emulator/engine/names.h"
#include "emulator/json/parse.h"
#include "emulator/json/size.h"

namespace timeslip::engine {

std::string_view ClockModeName(ClockMode mode) {
  switch (mode) {
    case ClockMode::kVirtual:
      return "virtual";
    case ClockMode::kManual:
      return "manual";
    case ClockMode::kWall:
      return "wall";
  }
  return "virtual";
}

std::optional<ClockMode> ParseClockMode(std::string_view name) {
  for (ClockMode mode : {ClockMode::kVirtual, ClockMode::kManual, ClockMode::kWall}) {
    if (ClockModeName(mode) == name) return mode;
  }
  return std::nullopt;
}
namespace {

// Express workflows support neither .sync nor .waitForTaskToken nor activities, anywhere in
// the machine: https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html
void FindExpressProblems(const asl::StateMachine& machine, const std::string& where,
                         std::vector<std::string>& problems) {
  for (const asl::State& state : machine.states()) {
    std::string location = where + "/States/" + state.name;
    if (state.type == asl::StateType::kTask) {
      ParsedResource parsed = ParseResource(state.resource);
      if (IsActivityArn(state.resource)) {
        problems.push_back(
            fmt::format("SCHEMA_VALIDATION_FAILED: Express state machine does not "
                        "support Activity ARN at {}/Resource",
                        location));
      } else if (parsed.pattern == IntegrationPattern::kSync) {
        problems.push_back(
            fmt::format("SCHEMA_VALIDATION_FAILED: Express state machine does not "
                        "support '.sync' service integration at {}/Resource",
                        location));
      } else if (parsed.pattern == IntegrationPattern::kWaitForTaskToken) {
        // Two spaces before "at": AWS's own text, which clients may match on.
        problems.push_back(
            fmt::format("SCHEMA_VALIDATION_FAILED: Express state machine does not "
                        "support '.waitForTaskToken' service integration  at "
                        "{}/Resource",
                        location));
      }
    }
    for (std::size_t i = 0; i < state.branches.size(); ++i) {
      FindExpressProblems(*state.branches[i], fmt::format("{}/Branches[{}]", location, i),
                          problems);
    }
    if (state.item_processor) {
      FindExpressProblems(*state.item_processor, location + "/ItemProcessor", problems);
    }
  }
}

json::Result<std::shared_ptr<const asl::StateMachine>> Compile(const std::string& definition,
                                                               MachineType type) {
  asl::ParseResult parsed = asl::ParseDefinition(definition);
  if (!parsed.machine) {
    return json::Error{"InvalidDefinition",
                       asl::FormatInvalidDefinition(parsed.diagnostics, definition)};
  }
  if (type == MachineType::kExpress) {
    std::vector<std::string> problems;
    FindExpressProblems(*parsed.machine, "", problems);
    if (!problems.empty()) {
      std::string joined;
      for (const std::string& p : problems) joined += (joined.empty() ? "" : ", ") + p;
      return json::Error{"InvalidDefinition",
                         fmt::format("Invalid State Machine Definition: '{}'", joined)};
    }
  }
  return parsed.machine;
}

json::Status CheckRoleArn(const std::string& role_arn) {
  if (role_arn.rfind("arn:aws:iam::", 0) != 0 || role_arn.find(":role/") == std::string::npos) {
    return json::Error{"InvalidArn", fmt::format("Invalid Arn: 'Resource type not valid in this "
                                                 "context: {}'",
                                                 role_arn)};
  }
  return json::Ok();
}

}  // namespace

Emulator::Emulator(EmulatorOptions options) : options_(std::move(options)), rng_(options_.seed) {
  if (options_.clock == ClockMode::kWall) {
    auto clock = std::make_unique<time::WallClock>(options_.start_time, options_.time_scale);
    wall_clock_ = clock.get();
    clock_ = std::move(clock);
  } else {
    auto clock = std::make_unique<time::VirtualClock>(options_.start_time);
    virtual_clock_ = clock.get();
    clock_ = std::move(clock);
  }
  engine_ = std::make_unique<Engine>(*clock_, rng_, integrations_);
  nested_executions_ = std::make_unique<NestedExecutions>(*this);
  nested_executions_->Register(integrations_);
}

Emulator::~Emulator() = default;

std::string Emulator::RevisionId() { return rng_.Uuid(); }

json::Result<const StateMachineRecord*> Emulator::CreateStateMachine(
    CreateStateMachineParams params) {
  if (json::Status s = CheckName(params.name, "state machine"); !s.ok()) return s.error();
  if (json::Status s = CheckRoleArn(params.role_arn); !s.ok()) return s.error();
  json::Result<std::shared_ptr<const asl::StateMachine>> machine =
      Compile(params.definition, params.type);
  if (!machine.ok()) return machine.error();
  const std::string region = params.region.empty() ? options_.region : params.region;
  std::string arn = StateMachineArn(region, params.name);
  if (auto it = machines_.find(arn); it != machines_.end()) {
    // Idempotent when nothing differs:
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
    const StateMachineRecord& existing = *it->second;
    if (existing.definition == params.definition && existing.role_arn == params.role_arn &&
        existing.type == params.type) {
      return &existing;
    }
    return json::Error{"StateMachineAlreadyExists",
                       fmt::format("State Machine Already Exists: '{}'", arn)};
  }
  auto record = std::make_shared<StateMachineRecord>();
  record->arn = arn;
  record->name = params.name;
  record->definition = std::move(params.definition);
  record->machine = std::move(machine).value();
  record->role_arn = std::move(params.role_arn);
  record->type = params.type;
  record->creation_date = clock_->Now();
  record->revision_id = RevisionId();
  record->tags = std::move(params.tags);
  record->logging_configuration = std::move(params.logging_configuration);
  record->tracing_configuration = std::move(params.tracing_configuration);
  const StateMachineRecord* out = record.get();
  machines_[arn] = std::move(record);
  ++catalog_version_;
  return out;
}

json::Result<std::shared_ptr<const StateMachineRecord>> Emulator::FindMachine(
    const std::string& arn) const {
  json::Result<ArnParts> parts = ParseArn(arn, "stateMachine");
  if (!parts.ok()) return parts.error();
  auto it = machines_.find(arn);
  if (it == machines_.end()) {
    return json::Error{"StateMachineDoesNotExist",
                       fmt::format("State Machine Does Not Exist: '{}'", arn)};
  }
  return it->second;
}

json::Result<const StateMachineRecord*> Emulator::DescribeStateMachine(
    const std::string& arn) const {
  json::Result<std::shared_ptr<const StateMachineRecord>> found = FindMachine(arn);
  if (!found.ok()) return found.error();
  return found.value().get();
}

json::Result<const StateMachineRecord*> Emulator::UpdateStateMachine(
    const std::string& arn, std::optional<std::string> definition,
    std::optional<std::string> role_arn) {
  json::Result<std::shared_ptr<const StateMachineRecord>> found = FindMachine(arn);
  if (!found.ok()) return found.error();
  if (!definition && !role_arn) {
    return json::Error{"MissingRequiredParameter",
                       "Either the definition or the roleArn must be specified."};
  }
  if (role_arn) {
    if (json::Status s = CheckRoleArn(*role_arn); !s.ok()) return s.error();
  }
  // A new revision: running executions keep the one they started on.
  auto record = std::make_shared<StateMachineRecord>(*found.value());
  if (definition) {
    json::Result<std::shared_ptr<const asl::StateMachine>> machine =
        Compile(*definition, record->type);
    if (!machine.ok()) return machine.error();
    record->machine = std::move(machine).value();
    record->definition = std::move(*definition);
  }
  if (role_arn) record->role_arn = std::move(*role_arn);
  record->update_date = clock_->Now();
  record->revision_id = RevisionId();
  const StateMachineRecord* out = record.get();
  machines_[arn] = std::move(record);
  ++catalog_version_;
  return out;
}

json::Status Emulator::DeleteStateMachine(const std::string& arn) {
  json::Result<ArnParts> parts = ParseArn(arn, "stateMachine");
  if (!parts.ok()) return parts.error();
  // Deleting a missing machine succeeds, as on AWS, and changes nothing.
  if (machines_.erase(arn) != 0) ++catalog_version_;
  return json::Ok();
}

std::vector<const StateMachineRecord*> Emulator::ListStateMachines() const {
  std::vector<const StateMachineRecord*> out;
  for (const auto& [arn, record] : machines_) out.push_back(record.get());
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
  return out;
}

json::Result<const ActivityRecord*> Emulator::CreateActivity(const std::string& name, Tags tags,
                                                             const std::string& region) {
  if (json::Status s = CheckName(name, "activity"); !s.ok()) return s.error();
  std::string arn = ActivityArn(region.empty() ? options_.region : region, name);
  if (auto it = activities_.find(arn); it != activities_.end()) return it->second.get();
  auto record = std::make_unique<ActivityRecord>();
  record->arn = arn;
  record->name = name;
  record->creation_date = clock_->Now();
  record->tags = std::move(tags);
  const ActivityRecord* out = record.get();
  activities_[arn] = std::move(record);
  ++catalog_version_;
  return out;
}

json::Result<const ActivityRecord*> Emulator::DescribeActivity(const std::string& arn) const {
  json::Result<ArnParts> parts = ParseArn(arn, "activity");
  if (!parts.ok()) return parts.error();
  auto it = activities_.find(arn);
  if (it == activities_.end()) {
    return json::Error{"ActivityDoesNotExist", fmt::format("Activity Does Not Exist: '{}'", arn)};
  }
  return it->second.get();
}

json::Status Emulator::DeleteActivity(const std::string& arn) {
  json::Result<ArnParts> parts = ParseArn(arn, "activity");
  if (!parts.ok()) return parts.error();
  if (activities_.erase(arn) != 0) ++catalog_version_;
  return json::Ok();
}

std::vector<const ActivityRecord*> Emulator::ListActivities() const {
  std::vector<const ActivityRecord*> out;
  for (const auto& [arn, record] : activities_) out.push_back(record.get());
  std::sort(out.begin(), out.end(), [](const auto* a, const auto* b) { return a->name < b->name; });
  return out;
}

json::Result<Execution*> Emulator::StartExecution(const StartExecutionParams& params) {
  // "ARN#TestCase" selects a test case of the mock configuration, as Step Functions Local does.
  std::string machine_arn = params.state_machine_arn;
  std::string test_case;
  if (std::size_t hash = machine_arn.find('#'); hash != std::string::npos) {
    test_case = machine_arn.substr(hash + 1);
    machine_arn.resize(hash);
  }
  json::Result<std::shared_ptr<const StateMachineRecord>> found = FindMachine(machine_arn);
  if (!found.ok()) return found.error();
  const StateMachineRecord& machine = *found.value();
  std::shared_ptr<const MockTestCase> mocks;
  if (!test_case.empty()) {
    mocks = mock_config_.Find(machine.name, test_case);
    if (!mocks) {
      return json::Error{"ValidationException",
                         fmt::format("Test case '{}' of state machine '{}' is not in the mock "
                                     "configuration (timeslip serve --mock-config FILE).",
                                     test_case, machine.name)};
    }
  }
  std::string name = params.name ? *params.name : rng_.Uuid();
  if (json::Status s = CheckName(name, "execution"); !s.ok()) return s.error();
  std::string input_text = params.input.value_or("{}");
  if (input_text.size() > kMaxExecutionInputBytes) {
    return json::Error{"InvalidExecutionInput",
                       fmt::format("The input is {} bytes, over the limit of {} bytes.",
                                   input_text.size(), kMaxExecutionInputBytes)};
  }
  json::Result<nlohmann::ordered_json> input = json::Parse(input_text, "InvalidExecutionInput");
  if (!input.ok()) {
    return json::Error{
        "InvalidExecutionInput",
        fmt::format("Invalid State Machine Execution Input: '{}'", input.error().message)};
  }
  json::Result<ArnParts> parts = ParseArn(machine.arn, "stateMachine");
  const bool express = machine.type == MachineType::kExpress;
  std::string arn =
      ExecutionArn(parts.value().region, machine.name, name, express ? rng_.Uuid() : "");
  if (Execution* existing = engine_->Find(arn)) {
    if (!express && !existing->ended() && existing->input() == input.value()) {
      return existing;
    }
    return json::Error{"ExecutionAlreadyExists",
                       fmt::format("Execution Already Exists: '{}'", arn)};
  }
  StartParams start;
  start.machine_record = found.value();
  start.machine = machine.machine;
  start.state_machine_arn = machine.arn;
  start.state_machine_name = machine.name;
  start.execution_arn = arn;
  start.name = std::move(name);
  start.input = std::move(input).value();
  start.input_text = std::move(input_text);
  start.role_arn = machine.role_arn;
  start.region = parts.value().region;
  start.type = machine.type;
  start.mocks = std::move(mocks);
  return &engine_->Start(std::move(start));
}

json::Result<Execution*> Emulator::DescribeExecution(const std::string& arn) {
  json::Result<ArnParts> parts = ParseArn(arn, "execution");
  if (!parts.ok()) return parts.error();
  Execution* execution = engine_->Find(arn);
  if (execution == nullptr) {
    return json::Error{"ExecutionDoesNotExist", fmt::format("Execution Does Not Exist: '{}'", arn)};
  }
  return execution;
}

json::Status Emulator::StopExecution(const std::string& arn, std::string error, std::string cause) {
  json::Result<Execution*> execution = DescribeExecution(arn);
  if (!execution.ok()) return execution.error();
  return engine_->Stop(arn, std::move(error), std::move(cause));
}

json::Status Emulator::RedriveExecution(const std::string& arn) {
  json::Result<Execution*> execution = DescribeExecution(arn);
  if (!execution.ok()) return execution.error();
  return engine_->Redrive(arn);
}

json::Status Emulator::SendTaskSuccess(const std::string& token, const std::string& output) {
  if (output.size() > json::kMaxPayloadBytes) {
    return json::Error{"InvalidOutput", fmt::format("The output is {} bytes, over the limit of "
                                                    "{} bytes.",
                                                    output.size(), json::kMaxPayloadBytes)};
  }
  json::Result<nlohmann::ordered_json> parsed = json::Parse(output, "InvalidOutput");
  if (!parsed.ok()) {
    return json::Error{"InvalidOutput",
                       fmt::format("Invalid Output: '{}'", parsed.error().message)};
  }
  return engine_->SendTaskSuccess(token, std::move(parsed).value());
}

json::Status Emulator::SendTaskFailure(const std::string& token, std::string error,
                                       std::string cause) {
  return engine_->SendTaskFailure(token, std::move(error), std::move(cause));
}

json::Status Emulator::SendTaskHeartbeat(const std::string& token) {
  return engine_->SendTaskHeartbeat(token);
}

json::Status Emulator::TagResource(const std::string& arn, const Tags& tags) {
  json::Result<Tags> current = ListTagsForResource(arn);
  if (!current.ok()) return current.error();
  Tags merged = std::move(current).value();
  for (const auto& [k, v] : tags) merged[k] = v;
  ReplaceTags(arn, std::move(merged));
  return json::Ok();
}

json::Status Emulator::UntagResource(const std::string& arn, const std::vector<std::string>& keys) {
  json::Result<Tags> current = ListTagsForResource(arn);
  if (!current.ok()) return current.error();
  Tags kept = std::move(current).value();
  for (const std::string& k : keys) kept.erase(k);
  ReplaceTags(arn, std::move(kept));
  return json::Ok();
}

void Emulator::ReplaceTags(const std::string& arn, Tags tags) {
  if (auto it = machines_.find(arn); it != machines_.end()) {
    // Tags are not part of the revision AWS counts: the revision id stays.
    auto record = std::make_shared<StateMachineRecord>(*it->second);
    record->tags = std::move(tags);
    it->second = std::move(record);
  } else {
    activities_.at(arn)->tags = std::move(tags);
  }
  ++catalog_version_;
}

json::Result<Tags> Emulator::ListTagsForResource(const std::string& arn) const {
  if (auto it = machines_.find(arn); it != machines_.end()) return it->second->tags;
  if (auto it = activities_.find(arn); it != activities_.end()) return it->second->tags;
  return json::Error{"ResourceNotFound", fmt::format("Resource not found: '{}'", arn)};
}

void Emulator::RunToCompletion() {
  if (virtual_clock_ != nullptr) {
    engine_->RunToCompletion(*virtual_clock_);
  } else {
    engine_->RunReady();
  }
}

void Emulator::RunUntil(time::Instant until) {
  if (virtual_clock_ != nullptr) {
    engine_->RunUntil(*virtual_clock_, until);
  } else {
    engine_->RunReady();
  }
}

json::Status Emulator::Advance(time::Duration by) {
  if (virtual_clock_ == nullptr) {
    return json::Error{"ValidationException", "The clock is in wall mode; it cannot be advanced."};
  }
  if (by.count() < 0) {
    return json::Error{"ValidationException", "Time never runs backwards: seconds must be >= 0."};
  }
  engine_->RunUntil(*virtual_clock_, virtual_clock_->Now() + by);
  return json::Ok();
}

}  // namespace timeslip::engine
