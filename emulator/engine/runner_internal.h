#pragma once
// The interpreter of one execution: frames (the top level, each Parallel branch, each Map
// iteration), the states they are in, and what each state waits for. Private to the engine.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/asl/state_machine.h"
#include "emulator/engine/engine_internal.h"
#include "emulator/engine/event_types.h"
#include "emulator/json/result.h"
#include "emulator/query/assign.h"
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
  // The input went on to become the state's output (Runner::TakeInput): `input` is no longer
  // it, and a redrive reads it from the state's Entered event.
  bool input_taken = false;
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
  // {"Index": i, "Value": v} while a Map renders its ItemSelector; null elsewhere. An iteration's
  // own frame has map_index instead, and its parent's items.
  nlohmann::ordered_json map_item;

  // Workflow variables (runner_variables.cc). The frame is a scope: the variables its states
  // assign (null until the first), read before those of the scopes around it. Frames are never
  // copied, so `scope` may point at `variables`.
  nlohmann::ordered_json variables;
  query::VariableScope scope{&variables, nullptr};
  std::map<std::string, std::size_t, std::less<>> variable_sizes;  // name -> JSON text size
  // What the current state assigns when it exits, name -> value and name -> JSON text (the
  // history's assignedVariables); null when nothing.
  nlohmann::ordered_json assigned;
  nlohmann::ordered_json assigned_texts;

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

// A path's failure as States.Runtime with the path's message, except an undefined variable, which
// keeps its own error (States.QueryEvaluationError).
json::Error AsRuntimeError(json::Error error);

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
  // Whether events are kept: when not (Express), callers skip building their details, the JSON
  // text of inputs and outputs above all, and Emit only counts ids.
  bool Recording() const { return execution_.records_history(); }

  // The life of a state.
  // `input_text` is the input as JSON text when the caller has it (the previous state's output).
  void Enter(const FramePtr& frame, asl::StateIndex index, nlohmann::ordered_json input,
             std::string input_text = {});
  void Attempt(const FramePtr& frame);  // (re)runs the current state's work
  // Leaves the current state with `output` for `next`; kNoState: the state's own Next, or the
  // end of its frame.
  void Exit(const FramePtr& frame, nlohmann::ordered_json output,
            asl::StateIndex next = asl::kNoState);
  void Transition(const FramePtr& frame, asl::StateIndex next, nlohmann::ordered_json output,
                  std::string output_text = {});
  // `from_task_result`: see ErrorMatches.
  void Raise(const FramePtr& frame, json::Error error, bool from_task_result = false);
  void EndFrame(const FramePtr& frame, json::Result<nlohmann::ordered_json> result);
  void EndAttempt(Frame& frame);  // cancels timers, tokens, integration work; bumps the epoch
  void AbortFrame(Frame& frame, bool emit_events);
  void RememberRedrivePoint();
  void FinishExecution(ExecutionStatus status, std::optional<nlohmann::ordered_json> output,
                       std::string error, std::string cause);

  // JSONata states (runner_jsonata.cc). Assign, then Output (absent: the result, or the input
  // when there is none), both reading $states.input (the state's input) and $states.result
  // (`result`, null for states without one); then Exit to `next`.
  void FinishJsonata(const FramePtr& frame, const nlohmann::ordered_json* result,
                     asl::StateIndex next, const std::optional<query::JsonataTemplate>& output,
                     const std::optional<query::Assign>& assign);
  void RunChoiceJsonata(const FramePtr& frame);
  void RunFailJsonata(const FramePtr& frame);
  // Items, or the input: the array a JSONata Map iterates over.
  json::Result<nlohmann::ordered_json> JsonataItems(Frame& frame);

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
  // A MapIteration* event's details; null when the execution keeps no history.
  nlohmann::ordered_json IterationDetails(const asl::State& state, std::size_t index) const;
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
  // Shared processing: ResultSelector, Assign, ResultPath, OutputPath, then exit.
  void FinishWithResult(const FramePtr& frame, nlohmann::ordered_json result);
  // What InputPath made of the input, after EffectiveParameters: the input itself for "$" with
  // Parameters, else frame.effective_input.
  const nlohmann::ordered_json& EffectiveInput(const Frame& frame) const;

  // Moves, not copies. A state's input becomes its output: once the state has its result, the
  // input is taken rather than copied, unless a Retry or Catch of the state may read it again
  // (then the copy is made). Taking it marks the frame; RedriveInput finds it again.
  nlohmann::ordered_json TakeInput(Frame& frame);
  // The input ResultPath merges the result into: TakeInput, or nothing for "$".
  nlohmann::ordered_json InputForResultPath(Frame& frame);
  // InputPath for a state that cannot retry or catch: "$" takes the input.
  json::Result<nlohmann::ordered_json> TakeInputPath(Frame& frame);
  // The current state's input as it entered, for RedriveExecution: the frame's, or, once taken,
  // parsed from the state's Entered event.
  nlohmann::ordered_json RedriveInput(const Frame& frame) const;

  // Workflow variables (runner_variables.cc).
  // Evaluates `assign` with "$" reading `dollar` and keeps what it sets in frame.assigned until
  // the state exits; every path of the state still reads the variables as they were. Errors:
  // the Assign's own; States.DataLimitExceeded past AWS's quotas (limits.h).
  json::Status EvaluateAssign(Frame& frame, const std::optional<query::Assign>& assign,
                              const nlohmann::ordered_json& dollar);
  // The same with `ctx` as the Assign reads it (JSONata: $states.input, result, errorOutput).
  json::Status EvaluateAssign(Frame& frame, const std::optional<query::Assign>& assign,
                              const query::EvalContext& ctx);
  // Sets what the exiting state assigned, and adds assignedVariables to its Exited event's
  // `details`, as AWS shows them.
  void CommitAssigned(Frame& frame, nlohmann::ordered_json& details);
  // A branch or iteration that ends takes its scope with it (and out of the execution's total).
  void ReleaseVariables(Frame& frame);

  const asl::State& StateOf(const Frame& frame) const;
  query::EvalContext Ctx(Frame& frame, const nlohmann::ordered_json& input);
  // What "$$" holds for every state of the execution (Execution, StateMachine).
  const nlohmann::ordered_json& BaseContext();
  // The context object "$$" of `frame`'s current state.
  const nlohmann::ordered_json& Context(Frame& frame);
  // Context(frame) if `path` reads "$$", else an empty object (most paths never look), with the
  // frame's variables.
  query::PathRoots PathContext(Frame& frame, const std::optional<query::JsonPath>& path);
  void SetStateContext(Frame& frame) { frame.context_valid = false; }
  // Drops the "$$" caches (the frame's and the execution's, each with a copy of the input) while
  // a task waits for an outside actor, which may take days: a paused execution keeps only what
  // resuming it needs. Context() builds them again, the same, if a later field reads "$$".
  void ReleaseContext(Frame& frame) {
    frame.context_cache = nullptr;
    frame.context_valid = false;
    base_context_ = nullptr;
  }
  std::function<void()> Guard(const FramePtr& frame, std::function<void(const FramePtr&)> fn);
  // Ends the execution TIMED_OUT, as its TimeoutSeconds (or Express's five minutes) does.
  void TimeOut();
  // True once an Express execution has entered more states without the virtual clock moving
  // than five minutes on AWS could hold: it is spinning and will never reach its timer.
  bool ExpressSpinning();
  time::TimerQueue::TimerId AddTimer(const FramePtr& frame, time::Instant due,
                                     std::function<void(const FramePtr&)> fn,
                                     time::TimerKind kind);

  Engine& engine_;
  EngineInternals internals_;
  Execution& execution_;
  FramePtr root_;
  nlohmann::ordered_json base_context_;
  time::TimerQueue::TimerId execution_timer_ = time::TimerQueue::kNoTimer;
  // Express only: states entered since the virtual clock last moved (see
  // kMaxExpressTransitionsAtOneInstant).
  time::Instant transitions_instant_{};
  std::uint64_t transitions_at_instant_ = 0;
  // For redrive: the top-level state that failed and its input.
  std::map<std::string, int> mock_invocations_;  // per mocked state, every attempt counted
  std::size_t variables_bytes_ = 0;  // every live scope's variables, as JSON text
  std::size_t last_output_size_ = 0;  // the last state output's text: the next is about as long
  asl::StateIndex failed_state_ = asl::kNoState;
  nlohmann::ordered_json failed_input_;
};

}  // namespace timeslip::engine::internal
