#include "emulator/engine/engine.h"

#include <fmt/format.h>

#include "emulator/engine/limits.h"
#include "emulator/json/text.h"
#include "emulator/engine/runner_internal.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::engine {
namespace {

// AWS's tokens are opaque and long; ours are this many hex digits from the seeded generator, so
// a seed fixes them too.
constexpr int kTaskTokenHexDigits = 128;
static_assert(static_cast<std::size_t>(kTaskTokenHexDigits) <= kMaxTaskTokenLength);

}  // namespace

std::string_view StatusName(ExecutionStatus status) {
  switch (status) {
    case ExecutionStatus::kRunning:
      return "RUNNING";
    case ExecutionStatus::kSucceeded:
      return "SUCCEEDED";
    case ExecutionStatus::kFailed:
      return "FAILED";
    case ExecutionStatus::kTimedOut:
      return "TIMED_OUT";
    case ExecutionStatus::kAborted:
      return "ABORTED";
  }
  return "";
}

std::string_view MachineTypeName(MachineType type) {
  return type == MachineType::kExpress ? "EXPRESS" : "STANDARD";
}

std::string Execution::input_text() const {
  return params_.input_text.empty() ? json::Text(params_.input) : params_.input_text;
}

nlohmann::ordered_json Execution::HistoryJson() const {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const HistoryEvent& event : history_) out.push_back(ToReadableJson(event));
  return out;
}

Engine::Engine(time::Clock& clock, time::Rng& rng, const Integrations& integrations)
    : clock_(clock), rng_(rng), integrations_(integrations) {}

Engine::~Engine() = default;

Execution& Engine::Start(StartParams params) {
  auto execution = std::make_unique<Execution>();
  execution->params_ = std::move(params);
  execution->start_date_ = Now();
  execution->records_history_ =
      execution->type() == MachineType::kStandard || record_express_history_;
  Execution& ref = *execution;
  executions_[ref.arn()] = std::move(execution);
  if (!Released(ref)) {
    order_.push_back(&ref);
    by_machine_[ref.state_machine_arn()].push_back(&ref);
  }
  ref.runner_ = std::make_unique<internal::Runner>(*this, ref);
  ref.runner_->Start();
  return ref;
}

Execution* Engine::Find(const std::string& execution_arn) {
  auto it = executions_.find(execution_arn);
  return it == executions_.end() ? nullptr : it->second.get();
}

std::string Engine::NewTaskToken() {
  std::string token;
  do {
    token = rng_.Hex(kTaskTokenHexDigits);
  } while (tokens_.count(token) != 0 || retired_tokens_.count(token) != 0);
  return token;
}

void Engine::RegisterToken(const std::string& token, internal::TokenEntry entry) {
  tokens_[token] = std::make_unique<internal::TokenEntry>(std::move(entry));
}

void Engine::RetireToken(const std::string& token, bool timed_out) {
  if (token.empty()) return;
  tokens_.erase(token);
  retired_tokens_[token] = timed_out;
  // An activity task nobody picked up is withdrawn with its token.
  for (auto& [arn, queue] : activities_) {
    for (auto it = queue->tasks.begin(); it != queue->tasks.end(); ++it) {
      if (it->token == token) {
        queue->tasks.erase(it);
        return;
      }
    }
  }
}

internal::TokenEntry* Engine::LiveToken(const std::string& token, json::Status& why_not) {
  if (token.empty() || token.size() > kMaxTaskTokenLength) {
    why_not = json::Error{"InvalidToken", "Invalid Length for parameter taskToken"};
    return nullptr;
  }
  auto it = tokens_.find(token);
  if (it == tokens_.end()) {
    auto retired = retired_tokens_.find(token);
    if (retired != retired_tokens_.end() && retired->second) {
      why_not = json::Error{"TaskTimedOut",
                            "Task Timed Out: the task this token belongs to has "
                            "already timed out."};
    } else if (retired != retired_tokens_.end()) {
      why_not = json::Error{"TaskDoesNotExist",
                            "Task does not exist anymore: it has already "
                            "completed or its execution has stopped."};
    } else {
      why_not = json::Error{"InvalidToken", "Invalid token: no task was ever given this token."};
    }
    return nullptr;
  }
  internal::TokenEntry* entry = it->second.get();
  internal::FramePtr frame = entry->frame.lock();
  if (!frame || frame->ended || frame->epoch != entry->epoch) {
    tokens_.erase(it);
    retired_tokens_[token] = false;
    why_not = json::Error{"TaskDoesNotExist", "Task does not exist anymore."};
    return nullptr;
  }
  return entry;
}

json::Status Engine::CompleteToken(const std::string& token, json::Result<nlohmann::ordered_json> result) {
  json::Status why_not = json::Ok();
  internal::TokenEntry* entry = LiveToken(token, why_not);
  if (entry == nullptr) return why_not;
  internal::FramePtr frame = entry->frame.lock();
  internal::Runner* runner = entry->runner;
  tokens_.erase(token);
  retired_tokens_[token] = false;
  runner->CompleteToken(frame, std::move(result));
  return json::Ok();
}

json::Status Engine::SendTaskSuccess(const std::string& token, nlohmann::ordered_json output) {
  return CompleteToken(token, std::move(output));
}

json::Status Engine::SendTaskFailure(const std::string& token, std::string error,
                                     std::string cause) {
  return CompleteToken(token, json::Error{std::move(error), std::move(cause)});
}

json::Status Engine::SendTaskHeartbeat(const std::string& token) {
  json::Status why_not = json::Ok();
  internal::TokenEntry* entry = LiveToken(token, why_not);
  if (entry == nullptr) return why_not;
  entry->runner->Heartbeat(entry->frame.lock());
  return json::Ok();
}

json::Status Engine::Stop(const std::string& execution_arn, std::string error, std::string cause) {
  Execution* execution = Find(execution_arn);
  if (execution == nullptr) {
    return json::Error{"ExecutionDoesNotExist",
                       fmt::format("Execution Does Not Exist: '{}'", execution_arn)};
  }
  execution->runner_->Abort(std::move(error), std::move(cause));
  return json::Ok();
}

json::Status Engine::Redrive(const std::string& execution_arn) {
  Execution* execution = Find(execution_arn);
  if (execution == nullptr) {
    return json::Error{"ExecutionDoesNotExist",
                       fmt::format("Execution Does Not Exist: '{}'", execution_arn)};
  }
  return execution->runner_->Redrive();
}

void Engine::EnqueueActivity(const std::string& activity_arn, internal::TokenEntry entry,
                             std::string token, std::string input) {
  auto& queue = activities_[activity_arn];
  if (!queue) queue = std::make_unique<internal::ActivityQueue>();
  if (!queue->pollers.empty()) {
    internal::ActivityQueue::Poller poller = std::move(queue->pollers.front());
    queue->pollers.pop_front();
    polls_.erase(poller.id);
    if (internal::FramePtr frame = entry.frame.lock())
      entry.runner->ActivityStarted(frame, poller.worker);
    poller.deliver(ActivityTask{std::move(token), std::move(input)});
    return;
  }
  queue->tasks.push_back({std::move(token), std::move(input), std::move(entry)});
}

Engine::PollId Engine::PollActivity(const std::string& activity_arn, std::string worker_name,
                                    std::function<void(ActivityTask)> deliver) {
  auto& queue = activities_[activity_arn];
  if (!queue) queue = std::make_unique<internal::ActivityQueue>();
  PollId id = next_poll_++;
  while (!queue->tasks.empty()) {
    internal::ActivityQueue::Pending task = std::move(queue->tasks.front());
    queue->tasks.pop_front();
    internal::FramePtr frame = task.entry.frame.lock();
    if (!frame || frame->ended || frame->epoch != task.entry.epoch) continue;
    task.entry.runner->ActivityStarted(frame, worker_name);
    deliver(ActivityTask{std::move(task.token), std::move(task.input)});
    return id;
  }
  queue->pollers.push_back({id, std::move(worker_name), std::move(deliver)});
  polls_[id] = activity_arn;
  return id;
}

void Engine::CancelPoll(PollId id) {
  auto it = polls_.find(id);
  if (it == polls_.end()) return;
  auto& pollers = activities_[it->second]->pollers;
  for (auto p = pollers.begin(); p != pollers.end(); ++p) {
    if (p->id == id) {
      pollers.erase(p);
      break;
    }
  }
  polls_.erase(it);
}

void Engine::AddListener(std::function<void(const Execution&, const HistoryEvent&)> listener) {
  listeners_.push_back(std::move(listener));
}

void Engine::AddEndListener(std::function<void(const Execution&)> listener) {
  end_listeners_.push_back(std::move(listener));
}

void Engine::Notify(const Execution& execution, const HistoryEvent& event) {
  for (auto& listener : listeners_) listener(execution, event);
}

void Engine::NotifyEnded(const Execution& execution) {
  for (auto& listener : end_listeners_) listener(execution);
  if (Released(execution)) {
    // Posted after whatever the listeners posted (a synchronous reply reads the execution
    // first), and run once the runner that ended it has returned.
    Post([this, arn = execution.arn()] {
      auto it = executions_.find(arn);
      if (it != executions_.end() && it->second->ended()) executions_.erase(it);
    });
  }
}

const std::vector<Execution*>& Engine::executions_of(const std::string& state_machine_arn) const {
  static const std::vector<Execution*> kNone;
  auto it = by_machine_.find(state_machine_arn);
  return it == by_machine_.end() ? kNone : it->second;
}

void Engine::Post(std::function<void()> work) { ready_.push_back(std::move(work)); }

time::TimerQueue::TimerId Engine::ScheduleAt(time::Instant due, std::function<void()> fn,
                                             time::TimerKind kind) {
  return timers_.Schedule(due, std::move(fn), kind);
}

void Engine::CancelTimer(time::TimerQueue::TimerId id) { timers_.Cancel(id); }

void Engine::RunReady() {
  for (;;) {
    while (!ready_.empty()) {
      std::function<void()> work = std::move(ready_.front());
      ready_.pop_front();
      ++steps_;
      work();
    }
    std::function<void()> due = timers_.PopDue(Now());
    if (!due) return;
    ++steps_;
    due();
  }
}

void Engine::RunToCompletion(time::VirtualClock& clock) {
  for (;;) {
    RunReady();
    std::optional<time::Instant> next = timers_.NextDue();
    if (!next) return;
    clock.AdvanceTo(*next);
  }
}

void Engine::RunUntil(time::VirtualClock& clock, time::Instant until) {
  for (;;) {
    RunReady();
    std::optional<time::Instant> next = timers_.NextDue();
    if (!next || *next > until) break;
    clock.AdvanceTo(*next);
  }
  clock.AdvanceTo(until);
  RunReady();
}

void Engine::RunUntilBlocked(time::VirtualClock& clock) {
  for (;;) {
    RunReady();
    std::optional<time::Instant> internal = timers_.NextDue(time::TimerKind::kInternal);
    if (!internal) return;
    std::optional<time::Instant> external = timers_.NextDue(time::TimerKind::kExternal);
    if (external && *external <= *internal) return;
    clock.AdvanceTo(*internal);
  }
}

}  // namespace timeslip::engine
