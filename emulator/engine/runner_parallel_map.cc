// Parallel and inline Map states: child frames, their results in order, and failure of one
// stopping the rest.
// https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html
// https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html
#include <fmt/format.h>

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
  return child;
}

}  // namespace

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
    engine_.Post([this, child, branch_input] {
      Enter(child, child->machine->start_at(), branch_input);
    });
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
  nlohmann::ordered_json items;
  if (state.items_path) {
    json::Result<nlohmann::ordered_json> selected =
        state.items_path->Select(Ctx(*frame, frame->effective_input));
    if (!selected.ok()) {
      return Raise(frame, {std::string(asl::kStatesRuntime), selected.error().message});
    }
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
  std::size_t concurrency = static_cast<std::size_t>(std::max<std::int64_t>(0, state.max_concurrency.value_or(0)));
  if (state.max_concurrency_path) {
    json::Result<nlohmann::ordered_json> v =
        state.max_concurrency_path->Select(Ctx(*frame, frame->effective_input));
    if (!v.ok() || !v.value().is_number_integer() || v.value().get<std::int64_t>() < 0) {
      return Raise(frame, {std::string(asl::kStatesRuntime),
                           fmt::format("Map state '{}': MaxConcurrencyPath '{}' does not "
                                       "reference a non-negative integer.",
                                       state.name, state.max_concurrency_path->text())});
    }
    concurrency = static_cast<std::size_t>(v.value().get<std::int64_t>());
  }
  const std::size_t n = items.size();
  Emit(*frame, event_type::kMapStateStarted, "mapStateStartedEventDetails", {{"length", n}});
  frame->items = std::move(items);
  frame->children.assign(n, nullptr);
  frame->child_done.assign(n, false);
  frame->results = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < n; ++i) frame->results.push_back(nullptr);
  frame->pending = n;
  frame->next_item = 0;
  frame->max_concurrency = concurrency == 0 ? n : concurrency;
  if (n == 0) {
    Emit(*frame, event_type::kMapStateSucceeded, nullptr, nullptr);
    return FinishWithResult(frame, nlohmann::ordered_json::array());
  }
  while (frame->next_item < n && frame->next_item < frame->max_concurrency) {
    StartMapIteration(frame, frame->next_item++);
  }
}

void Runner::StartMapIteration(const FramePtr& frame, std::size_t index) {
  const asl::State& state = StateOf(*frame);
  FramePtr child = NewChild(frame, state.item_processor.get());
  child->map_index = static_cast<std::int64_t>(index);
  nlohmann::ordered_json& value = frame->items[index];
  child->map_item = {{"Index", index}, {"Value", value}};
  frame->children[index] = child;
  nlohmann::ordered_json input;
  if (state.item_selector) {
    // ItemSelector reads the Map's input as "$", and "$$" is the Map state's context with
    // this iteration's Map.Item.
    frame->map_item = child->map_item;
    frame->context_valid = false;
    query::EvalContext ctx{frame->effective_input, Context(*frame), &engine_.rng()};
    json::Result<nlohmann::ordered_json> rendered = state.item_selector->Render(ctx);
    frame->map_item = nullptr;
    frame->context_valid = false;
    if (!rendered.ok()) return Raise(frame, rendered.error());
    input = std::move(rendered).value();
  } else {
    input = value;
  }
  const std::uint64_t epoch = frame->epoch;
  std::weak_ptr<Frame> weak = frame;
  child->on_end = [this, weak, index, epoch](json::Result<nlohmann::ordered_json> result) {
    if (FramePtr parent = weak.lock()) ChildEnded(parent, index, epoch, std::move(result));
  };
  child->last_event_id =
      Emit(*frame, event_type::kMapIterationStarted, "mapIterationStartedEventDetails",
           {{"name", state.name}, {"index", index}});
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
           {{"name", state.name}, {"index", index}});
    }
    // The first failure stops every other branch or iteration still running.
    for (std::size_t i = 0; i < frame->children.size(); ++i) {
      const FramePtr& other = frame->children[i];
      if (!other || frame->child_done[i]) continue;
      AbortFrame(*other, false);
      if (is_map) {
        Emit(*frame, event_type::kMapIterationAborted, "mapIterationAbortedEventDetails",
             {{"name", state.name}, {"index", i}});
      }
    }
    frame->last_event_id = static_cast<std::int64_t>(execution_.history_.size());
    Emit(*frame, is_map ? event_type::kMapStateFailed : event_type::kParallelStateFailed, nullptr,
         nullptr);
    frame->children.clear();
    return Raise(frame, result.error());
  }
  frame->results[index] = std::move(result).value();
  if (is_map) {
    Emit(*frame, event_type::kMapIterationSucceeded, "mapIterationSucceededEventDetails",
         {{"name", state.name}, {"index", index}});
  }
  // A finished iteration's frame is no longer needed; with 10,000 items that matters.
  frame->children[index].reset();
  if (--frame->pending > 0) {
    if (is_map && frame->next_item < frame->items.size()) {
      StartMapIteration(frame, frame->next_item++);
    }
    return;
  }
  frame->last_event_id = static_cast<std::int64_t>(execution_.history_.size());
  Emit(*frame, is_map ? event_type::kMapStateSucceeded : event_type::kParallelStateSucceeded,
       nullptr, nullptr);
  nlohmann::ordered_json results = std::move(frame->results);
  frame->children.clear();
  FinishWithResult(frame, std::move(results));
}

}  // namespace timeslip::engine::internal
