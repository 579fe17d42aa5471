#pragma once
// CallLog: every call the fakes received, in order: service, operation, target, arguments,
// virtual time, which call to that target it was (the behaviour step it played) and the
// Task's retry attempt, and, once known, how it ended. GET /_timeslip/fakes/calls serves
// ToJson(); scenario assertions filter it.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulator/time/clock.h"

namespace timeslip::fakes {

struct Call {
  std::int64_t id = 0;    // 1, 2, ... in the order the calls arrived
  std::string service;    // "glue", "lambda", "http", "sns", "dataQuality"
  std::string operation;  // "startJobRun.sync", "invoke", "publish", ...
  std::string target;     // job name, function name, "GET https://...", topic ARN, ruleset
  nlohmann::ordered_json arguments = nlohmann::ordered_json::object();  // the Task's effective parameters
  time::Instant at;
  int call = 0;     // the nth call to this target (1 for the first): the behaviour step it played
  int attempt = 0;  // the Task's retry attempt: 0 for the first try
  std::string execution_arn;
  std::string state_name;
  std::string resource;
  std::string task_token;  // .waitForTaskToken only
  // How it ended, once it has: {"result": ...} or {"error": NAME, "cause": ...}, or
  // {"cancelled": true}; null while pending (or forever, for a hang).
  nlohmann::ordered_json outcome = nullptr;
  std::optional<time::Instant> ended_at;
};

class CallLog {
 public:
  // Appends `call`, numbering it; returns its id.
  std::int64_t Add(Call call);
  // Records how call `id` ended. Unknown ids (the log was cleared meanwhile) are ignored.
  void Finish(std::int64_t id, time::Instant at, nlohmann::ordered_json outcome);

  const std::vector<Call>& calls() const { return calls_; }
  const Call* Find(std::int64_t id) const;
  // The calls to `service` (and `target`, unless empty), in order.
  std::vector<const Call*> Filter(std::string_view service, std::string_view target = {}) const;
  void Clear();

  // {"calls": [...]}, each call with RFC 3339 times.
  nlohmann::ordered_json ToJson() const;

 private:
  std::vector<Call> calls_;
  std::int64_t first_id_ = 1;  // the id of calls_[0]
  std::int64_t next_id_ = 1;
};

nlohmann::ordered_json ToJson(const Call& call);

}  // namespace timeslip::fakes
