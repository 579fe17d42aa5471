#pragma once
// FakeContext: what every fake shares: the engine (its clock, timer queue and seeded Rng), the
// loaded behaviours with a call counter per target, and the call log. Owned by FakeBackends.
//
// Threads: the engine's only, like the engine.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "emulator/engine/engine.h"
#include "emulator/engine/integration.h"
#include "fakes/behaviour.h"
#include "fakes/call_log.h"

namespace timeslip::fakes {

class FakeContext {
 public:
  explicit FakeContext(engine::Engine& engine) : engine_(engine) {}  // Not owned.

  engine::Engine& engine() { return engine_; }
  time::Instant Now() const { return engine_.Now(); }
  time::Rng& rng() { return engine_.rng(); }
  CallLog& log() { return log_; }
  const CallLog& log() const { return log_; }

  // Replaces every behaviour and restarts every target's call count.
  void Load(BehaviourSet set);
  const BehaviourSet& behaviours() const { return behaviours_; }

  // A call to a target: counts it under `counter_key` and finds its step: the script of the
  // first of `keys` that has one (a function's ARN before its name, "GET url" before "url"),
  // else the service's "*" script, else the default step (succeed at once).
  struct Turn {
    int call = 0;  // 1 for the first call to this target
    Step step;
    time::Duration latency{0};  // sampled from step.latency
    bool scripted = false;      // false: no script named the target, nor "*" (the default step)
  };
  Turn Next(Service service, const std::string& counter_key,
            std::initializer_list<std::string> keys);

  // Records a call, filling service, target, time, call number and the request's details.
  std::int64_t Record(Service service, std::string operation, const std::string& target,
                      const engine::TaskRequest& request, int call);

  // Calls `done(outcome)` after `latency` on an internal timer and records the outcome on call
  // `call_id`. Cancel(task_id) drops it.
  void AnswerAfter(std::uint64_t task_id, std::int64_t call_id, time::Duration latency,
                   std::function<void(json::Result<nlohmann::ordered_json>)> done,
                   json::Result<nlohmann::ordered_json> outcome);
  // Records an outcome on a call now.
  void Finish(std::int64_t call_id, const json::Result<nlohmann::ordered_json>& outcome);
  // Drops the pending answer of `task_id`, if any, marking its call cancelled. False if none.
  bool Cancel(std::uint64_t task_id);

  // {"result": ...} or {"error": NAME, "cause": ...}, as the call log shows outcomes.
  static nlohmann::ordered_json OutcomeJson(const json::Result<nlohmann::ordered_json>& outcome);

 private:
  struct Pending {
    time::TimerQueue::TimerId timer;
    std::int64_t call_id;
  };
  engine::Engine& engine_;
  BehaviourSet behaviours_;
  std::map<std::pair<Service, std::string>, int> counts_;
  CallLog log_;
  std::map<std::uint64_t, Pending> pending_;
};

// params[key] when it is a string, else "" (Task parameters are user data: never throw).
std::string StringParam(const nlohmann::ordered_json& params, const char* key);

// "Mon, 01 Jan 2024 00:00:00 GMT": an HTTP Date header for a virtual instant.
std::string HttpDate(time::Instant t);

// The SdkHttpMetadata/SdkResponseMetadata pair AWS adds to optimized integrations' outputs.
nlohmann::ordered_json SdkHttpMetadata(time::Instant now, const std::string& request_id,
                               std::size_t content_length, int status = 200);
nlohmann::ordered_json SdkResponseMetadata(const std::string& request_id);

}  // namespace timeslip::fakes
