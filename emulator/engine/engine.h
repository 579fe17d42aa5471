#pragma once
// Engine: runs executions on one deterministic event loop. Every state transition, timer and
// outside call is an event ordered by (virtual time, sequence number), so the same definitions,
// inputs and seed give the same history, byte for byte.
//
// Threads: none of its own. One thread (an Asio strand in `serve`, the caller in tests) calls
// everything here; there are no locks.

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "emulator/engine/limits.h"
#include "emulator/engine/execution.h"
#include "emulator/engine/integration.h"
#include "emulator/json/result.h"
#include "emulator/time/clock.h"
#include "emulator/time/rng.h"
#include "emulator/time/timer_queue.h"

namespace timeslip::engine {

namespace internal {
struct TokenEntry;
struct ActivityQueue;
class EngineInternals;
}  // namespace internal

// A task handed to an activity worker by GetActivityTask.
struct ActivityTask {
  std::string task_token;
  std::string input;  // the effective input, as JSON text
};

class Engine {
 public:
  // Not owned; all must outlive the engine.
  Engine(time::Clock& clock, time::Rng& rng, const Integrations& integrations);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Starts an execution at Now(): ExecutionStarted is recorded and the first state is queued.
  // REQUIRES: params.machine_record and params.machine are set and params.execution_arn is new
  // (callers check names, sizes and uniqueness).
  Execution& Start(StartParams params);
  Execution* Find(const std::string& execution_arn);
  // Every execution, in start order.
  const std::vector<Execution*>& executions() const { return order_; }
  // One state machine's executions, in start order (empty for a machine that has none).
  const std::vector<Execution*>& executions_of(const std::string& state_machine_arn) const;

  // Callbacks of .waitForTaskToken tasks and activities. Errors: TaskDoesNotExist (unknown or
  // already completed token), TaskTimedOut (the task timed out), InvalidToken (malformed).
  json::Status SendTaskSuccess(const std::string& token, nlohmann::ordered_json output);
  json::Status SendTaskFailure(const std::string& token, std::string error, std::string cause);
  json::Status SendTaskHeartbeat(const std::string& token);

  // StopExecution. ExecutionDoesNotExist for an unknown ARN; stopping a finished execution is
  // a no-op (AWS answers with the stop date it already has).
  json::Status Stop(const std::string& execution_arn, std::string error, std::string cause);

  // RedriveExecution: restarts a FAILED, TIMED_OUT or ABORTED execution from the state that
  // failed, with that state's original input. ExecutionNotRedrivable otherwise.
  json::Status Redrive(const std::string& execution_arn);

  // GetActivityTask. `deliver` is called once, on the engine thread, when a task for
  // `activity_arn` is (or becomes) available; CancelPoll (the long poll's 60 s ran out) makes
  // sure it never is.
  using PollId = std::uint64_t;
  PollId PollActivity(const std::string& activity_arn, std::string worker_name,
                      std::function<void(ActivityTask)> deliver);
  void CancelPoll(PollId id);

  // Observers see every history event as it is appended (the store persists them). Executions
  // that keep no history (Execution::records_history) tell them nothing.
  void AddListener(std::function<void(const Execution&, const HistoryEvent&)> listener);
  // Observers of every execution's end, history or not: called once its status, output, error
  // and stop date are set (again after a redrive ends it again).
  void AddEndListener(std::function<void(const Execution&)> listener);
  // Express executions started from now on keep a history as Standard ones do. For scenarios,
  // whose assertions read what an execution went through; AWS keeps none.
  void set_record_express_history(bool record) { record_express_history_ = record; }
  // Express executions that keep no history are forgotten once they end (after the end
  // listeners' posted work has run), and are never listed by executions()/executions_of(): AWS
  // keeps nothing of them to describe or list, and a server answering StartSyncExecution all
  // day must not grow. Off by default: in-process callers hold on to the Execution* that Start
  // gave them. The host turns it on.
  void set_release_ended_express(bool release) { release_ended_express_ = release; }

  // ---- The loop ----
  time::Instant Now() const { return clock_.Now(); }
  time::Rng& rng() { return rng_; }
  // States an Express execution may enter at one virtual instant before it is timed out
  // (kMaxExpressTransitionsAtOneInstant; tests lower it).
  std::uint64_t max_express_transitions_at_one_instant() const { return max_express_spin_; }
  void set_max_express_transitions_at_one_instant(std::uint64_t n) { max_express_spin_ = n; }
  void Post(std::function<void()> work);
  time::TimerQueue::TimerId ScheduleAt(time::Instant due, std::function<void()> fn,
                                       time::TimerKind kind = time::TimerKind::kInternal);
  void CancelTimer(time::TimerQueue::TimerId id);

  // Runs all posted work and every timer due at or before Now(), until none is left.
  void RunReady();
  // Scripted virtual time: jumps from timer to timer until nothing is pending.
  void RunToCompletion(time::VirtualClock& clock);
  // Scripted virtual time up to `until`: timers due by then fire, then the clock rests there.
  void RunUntil(time::VirtualClock& clock, time::Instant until);
  // A server's virtual time: jumps only to internal timers due before every outside actor's
  // deadline, so a client can still answer a task token before its timeout.
  void RunUntilBlocked(time::VirtualClock& clock);
  std::optional<time::Instant> NextDue() const { return timers_.NextDue(); }
  bool idle() const { return ready_.empty(); }
  // How many pieces of work and timers have run: a turn that left it unchanged changed nothing.
  std::uint64_t steps() const { return steps_; }

 private:
  // The runner's side of the engine, reached through internal::EngineInternals
  // (engine_internal.h).
  friend class internal::EngineInternals;
  std::uint64_t NextTaskId() { return ++task_ids_; }
  std::string NewTaskToken();
  void RegisterToken(const std::string& token, internal::TokenEntry entry);
  void RetireToken(const std::string& token, bool timed_out);
  void EnqueueActivity(const std::string& activity_arn, internal::TokenEntry entry,
                       std::string token, std::string input);
  void Notify(const Execution& execution, const HistoryEvent& event);
  void NotifyEnded(const Execution& execution);
  // Whether `execution` is one set_release_ended_express lets go of.
  bool Released(const Execution& execution) const {
    return release_ended_express_ && !execution.records_history();
  }

  internal::TokenEntry* LiveToken(const std::string& token, json::Status& why_not);
  json::Status CompleteToken(const std::string& token, json::Result<nlohmann::ordered_json> result);

  time::Clock& clock_;
  time::Rng& rng_;
  std::uint64_t max_express_spin_ = kMaxExpressTransitionsAtOneInstant;
  const Integrations& integrations_;
  std::deque<std::function<void()>> ready_;
  std::uint64_t steps_ = 0;
  time::TimerQueue timers_;
  std::map<std::string, std::unique_ptr<Execution>> executions_;
  std::vector<Execution*> order_;
  std::unordered_map<std::string, std::vector<Execution*>> by_machine_;
  std::map<std::string, std::unique_ptr<internal::TokenEntry>> tokens_;
  std::map<std::string, bool> retired_tokens_;  // token -> timed out
  std::map<std::string, std::unique_ptr<internal::ActivityQueue>> activities_;
  std::map<PollId, std::string> polls_;  // poll -> activity ARN
  PollId next_poll_ = 1;
  std::uint64_t task_ids_ = 0;
  std::vector<std::function<void(const Execution&, const HistoryEvent&)>> listeners_;
  std::vector<std::function<void(const Execution&)>> end_listeners_;
  bool record_express_history_ = false;
  bool release_ended_express_ = false;
};

}  // namespace timeslip::engine
