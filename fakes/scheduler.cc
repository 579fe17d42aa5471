#include "fakes/scheduler.h"

#include <date/date.h>
#include <fmt/format.h>

#include "emulator/engine/names.h"
#include "emulator/json/parse.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::fakes {
namespace {

// Schedule names: 1-64 of [0-9a-zA-Z-_.].
// https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
json::Status CheckScheduleName(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64;
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  }
  if (ok) return json::Ok();
  return json::Error{"ValidationException",
                     fmt::format("Invalid schedule name '{}': 1 to 64 letters, digits, '-', '_' "
                                 "or '.'.",
                                 name)};
}

// "nightly-20240101T010000Z": the firing's UTC time, to the second.
std::string ExecutionName(const std::string& schedule, time::Instant at) {
  std::string stamp = date::format("%Y%m%dT%H%M%SZ", std::chrono::floor<std::chrono::seconds>(at));
  return schedule.substr(0, engine::kMaxNameLength - 1 - stamp.size()) + "-" + stamp;
}

}  // namespace

nlohmann::ordered_json ToJson(const Firing& firing) {
  nlohmann::ordered_json out = {{"schedule", firing.schedule},
                        {"at", time::FormatRfc3339(firing.at)},
                        {"executionArn", firing.execution_arn}};
  if (firing.error)
    out["error"] = {{"name", firing.error->name}, {"message", firing.error->message}};
  return out;
}

Scheduler::Scheduler(engine::Emulator& emulator) : emulator_(emulator) {}

Scheduler::~Scheduler() {
  for (auto& [name, schedule] : schedules_) {
    if (schedule.timer != time::TimerQueue::kNoTimer)
      emulator_.engine().CancelTimer(schedule.timer);
  }
}

json::Result<std::string> Scheduler::CreateSchedule(ScheduleSpec spec) {
  if (json::Status s = CheckScheduleName(spec.name); !s.ok()) return s.error();
  if (schedules_.count(spec.name) != 0) {
    return json::Error{"ConflictException", fmt::format("Schedule {} already exists.", spec.name)};
  }
  json::Result<ScheduleExpression> expression =
      ScheduleExpression::Parse(spec.expression, spec.timezone);
  if (!expression.ok()) return expression.error();
  if (json::Result<nlohmann::ordered_json> input = json::Parse(spec.input, "ValidationException");
      !input.ok()) {
    return json::Error{"ValidationException",
                       fmt::format("Invalid target Input: {}", input.error().message)};
  }
  if (spec.start_date && spec.end_date && *spec.end_date <= *spec.start_date) {
    return json::Error{"ValidationException", "The EndDate must be after the StartDate."};
  }
  if (spec.max_firings && *spec.max_firings <= 0) {
    return json::Error{"ValidationException", "The number of firings must be positive."};
  }
  const time::Instant now = emulator_.clock().Now();
  const std::string name = spec.name;
  const time::Instant anchor = spec.start_date.value_or(now);
  auto [it, inserted] =
      schedules_.emplace(name, Schedule{std::move(spec), std::move(expression).value(), anchor, 0,
                                        std::nullopt, time::TimerQueue::kNoTimer});
  Schedule& schedule = it->second;
  if (schedule.spec.enabled) Arm(schedule, std::max(now, anchor));
  return fmt::format("arn:aws:scheduler:{}:{}:schedule/default/{}", emulator_.options().region,
                     engine::kAccountId, name);
}

json::Status Scheduler::DeleteSchedule(const std::string& name) {
  auto it = schedules_.find(name);
  if (it == schedules_.end()) {
    return json::Error{"ResourceNotFoundException",
                       fmt::format("Schedule {} does not exist.", name)};
  }
  if (it->second.timer != time::TimerQueue::kNoTimer) {
    emulator_.engine().CancelTimer(it->second.timer);
  }
  schedules_.erase(it);
  return json::Ok();
}

std::optional<time::Instant> Scheduler::NextFiring(const std::string& name) const {
  auto it = schedules_.find(name);
  if (it == schedules_.end()) return std::nullopt;
  return it->second.next;
}

void Scheduler::Arm(Schedule& schedule, time::Instant from) {
  schedule.timer = time::TimerQueue::kNoTimer;
  schedule.next = std::nullopt;
  if (schedule.spec.max_firings && schedule.fired >= *schedule.spec.max_firings) return;
  std::optional<time::Instant> next = schedule.expression.NextAtOrAfter(from, schedule.anchor);
  if (!next || (schedule.spec.end_date && *next >= *schedule.spec.end_date)) return;
  schedule.next = next;
  schedule.timer = emulator_.engine().ScheduleAt(
      *next, [this, name = schedule.spec.name] { Fire(name); }, time::TimerKind::kInternal);
}

void Scheduler::Fire(const std::string& name) {
  auto it = schedules_.find(name);
  if (it == schedules_.end()) return;
  Schedule& schedule = it->second;
  const time::Instant at = emulator_.clock().Now();
  schedule.fired++;
  engine::StartExecutionParams params;
  params.state_machine_arn = schedule.spec.state_machine_arn;
  params.name = ExecutionName(name, at);
  params.input = schedule.spec.input;
  json::Result<engine::Execution*> started = emulator_.StartExecution(params);
  Firing firing{name, at, "", std::nullopt};
  if (started.ok()) {
    firing.execution_arn = started.value()->arn();
  } else {
    firing.error = started.error();
  }
  firings_.push_back(std::move(firing));
  Arm(schedule, at + time::Duration(1));
}

}  // namespace timeslip::fakes
