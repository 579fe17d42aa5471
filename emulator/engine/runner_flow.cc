// The states that call nothing outside: Pass, Choice, Wait, Succeed and Fail.
#include <fmt/format.h>

#include <limits>

#include "emulator/asl/error_names.h"
#include "emulator/engine/limits.h"
#include "emulator/engine/runner_internal.h"
#include "emulator/json/text.h"
#include "emulator/query/io_processing.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::engine::internal {
namespace {

json::Error RuntimeError(std::string message) {
  return {std::string(asl::kStatesRuntime), std::move(message)};
}


// AWS quotes a Wait path's value as "$.path == value", strings unquoted.
std::string QuotedWaitValue(const query::JsonPath& path, const nlohmann::ordered_json& value) {
  return fmt::format("{} == {}", path.text(),
                     value.is_string() ? value.get<std::string>() : json::Text(value));
}

// When a Wait state ends, in AWS's words when it cannot: SecondsPath must name a non-negative
// long, TimestampPath an RFC 3339 date-time, and no delay may pass kMaxWaitDelaySeconds.
json::Result<time::Instant> WaitDue(const asl::State& state, const query::EvalContext& ctx,
                                    time::Instant now) {
  time::Instant due = now;
  if (state.seconds) {
    due += std::chrono::seconds(*state.seconds);
  } else if (state.timestamp) {
    due = *state.timestamp;
  } else if (state.seconds_path) {
    json::Result<nlohmann::ordered_json> v = state.seconds_path->Select(ctx);
    if (!v.ok()) return AsRuntimeError(v.error());
    if (!v.value().is_number_integer() ||
        (v.value().is_number_unsigned() &&
         v.value().get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()})) {
      return RuntimeError("The SecondsPath parameter cannot be parsed as a long value: " +
                          QuotedWaitValue(*state.seconds_path, v.value()));
    }
    std::int64_t seconds = v.value().get<std::int64_t>();
    if (seconds < 0) {
      return RuntimeError("The SecondsPath parameter references a negative value: " +
                          QuotedWaitValue(*state.seconds_path, v.value()));
    }
    if (seconds > kMaxWaitDelaySeconds) return RuntimeError("Wait state delay is too long.");
    due += std::chrono::seconds(seconds);
  } else if (state.timestamp_path) {
    json::Result<nlohmann::ordered_json> v = state.timestamp_path->Select(ctx);
    if (!v.ok()) return AsRuntimeError(v.error());
    std::optional<time::Instant> at;
    if (v.value().is_string()) at = time::ParseRfc3339(v.value().get<std::string>());
    if (!at) {
      return RuntimeError(
          "The TimestampPath parameter does not reference a valid ISO-8601 extended offset "
          "date-time format string: " +
          QuotedWaitValue(*state.timestamp_path, v.value()));
    }
    due = *at;
  } else if (state.seconds_expr) {
    json::Result<nlohmann::ordered_json> v = state.seconds_expr->Evaluate(ctx);
    if (!v.ok()) return v.error();
    if (!v.value().is_number_integer() || v.value().get<std::int64_t>() < 0) {
      return state.seconds_expr->UnexpectedType("non-negative integer", v.value());
    }
    if (v.value().get<std::int64_t>() > kMaxWaitDelaySeconds) {
      return RuntimeError("Wait state delay is too long.");
    }
    due += std::chrono::seconds(v.value().get<std::int64_t>());
  } else if (state.timestamp_expr) {
    json::Result<nlohmann::ordered_json> v = state.timestamp_expr->Evaluate(ctx);
    if (!v.ok()) return v.error();
    std::optional<time::Instant> at;
    if (v.value().is_string()) at = time::ParseRfc3339(v.value().get<std::string>());
    if (!at) {
      return json::Error{std::string(asl::kStatesQueryEvaluationError),
                         "The Timestamp field cannot be parsed as an ISO-8601 extended offset "
                         "date-time format string: " +
                             (v.value().is_string() ? v.value().get<std::string>()
                                                    : v.value().dump())};
    }
    due = *at;
  }
  if (due - now > std::chrono::seconds(kMaxWaitDelaySeconds)) {
    return RuntimeError("Wait state delay is too long.");
  }
  return due;
}

}  // namespace

void Runner::RunPass(const FramePtr& frame) {
  const asl::State& state = StateOf(*frame);
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    return FinishJsonata(frame, nullptr, asl::kNoState, state.output, state.assignments);
  }
  nlohmann::ordered_json result;
  if (state.result) {
    // The Result replaces whatever InputPath and Parameters would make; only a failing
    // InputPath still matters, and "$" cannot fail.
    if (state.input_path && state.input_path->text() != "$") {
      json::Result<nlohmann::ordered_json> selected = query::ApplyInputPath(
          state.input_path, frame->input, PathContext(*frame, state.input_path));
      if (!selected.ok()) return Raise(frame, selected.error());
    }
    result = *state.result;
  } else {
    json::Result<nlohmann::ordered_json> rendered = EffectiveParameters(*frame);
    if (!rendered.ok()) return Raise(frame, rendered.error());
    result = std::move(rendered).value();
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

void Runner::RunChoice(const FramePtr& frame) {
  const asl::State& state = StateOf(*frame);
  if (state.query_language == asl::QueryLanguage::kJsonata) return RunChoiceJsonata(frame);
  json::Result<nlohmann::ordered_json> effective = TakeInputPath(*frame);
  if (!effective.ok()) return Raise(frame, effective.error());
  asl::StateIndex next = state.default_next;
  // The matched rule's Assign, or the state's when none matched (and Default is taken).
  const std::optional<query::Assign>* assignments = &state.assignments;
  for (const asl::ChoiceBranch& branch : state.choices) {
    json::Result<bool> matched = branch.rule->Evaluate(Ctx(*frame, effective.value()));
    if (!matched.ok()) return Raise(frame, matched.error());
    if (matched.value()) {
      next = branch.next;
      assignments = &branch.assignments;
      break;
    }
  }
  if (next == asl::kNoState) {
    return Raise(frame, json::Error{std::string(asl::kStatesNoChoiceMatched),
                                       fmt::format("No Choice Rules matched in state '{}' and no "
                                                   "Default was specified.",
                                                   state.name)});
  }
  if (json::Status s = EvaluateAssign(*frame, *assignments, effective.value()); !s.ok()) {
    return Raise(frame, s.error());
  }
  json::Result<nlohmann::ordered_json> output =
      query::ApplyOutputPath(state.output_path, std::move(effective).value(),
                             PathContext(*frame, state.output_path));
  if (!output.ok()) return Raise(frame, output.error());
  Exit(frame, std::move(output).value(), next);
}

void Runner::RunWait(const FramePtr& frame) {
  const asl::State& state = StateOf(*frame);
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    json::Result<time::Instant> due = WaitDue(state, Ctx(*frame, frame->input), engine_.Now());
    if (!due.ok()) return Raise(frame, due.error());
    AddTimer(
        frame, std::max(due.value(), engine_.Now()),
        [this](const FramePtr& f) {
          const asl::State& s = StateOf(*f);
          FinishJsonata(f, nullptr, asl::kNoState, s.output, s.assignments);
        },
        time::TimerKind::kInternal);
    return;
  }
  json::Result<nlohmann::ordered_json> effective = TakeInputPath(*frame);
  if (!effective.ok()) return Raise(frame, effective.error());
  json::Result<time::Instant> due = WaitDue(state, Ctx(*frame, effective.value()), engine_.Now());
  if (!due.ok()) return Raise(frame, due.error());
  frame->effective_input = std::move(effective).value();
  AddTimer(
      frame, std::max(due.value(), engine_.Now()),
      [this](const FramePtr& f) {
        const asl::State& s = StateOf(*f);
        if (json::Status assigned = EvaluateAssign(*f, s.assignments, f->effective_input);
            !assigned.ok()) {
          return Raise(f, assigned.error());
        }
        json::Result<nlohmann::ordered_json> output =
            query::ApplyOutputPath(s.output_path, std::move(f->effective_input),
                                   PathContext(*f, s.output_path));
        if (!output.ok()) return Raise(f, output.error());
        Exit(f, std::move(output).value());
      },
      time::TimerKind::kInternal);
}

void Runner::RunSucceed(const FramePtr& frame) {
  const asl::State& state = StateOf(*frame);
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    return FinishJsonata(frame, nullptr, asl::kNoState, state.output, state.assignments);
  }
  json::Result<nlohmann::ordered_json> effective = TakeInputPath(*frame);
  if (!effective.ok()) return Raise(frame, effective.error());
  json::Result<nlohmann::ordered_json> output =
      query::ApplyOutputPath(state.output_path, std::move(effective).value(),
                             PathContext(*frame, state.output_path));
  if (!output.ok()) return Raise(frame, output.error());
  Exit(frame, std::move(output).value());
}

void Runner::RunFail(const FramePtr& frame) {
  const asl::State& state = StateOf(*frame);
  if (state.query_language == asl::QueryLanguage::kJsonata) return RunFailJsonata(frame);
  auto read = [&](const std::optional<std::string>& literal,
                  const std::optional<query::JsonPath>& path,
                  const std::optional<query::Intrinsic>& intrinsic,
                  const char* field) -> json::Result<std::string> {
    if (literal) return *literal;
    if (!path && !intrinsic) return std::string();
    json::Result<nlohmann::ordered_json> v = path ? path->Select(Ctx(*frame, frame->input))
                                          : intrinsic->Evaluate(Ctx(*frame, frame->input));
    if (!v.ok() && path && v.error().name != query::kQueryEvaluationError) {
      return RuntimeError(fmt::format(
          "The JSONPath '{}' specified for the field '{}' could not be found in the input '{}'",
          path->text(), field, json::Text(path->reads_context() ? Context(*frame) : frame->input)));
    }
    if (!v.ok()) return AsRuntimeError(v.error());
    if (!v.value().is_string()) {
      return RuntimeError(fmt::format("The {} '{}' does not reference a string value: {}", field,
                                      path ? path->text() : intrinsic->text(), v.value().dump()));
    }
    return v.value().get<std::string>();
  };
  json::Result<std::string> error = read(state.error, state.error_path, state.error_intrinsic, "ErrorPath");
  if (!error.ok()) return Raise(frame, error.error());
  json::Result<std::string> cause = read(state.cause, state.cause_path, state.cause_intrinsic, "CausePath");
  if (!cause.ok()) return Raise(frame, cause.error());
  EndFrame(frame, json::Error{error.value(), cause.value()});
}

}  // namespace timeslip::engine::internal
