// Task states: service integrations (request-response, .sync, .waitForTaskToken), activities,
// TimeoutSeconds and HeartbeatSeconds.
// https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html
#include <cctype>

#include <fmt/format.h>

#include "emulator/asl/error_names.h"
#include "emulator/engine/limits.h"
#include "emulator/engine/runner_internal.h"
#include "emulator/json/size.h"
#include "emulator/json/text.h"
#include "emulator/query/io_processing.h"

namespace timeslip::engine::internal {
namespace {

using json::Text;

// Reads TimeoutSecondsPath / HeartbeatSecondsPath: a positive integer in the effective input, at
// most what TimeoutSeconds itself may be.
json::Result<int> SecondsFromPath(const query::JsonPath& path, const query::EvalContext& ctx,
                                  const char* field) {
  json::Result<nlohmann::ordered_json> v = query::SelectOrExplain(path, ctx);
  if (!v.ok()) return v.error();
  if (!v.value().is_number_integer() || v.value().get<std::int64_t>() <= 0 ||
      v.value().get<std::int64_t>() > kMaxTaskTimeoutSeconds) {
    return json::Error{std::string(asl::kStatesRuntime),
                       fmt::format("The {} '{}' does not reference a positive integer: {}", field,
                                   path.text(), v.value().dump())};
  }
  return static_cast<int>(v.value().get<std::int64_t>());
}

// TimeoutSeconds / HeartbeatSeconds as a JSONata expression: the same bounds.
json::Result<int> SecondsFromJsonata(const query::JsonataTemplate& expr,
                                     const query::EvalContext& ctx) {
  json::Result<nlohmann::ordered_json> v = expr.Evaluate(ctx);
  if (!v.ok()) return v.error();
  if (!v.value().is_number_integer() || v.value().get<std::int64_t>() <= 0 ||
      v.value().get<std::int64_t>() > kMaxTaskTimeoutSeconds) {
    return expr.UnexpectedType("positive integer", v.value());
  }
  return static_cast<int>(v.value().get<std::int64_t>());
}

}  // namespace

void Runner::RunTask(const FramePtr& frame) {
  const asl::State& state = StateOf(*frame);
  const bool activity = IsActivityArn(state.resource);
  const ParsedResource parsed = ParseResource(state.resource);
  const bool wants_token = activity || parsed.pattern == IntegrationPattern::kWaitForTaskToken;

  if (wants_token) {
    frame->task_token = internals_.NewTaskToken();
    frame->context_valid = false;
  }
  json::Result<nlohmann::ordered_json> rendered = EffectiveParameters(*frame);
  if (!rendered.ok()) return Raise(frame, rendered.error());
  nlohmann::ordered_json parameters = std::move(rendered).value();
  if (!state.parameters) frame->effective_input = parameters;
  if (!json::FitsWithin(parameters)) {
    return Raise(frame, {std::string(asl::kStatesDataLimitExceeded),
                         fmt::format("The input to state '{}' after Parameters processing "
                                     "exceeds the maximum number of bytes service limit.",
                                     state.name)});
  }

  query::EvalContext ctx = Ctx(*frame, EffectiveInput(*frame));
  int timeout = static_cast<int>(state.timeout_seconds.value_or(0));
  if (state.timeout_seconds_path) {
    json::Result<int> t = SecondsFromPath(*state.timeout_seconds_path, ctx, "TimeoutSecondsPath");
    if (!t.ok()) return Raise(frame, t.error());
    timeout = t.value();
  }
  int heartbeat = static_cast<int>(state.heartbeat_seconds.value_or(0));
  if (state.heartbeat_seconds_path) {
    json::Result<int> h =
        SecondsFromPath(*state.heartbeat_seconds_path, ctx, "HeartbeatSecondsPath");
    if (!h.ok()) return Raise(frame, h.error());
    heartbeat = h.value();
  }
  for (auto [expr, seconds] : {std::pair{&state.timeout_seconds_expr, &timeout},
                               std::pair{&state.heartbeat_seconds_expr, &heartbeat}}) {
    if (!*expr) continue;
    json::Result<int> v = SecondsFromJsonata(**expr, Ctx(*frame, frame->input));
    if (!v.ok()) return Raise(frame, v.error());
    *seconds = v.value();
  }
  if (wants_token) {
    internals_.RegisterToken(frame->task_token, TokenEntry{this, frame, frame->epoch});
  }
  // An outside actor (a token holder, an activity worker) may beat these deadlines, so a server
  // never jumps the clock past them.
  const time::TimerKind kind = wants_token ? time::TimerKind::kExternal : time::TimerKind::kInternal;
  frame->heartbeat_seconds = heartbeat;

  if (activity) {
    nlohmann::ordered_json details = {{"resource", state.resource},
                              {"input", Text(parameters)},
                              {"inputDetails", {{"truncated", false}}}};
    if (timeout > 0) details["timeoutInSeconds"] = timeout;
    if (heartbeat > 0) details["heartbeatInSeconds"] = heartbeat;
    Emit(*frame, event_type::kActivityScheduled, "activityScheduledEventDetails",
         std::move(details));
    if (timeout > 0) {
      AddTimer(
          frame, engine_.Now() + std::chrono::seconds(timeout),
          [this](const FramePtr& f) {
            internals_.RetireToken(f->task_token, true);
            f->task_token.clear();
            TaskFailed(f, {std::string(asl::kStatesTimeout), "The activity timed out."},
                       event_type::kActivityTimedOut);
          },
          kind);
    }
    internals_.EnqueueActivity(state.resource, TokenEntry{this, frame, frame->epoch},
                            frame->task_token, Text(parameters));
    ReleaseContext(*frame);
    return;
  }

  const ResourceNames names = EventResourceNames(state.resource);
  nlohmann::ordered_json scheduled = {{"resourceType", names.resource_type},
                              {"resource", names.resource},
                              {"region", execution_.params().region},
                              {"parameters", Text(parameters)}};
  if (timeout > 0) scheduled["timeoutInSeconds"] = timeout;
  if (heartbeat > 0) scheduled["heartbeatInSeconds"] = heartbeat;
  Emit(*frame, event_type::kTaskScheduled, "taskScheduledEventDetails", std::move(scheduled));

  if (const std::shared_ptr<const MockTestCase>& mocks = execution_.params().mocks) {
    if (auto mocked = mocks->find(state.name); mocked != mocks->end()) {
      Emit(*frame, event_type::kTaskStarted, "taskStartedEventDetails",
           {{"resourceType", names.resource_type}, {"resource", names.resource}});
      return RunMockedTask(frame, mocked->second);
    }
  }

  Integration* integration = internals_.integrations().Find(parsed.service_resource);
  if (integration == nullptr) {
    return TaskFailed(frame,
                      {std::string(asl::kStatesRuntime),
                       fmt::format("The resource '{}' is not recognized.", state.resource)},
                      event_type::kTaskStartFailed);
  }
  Emit(*frame, event_type::kTaskStarted, "taskStartedEventDetails",
       {{"resourceType", names.resource_type}, {"resource", names.resource}});

  if (timeout > 0) {
    AddTimer(
        frame, engine_.Now() + std::chrono::seconds(timeout),
        [this](const FramePtr& f) {
          if (!f->task_token.empty()) {
            internals_.RetireToken(f->task_token, true);
            f->task_token.clear();
          }
          // AWS records a TimeoutSeconds expiry with no cause.
          TaskFailed(f, {std::string(asl::kStatesTimeout), ""}, event_type::kTaskTimedOut);
        },
        kind);
  }
  if (wants_token && heartbeat > 0) StartHeartbeatTimer(frame);

  TaskRequest request;
  request.task_id = internals_.NextTaskId();
  request.resource = state.resource;
  request.service_resource = parsed.service_resource;
  request.pattern = parsed.pattern;
  request.parameters = std::move(parameters);
  request.execution_arn = execution_.arn();
  request.state_name = state.name;
  request.attempt = frame->retry_total;
  request.task_token = frame->task_token;
  request.region = execution_.params().region;
  request.scheduled_at = engine_.Now();
  frame->integration = integration;
  frame->task_id = request.task_id;

  std::weak_ptr<Frame> weak = frame;
  std::uint64_t epoch = frame->epoch;
  auto live = [this, weak, epoch]() -> FramePtr {
    FramePtr f = weak.lock();
    if (!f || f->ended || f->epoch != epoch || execution_.ended()) return nullptr;
    return f;
  };
  TaskCallbacks callbacks;
  callbacks.submitted = [this, live, names](nlohmann::ordered_json output) {
    if (FramePtr f = live()) {
      Emit(*f, event_type::kTaskSubmitted, "taskSubmittedEventDetails",
           {{"resourceType", names.resource_type},
            {"resource", names.resource},
            {"output", Text(output)},
            {"outputDetails", {{"truncated", false}}}});
    }
  };
  callbacks.done = [this, live, names, pattern = parsed.pattern](
                       json::Result<nlohmann::ordered_json> result) {
    FramePtr f = live();
    if (!f) return;
    f->integration = nullptr;
    if (pattern == IntegrationPattern::kWaitForTaskToken && result.ok()) {
      // The call that handed out the token returned; the task now waits for the token.
      Emit(*f, event_type::kTaskSubmitted, "taskSubmittedEventDetails",
           {{"resourceType", names.resource_type},
            {"resource", names.resource},
            {"output", Text(result.value())},
            {"outputDetails", {{"truncated", false}}}});
      return;
    }
    TaskResult(f, std::move(result));
  };
  integration->Start(request, std::move(callbacks));
  if (wants_token) ReleaseContext(*frame);
}

void Runner::RunMockedTask(const FramePtr& frame, const std::vector<MockedResponse>& responses) {
  const std::string& name = StateOf(*frame).name;
  const int invocation = mock_invocations_[name]++;
  const MockedResponse* response = FindMockedResponse(responses, invocation);
  // Answered on the next turn of the loop, as an integration would, never from inside RunTask.
  engine_.Post(Guard(frame, [this, response, invocation](const FramePtr& f) {
    if (response == nullptr) {
      return TaskFailed(f, {std::string(asl::kStatesRuntime),
                            fmt::format("The mock configuration has no response for invocation "
                                        "{} of state '{}'.",
                                        invocation, StateOf(*f).name)});
    }
    if (response->result) return TaskSucceeded(f, *response->result);
    TaskFailed(f, {response->error, response->cause});
  }));
}

void Runner::StartHeartbeatTimer(const FramePtr& frame) {
  frame->heartbeat_timer = AddTimer(
      frame, engine_.Now() + std::chrono::seconds(frame->heartbeat_seconds),
      [this](const FramePtr& f) {
        const bool activity = IsActivityArn(StateOf(*f).resource);
        internals_.RetireToken(f->task_token, true);
        f->task_token.clear();
        TaskFailed(f,
                   {std::string(asl::kStatesHeartbeatTimeout),
                    "The task did not send a heartbeat within HeartbeatSeconds."},
                   activity ? event_type::kActivityTimedOut : event_type::kTaskTimedOut);
      },
      time::TimerKind::kExternal);
}

void Runner::TaskResult(const FramePtr& frame, json::Result<nlohmann::ordered_json> result) {
  if (!result.ok()) return TaskFailed(frame, result.error());
  TaskSucceeded(frame, std::move(result).value());
}

void Runner::TaskSucceeded(const FramePtr& frame, nlohmann::ordered_json result) {
  const asl::State& state = StateOf(*frame);
  if (!json::FitsWithin(result)) {
    return TaskFailed(frame, {std::string(asl::kStatesDataLimitExceeded),
                              fmt::format("The state/task '{}' returned a result with a size "
                                          "exceeding the maximum number of bytes service limit.",
                                          ResourceCauseName(state.resource))});
  }
  if (IsActivityArn(state.resource)) {
    Emit(*frame, event_type::kActivitySucceeded, "activitySucceededEventDetails",
         {{"output", Text(result)}, {"outputDetails", {{"truncated", false}}}});
  } else {
    const ResourceNames names = EventResourceNames(state.resource);
    Emit(*frame, event_type::kTaskSucceeded, "taskSucceededEventDetails",
         {{"resourceType", names.resource_type},
          {"resource", names.resource},
          {"output", Text(result)},
          {"outputDetails", {{"truncated", false}}}});
  }
  EndAttempt(*frame);
  FinishWithResult(frame, std::move(result));
}

void Runner::TaskFailed(const FramePtr& frame, json::Error error, std::string_view event) {
  const asl::State& state = StateOf(*frame);
  if (IsActivityArn(state.resource)) {
    const bool timed_out = event == event_type::kActivityTimedOut;
    Emit(*frame, timed_out ? event_type::kActivityTimedOut : event_type::kActivityFailed,
         timed_out ? "activityTimedOutEventDetails" : "activityFailedEventDetails",
         {{"error", error.name}, {"cause", error.message}});
  } else {
    const ResourceNames names = EventResourceNames(state.resource);
    // "TaskTimedOut" -> "taskTimedOutEventDetails"
    std::string key = std::string(event);
    key[0] = static_cast<char>(std::tolower(key[0]));
    key += "EventDetails";
    Emit(*frame, event, key.c_str(),
         {{"resourceType", names.resource_type},
          {"resource", names.resource},
          {"error", error.name},
          {"cause", error.message}});
  }
  Raise(frame, std::move(error), /*from_task_result=*/true);
}

void Runner::CompleteToken(const FramePtr& frame, json::Result<nlohmann::ordered_json> result) {
  frame->task_token.clear();
  frame->context_valid = false;
  TaskResult(frame, std::move(result));
}

void Runner::Heartbeat(const FramePtr& frame) {
  if (frame->heartbeat_seconds <= 0 || frame->heartbeat_timer == time::TimerQueue::kNoTimer) {
    return;
  }
  engine_.CancelTimer(frame->heartbeat_timer);
  StartHeartbeatTimer(frame);
}

void Runner::ActivityStarted(const FramePtr& frame, const std::string& worker) {
  frame->activity_started = true;
  nlohmann::ordered_json details = nlohmann::ordered_json::object();
  if (!worker.empty()) details["workerName"] = worker;
  Emit(*frame, event_type::kActivityStarted, "activityStartedEventDetails", std::move(details));
  if (frame->heartbeat_seconds > 0) StartHeartbeatTimer(frame);
}

}  // namespace timeslip::engine::internal
