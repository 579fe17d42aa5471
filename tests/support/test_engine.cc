#include "tests/support/test_engine.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "emulator/time/rfc3339.h"

namespace timeslip::testing {

void ScriptedIntegration::Start(const engine::TaskRequest& request,
                                engine::TaskCallbacks callbacks) {
  calls.push_back(request);
  Step step;
  if (!steps_.empty()) {
    std::size_t i = std::min(calls.size() - 1, steps_.size() - 1);
    step = steps_[i];
  }
  if (step.hang) return;
  if (callbacks.submitted && request.pattern == engine::IntegrationPattern::kSync) {
    callbacks.submitted({{"JobRunId", "jr_" + std::to_string(calls.size())}});
  }
  engine_.ScheduleAt(engine_.Now() + step.latency,
                     [done = std::move(callbacks.done), outcome = step.outcome]() mutable {
                       done(std::move(outcome));
                     });
}

TestEngine::TestEngine(std::uint64_t seed)
    : emulator_([&] {
        engine::EmulatorOptions options;
        options.start_time = *time::ParseRfc3339(kStart);
        options.seed = seed;
        return options;
      }()) {
  lambda_ = std::make_unique<ScriptedIntegration>(emulator_.engine());
  glue_ = std::make_unique<ScriptedIntegration>(emulator_.engine());
  emulator_.integrations().Register("arn:aws:states:::lambda:invoke", lambda_.get());
  emulator_.integrations().RegisterPrefix("arn:aws:lambda:", lambda_.get());
  emulator_.integrations().Register("arn:aws:states:::glue:startJobRun", glue_.get());
}

time::Instant TestEngine::start_time() const { return *time::ParseRfc3339(kStart); }

engine::Execution& TestEngine::Start(std::string_view definition, std::string_view input,
                                     engine::MachineType type) {
  engine::CreateStateMachineParams params;
  params.name = "machine" + std::to_string(++machines_);
  params.definition = std::string(definition);
  params.role_arn = std::string(kRole);
  params.type = type;
  auto created = emulator_.CreateStateMachine(std::move(params));
  if (!created.ok()) {
    ADD_FAILURE() << created.error().name << ": " << created.error().message;
    std::abort();
  }
  engine::StartExecutionParams start;
  start.state_machine_arn = created.value()->arn;
  start.name = "run";
  start.input = std::string(input);
  auto execution = emulator_.StartExecution(start);
  if (!execution.ok()) {
    ADD_FAILURE() << execution.error().name << ": " << execution.error().message;
    std::abort();
  }
  return *execution.value();
}

std::string Timeline(const engine::Execution& execution) {
  std::string out;
  for (const engine::HistoryEvent& e : execution.history()) {
    if (!out.empty()) out += ' ';
    auto seconds = std::chrono::duration<double>(e.timestamp - execution.start_date()).count();
    out += fmt::format("{}@{}", e.type, seconds);
  }
  return out;
}

std::string EventTypes(const engine::Execution& execution) {
  std::string out;
  for (const engine::HistoryEvent& e : execution.history()) {
    if (!out.empty()) out += ' ';
    out += e.type;
  }
  return out;
}

std::string LastToken(const ScriptedIntegration& integration) {
  if (integration.calls.empty()) return "";
  return integration.calls.back().task_token;
}

}  // namespace timeslip::testing
