// Retry and Catch: the retriers and catchers of Task, Parallel and Map states.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "emulator/asl/error_names.h"
#include "emulator/asl/parser_internal.h"

namespace timeslip::asl::internal {
namespace {

// MaxDelaySeconds: at most a year (366 days).
constexpr std::int64_t kMaxDelaySecondsLimit = 31622400;

}  // namespace

std::vector<std::string> Parser::ErrorEquals(const Json& entry, const std::string& location,
                                             bool* has_all) {
  std::vector<std::string> names;
  *has_all = false;
  const Json* value = Find(entry, "ErrorEquals");
  if (value == nullptr) {
    Required(location, "ErrorEquals");
    return names;
  }
  if (!value->is_array() || value->empty()) {
    TypeError(location, "ErrorEquals", "a non-empty ARRAY of error names");
    return names;
  }
  std::string at = At(location, "ErrorEquals");
  for (std::size_t i = 0; i < value->size(); ++i) {
    const Json& item = (*value)[i];
    if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
      Schema(AtIndex(at, i), "An error name must be a non-empty STRING");
      continue;
    }
    names.push_back(item.get<std::string>());
  }
  *has_all = std::find(names.begin(), names.end(), kStatesAll) != names.end();
  if (*has_all && value->size() > 1) {
    Schema(at, fmt::format("'{}' must appear alone in ErrorEquals", kStatesAll));
  }
  return names;
}

void Parser::ParseRetry(const Json& def, const std::string& location, State& state) {
  const Json* retry = Find(def, "Retry");
  if (retry == nullptr) return;
  if (!retry->is_array()) {
    TypeError(location, "Retry", "an ARRAY");
    return;
  }
  std::string at = At(location, "Retry");
  for (std::size_t i = 0; i < retry->size(); ++i) {
    const Json& entry = (*retry)[i];
    std::string entry_at = AtIndex(at, i);
    if (!entry.is_object()) {
      Schema(entry_at, "A Retrier must be a JSON object");
      continue;
    }
    CheckFields(entry, entry_at,
                {"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
                 "JitterStrategy", "Comment"});
    Retrier r;
    bool has_all = false;
    r.error_equals = ErrorEquals(entry, entry_at, &has_all);
    if (has_all && i + 1 != retry->size()) {
      Schema(entry_at, fmt::format("A Retrier with '{}' must be the last Retrier", kStatesAll));
    }
    if (auto v = Integer(entry, "IntervalSeconds", entry_at, 1, kMaxSecondsField,
                         "a positive integer")) {
      r.interval_seconds = static_cast<double>(*v);
    }
    if (auto v = Integer(entry, "MaxAttempts", entry_at, 0, kMaxSecondsField,
                         "a non-negative integer")) {
      r.max_attempts = static_cast<int>(*v);
    }
    if (auto v = Number(entry, "BackoffRate", entry_at, 1.0, 1e9,
                        "a number greater than or equal to 1.0")) {
      r.backoff_rate = *v;
    }
    if (auto v = Integer(entry, "MaxDelaySeconds", entry_at, 1, kMaxDelaySecondsLimit,
                         "a positive integer")) {
      r.max_delay_seconds = static_cast<double>(*v);
    }
    if (auto v = Enum(entry, "JitterStrategy", entry_at, {"FULL", "NONE"})) {
      r.jitter = *v == "FULL" ? JitterStrategy::kFull : JitterStrategy::kNone;
    }
    String(entry, "Comment", entry_at);
    state.retriers.push_back(std::move(r));
  }
}

void Parser::ParseCatch(const Json& def, const std::string& location, std::size_t index,
                        bool jsonata, State& state, std::vector<Transition>& transitions) {
  const Json* catches = Find(def, "Catch");
  if (catches == nullptr) return;
  if (!catches->is_array()) {
    TypeError(location, "Catch", "an ARRAY");
    return;
  }
  std::string at = At(location, "Catch");
  for (std::size_t i = 0; i < catches->size(); ++i) {
    const Json& entry = (*catches)[i];
    std::string entry_at = AtIndex(at, i);
    Catcher c;
    if (!entry.is_object()) {
      Schema(entry_at, "A Catcher must be a JSON object");
      state.catchers.push_back(std::move(c));
      continue;
    }
    if (jsonata) {
      CheckFields(entry, entry_at, {"ErrorEquals", "Next", "Output", "Assign", "Comment"});
    } else {
      CheckFields(entry, entry_at, {"ErrorEquals", "Next", "ResultPath", "Assign", "Comment"});
    }
    bool has_all = false;
    c.error_equals = ErrorEquals(entry, entry_at, &has_all);
    if (has_all && i + 1 != catches->size()) {
      Schema(entry_at, fmt::format("A Catcher with '{}' must be the last Catcher", kStatesAll));
    }
    c.result_path = jsonata ? Dollar() : IoPath(entry, "ResultPath", entry_at, true);
    const std::string field = fmt::format("Catch[{}]", i);
    if (jsonata) {
      if (const Json* v = Find(entry, "Output")) {
        c.output = JsonataField(*v, At(entry_at, "Output"), field + "/Output");
      }
    }
    if (const Json* v = Find(entry, "Assign")) c.assign = *v;
    c.assignments = ParseAssign(entry, entry_at, jsonata, field + "/Assign");
    String(entry, "Comment", entry_at);
    std::optional<std::string> next = String(entry, "Next", entry_at);
    if (Find(entry, "Next") == nullptr) Required(entry_at, "Next");
    if (next) {
      transitions.push_back(
          {Transition::Kind::kCatch, index, state.catchers.size(), *next, At(entry_at, "Next")});
    }
    state.catchers.push_back(std::move(c));
  }
}

}  // namespace timeslip::asl::internal
