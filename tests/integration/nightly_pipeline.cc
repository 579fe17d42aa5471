#include "tests/integration/nightly_pipeline.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "emulator/time/rfc3339.h"

namespace timeslip::integration {
namespace {

engine::EmulatorOptions Options(std::uint64_t seed) {
  engine::EmulatorOptions options;
  options.start_time = *time::ParseRfc3339(NightlyPipeline::kStart);
  options.seed = seed;
  return options;
}

// The fakes file with `overrides` merged over it: a target's script replaces the file's.
nlohmann::ordered_json Behaviours(std::string_view overrides) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(ReadText(NightlyDir() + "/fakes/nightly.json"));
  nlohmann::ordered_json extra = nlohmann::ordered_json::parse(overrides);
  for (auto& [service, targets] : extra.items()) {
    for (auto& [target, script] : targets.items()) doc[service][target] = script;
  }
  return doc;
}

}  // namespace

std::string NightlyDir() { return std::string(TIMESLIP_SOURCE_DIR) + "/scenarios/nightly"; }

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return "";
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

NightlyPipeline::NightlyPipeline(std::uint64_t seed, std::string_view overrides)
    : world_({.emulator = Options(seed)}), emulator_(world_.emulator()), fakes_(world_.fakes()) {
  json::Status loaded = fakes_.LoadDocument(Behaviours(overrides));
  EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
}

engine::Execution& NightlyPipeline::Start(std::string_view date) {
  engine::CreateStateMachineParams machine;
  machine.name = "nightly-warehouse";
  machine.definition = ReadText(NightlyDir() + "/definitions/nightly.asl.json");
  machine.role_arn = "arn:aws:iam::123456789012:role/nightly-etl";
  auto created = emulator_.CreateStateMachine(std::move(machine));
  if (!created.ok()) {
    ADD_FAILURE() << created.error().name << ": " << created.error().message;
    std::abort();
  }
  engine::StartExecutionParams start;
  start.state_machine_arn = created.value()->arn;
  start.name = "night-" + std::string(date);
  start.input = nlohmann::ordered_json{{"date", date}}.dump();
  auto started = emulator_.StartExecution(start);
  if (!started.ok()) {
    ADD_FAILURE() << started.error().name << ": " << started.error().message;
    std::abort();
  }
  execution_ = started.value();
  return *execution_;
}

bool NightlyPipeline::RunUntilApprovalWaits() {
  emulator_.engine().RunUntilBlocked(*emulator_.virtual_clock());
  return execution_->status() == engine::ExecutionStatus::kRunning && !ApprovalToken().empty();
}

std::string NightlyPipeline::ApprovalToken() const {
  std::vector<const fakes::Call*> calls = fakes_.calls().Filter("lambda", "send-approval-request");
  return calls.empty() ? "" : calls.back()->task_token;
}

time::Instant NightlyPipeline::ApprovalSubmittedAt() const {
  time::Instant at{};
  for (const engine::HistoryEvent& e : execution_->history()) {
    if (e.type == "TaskSubmitted") at = e.timestamp;
  }
  return at;
}

void NightlyPipeline::RunFor(time::Duration by) {
  emulator_.RunUntil(emulator_.clock().Now() + by);
}

std::int64_t NightlyPipeline::Offset(time::Instant at) const {
  return std::chrono::duration_cast<std::chrono::seconds>(at - *time::ParseRfc3339(kStart)).count();
}

std::string EnteredStates(const engine::Execution& execution) {
  std::string out;
  for (const engine::HistoryEvent& e : execution.history()) {
    if (e.type.size() < 12 || e.type.compare(e.type.size() - 12, 12, "StateEntered") != 0) {
      continue;
    }
    if (!out.empty()) out += ' ';
    if (e.details.is_object()) out += e.details.value("name", "");
  }
  return out;
}

}  // namespace timeslip::integration
