#pragma once
// The interpreter of one execution: frames (the top level, each Parallel branch, each Map
// iteration), the states they are in, and what each state waits for. Private to the engine.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/asl/state_machine.h"
#include "emulator/engine/engine_internal.h"
#include "emulator/engine/event_types.h"
#include "emulator/json/result.h"
#include "emulator/query/eval_context.h"

namespace timeslip::engine::internal {

// A running (sub-)machine. Async callbacks hold a weak_ptr to their frame and the epoch they
// were issued in; once the frame's current attempt has ended (epoch moved on) they do nothing.
struct Frame {
  const asl::StateMachine* machine = nullptr;
  Frame* parent = nullptr;
  std::function<void(json::Result<nlohmann::ordered_json>)> on_end;  // children only
  std::int64_t last_event_id = 0;
  bool ended = false;

  // The current state.
  asl::StateIndex state = asl::kNoState;
  nlohmann::ordered_json input;  // the state's raw input
  nlohmann::ordered_json effective_input;
  time::Instant entered_at;
  std::int64_t entered_event_id = 0;  // the state's StateEntered event, named in runtime causes
  std::vector<int> retry_counts;  // per retrier of the current state
  int retry_total = 0;
  std::uint64_t epoch = 0;
  std::vector<time::TimerQueue::TimerId> timers;
  std::string task_token;
  std::uint64_t task_id = 0;
  Integration* integration = nullptr;
  bool activity_started = false;
  int heartbeat_seconds = 0;
  time::TimerQueue::TimerId heartbeat_timer = time::TimerQueue::kNoTimer;

  // "$$" is built only when something reads it (a path starting "$$", a template, a rule), and
  // kept until the state, attempt or token changes: copying the execution's input into every
  // frame would make a 10,000-item Map cost gigabytes.
  nlohmann::ordered_json context_cache;
  bool context_valid = false;
  nlohmann::ordered_json map_item;  // {"Index": i, "Value": v} in a Map iteration; null elsewhere

  // Parallel and Map.
  std::vector<std::shared_ptr<Frame>> children;
  std::vector<bool> child_done;
  nlohmann::ordered_json results;
  std::size_t pending = 0;
  std::size_t next_item = 0;
  std::size_t max_concurrency = 0;
  nlohmann::ordered_json items;
  std::int64_t map_index = -1;  // this frame's index in its parent Map
};
using FramePtr = std::shared_ptr<Frame>;

// AWS names the state and its StateEntered event before the cause of every States.Runtime and
// States.QueryEvaluationError: "An error occurred while executing the state 'W' (entered at the
// event id #2). ...". A cause that already names a state (a child's, re-raised by its Parallel
// or Map) is kept as it is.
std::string RuntimeCause(std::string_view state, std::int64_t entered_event_id,
                         std::string message);

class Runner {
 public:
  Runner(Engine& engine, Execution& execution);

  void Start();
  void Abort(std::string error, std::string cause);  // StopExecution
  json::Status Redrive();

  // From the engine, for a live token of this execution.
  void CompleteToken(const FramePtr& frame, json::Result<nlohmann::ordered_json> result);
  void Heartbeat(const FramePtr& frame);
  void ActivityStarted(const FramePtr& frame, const std::string& worker);

 private:
  // Events.
  // `type` is an event_type constant; `details_key` null for an event without details.
  std::int64_t Emit(Frame& frame, std::string_view type, const char* details_key,
                    nlohmann::ordered_json details);
  void EmitTop(std::string_view type, const char* details_key, nlohmann::ordered_json details);

  // The life of a state.
  // `input_text` is the input as JSON text when the caller has it (the previous state's output).
  void Enter(const FramePtr& frame, asl::StateIndex index, nlohmann::ordered_json input,
             std::string input_text = {});
  void Attempt(const FramePtr& frame);  // (re)runs the current state's work
  void Exit(const FramePtr& frame, nlohmann::ordered_json output);
  void Transition(const FramePtr& frame, asl::StateIndex next, nlohmann::ordered_json output,
                  std::string output_text = {});
  void Raise(const FramePtr& frame, json::Error error);
  void EndFrame(const FramePtr& frame, json::Result<nlohmann::ordered_json> result);
  void EndAttempt(Frame& frame);  // cancels timers, tokens, integration work; bumps the epoch
  void AbortFrame(Frame& frame, bool emit_events);
  void RememberRedrivePoint();
  void FinishExecution(ExecutionStatus status, std::optional<nlohmann::ordered_json> output,
                       std::string error, std::string cause);

  // Per state type.
  void RunPass(const FramePtr& frame);
  void RunTask(const FramePtr& frame);
  void RunChoice(const FramePtr& frame);
  void RunWait(const FramePtr& frame);
  void RunSucceed(const FramePtr& frame);
  void RunFail(const FramePtr& frame);
  void RunParallel(const FramePtr& frame);
  void RunMap(const FramePtr& frame);
  void StartMapIteration(const FramePtr& frame, std::size_t index);
  void ChildEnded(const FramePtr& frame, std::size_t index, std::uint64_t epoch,
                  json::Result<nlohmann::ordered_json> result);

  // Task pieces.
  void TaskResult(const FramePtr& frame, json::Result<nlohmann::ordered_json> result);
  void TaskSucceeded(const FramePtr& frame, nlohmann::ordered_json result);
  // `event`: TaskFailed, TaskStartFailed, TaskTimedOut, or ActivityTimedOut for activities.
  void TaskFailed(const FramePtr& frame, json::Error error,
                  std::string_view event = event_type::kTaskFailed);
  void StartHeartbeatTimer(const FramePtr& frame);
  // Answers the current Task attempt from the test case's mocked responses.
  void RunMockedTask(const FramePtr& frame, const std::vector<MockedResponse>& responses);

  // InputPath, then Parameters: what a Task sends and Parallel branches start with. Keeps the
  // effective input in frame.effective_input.
  json::Result<nlohmann::ordered_json> EffectiveParameters(Frame& frame);
  // Shared processing: ResultSelector, ResultPath, OutputPath, then exit.
  void FinishWithResult(const FramePtr& frame, nlohmann::ordered_json result);

  const asl::State& StateOf(const Frame& frame) const;
  query::EvalContext Ctx(Frame& frame, const nlohmann::ordered_json& input);
  // The context object "$$" of `frame`'s current state.
  const nlohmann::ordered_json& Context(Frame& frame);
  // Context(frame) if `path` reads "$$", else an empty object: most paths never look.
  const nlohmann::ordered_json& PathContext(Frame& frame, const std::optional<query::JsonPath>& path);
  void SetStateContext(Frame& frame) { frame.context_valid = false; }
  std::function<void()> Guard(const FramePtr& frame, std::function<void(const FramePtr&)> fn);
  time::TimerQueue::TimerId AddTimer(const FramePtr& frame, time::Instant due,
                                     std::function<void(const FramePtr&)> fn,
                                     time::TimerKind kind);

  Engine& engine_;
  EngineInternals internals_;
  Execution& execution_;
  FramePtr root_;
  nlohmann::ordered_json base_context_;
  time::TimerQueue::TimerId execution_timer_ = time::TimerQueue::kNoTimer;
  // For redrive: the top-level state that failed and its input.
  std::map<std::string, int> mock_invocations_;  // per mocked state, every attempt counted
  asl::StateIndex failed_state_ = asl::kNoState;
  nlohmann::ordered_json failed_input_;
};

}  // namespace timeslip::engine::internal
