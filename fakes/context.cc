#include "fakes/context.h"

#include <fmt/format.h>

#include <chrono>

namespace timeslip::fakes {

void FakeContext::Load(BehaviourSet set) {
  behaviours_ = std::move(set);
  counts_.clear();
}

FakeContext::Turn FakeContext::Next(Service service, const std::string& counter_key,
                                    std::initializer_list<std::string> keys) {
  Turn turn;
  turn.call = ++counts_[{service, counter_key}];
  const Script* script = behaviours_.Find(service, keys);
  turn.scripted = script != nullptr;
  if (script != nullptr) turn.step = script->ForCall(turn.call);
  turn.latency = Sample(turn.step.latency, rng());
  return turn;
}

std::int64_t FakeContext::Record(Service service, std::string operation, const std::string& target,
                                 const engine::TaskRequest& request, int call) {
  Call c;
  c.service = std::string(ServiceKey(service));
  c.operation = std::move(operation);
  c.target = target;
  c.arguments = request.parameters;
  c.at = Now();
  c.call = call;
  c.attempt = request.attempt;
  c.execution_arn = request.execution_arn;
  c.state_name = request.state_name;
  c.resource = request.resource;
  c.task_token = request.task_token;
  return log_.Add(std::move(c));
}

nlohmann::ordered_json FakeContext::OutcomeJson(const json::Result<nlohmann::ordered_json>& outcome) {
  if (outcome.ok()) return {{"result", outcome.value()}};
  return {{"error", outcome.error().name}, {"cause", outcome.error().message}};
}

void FakeContext::Finish(std::int64_t call_id, const json::Result<nlohmann::ordered_json>& outcome) {
  log_.Finish(call_id, Now(), OutcomeJson(outcome));
}

void FakeContext::AnswerAfter(std::uint64_t task_id, std::int64_t call_id, time::Duration latency,
                              std::function<void(json::Result<nlohmann::ordered_json>)> done,
                              json::Result<nlohmann::ordered_json> outcome) {
  auto fire = [this, task_id, call_id, done = std::move(done),
               outcome = std::move(outcome)]() mutable {
    pending_.erase(task_id);
    Finish(call_id, outcome);
    if (done) done(std::move(outcome));
  };
  time::TimerQueue::TimerId timer = engine_.ScheduleAt(Now() + latency, std::move(fire));
  pending_[task_id] = Pending{timer, call_id};
}

bool FakeContext::Cancel(std::uint64_t task_id) {
  auto it = pending_.find(task_id);
  if (it == pending_.end()) return false;
  engine_.CancelTimer(it->second.timer);
  log_.Finish(it->second.call_id, Now(), {{"cancelled", true}});
  pending_.erase(it);
  return true;
}

std::string StringParam(const nlohmann::ordered_json& params, const char* key) {
  if (!params.is_object()) return "";
  auto it = params.find(key);
  if (it == params.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

std::string HttpDate(time::Instant t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::weekday wd{day};
  const std::chrono::hh_mm_ss hms{std::chrono::floor<std::chrono::seconds>(t - day)};
  return fmt::format("{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT", kDays[wd.c_encoding()],
                     static_cast<unsigned>(ymd.day()),
                     kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

nlohmann::ordered_json SdkHttpMetadata(time::Instant now, const std::string& request_id,
                               std::size_t content_length, int status) {
  nlohmann::ordered_json headers = {{"Connection", "keep-alive"},
                            {"Content-Length", std::to_string(content_length)},
                            {"Content-Type", "application/json"},
                            {"Date", HttpDate(now)},
                            {"x-amzn-RequestId", request_id}};
  nlohmann::ordered_json all = nlohmann::ordered_json::object();
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    all[it.key()] = nlohmann::ordered_json::array({it.value()});
  }
  return {{"AllHttpHeaders", std::move(all)},
          {"HttpHeaders", std::move(headers)},
          {"HttpStatusCode", status}};
}

nlohmann::ordered_json SdkResponseMetadata(const std::string& request_id) {
  return {{"RequestId", request_id}};
}

}  // namespace timeslip::fakes
