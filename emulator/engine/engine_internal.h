#pragma once
// The engine's private side: the task tokens and activity queues it keeps, and
// EngineInternals, what an execution's runner needs from its Engine and nobody outside the
// engine may use (the integrations, task ids and tokens, the activity queues, the history
// listeners).

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "emulator/engine/engine.h"

namespace timeslip::engine::internal {

class Runner;
struct Frame;

// A task waiting for a token: a .waitForTaskToken task or an activity.
struct TokenEntry {
  Runner* runner = nullptr;
  std::weak_ptr<Frame> frame;
  std::uint64_t epoch = 0;
};

// One activity's tasks that no worker has taken yet, and the workers polling for one.
struct ActivityQueue {
  struct Pending {
    std::string token;
    std::string input;
    TokenEntry entry;
  };
  struct Poller {
    Engine::PollId id;
    std::string worker;
    std::function<void(ActivityTask)> deliver;
  };
  std::deque<Pending> tasks;
  std::deque<Poller> pollers;
};

class EngineInternals {
 public:
  // Not owned; must outlive this.
  explicit EngineInternals(Engine& engine) : engine_(engine) {}

  const Integrations& integrations() const { return engine_.integrations_; }
  // A new id for one attempt of a Task state (TaskRequest::task_id).
  std::uint64_t NextTaskId() { return engine_.NextTaskId(); }

  // A token no task has had before, from the seeded generator.
  std::string NewTaskToken() { return engine_.NewTaskToken(); }
  // Makes `token` answerable by SendTask*: they reach `entry`'s runner while its frame's
  // attempt lives.
  void RegisterToken(const std::string& token, TokenEntry entry) {
    engine_.RegisterToken(token, std::move(entry));
  }
  // The task ended: later SendTask* calls get TaskTimedOut (`timed_out`) or TaskDoesNotExist.
  // An activity task nobody picked up is withdrawn.
  void RetireToken(const std::string& token, bool timed_out) {
    engine_.RetireToken(token, timed_out);
  }
  // Hands an activity task to the first waiting GetActivityTask poll, or queues it for the next.
  void EnqueueActivity(const std::string& activity_arn, TokenEntry entry, std::string token,
                       std::string input) {
    engine_.EnqueueActivity(activity_arn, std::move(entry), std::move(token), std::move(input));
  }

  // Tells every listener (Engine::AddListener) about an event just appended.
  void Notify(const Execution& execution, const HistoryEvent& event) {
    engine_.Notify(execution, event);
  }
  // Tells every end listener (Engine::AddEndListener) that `execution` has just ended.
  void NotifyEnded(const Execution& execution) { engine_.NotifyEnded(execution); }

 private:
  Engine& engine_;
};

}  // namespace timeslip::engine::internal
