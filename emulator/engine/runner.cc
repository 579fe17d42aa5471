// The core of the interpreter: entering and leaving states, errors, Retry and Catch, the end of
// frames and of the execution. The per-type work lives in runner_*.cc.
#include <cmath>

#include <fmt/format.h>

#include "emulator/asl/error_names.h"
#include "emulator/engine/error_matching.h"
#include "emulator/engine/limits.h"
#include "emulator/engine/runner_internal.h"
#include "emulator/json/size.h"
#include "emulator/json/text.h"
#include "emulator/query/io_processing.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::engine::internal {
namespace {

using json::Text;

std::string_view EnteredEvent(asl::StateType type) {
  switch (type) {
    case asl::StateType::kPass: return event_type::kPassStateEntered;
    case asl::StateType::kTask: return event_type::kTaskStateEntered;
    case asl::StateType::kChoice: return event_type::kChoiceStateEntered;
    case asl::StateType::kWait: return event_type::kWaitStateEntered;
    case asl::StateType::kSucceed: return event_type::kSucceedStateEntered;
    case asl::StateType::kFail: return event_type::kFailStateEntered;
    case asl::StateType::kParallel: return event_type::kParallelStateEntered;
    case asl::StateType::kMap: return event_type::kMapStateEntered;
  }
  return {};
}

// Empty for Fail, which never exits: it ends its frame.
std::string_view ExitedEvent(asl::StateType type) {
  switch (type) {
    case asl::StateType::kPass: return event_type::kPassStateExited;
    case asl::StateType::kTask: return event_type::kTaskStateExited;
    case asl::StateType::kChoice: return event_type::kChoiceStateExited;
    case asl::StateType::kWait: return event_type::kWaitStateExited;
    case asl::StateType::kSucceed: return event_type::kSucceedStateExited;
    case asl::StateType::kParallel: return event_type::kParallelStateExited;
    case asl::StateType::kMap: return event_type::kMapStateExited;
    case asl::StateType::kFail: return {};
  }
  return {};
}

// Empty for the states that end at once, with nothing to abort.
std::string_view AbortedEvent(asl::StateType type) {
  switch (type) {
    case asl::StateType::kTask: return event_type::kTaskStateAborted;
    case asl::StateType::kWait: return event_type::kWaitStateAborted;
    case asl::StateType::kParallel: return event_type::kParallelStateAborted;
    case asl::StateType::kMap: return event_type::kMapStateAborted;
    default: return {};
  }
}

// ExecutionStarted, ExecutionSucceeded, ...: the events of the execution itself, which are
// still recorded once it has ended (its own end among them) and never count against the quota.
bool IsExecutionEvent(std::string_view type) { return type.rfind("Execution", 0) == 0; }

// A state's Entered or Exited details, {"name": ..., key: text, key + "Details": {"truncated":
// false}}, built member by member: the initializer-list form builds every member as a
// two-element array first, which costs a state transition more than its Pass work does.
nlohmann::ordered_json StateDetails(const std::string& name, const char* key,
                                    const char* details_key, std::string text) {
  using Json = nlohmann::ordered_json;
  Json truncated(Json::value_t::object);
  truncated.get_ref<Json::object_t&>().emplace("truncated", Json(false));
  Json details(Json::value_t::object);
  Json::object_t& fields = details.get_ref<Json::object_t&>();
  fields.reserve(3);
  fields.emplace("name", Json(name));
  fields.emplace(key, Json(std::move(text)));
  fields.emplace(details_key, std::move(truncated));
  return details;
}

// "$": the whole document, which InputPath and OutputPath then pass on as it is.
bool SelectsAll(const std::optional<query::JsonPath>& path) { return path && path->text() == "$"; }

bool CanRetry(asl::StateType type) {
  return type == asl::StateType::kTask || type == asl::StateType::kParallel ||
         type == asl::StateType::kMap;
}


}  // namespace

std::string RuntimeCause(std::string_view state, std::int64_t entered_event_id,
                         std::string message) {
  constexpr std::string_view kPrefix = "An error occurred while executing the state '";
  if (message.rfind(kPrefix, 0) == 0) return message;
  return fmt::format("{}{}' (entered at the event id #{}). {}", kPrefix, state, entered_event_id,
                     message);
}

Runner::Runner(Engine& engine, Execution& execution)
    : engine_(engine), internals_(engine), execution_(execution) {}

const nlohmann::ordered_json& Runner::BaseContext() {
  // Built when a state first reads "$$", not for every execution: most never do, and it holds a
  // copy of the execution's input.
  if (!base_context_.is_null()) return base_context_;
  const StartParams& p = execution_.params();
  base_context_ = {
      {"Execution",
       {{"Id", p.execution_arn},
        {"Input", p.input},
        {"Name", p.name},
        {"RoleArn", p.role_arn},
        {"StartTime", time::FormatRfc3339(execution_.start_date())},
        {"RedriveCount", execution_.redrive_count_}}},
      {"StateMachine", {{"Id", p.state_machine_arn}, {"Name", p.state_machine_name}}},
  };
  return base_context_;
}

const asl::State& Runner::StateOf(const Frame& frame) const {
  return frame.machine->states()[frame.state];
}

query::EvalContext Runner::Ctx(Frame& frame, const nlohmann::ordered_json& input) {
  query::EvalContext ctx(
      input, [this, &frame]() -> const nlohmann::ordered_json& { return Context(frame); }, &engine_.rng());
  ctx.variables = &frame.scope;
  ctx.now = engine_.Now();  // JSONata's $now() and $millis()
  return ctx;
}

const nlohmann::ordered_json& Runner::Context(Frame& frame) {
  if (frame.context_valid) return frame.context_cache;
  frame.context_cache = BaseContext();
  if (frame.state != asl::kNoState) {
    const asl::State& state = StateOf(frame);
    nlohmann::ordered_json& context = frame.context_cache["State"];
    context = {{"Name", state.name}, {"EnteredTime", time::FormatRfc3339(frame.entered_at)}};
    // AWS counts retries only where a Retry field is allowed; a Pass's "$$.State" has no count.
    if (CanRetry(state.type)) context["RetryCount"] = frame.retry_total;
  }
  if (!frame.task_token.empty()) frame.context_cache["Task"] = {{"Token", frame.task_token}};
  if (!frame.map_item.is_null()) {
    frame.context_cache["Map"] = {{"Item", frame.map_item}};
  } else if (frame.map_index >= 0 && frame.parent != nullptr) {
    const auto index = static_cast<std::size_t>(frame.map_index);
    frame.context_cache["Map"] = {
        {"Item", {{"Index", index}, {"Value", frame.parent->items[index]}}}};
  }
  frame.context_valid = true;
  return frame.context_cache;
}

query::PathRoots Runner::PathContext(Frame& frame, const std::optional<query::JsonPath>& path) {
  static const nlohmann::ordered_json kNone = nlohmann::ordered_json::object();
  return {path && path->reads_context() ? Context(frame) : kNone, &frame.scope};
}

std::int64_t Runner::Emit(Frame& frame, std::string_view type, const char* details_key,
                          nlohmann::ordered_json details) {
  if (execution_.ended() && !IsExecutionEvent(type)) return 0;
  if (!execution_.records_history_) {
    // Nothing to keep or tell (an Express execution): only the ids go on.
    frame.last_event_id = ++execution_.event_count_;
    return frame.last_event_id;
  }
  if (execution_.params().type == MachineType::kStandard &&
      execution_.history_.size() >= kMaxHistoryEvents && !IsExecutionEvent(type)) {
    // Past AWS's quota the execution fails; the failure itself is the last event.
    engine_.Post([this] {
      if (execution_.ended()) return;
      AbortFrame(*root_, false);
      FinishExecution(ExecutionStatus::kFailed, std::nullopt, std::string(asl::kStatesRuntime),
                      fmt::format("The execution reached the maximum number of history events "
                                  "({}).",
                                  kMaxHistoryEvents));
    });
    return 0;
  }
  HistoryEvent event;
  event.id = ++execution_.event_count_;
  event.previous_event_id = frame.last_event_id;
  event.timestamp = engine_.Now();
  event.type = type;
  if (details_key != nullptr) {
    event.details_key = details_key;
    event.details = std::move(details);
  }
  frame.last_event_id = event.id;
  execution_.history_.push_back(std::move(event));
  internals_.Notify(execution_, execution_.history_.back());
  return frame.last_event_id;
}

void Runner::EmitTop(std::string_view type, const char* details_key, nlohmann::ordered_json details) {
  root_->last_event_id = execution_.event_count_;
  Emit(*root_, type, details_key, std::move(details));
}

void Runner::Start() {
  root_ = std::make_shared<Frame>();
  root_->machine = execution_.params().machine.get();
  const StartParams& p = execution_.params();
  nlohmann::ordered_json started;
  if (Recording()) {
    started = {{"input", execution_.input_text()},
               {"inputDetails", {{"truncated", false}}},
               {"roleArn", p.role_arn}};
  }
  Emit(*root_, event_type::kExecutionStarted, "executionStartedEventDetails", std::move(started));

  std::optional<int> timeout = root_->machine->timeout_seconds();
  if (p.type == MachineType::kExpress && (!timeout || *timeout > kMaxExpressDurationSeconds)) {
    timeout = kMaxExpressDurationSeconds;
  }
  if (timeout) {
    execution_timer_ = engine_.ScheduleAt(engine_.Now() + std::chrono::seconds(*timeout), [this] {
      execution_timer_ = time::TimerQueue::kNoTimer;
      TimeOut();
    });
  }
  FramePtr root = root_;
  nlohmann::ordered_json input = p.input;
  engine_.Post([this, root, input = std::move(input)]() mutable {
    Enter(root, root->machine->start_at(), std::move(input));
  });
}

void Runner::TimeOut() {
  if (execution_.ended()) return;
  engine_.CancelTimer(execution_timer_);
  execution_timer_ = time::TimerQueue::kNoTimer;
  RememberRedrivePoint();
  AbortFrame(*root_, false);
  FinishExecution(ExecutionStatus::kTimedOut, std::nullopt, std::string(asl::kStatesTimeout),
                  "The execution timed out after the state machine's TimeoutSeconds.");
}

bool Runner::ExpressSpinning() {
  if (execution_.params().type != MachineType::kExpress) return false;
  if (engine_.Now() != transitions_instant_) {
    transitions_instant_ = engine_.Now();
    transitions_at_instant_ = 0;
  }
  return ++transitions_at_instant_ > engine_.max_express_transitions_at_one_instant();
}

void Runner::Enter(const FramePtr& frame, asl::StateIndex index, nlohmann::ordered_json input,
                   std::string input_text) {
  if (frame->ended || execution_.ended()) return;
  if (ExpressSpinning()) return TimeOut();
  frame->state = index;
  frame->input = std::move(input);
  frame->input_taken = false;
  frame->entered_at = engine_.Now();
  const asl::State& state = StateOf(*frame);
  frame->retry_counts.assign(state.retriers.size(), 0);
  frame->retry_total = 0;
  frame->assigned = nullptr;
  SetStateContext(*frame);
  nlohmann::ordered_json details;
  if (Recording()) {
    if (input_text.empty()) input_text = Text(frame->input);
    details = StateDetails(state.name, "input", "inputDetails", std::move(input_text));
  }
  frame->entered_event_id = Emit(*frame, EnteredEvent(state.type), "stateEnteredEventDetails",
                                 std::move(details));
  Attempt(frame);
}

void Runner::Attempt(const FramePtr& frame) {
  if (frame->ended || execution_.ended()) return;
  switch (StateOf(*frame).type) {
    case asl::StateType::kPass: return RunPass(frame);
    case asl::StateType::kTask: return RunTask(frame);
    case asl::StateType::kChoice: return RunChoice(frame);
    case asl::StateType::kWait: return RunWait(frame);
    case asl::StateType::kSucceed: return RunSucceed(frame);
    case asl::StateType::kFail: return RunFail(frame);
    case asl::StateType::kParallel: return RunParallel(frame);
    case asl::StateType::kMap: return RunMap(frame);
  }
}

json::Result<nlohmann::ordered_json> Runner::EffectiveParameters(Frame& frame) {
  const asl::State& state = StateOf(frame);
  if (state.arguments) {  // JSONata: Arguments read $states.input; without them, the input
    frame.effective_input = nullptr;
    return state.arguments->Evaluate(Ctx(frame, frame.input));
  }
  if (state.parameters && SelectsAll(state.input_path)) {
    // Parameters read the input where it is: no copy of it (EffectiveInput finds it there).
    frame.effective_input = nullptr;
    return state.parameters->Render(Ctx(frame, frame.input));
  }
  json::Result<nlohmann::ordered_json> effective =
      query::ApplyInputPath(state.input_path, frame.input, PathContext(frame, state.input_path));
  if (!effective.ok()) return effective;
  if (!state.parameters) {
    frame.effective_input = nullptr;  // callers that keep it read it from the result
    return effective;
  }
  frame.effective_input = std::move(effective).value();
  return state.parameters->Render(Ctx(frame, frame.effective_input));
}

void Runner::FinishWithResult(const FramePtr& frame, nlohmann::ordered_json result) {
  const asl::State& state = StateOf(*frame);
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    return FinishJsonata(frame, &result, asl::kNoState, state.output, state.assignments);
  }
  if (state.result_selector) {
    json::Result<nlohmann::ordered_json> selected = state.result_selector->Render(Ctx(*frame, result));
    if (!selected.ok()) return Raise(frame, selected.error());
    result = std::move(selected).value();
  }
  if (json::Status s = EvaluateAssign(*frame, state.assignments, result); !s.ok()) {
    return Raise(frame, s.error());
  }
  json::Result<nlohmann::ordered_json> merged =
      query::ApplyResultPath(state.result_path, InputForResultPath(*frame), std::move(result));
  if (!merged.ok()) return Raise(frame, merged.error());
  json::Result<nlohmann::ordered_json> output =
      query::ApplyOutputPath(state.output_path, std::move(merged).value(),
                             PathContext(*frame, state.output_path));
  if (!output.ok()) return Raise(frame, output.error());
  Exit(frame, std::move(output).value());
}

const nlohmann::ordered_json& Runner::EffectiveInput(const Frame& frame) const {
  const asl::State& state = StateOf(frame);
  return state.parameters && SelectsAll(state.input_path) ? frame.input : frame.effective_input;
}

nlohmann::ordered_json Runner::TakeInput(Frame& frame) {
  const asl::State& state = StateOf(frame);
  if (!state.retriers.empty() || !state.catchers.empty()) return frame.input;  // read again
  frame.input_taken = true;
  return std::move(frame.input);
}

nlohmann::ordered_json Runner::InputForResultPath(Frame& frame) {
  // "$" replaces the input with the result: nothing of the input is needed, not even a copy.
  if (SelectsAll(StateOf(frame).result_path)) return nullptr;
  return TakeInput(frame);
}

json::Result<nlohmann::ordered_json> Runner::TakeInputPath(Frame& frame) {
  const asl::State& state = StateOf(frame);
  if (SelectsAll(state.input_path)) return TakeInput(frame);
  return query::ApplyInputPath(state.input_path, frame.input, PathContext(frame, state.input_path));
}

nlohmann::ordered_json Runner::RedriveInput(const Frame& frame) const {
  if (!frame.input_taken) return frame.input;
  // The state's Entered event holds its input as text. Only a Standard execution is redriven,
  // and a Standard execution keeps its history.
  const std::int64_t id = frame.entered_event_id;
  if (id <= 0 || static_cast<std::size_t>(id) > execution_.history_.size()) return nullptr;
  const nlohmann::ordered_json& details = execution_.history_[id - 1].details;
  auto input = details.find("input");
  if (input == details.end() || !input->is_string()) return nullptr;
  return nlohmann::ordered_json::parse(input->get_ref<const std::string&>(), nullptr, false);
}

void Runner::Exit(const FramePtr& frame, nlohmann::ordered_json output, asl::StateIndex next) {
  if (frame->ended || execution_.ended()) return;
  const asl::State& state = StateOf(*frame);
  // The output's text goes into the Exited event and on to the next state's Entered event,
  // written once; without a history only whether it fits matters, which is decided, not written.
  std::string text;
  if (Recording()) {
    text = json::Text(output, last_output_size_);
    last_output_size_ = text.size();
  }
  const bool fits = Recording() ? text.size() <= json::kMaxPayloadBytes : json::FitsWithin(output);
  if (!fits) {
    return Raise(frame, {std::string(asl::kStatesDataLimitExceeded),
                         fmt::format("The state/task '{}' returned a result with a size exceeding "
                                     "the maximum number of bytes service limit.",
                                     state.name)});
  }
  EndAttempt(*frame);
  nlohmann::ordered_json details;
  if (Recording()) {
    details = StateDetails(state.name, "output", "outputDetails", text);
  }
  CommitAssigned(*frame, details);  // with or without a history, the variables are set
  Emit(*frame, ExitedEvent(state.type), "stateExitedEventDetails", std::move(details));
  if (next == asl::kNoState && (state.end || state.type == asl::StateType::kSucceed)) {
    return EndFrame(frame, std::move(output));
  }
  Transition(frame, next == asl::kNoState ? state.next : next, std::move(output),
             std::move(text));
}

void Runner::Transition(const FramePtr& frame, asl::StateIndex next, nlohmann::ordered_json output,
                        std::string output_text) {
  // Through the ready queue, never by recursion: a Choice loop of 100,000 turns must not grow
  // the stack, and sibling branches take turns.
  engine_.Post([this, frame, next, output = std::move(output),
                text = std::move(output_text)]() mutable {
    Enter(frame, next, std::move(output), std::move(text));
  });
}

void Runner::Raise(const FramePtr& frame, json::Error error, bool from_task_result) {
  if (frame->ended || execution_.ended()) return;
  const asl::State& state = StateOf(*frame);
  if (error.name == asl::kStatesRuntime || error.name == asl::kStatesQueryEvaluationError) {
    error.message = RuntimeCause(state.name, frame->entered_event_id, std::move(error.message));
  }
  frame->assigned = nullptr;  // a state that fails assigns nothing
  EndAttempt(*frame);
  if (CanRetry(state.type)) {
    for (std::size_t i = 0; i < state.retriers.size(); ++i) {
      const asl::Retrier& retrier = state.retriers[i];
      if (!ErrorMatches(retrier.error_equals, error.name, from_task_result)) continue;
      if (frame->retry_counts[i] >= retrier.max_attempts) break;  // the first match decides
      double delay = retrier.interval_seconds * std::pow(retrier.backoff_rate, frame->retry_counts[i]);
      if (retrier.max_delay_seconds && delay > *retrier.max_delay_seconds) {
        delay = *retrier.max_delay_seconds;
      }
      auto delay_ms = static_cast<std::int64_t>(std::llround(delay * 1000.0));
      if (retrier.jitter == asl::JitterStrategy::kFull) {
        delay_ms = engine_.rng().UniformInt(0, delay_ms);
      }
      ++frame->retry_counts[i];
      ++frame->retry_total;
      AddTimer(
          frame, engine_.Now() + std::chrono::milliseconds(delay_ms),
          [this](const FramePtr& f) {
            SetStateContext(*f);
            Attempt(f);
          },
          time::TimerKind::kInternal);
      return;
    }
    for (const asl::Catcher& catcher : state.catchers) {
      if (!ErrorMatches(catcher.error_equals, error.name, from_task_result)) continue;
      nlohmann::ordered_json error_output = {{"Error", error.name}, {"Cause", error.message}};
      // The Catcher's Assign reads the error output (JSONPath "$", JSONata $states.errorOutput),
      // and sets variables in the scope the state runs in.
      const bool jsonata = state.query_language == asl::QueryLanguage::kJsonata;
      query::EvalContext ctx = jsonata ? Ctx(*frame, frame->input) : Ctx(*frame, error_output);
      if (jsonata) ctx.error_output = &error_output;
      if (json::Status s = EvaluateAssign(*frame, catcher.assignments, ctx); !s.ok()) {
        json::Error failed = s.error();
        if (failed.name == asl::kStatesRuntime || failed.name == asl::kStatesQueryEvaluationError) {
          failed.message =
              RuntimeCause(state.name, frame->entered_event_id, std::move(failed.message));
        }
        return EndFrame(frame, std::move(failed));
      }
      json::Result<nlohmann::ordered_json> output =
          catcher.output ? catcher.output->Evaluate(ctx)
                         : query::ApplyResultPath(catcher.result_path, frame->input,
                                                  std::move(error_output));
      if (!output.ok()) {
        json::Error failed = output.error();
        if (failed.name == asl::kStatesQueryEvaluationError) {
          failed.message =
              RuntimeCause(state.name, frame->entered_event_id, std::move(failed.message));
        }
        return EndFrame(frame, std::move(failed));
      }
      nlohmann::ordered_json details = {{"name", state.name},
                                        {"output", Text(output.value())},
                                        {"outputDetails", {{"truncated", false}}}};
      CommitAssigned(*frame, details);
      Emit(*frame, ExitedEvent(state.type), "stateExitedEventDetails", std::move(details));
      return Transition(frame, catcher.next, std::move(output).value());
    }
  }
  EndFrame(frame, std::move(error));
}

void Runner::EndFrame(const FramePtr& frame, json::Result<nlohmann::ordered_json> result) {
  if (frame->ended) return;
  EndAttempt(*frame);
  frame->ended = true;
  if (frame->parent != nullptr) ReleaseVariables(*frame);
  if (frame.get() == root_.get() && !result.ok()) {
    failed_state_ = frame->state;  // where RedriveExecution starts again
    failed_input_ = RedriveInput(*frame);
  }
  if (frame->parent != nullptr) {
    if (frame->on_end) frame->on_end(std::move(result));
    return;
  }
  if (result.ok()) {
    FinishExecution(ExecutionStatus::kSucceeded, std::move(result).value(), "", "");
  } else {
    FinishExecution(ExecutionStatus::kFailed, std::nullopt, result.error().name,
                    result.error().message);
  }
}

void Runner::FinishExecution(ExecutionStatus status, std::optional<nlohmann::ordered_json> output,
                             std::string error, std::string cause) {
  if (execution_.ended()) return;
  if (execution_timer_ != time::TimerQueue::kNoTimer) {
    engine_.CancelTimer(execution_timer_);
    execution_timer_ = time::TimerQueue::kNoTimer;
  }
  switch (status) {
    case ExecutionStatus::kSucceeded:
      EmitTop(event_type::kExecutionSucceeded, "executionSucceededEventDetails",
              Recording() ? nlohmann::ordered_json{{"output", Text(*output)},
                                                   {"outputDetails", {{"truncated", false}}}}
                          : nlohmann::ordered_json());
      break;
    case ExecutionStatus::kFailed:
      EmitTop(event_type::kExecutionFailed, "executionFailedEventDetails",
              {{"error", error}, {"cause", cause}});
      break;
    case ExecutionStatus::kTimedOut:
      EmitTop(event_type::kExecutionTimedOut, "executionTimedOutEventDetails",
              {{"error", error}, {"cause", cause}});
      break;
    case ExecutionStatus::kAborted:
      EmitTop(event_type::kExecutionAborted, "executionAbortedEventDetails",
              {{"error", error}, {"cause", cause}});
      break;
    case ExecutionStatus::kRunning:
      break;
  }
  execution_.status_ = status;
  execution_.output_ = std::move(output);
  execution_.error_ = std::move(error);
  execution_.cause_ = std::move(cause);
  execution_.stop_date_ = engine_.Now();
  internals_.NotifyEnded(execution_);
}

void Runner::EndAttempt(Frame& frame) {
  ++frame.epoch;
  for (const FramePtr& child : frame.children) {
    if (child && !child->ended) AbortFrame(*child, false);
  }
  frame.children.clear();
  for (time::TimerQueue::TimerId id : frame.timers) engine_.CancelTimer(id);
  frame.timers.clear();
  if (!frame.task_token.empty()) {
    internals_.RetireToken(frame.task_token, false);
    frame.task_token.clear();
    frame.context_valid = false;
  }
  if (frame.integration != nullptr) {
    frame.integration->Cancel(frame.task_id);
    frame.integration = nullptr;
  }
  frame.activity_started = false;
  frame.heartbeat_timer = time::TimerQueue::kNoTimer;
}

void Runner::AbortFrame(Frame& frame, bool emit_events) {
  if (frame.ended) return;
  for (const FramePtr& child : frame.children) {
    if (child) AbortFrame(*child, emit_events);
  }
  if (emit_events && frame.state != asl::kNoState) {
    std::string_view aborted = AbortedEvent(StateOf(frame).type);
    if (!aborted.empty()) {
      Emit(frame, aborted, "stateExitedEventDetails", {{"name", StateOf(frame).name}});
    }
  }
  EndAttempt(frame);
  frame.ended = true;
  if (frame.parent != nullptr) ReleaseVariables(frame);
}

void Runner::RememberRedrivePoint() {
  // A stopped or timed-out execution is redriven from the top-level state it was in.
  if (root_->ended || root_->state == asl::kNoState) return;
  failed_state_ = root_->state;
  failed_input_ = RedriveInput(*root_);
}

void Runner::Abort(std::string error, std::string cause) {
  if (execution_.ended()) return;
  RememberRedrivePoint();
  AbortFrame(*root_, true);
  FinishExecution(ExecutionStatus::kAborted, std::nullopt, std::move(error), std::move(cause));
}

json::Status Runner::Redrive() {
  if (execution_.type() == MachineType::kExpress) {
    return json::Error{"ExecutionNotRedrivable",
                       fmt::format("Execution '{}' is an Express execution; only Standard "
                                   "executions can be redriven.",
                                   execution_.arn())};
  }
  const bool failed = execution_.ended() && execution_.status_ != ExecutionStatus::kSucceeded;
  if (!failed) {
    return json::Error{"ExecutionNotRedrivable",
                       fmt::format("Execution '{}' is {}; only FAILED, TIMED_OUT and ABORTED "
                                   "executions can be redriven.",
                                   execution_.arn(), StatusName(execution_.status_))};
  }
  if (failed_state_ == asl::kNoState) {
    return json::Error{"ExecutionNotRedrivable",
                       fmt::format("Execution '{}' has no failed state to redrive from.",
                                   execution_.arn())};
  }
  ++execution_.redrive_count_;
  execution_.redrive_date_ = engine_.Now();
  execution_.status_ = ExecutionStatus::kRunning;
  execution_.stop_date_.reset();
  execution_.error_.clear();
  execution_.cause_.clear();
  base_context_ = nullptr;  // rebuilt with the new RedriveCount
  FramePtr root = std::make_shared<Frame>();
  root->machine = root_->machine;
  // The redriven execution goes on with the variables its top-level states had assigned.
  root->variables = std::move(root_->variables);
  root->variable_sizes = std::move(root_->variable_sizes);
  root_ = root;
  EmitTop(event_type::kExecutionRedriven, "executionRedrivenEventDetails",
          {{"redriveCount", execution_.redrive_count_}});
  asl::StateIndex from = failed_state_;
  nlohmann::ordered_json input = failed_input_;
  failed_state_ = asl::kNoState;
  engine_.Post([this, root, from, input = std::move(input)]() mutable {
    Enter(root, from, std::move(input));
  });
  return json::Ok();
}

std::function<void()> Runner::Guard(const FramePtr& frame,
                                    std::function<void(const FramePtr&)> fn) {
  std::weak_ptr<Frame> weak = frame;
  std::uint64_t epoch = frame->epoch;
  return [this, weak, epoch, fn = std::move(fn)] {
    FramePtr f = weak.lock();
    if (!f || f->ended || f->epoch != epoch || execution_.ended()) return;
    fn(f);
  };
}

time::TimerQueue::TimerId Runner::AddTimer(const FramePtr& frame, time::Instant due,
                                           std::function<void(const FramePtr&)> fn,
                                           time::TimerKind kind) {
  time::TimerQueue::TimerId id = engine_.ScheduleAt(due, Guard(frame, std::move(fn)), kind);
  frame->timers.push_back(id);
  return id;
}

}  // namespace timeslip::engine::internal
