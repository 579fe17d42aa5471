// Parallel and inline Map states: child frames, their results in order, and failure of one
// stopping the rest.
// https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
// https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "emulator/asl/error_names.h"
#include "emulator/engine/runner_internal.h"
#include "emulator/query/io_processing.h"

namespace timeslip::engine::internal {
namespace {

FramePtr NewChild(const FramePtr& parent, const asl::StateMachine* machine) {
  auto child = std::make_shared<Frame>();
  child->machine = machine;
  child->parent = parent.get();
  child->last_event_id = parent->last_event_id;
  child->scope.outer = &parent->scope;  // reads the variables around it, never sets them
  return child;
}

// A *Path field's value as AWS quotes it in a message: a string as it is, anything else as JSON.
std::string Shown(const nlohmann::ordered_json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// AWS also reads a number written as a string ("1").
std::optional<std::int64_t> AsInteger(const nlohmann::ordered_json& value) {
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()) return std::nullopt;
    return value.get<std::int64_t>();
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (!value.is_string()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

std::optional<double> AsFloat(const nlohmann::ordered_json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(d)) {
    return std::nullopt;
  }
  return d;
}

json::Error RuntimeError(std::string message) {
  return {std::string(asl::kStatesRuntime), std::move(message)};
}

// MaxConcurrency, or the value MaxConcurrencyPath selects; 0 means no limit.
json::Result<std::size_t> MaxConcurrency(const asl::State& state, const query::EvalContext& ctx) {
  if (state.max_concurrency_expr) {
    json::Result<nlohmann::ordered_json> v = state.max_concurrency_expr->Evaluate(ctx);
    if (!v.ok()) return v.error();
    if (!v.value().is_number_integer() || v.value().get<std::int64_t>() < 0) {
      return state.max_concurrency_expr->UnexpectedType("non-negative integer", v.value());
    }
    return static_cast<std::size_t>(v.value().get<std::int64_t>());
  }
  if (!state.max_concurrency_path) {
    return static_cast<std::size_t>(std::max<std::int64_t>(0, state.max_concurrency.value_or(0)));
  }
  json::Result<nlohmann::ordered_json> selected = state.max_concurrency_path->Select(ctx);
  if (!selected.ok()) return AsRuntimeError(selected.error());
  std::optional<std::int64_t> n = AsInteger(selected.value());
  if (!n) {
    return RuntimeError(fmt::format(
        "The MaxConcurrencyPath field refers to value \"{}\" which is not a valid integer: {}",
        Shown(selected.value()), state.max_concurrency_path->text()));
  }
  if (*n < 0) {
    return RuntimeError(
        fmt::format("Expected non-negative integer for MaxConcurrency, got '{}' instead.", *n));
  }
  return static_cast<std::size_t>(*n);
}

// The values ToleratedFailurePercentagePath and ToleratedFailureCountPath select must be a
// percentage and a count. (The thresholds themselves matter only to Distributed Map Runs, whose
// failures are not tolerated here yet: a failed iteration fails the Map.)
json::Status CheckToleratedFailures(const asl::State& state, const query::EvalContext& ctx) {
  if (state.tolerated_failure_percentage_expr) {
    json::Result<nlohmann::ordered_json> v = state.tolerated_failure_percentage_expr->Evaluate(ctx);
    if (!v.ok()) return v.error();
    if (!v.value().is_number() || v.value().get<double>() < 0 || v.value().get<double>() > 100) {
      return state.tolerated_failure_percentage_expr->UnexpectedType("number between 0 and 100",
                                                                      v.value());
    }
  }
  if (state.tolerated_failure_count_expr) {
    json::Result<nlohmann::ordered_json> v = state.tolerated_failure_count_expr->Evaluate(ctx);
    if (!v.ok()) return v.error();
    if (!v.value().is_number_integer() || v.value().get<std::int64_t>() < 0) {
      return state.tolerated_failure_count_expr->UnexpectedType("non-negative integer", v.value());
    }
  }
  if (state.tolerated_failure_percentage_path) {
    const query::JsonPath& path = *state.tolerated_failure_percentage_path;
    json::Result<nlohmann::ordered_json> selected = path.Select(ctx);
    if (!selected.ok()) return AsRuntimeError(selected.error());
    std::optional<double> percentage = AsFloat(selected.value());
    if (!percentage) {
      return RuntimeError(fmt::format(
          "The ToleratedFailurePercentagePath field refers to value \"{}\" which is not a valid "
          "float: {}",
          Shown(selected.value()), path.text()));
    }
    if (*percentage < 0 || *percentage > 100) {
      return RuntimeError("ToleratedFailurePercentage must be between 0 and 100.");
    }
  }
  if (state.tolerated_failure_count_path) {
    const query::JsonPath& path = *state.tolerated_failure_count_path;
    json::Result<nlohmann::ordered_json> selected = path.Select(ctx);
    if (!selected.ok()) return AsRuntimeError(selected.error());
    std::optional<std::int64_t> count = AsInteger(selected.value());
    if (!count) {
      return RuntimeError(fmt::format(
          "The ToleratedFailureCountPath field refers to value \"{}\" which is not a valid "
          "integer: {}",
          Shown(selected.value()), path.text()));
    }
    if (*count < 0) return RuntimeError("ToleratedFailureCount cannot be negative.");
  }
  return json::Ok();
}

}  // namespace

nlohmann::ordered_json Runner::IterationDetails(const asl::State& state, std::size_t index) const {
  if (!Recording()) return nullptr;  // ten thousand iterations, ten thousand of each
  return {{"name", state.name}, {"index", index}};
}

void Runner::RunParallel(const FramePtr& frame) {
  const asl::State& state = StateOf(*frame);
  json::Result<nlohmann::ordered_json> rendered = EffectiveParameters(*frame);
  if (!rendered.ok()) return Raise(frame, rendered.error());
  nlohmann::ordered_json branch_input = std::move(rendered).value();
  Emit(*frame, event_type::kParallelStateStarted, nullptr, nullptr);
  frame->children.clear();
  frame->child_done.assign(state.branches.size(), false);
  frame->results = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < state.branches.size(); ++i) frame->results.push_back(nullptr);
  frame->pending = state.branches.size();
  const std::uint64_t epoch = frame->epoch;
  for (std::size_t i = 0; i < state.branches.size(); ++i) {
    FramePtr child = NewChild(frame, state.branches[i].get());
    std::weak_ptr<Frame> weak = frame;
    child->on_end = [this, weak, i, epoch](json::Result<nlohmann::ordered_json> result) {
      if (FramePtr parent = weak.lock()) ChildEnded(parent, i, epoch, std::move(result));
    };
    frame->children.push_back(child);
    engine_.Post(
        [this, child, branch_input] { Enter(child, child->machine->start_at(), branch_input); });
  }
  if (state.branches.empty()) {
    Emit(*frame, event_type::kParallelStateSucceeded, nullptr, nullptr);
    FinishWithResult(frame, nlohmann::ordered_json::array());
  }
}

void Runner::RunMap(const FramePtr& frame) {
  const asl::State& state = StateOf(*frame);
  json::Result<nlohmann::ordered_json> effective =
      query::ApplyInputPath(state.input_path, frame->input, PathContext(*frame, state.input_path));
  if (!effective.ok()) return Raise(frame, effective.error());
  frame->effective_input = std::move(effective).value();
  // Distributed Map fields not run here yet: a Map run without them would not be what AWS does.
  for (const auto& [field, value] :
       {std::pair{"ItemReader", &state.item_reader}, std::pair{"ItemBatcher", &state.item_batcher},
        std::pair{"ResultWriter", &state.result_writer}}) {
    if (!value->is_null()) {
      return Raise(frame, RuntimeError(fmt::format(
                              "The field '{}' is not supported by this emulator yet.", field)));
    }
  }
  nlohmann::ordered_json items;
  if (state.query_language == asl::QueryLanguage::kJsonata) {
    json::Result<nlohmann::ordered_json> evaluated = JsonataItems(*frame);
    if (!evaluated.ok()) return Raise(frame, evaluated.error());
    items = std::move(evaluated).value();
  } else if (state.items_path) {
    json::Result<nlohmann::ordered_json> selected =
        state.items_path->Select(Ctx(*frame, frame->effective_input));
    if (!selected.ok()) return Raise(frame, AsRuntimeError(selected.error()));
    items = std::move(selected).value();
  } else {
    items = frame->effective_input;
  }
  if (!items.is_array()) {
    return Raise(frame, {std::string(asl::kStatesRuntime),
                         fmt::format("Map state '{}': the ItemsPath does not reference a JSON "
                                     "array: {}",
                                     state.name, items.dump())});
  }
  // JSONata expressions read $states.input: the state's input, which is its effective input.
  query::EvalContext ctx = Ctx(*frame, frame->effective_input);
  json::Result<std::size_t> concurrency = MaxConcurrency(state, ctx);
  if (!concurrency.ok()) return Raise(frame, concurrency.error());
  if (json::Status s = CheckToleratedFailures(state, ctx); !s.ok()) return Raise(frame, s.error());
  const std::size_t n = items.size();
  Emit(*frame, event_type::kMapStateStarted, "mapStateStartedEventDetails", {{"length", n}});
  frame->items = std::move(items);
  frame->children.assign(n, nullptr);
  frame->child_done.assign(n, false);
  frame->results = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < n; ++i) frame->results.push_back(nullptr);
  frame->pending = n;
  frame->next_item = 0;
  frame->max_concurrency = concurrency.value() == 0 ? n : concurrency.value();
  if (n == 0) {
    Emit(*frame, event_type::kMapStateSucceeded, nullptr, nullptr);
    return FinishWithResult(frame, nlohmann::ordered_json::array());
  }
  // An iteration whose ItemSelector fails ends the state's attempt (a new epoch): start no more.
  const std::uint64_t epoch = frame->epoch;
  while (frame->epoch == epoch && frame->next_item < n &&
         frame->next_item < frame->max_concurrency) {
    StartMapIteration(frame, frame->next_item++);
  }
}

void Runner::StartMapIteration(const FramePtr& frame, std::size_t index) {
  const asl::State& state = StateOf(*frame);
  nlohmann::ordered_json input;
  if (state.jsonata_item_selector) {
    // $states.context.Map.Item holds this iteration's index and value.
    frame->map_item = {{"Index", index}, {"Value", frame->items[index]}};
    frame->context_valid = false;
    json::Result<nlohmann::ordered_json> rendered =
        state.jsonata_item_selector->Evaluate(Ctx(*frame, frame->effective_input));
    frame->map_item = nullptr;
    frame->context_valid = false;
    if (!rendered.ok()) return Raise(frame, rendered.error());
    input = std::move(rendered).value();
  } else if (state.item_selector) {
    // ItemSelector reads the Map's input as "$", and "$$" is the Map state's context with
    // this iteration's Map.Item.
    frame->map_item = {{"Index", index}, {"Value", frame->items[index]}};
    frame->context_valid = false;
    json::Result<nlohmann::ordered_json> rendered =
        state.item_selector->Render(Ctx(*frame, frame->effective_input));
    frame->map_item = nullptr;
    frame->context_valid = false;
    // Raising ends the attempt, which stops the iterations already running.
    if (!rendered.ok()) return Raise(frame, rendered.error());
    input = std::move(rendered).value();
  } else {
    input = frame->items[index];
  }
  FramePtr child = NewChild(frame, state.item_processor.get());
  // AWS's Distributed Map iterations cannot read the variables around the Map state.
  if (state.processor_mode == asl::ProcessorMode::kDistributed) child->scope.outer = nullptr;
  child->map_index = static_cast<std::int64_t>(index);
  // "$$.Map.Item" of the iteration's states is made from map_index when one reads it.
  frame->children[index] = child;
  const std::uint64_t epoch = frame->epoch;
  std::weak_ptr<Frame> weak = frame;
  child->on_end = [this, weak, index, epoch](json::Result<nlohmann::ordered_json> result) {
    if (FramePtr parent = weak.lock()) ChildEnded(parent, index, epoch, std::move(result));
  };
  child->last_event_id =
      Emit(*frame, event_type::kMapIterationStarted, "mapIterationStartedEventDetails",
           IterationDetails(state, index));
  engine_.Post([this, child, input = std::move(input)]() mutable {
    Enter(child, child->machine->start_at(), std::move(input));
  });
}

void Runner::ChildEnded(const FramePtr& frame, std::size_t index, std::uint64_t epoch,
                        json::Result<nlohmann::ordered_json> result) {
  if (frame->ended || frame->epoch != epoch || execution_.ended()) return;
  const asl::State& state = StateOf(*frame);
  const bool is_map = state.type == asl::StateType::kMap;
  frame->child_done[index] = true;
  if (!result.ok()) {
    if (is_map) {
      Emit(*frame, event_type::kMapIterationFailed, "mapIterationFailedEventDetails",
           IterationDetails(state, index));
    }
    // The first failure stops every other branch or iteration still running.
    for (std::size_t i = 0; i < frame->children.size(); ++i) {
      const FramePtr& other = frame->children[i];
      if (!other || frame->child_done[i]) continue;
      AbortFrame(*other, false);
      if (is_map) {
        Emit(*frame, event_type::kMapIterationAborted, "mapIterationAbortedEventDetails",
             IterationDetails(state, i));
      }
    }
    frame->last_event_id = execution_.event_count_;
    Emit(*frame, is_map ? event_type::kMapStateFailed : event_type::kParallelStateFailed, nullptr,
         nullptr);
    frame->children.clear();
    return Raise(frame, result.error());
  }
  frame->results[index] = std::move(result).value();
  if (is_map) {
    Emit(*frame, event_type::kMapIterationSucceeded, "mapIterationSucceededEventDetails",
         IterationDetails(state, index));
  }
  // A finished iteration's frame is no longer needed; with 10,000 items that matters.
  frame->children[index].reset();
  if (--frame->pending > 0) {
    if (is_map && frame->next_item < frame->items.size()) {
      StartMapIteration(frame, frame->next_item++);
    }
    return;
  }
  frame->last_event_id = execution_.event_count_;
  Emit(*frame, is_map ? event_type::kMapStateSucceeded : event_type::kParallelStateSucceeded,
       nullptr, nullptr);
  nlohmann::ordered_json results = std::move(frame->results);
  frame->children.clear();
  FinishWithResult(frame, std::move(results));
}

}  // namespace timeslip::engine::internal
