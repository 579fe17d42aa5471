#include "fakes/call_log.h"

#include "emulator/time/rfc3339.h"

namespace timeslip::fakes {

std::int64_t CallLog::Add(Call call) {
  call.id = next_id_++;
  calls_.push_back(std::move(call));
  return calls_.back().id;
}

void CallLog::Finish(std::int64_t id, time::Instant at, nlohmann::ordered_json outcome) {
  if (id < first_id_ || id - first_id_ >= static_cast<std::int64_t>(calls_.size())) return;
  Call& call = calls_[static_cast<std::size_t>(id - first_id_)];
  call.outcome = std::move(outcome);
  call.ended_at = at;
}

const Call* CallLog::Find(std::int64_t id) const {
  if (id < first_id_ || id - first_id_ >= static_cast<std::int64_t>(calls_.size())) return nullptr;
  return &calls_[static_cast<std::size_t>(id - first_id_)];
}

std::vector<const Call*> CallLog::Filter(std::string_view service, std::string_view target) const {
  std::vector<const Call*> out;
  for (const Call& c : calls_) {
    if (c.service == service && (target.empty() || c.target == target)) out.push_back(&c);
  }
  return out;
}

void CallLog::Clear() {
  calls_.clear();
  first_id_ = next_id_;
}

nlohmann::ordered_json ToJson(const Call& c) {
  nlohmann::ordered_json j = {{"id", c.id},
                      {"service", c.service},
                      {"operation", c.operation},
                      {"target", c.target},
                      {"arguments", c.arguments},
                      {"at", time::FormatRfc3339(c.at)},
                      {"call", c.call},
                      {"attempt", c.attempt},
                      {"executionArn", c.execution_arn},
                      {"stateName", c.state_name},
                      {"resource", c.resource},
                      {"outcome", c.outcome}};
  if (!c.task_token.empty()) j["taskToken"] = c.task_token;
  if (c.ended_at) j["endedAt"] = time::FormatRfc3339(*c.ended_at);
  return j;
}

nlohmann::ordered_json CallLog::ToJson() const {
  nlohmann::ordered_json calls = nlohmann::ordered_json::array();
  for (const Call& c : calls_) calls.push_back(fakes::ToJson(c));
  return {{"calls", std::move(calls)}};
}

}  // namespace timeslip::fakes
