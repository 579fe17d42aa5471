#pragma once
// Scheduler: a fake EventBridge Scheduler whose schedules start Step Functions executions on the
// emulator's clock. A schedule's next firing is an internal timer, so a scripted run jumps from
// night to night: thirty nights of "cron(0 1 * * ? *)" take one RunToCompletion call.
// https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
//
// Each firing starts an execution named "<schedule>-<yyyymmddThhmmssZ>" (the firing's UTC
// time) with the schedule's input, and records it in firings(); a failed start (the state
// machine is gone, ...) is recorded too and the schedule carries on.
//
// A schedule with neither an end date nor a firing limit fires forever: run it with
// Emulator::RunUntil, not RunToCompletion.
//
// Threads: the engine's only.

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "emulator/engine/emulator.h"
#include "emulator/json/result.h"
#include "emulator/time/timer_queue.h"
#include "fakes/schedule_expression.h"

namespace timeslip::fakes {

struct ScheduleSpec {
  std::string name;
  std::string expression;                   // cron(...), rate(...) or at(...)
  std::string timezone = "UTC";             // ScheduleExpressionTimezone, an IANA name
  std::optional<time::Instant> start_date;  // absent: now
  std::optional<time::Instant> end_date;    // firings only before it
  std::string state_machine_arn;            // the target
  std::string input = "{}";                 // the target's Input, JSON text
  bool enabled = true;                      // State ENABLED / DISABLED
  std::optional<int> max_firings;  // timeslip's own: stop after this many (scenarios' "count")
};

struct Firing {
  std::string schedule;
  time::Instant at;
  std::string execution_arn;  // empty when the start failed
  std::optional<json::Error> error;
};

nlohmann::ordered_json ToJson(const Firing& firing);

class Scheduler {
 public:
  explicit Scheduler(engine::Emulator& emulator);  // Not owned; must outlive this.
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Returns the schedule's ARN (arn:aws:scheduler:REGION:ACCOUNT:schedule/default/NAME).
  // Errors: ValidationException (bad name, expression, time zone, input, or an end date before
  // the start), ConflictException (the name is taken).
  json::Result<std::string> CreateSchedule(ScheduleSpec spec);
  // Errors: ResourceNotFoundException.
  json::Status DeleteSchedule(const std::string& name);

  // The next firing of a schedule, or nullopt when it will not fire again (or does not exist).
  std::optional<time::Instant> NextFiring(const std::string& name) const;
  // Every firing, in the order they happened.
  const std::vector<Firing>& firings() const { return firings_; }

 private:
  struct Schedule {
    ScheduleSpec spec;
    ScheduleExpression expression;
    time::Instant anchor;  // rate periods count from here
    int fired = 0;
    std::optional<time::Instant> next;
    time::TimerQueue::TimerId timer = time::TimerQueue::kNoTimer;
  };
  void Arm(Schedule& schedule, time::Instant from);
  void Fire(const std::string& name);

  engine::Emulator& emulator_;
  std::map<std::string, Schedule> schedules_;
  std::vector<Firing> firings_;
};

}  // namespace timeslip::fakes
