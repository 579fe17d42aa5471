#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/cli/scenario_expect_internal.h"
#include "emulator/engine/execution.h"
#include "fakes/behaviour.h"

namespace timeslip::cli::internal {
namespace {

// "RUNNING", "SUCCEEDED", ...: engine::StatusName of some status.
bool IsStatusName(std::string_view name) {
  for (engine::ExecutionStatus status : engine::kAllExecutionStatuses) {
    if (engine::StatusName(status) == name) return true;
  }
  return false;
}

bool ReadCalls(ScenarioReader& in, const FieldReader& calls, std::vector<CallExpectation>& out) {
  if (json::Checked<std::monostate> list = calls.Is(json::Type::kArray); !list.ok()) {
    return in.Problem(list.error());
  }
  for (const FieldReader& c : calls.Elements()) {
    if (!in.CheckKeys(c, {"service", "target", "count", "argumentsContain"})) return false;
    CallExpectation call;
    if (!c.Has("service")) return in.Problem(c.Missing("service"));
    if (!in.String(c.Child("service"), call.service)) return false;
    bool known = false;
    for (fakes::Service service : fakes::kAllServices) {
      known = known || fakes::ServiceKey(service) == call.service;
    }
    if (!known) {
      return in.Problem(
          c.PathOf("service"),
          "must be glue, lambda, http, sns or dataQuality, got '" + call.service + "'");
    }
    if (c.Has("target") && !in.NonEmptyString(c.Child("target"), call.target)) return false;
    if (c.Has("count")) {
      int n = 0;
      if (!in.Int(c.Child("count"), 0, 1000000, n)) return false;
      call.count = n;
    }
    if (c.Has("argumentsContain")) call.arguments_contain = c.Child("argumentsContain").value();
    out.push_back(std::move(call));
  }
  return true;
}

// Member `key` of `v`, when present: a list of names, each of which `known` accepts (given the
// name and its path), appended to `out`.
template <typename Known>
bool ReadNames(ScenarioReader& in, const FieldReader& v, const char* key,
               std::vector<std::string>& out, Known known) {
  if (!v.Has(key)) return true;
  const FieldReader list = v.Child(key);
  std::size_t first = out.size();
  if (!in.StringList(list, out)) return false;
  for (std::size_t i = first; i < out.size(); ++i) {
    if (!known(out[i], list.Index(i - first).path())) return false;
  }
  return true;
}

bool ReadEvents(ScenarioReader& in, const FieldReader& ev, Expectation& e) {
  if (!in.CheckKeys(ev, {"present", "absent"})) return false;
  auto known_event = [&](const std::string& type, const std::string& where) {
    return in.KnownEvent(type, where);
  };
  return ReadNames(in, ev, "present", e.events_present, known_event) &&
         ReadNames(in, ev, "absent", e.events_absent, known_event);
}

}  // namespace

bool ReadExpectation(ScenarioReader& in, const FieldReader& v, Expectation& e) {
  if (!in.CheckKeys(
          v, {"status", "output", "outputContains", "error", "cause", "causeContains", "path",
              "pathContains", "notEntered", "entered", "calls", "duration", "events"})) {
    return false;
  }
  if (v.Has("status")) {
    std::string status;
    if (!in.String(v.Child("status"), status)) return false;
    if (!IsStatusName(status)) {
      return in.Problem(
          v.PathOf("status"),
          "must be RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED, got '" + status + "'");
    }
    e.status = status;
  }
  if (v.Has("output")) e.output = v.Child("output").value();
  if (v.Has("outputContains")) e.output_contains = v.Child("outputContains").value();
  for (auto [key, out] : {std::pair{"error", &e.error}, std::pair{"cause", &e.cause},
                          std::pair{"causeContains", &e.cause_contains}}) {
    if (!v.Has(key)) continue;
    std::string s;
    if (!in.String(v.Child(key), s)) return false;
    *out = s;
  }
  auto known_state = [&](const std::string& name, const std::string& where) {
    return in.KnownState(name, where);
  };
  for (auto [key, out] :
       {std::pair{"path", &e.path}, std::pair{"pathContains", &e.path_contains}}) {
    if (!v.Has(key)) continue;
    std::vector<std::string> list;
    if (!ReadNames(in, v, key, list, known_state)) return false;
    *out = list;
  }
  if (!ReadNames(in, v, "notEntered", e.not_entered, known_state)) return false;
  if (v.Has("entered")) {
    const FieldReader entered = v.Child("entered");
    if (!entered.Is(json::Type::kObject).ok()) {
      return in.Problem(entered.path(), "must be an object of state -> count");
    }
    for (const FieldReader& count : entered.Members()) {
      int n = 0;
      if (!in.KnownState(count.name(), count.path()) || !in.Int(count, 0, 1000000, n)) {
        return false;
      }
      e.entered[count.name()] = n;
    }
  }
  if (v.Has("calls") && !ReadCalls(in, v.Child("calls"), e.calls)) return false;
  if (v.Has("duration") &&
      !ReadDuration(in, v.Child("duration"), e.duration_min, e.duration_max)) {
    return false;
  }
  if (v.Has("events") && !ReadEvents(in, v.Child("events"), e)) return false;
  return true;
}

bool ReadExpectCount(ScenarioReader& in, const FieldReader& v, std::map<std::string, int>& out) {
  if (!v.Is(json::Type::kObject).ok()) {
    return in.Problem(v.path(), "must be an object of status -> count");
  }
  for (const FieldReader& count : v.Members()) {
    if (!IsStatusName(count.name())) return in.Problem(count.path(), "is not an execution status");
    int n = 0;
    if (!in.Int(count, 0, 1000000, n)) return false;
    out[count.name()] = n;
  }
  return true;
}

bool ReadDuration(ScenarioReader& in, const FieldReader& d, std::optional<time::Duration>& min,
                  std::optional<time::Duration>& max) {
  if (!in.CheckKeys(d, {"min", "max"})) return false;
  for (auto [key, bound] : {std::pair{"min", &min}, std::pair{"max", &max}}) {
    if (!d.Has(key)) continue;
    time::Duration x{0};
    if (!in.Duration(d.Child(key), x)) return false;
    *bound = x;
  }
  if (min && max && *min > *max) return in.Problem(d.path(), "min is greater than max");
  return true;
}

}  // namespace timeslip::cli::internal
