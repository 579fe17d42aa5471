// Loading scenario files: comments stripped, JSON parsed, every field checked, with messages
// that name the file and the field.
#include "emulator/cli/scenario_file.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "emulator/asl/parse_definition.h"
#include "emulator/json/parse.h"
#include "emulator/time/rfc3339.h"
#include "fakes/behaviour.h"
#include "fakes/latency.h"
#include "fakes/schedule_expression.h"

namespace timeslip::cli {
namespace {

// AWS's HistoryEventType values:
// https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
const std::set<std::string, std::less<>>& HistoryEventTypes() {
  static const std::set<std::string, std::less<>> kTypes = {"ActivityFailed",
                                                            "ActivityScheduled",
                                                            "ActivityScheduleFailed",
                                                            "ActivityStarted",
                                                            "ActivitySucceeded",
                                                            "ActivityTimedOut",
                                                            "ChoiceStateEntered",
                                                            "ChoiceStateExited",
                                                            "ExecutionAborted",
                                                            "ExecutionFailed",
                                                            "ExecutionStarted",
                                                            "ExecutionSucceeded",
                                                            "ExecutionTimedOut",
                                                            "FailStateEntered",
                                                            "LambdaFunctionFailed",
                                                            "LambdaFunctionScheduled",
                                                            "LambdaFunctionScheduleFailed",
                                                            "LambdaFunctionStarted",
                                                            "LambdaFunctionStartFailed",
                                                            "LambdaFunctionSucceeded",
                                                            "LambdaFunctionTimedOut",
                                                            "MapIterationAborted",
                                                            "MapIterationFailed",
                                                            "MapIterationStarted",
                                                            "MapIterationSucceeded",
                                                            "MapStateAborted",
                                                            "MapStateEntered",
                                                            "MapStateExited",
                                                            "MapStateFailed",
                                                            "MapStateStarted",
                                                            "MapStateSucceeded",
                                                            "ParallelStateAborted",
                                                            "ParallelStateEntered",
                                                            "ParallelStateExited",
                                                            "ParallelStateFailed",
                                                            "ParallelStateStarted",
                                                            "ParallelStateSucceeded",
                                                            "PassStateEntered",
                                                            "PassStateExited",
                                                            "SucceedStateEntered",
                                                            "SucceedStateExited",
                                                            "TaskFailed",
                                                            "TaskScheduled",
                                                            "TaskStarted",
                                                            "TaskStartFailed",
                                                            "TaskStateAborted",
                                                            "TaskStateEntered",
                                                            "TaskStateExited",
                                                            "TaskSubmitFailed",
                                                            "TaskSubmitted",
                                                            "TaskSucceeded",
                                                            "TaskTimedOut",
                                                            "WaitStateAborted",
                                                            "WaitStateEntered",
                                                            "WaitStateExited",
                                                            "MapRunAborted",
                                                            "MapRunFailed",
                                                            "MapRunStarted",
                                                            "MapRunSucceeded",
                                                            "ExecutionRedriven",
                                                            "MapRunRedriven",
                                                            "EvaluationFailed"};
  return kTypes;
}

constexpr std::string_view kStatuses[] = {"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"};

json::Error Fail(const std::string& file, const std::string& where, const std::string& problem) {
  return json::Error{std::string(kScenarioError),
                     where.empty() ? fmt::format("{}: {}", file, problem)
                                   : fmt::format("{}: {}: {}", file, where, problem)};
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(sep)) + item;
  return out;
}

std::string Describe(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::null:
      return "null";
    default:
      return "a number";
  }
}

std::pair<int, int> LineColumn(std::string_view text, std::size_t offset) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// Reads one file's fields, failing with the first problem. Each Read* returns false after
// recording the error in `error_`.
class Loader {
 public:
  Loader(std::string file, std::string base_dir)
      : file_(std::move(file)), base_dir_(std::move(base_dir)) {}

  const json::Error& error() const { return *error_; }

  bool Problem(const std::string& where, const std::string& problem) {
    if (!error_) error_ = Fail(file_, where, problem);
    return false;
  }

  bool CheckKeys(const nlohmann::json& obj, const std::string& where,
                 std::initializer_list<std::string_view> allowed) {
    if (!obj.is_object()) return Problem(where, "must be an object, got " + Describe(obj));
    for (const auto& [key, value] : obj.items()) {
      bool known = false;
      for (std::string_view a : allowed) known = known || a == key;
      if (!known) {
        std::vector<std::string> names(allowed.begin(), allowed.end());
        return Problem(Sub(where, key),
                       "unknown field (expected one of: " + Join(names, ", ") + ")");
      }
    }
    return true;
  }

  static std::string Sub(const std::string& where, std::string_view key) {
    return where.empty() ? std::string(key) : where + "." + std::string(key);
  }
  static std::string Index(const std::string& where, std::size_t i) {
    return fmt::format("{}[{}]", where, i);
  }

  bool String(const nlohmann::json& v, const std::string& where, std::string& out) {
    if (!v.is_string()) return Problem(where, "must be a string, got " + Describe(v));
    out = v.get<std::string>();
    return true;
  }
  bool NonEmptyString(const nlohmann::json& v, const std::string& where, std::string& out) {
    if (!String(v, where, out)) return false;
    if (out.empty()) return Problem(where, "must not be empty");
    return true;
  }
  bool Int(const nlohmann::json& v, const std::string& where, int min, int max, int& out) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < min || v.get<std::int64_t>() > max) {
      return Problem(where,
                     fmt::format("must be an integer from {} to {}, got {}", min, max, v.dump()));
    }
    out = static_cast<int>(v.get<std::int64_t>());
    return true;
  }
  bool Duration(const nlohmann::json& v, const std::string& where, time::Duration& out) {
    json::Result<time::Duration> d = fakes::ParseDuration(v);
    if (!d.ok()) return Problem(where, "bad duration " + v.dump() + ": " + d.error().message);
    out = d.value();
    return true;
  }
  bool Instant(const nlohmann::json& v, const std::string& where, time::Instant& out) {
    std::string text;
    if (!String(v, where, text)) return false;
    std::optional<time::Instant> t = time::ParseRfc3339(text);
    if (!t) {
      return Problem(where, "bad timestamp '" + text +
                                "' (want RFC 3339, e.g. "
                                "2024-01-01T01:00:00Z)");
    }
    out = *t;
    return true;
  }
  bool StringList(const nlohmann::json& v, const std::string& where,
                  std::vector<std::string>& out) {
    if (!v.is_array()) return Problem(where, "must be an array of strings, got " + Describe(v));
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::string s;
      if (!NonEmptyString(v[i], Index(where, i), s)) return false;
      out.push_back(std::move(s));
    }
    return true;
  }
  bool ReadFile(const std::string& relative, const std::string& where, std::string& out) {
    std::filesystem::path p(relative);
    if (p.is_relative() && !base_dir_.empty()) p = std::filesystem::path(base_dir_) / p;
    std::ifstream in(p, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in || in.bad()) return Problem(where, "cannot read '" + p.string() + "'");
    out = text.str();
    return true;
  }
  // Comments allowed in referenced files too.
  bool ParseJson(std::string_view text, const std::string& what, nlohmann::json& out) {
    json::Result<std::string> stripped = StripJsonComments(text);
    if (!stripped.ok()) return Problem(what, stripped.error().message);
    const std::string& clean = stripped.value();
    if (json::NestingDepth(clean) > json::kMaxDepth) {
      return Problem(what, fmt::format("nested deeper than {} levels", json::kMaxDepth));
    }
    try {
      out = nlohmann::json::parse(clean);
    } catch (const nlohmann::json::parse_error& e) {
      auto [line, column] = LineColumn(clean, e.byte == 0 ? 0 : e.byte - 1);
      std::string message = e.what();
      // nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: x" -> x
      if (std::size_t colon = message.find(": "); colon != std::string::npos) {
        message = message.substr(colon + 2);
      }
      std::string where = fmt::format("line {}, column {}", line, column);
      return Problem(what.empty() ? where : what + ": " + where, "invalid JSON: " + message);
    }
    return true;
  }

  bool Machines(const nlohmann::json& v, const std::string& where, Scenario& s) {
    if (!v.is_object() || v.empty()) {
      return Problem(where, "must be a non-empty object of name -> state machine");
    }
    for (const auto& [name, spec] : v.items()) {
      std::string at = Sub(where, name);
      if (!CheckKeys(spec, at, {"definition", "definitionFile", "type"})) return false;
      MachineSpec m;
      m.name = name;
      if (spec.contains("definition") == spec.contains("definitionFile")) {
        return Problem(at, "needs exactly one of \"definition\" and \"definitionFile\"");
      }
      if (spec.contains("definition")) {
        const nlohmann::json& d = spec["definition"];
        if (d.is_object()) {
          m.definition = d.dump();
        } else if (!String(d, Sub(at, "definition"), m.definition)) {
          return false;
        }
      } else {
        std::string path;
        std::string text;
        nlohmann::json doc;
        if (!NonEmptyString(spec["definitionFile"], Sub(at, "definitionFile"), path) ||
            !ReadFile(path, Sub(at, "definitionFile"), text) ||
            !ParseJson(text, Sub(at, "definitionFile") + " (" + path + ")", doc)) {
          return false;
        }
        m.definition = doc.dump();
      }
      asl::ParseResult parsed = asl::ParseDefinition(m.definition);
      if (!parsed.machine) {
        return Problem(at,
                       "invalid definition: " + asl::FormatInvalidDefinition(parsed.diagnostics));
      }
      CollectStates(*parsed.machine);
      if (spec.contains("type")) {
        std::string type;
        if (!String(spec["type"], Sub(at, "type"), type)) return false;
        if (type == "STANDARD") {
          m.type = engine::MachineType::kStandard;
        } else if (type == "EXPRESS") {
          m.type = engine::MachineType::kExpress;
        } else {
          return Problem(Sub(at, "type"), "must be STANDARD or EXPRESS, got '" + type + "'");
        }
      }
      s.machines.push_back(std::move(m));
    }
    return true;
  }

  void CollectStates(const asl::StateMachine& machine) {
    for (const asl::State& state : machine.states()) {
      states_.insert(state.name);
      for (const auto& branch : state.branches) CollectStates(*branch);
      if (state.item_processor) CollectStates(*state.item_processor);
    }
  }

  bool KnownState(const std::string& name, const std::string& where) {
    if (states_.count(name) != 0) return true;
    return Problem(where, "no state '" + name + "' in any state machine of this scenario");
  }
  bool KnownEvent(const std::string& type, const std::string& where) {
    if (HistoryEventTypes().count(type) != 0) return true;
    return Problem(where, "'" + type +
                              "' is not a history event type (e.g. TaskSubmitted, "
                              "TaskStateEntered, ActivityScheduled)");
  }
  bool KnownMachine(const nlohmann::json& v, const std::string& where, const Scenario& s,
                    std::string& out) {
    if (!NonEmptyString(v, where, out)) return false;
    for (const MachineSpec& m : s.machines) {
      if (m.name == out) return true;
    }
    return Problem(where, "no state machine '" + out + "' in stateMachines");
  }

  bool Fakes(const nlohmann::json& obj, const std::string& where, Scenario& s) {
    nlohmann::json doc = nlohmann::json::object();
    if (obj.contains("fakesFile")) {
      std::string path;
      std::string text;
      if (!NonEmptyString(obj["fakesFile"], Sub(where, "fakesFile"), path) ||
          !ReadFile(path, Sub(where, "fakesFile"), text) ||
          !ParseJson(text, Sub(where, "fakesFile") + " (" + path + ")", doc)) {
        return false;
      }
      if (!doc.is_object()) return Problem(Sub(where, "fakesFile"), "must hold a JSON object");
    }
    if (obj.contains("fakes")) {
      const nlohmann::json& inline_doc = obj["fakes"];
      if (!inline_doc.is_object()) {
        return Problem(Sub(where, "fakes"), "must be an object, got " + Describe(inline_doc));
      }
      for (const auto& [service, targets] : inline_doc.items()) {
        if (targets.is_object() && doc.contains(service) && doc[service].is_object()) {
          for (const auto& [target, script] : targets.items()) doc[service][target] = script;
        } else {
          doc[service] = targets;
        }
      }
    }
    json::Result<fakes::BehaviourSet> parsed = fakes::ParseBehaviourDocument(doc);
    if (!parsed.ok()) return Problem(Sub(where, "fakes"), parsed.error().message);
    s.fakes = std::move(doc);
    return true;
  }

  bool Start(const nlohmann::json& v, const std::string& where, Scenario& s) {
    if (!CheckKeys(v, where, {"stateMachine", "name", "input", "at"})) return false;
    StartSpec start;
    if (!v.contains("stateMachine")) return Problem(Sub(where, "stateMachine"), "is required");
    if (!KnownMachine(v["stateMachine"], Sub(where, "stateMachine"), s, start.state_machine)) {
      return false;
    }
    if (v.contains("name")) {
      std::string name;
      if (!NonEmptyString(v["name"], Sub(where, "name"), name)) return false;
      start.name = name;
    }
    if (v.contains("input")) start.input = v["input"];
    if (v.contains("at")) {
      time::Instant at;
      if (!Instant(v["at"], Sub(where, "at"), at)) return false;
      if (at < s.start_time) return Problem(Sub(where, "at"), "is before startTime");
      start.at = at;
    }
    s.start = std::move(start);
    return true;
  }

  bool Schedule(const nlohmann::json& v, const std::string& where, Scenario& s) {
    if (!CheckKeys(v, where, {"expression", "timezone", "stateMachine", "input", "count"})) {
      return false;
    }
    ScheduleSpec spec;
    if (!v.contains("expression")) return Problem(Sub(where, "expression"), "is required");
    if (!NonEmptyString(v["expression"], Sub(where, "expression"), spec.expression)) {
      return false;
    }
    if (v.contains("timezone") &&
        !NonEmptyString(v["timezone"], Sub(where, "timezone"), spec.timezone)) {
      return false;
    }
    json::Result<fakes::ScheduleExpression> expr =
        fakes::ScheduleExpression::Parse(spec.expression, spec.timezone);
    if (!expr.ok()) return Problem(Sub(where, "expression"), expr.error().message);
    if (!v.contains("stateMachine")) return Problem(Sub(where, "stateMachine"), "is required");
    if (!KnownMachine(v["stateMachine"], Sub(where, "stateMachine"), s, spec.state_machine)) {
      return false;
    }
    if (v.contains("input")) spec.input = v["input"];
    if (v.contains("count") && !Int(v["count"], Sub(where, "count"), 1, 10000, spec.count)) {
      return false;
    }
    s.schedule = std::move(spec);
    return true;
  }

  bool Actor(const nlohmann::json& v, const std::string& where, const Scenario& s, ActorSpec& a) {
    if (!CheckKeys(v, where,
                   {"on", "at", "after", "every", "times", "do", "output", "error", "cause"})) {
      return false;
    }
    a.where = where;
    if (v.contains("on") && v.contains("at")) {
      return Problem(where, "has both \"on\" and \"at\"; give one");
    }
    if (v.contains("on")) {
      const nlohmann::json& on = v["on"];
      std::string at = Sub(where, "on");
      if (!CheckKeys(on, at, {"state", "event"})) return false;
      a.on_event = true;
      if (on.contains("state") && (!NonEmptyString(on["state"], Sub(at, "state"), a.on_state) ||
                                   !KnownState(a.on_state, Sub(at, "state")))) {
        return false;
      }
      if (!on.contains("event")) return Problem(Sub(at, "event"), "is required");
      if (!NonEmptyString(on["event"], Sub(at, "event"), a.on_event_type) ||
          !KnownEvent(a.on_event_type, Sub(at, "event"))) {
        return false;
      }
    }
    if (v.contains("at")) {
      time::Instant at;
      if (!Instant(v["at"], Sub(where, "at"), at)) return false;
      if (at < s.start_time) return Problem(Sub(where, "at"), "is before startTime");
      a.at = at;
    }
    if (v.contains("after")) {
      time::Duration d{0};
      if (!Duration(v["after"], Sub(where, "after"), d)) return false;
      a.after = d;
    }
    if (v.contains("every")) {
      time::Duration d{0};
      if (!Duration(v["every"], Sub(where, "every"), d)) return false;
      if (d <= time::Duration(0)) return Problem(Sub(where, "every"), "must be positive");
      a.every = d;
      if (!v.contains("times")) return Problem(Sub(where, "times"), "is required with \"every\"");
    }
    if (v.contains("times")) {
      if (!a.every) return Problem(Sub(where, "times"), "needs \"every\"");
      if (!Int(v["times"], Sub(where, "times"), 1, 10000, a.times)) return false;
    }
    if (!v.contains("do")) return Problem(Sub(where, "do"), "is required");
    std::string action;
    if (!String(v["do"], Sub(where, "do"), action)) return false;
    if (action == "sendTaskSuccess") {
      a.action = ActorAction::kSendTaskSuccess;
    } else if (action == "sendTaskFailure") {
      a.action = ActorAction::kSendTaskFailure;
    } else if (action == "sendTaskHeartbeat") {
      a.action = ActorAction::kSendTaskHeartbeat;
    } else if (action == "stopExecution") {
      a.action = ActorAction::kStopExecution;
    } else {
      return Problem(Sub(where, "do"),
                     "must be sendTaskSuccess, sendTaskFailure, "
                     "sendTaskHeartbeat or stopExecution, got '" +
                         action + "'");
    }
    if (a.action != ActorAction::kStopExecution && !a.on_event) {
      return Problem(where, action + " needs \"on\": the task whose token it answers with");
    }
    if (v.contains("output")) {
      if (a.action != ActorAction::kSendTaskSuccess) {
        return Problem(Sub(where, "output"), "only sendTaskSuccess takes an output");
      }
      a.output = v["output"];
    }
    const bool takes_error =
        a.action == ActorAction::kSendTaskFailure || a.action == ActorAction::kStopExecution;
    for (const char* key : {"error", "cause"}) {
      if (!v.contains(key)) continue;
      if (!takes_error)
        return Problem(Sub(where, key),
                       "only sendTaskFailure and "
                       "stopExecution take one");
      if (!String(v[key], Sub(where, key), std::string_view(key) == "error" ? a.error : a.cause)) {
        return false;
      }
    }
    return true;
  }

  bool Expect(const nlohmann::json& v, const std::string& where, Expectation& e) {
    if (!CheckKeys(v, where,
                   {"status", "output", "outputContains", "error", "cause", "causeContains", "path",
                    "pathContains", "notEntered", "entered", "calls", "duration", "events"})) {
      return false;
    }
    if (v.contains("status")) {
      std::string status;
      if (!String(v["status"], Sub(where, "status"), status)) return false;
      bool known = false;
      for (std::string_view s : kStatuses) known = known || s == status;
      if (!known) {
        return Problem(Sub(where, "status"),
                       "must be RUNNING, SUCCEEDED, FAILED, TIMED_OUT or "
                       "ABORTED, got '" +
                           status + "'");
      }
      e.status = status;
    }
    if (v.contains("output")) e.output = v["output"];
    if (v.contains("outputContains")) e.output_contains = v["outputContains"];
    auto optional_string = [&](const char* key, std::optional<std::string>& out) {
      if (!v.contains(key)) return true;
      std::string s;
      if (!String(v[key], Sub(where, key), s)) return false;
      out = s;
      return true;
    };
    if (!optional_string("error", e.error) || !optional_string("cause", e.cause) ||
        !optional_string("causeContains", e.cause_contains)) {
      return false;
    }
    auto state_list = [&](const char* key, std::vector<std::string>& out) {
      if (!v.contains(key)) return true;
      if (!StringList(v[key], Sub(where, key), out)) return false;
      for (std::size_t i = 0; i < out.size(); ++i) {
        if (!KnownState(out[i], Index(Sub(where, key), i))) return false;
      }
      return true;
    };
    std::vector<std::string> list;
    if (v.contains("path")) {
      if (!state_list("path", list)) return false;
      e.path = list;
    }
    list.clear();
    if (v.contains("pathContains")) {
      if (!state_list("pathContains", list)) return false;
      e.path_contains = list;
    }
    if (!state_list("notEntered", e.not_entered)) return false;
    if (v.contains("entered")) {
      const nlohmann::json& entered = v["entered"];
      std::string at = Sub(where, "entered");
      if (!entered.is_object()) return Problem(at, "must be an object of state -> count");
      for (const auto& [state, count] : entered.items()) {
        int n = 0;
        if (!KnownState(state, Sub(at, state)) || !Int(count, Sub(at, state), 0, 1000000, n)) {
          return false;
        }
        e.entered[state] = n;
      }
    }
    if (v.contains("calls")) {
      const nlohmann::json& calls = v["calls"];
      std::string at = Sub(where, "calls");
      if (!calls.is_array()) return Problem(at, "must be an array, got " + Describe(calls));
      for (std::size_t i = 0; i < calls.size(); ++i) {
        std::string c_at = Index(at, i);
        const nlohmann::json& c = calls[i];
        if (!CheckKeys(c, c_at, {"service", "target", "count", "argumentsContain"})) return false;
        CallExpectation call;
        if (!c.contains("service")) return Problem(Sub(c_at, "service"), "is required");
        if (!String(c["service"], Sub(c_at, "service"), call.service)) return false;
        bool known = false;
        for (fakes::Service service : fakes::kAllServices) {
          known = known || fakes::ServiceKey(service) == call.service;
        }
        if (!known) {
          return Problem(Sub(c_at, "service"),
                         "must be glue, lambda, http, sns or dataQuality, "
                         "got '" +
                             call.service + "'");
        }
        if (c.contains("target") &&
            !NonEmptyString(c["target"], Sub(c_at, "target"), call.target)) {
          return false;
        }
        if (c.contains("count")) {
          int n = 0;
          if (!Int(c["count"], Sub(c_at, "count"), 0, 1000000, n)) return false;
          call.count = n;
        }
        if (c.contains("argumentsContain")) call.arguments_contain = c["argumentsContain"];
        e.calls.push_back(std::move(call));
      }
    }
    if (v.contains("duration")) {
      const nlohmann::json& d = v["duration"];
      std::string at = Sub(where, "duration");
      if (!CheckKeys(d, at, {"min", "max"})) return false;
      time::Duration x{0};
      if (d.contains("min")) {
        if (!Duration(d["min"], Sub(at, "min"), x)) return false;
        e.duration_min = x;
      }
      if (d.contains("max")) {
        if (!Duration(d["max"], Sub(at, "max"), x)) return false;
        e.duration_max = x;
      }
      if (e.duration_min && e.duration_max && *e.duration_min > *e.duration_max) {
        return Problem(at, "min is greater than max");
      }
    }
    if (v.contains("events")) {
      const nlohmann::json& ev = v["events"];
      std::string at = Sub(where, "events");
      if (!CheckKeys(ev, at, {"present", "absent"})) return false;
      for (const char* key : {"present", "absent"}) {
        if (!ev.contains(key)) continue;
        std::vector<std::string>& out =
            std::string_view(key) == "present" ? e.events_present : e.events_absent;
        if (!StringList(ev[key], Sub(at, key), out)) return false;
        for (std::size_t i = 0; i < out.size(); ++i) {
          if (!KnownEvent(out[i], Index(Sub(at, key), i))) return false;
        }
      }
    }
    return true;
  }

  bool Scenario1(const nlohmann::json& v, const std::string& where, const std::string& default_name,
                 Scenario& s) {
    states_.clear();
    if (!CheckKeys(v, where,
                   {"name", "seed", "startTime", "horizon", "stateMachines", "fakes", "fakesFile",
                    "start", "schedule", "actors", "expect", "expectAll", "expectCount"})) {
      return false;
    }
    s.file = file_;
    s.name = default_name;
    if (v.contains("name") && !NonEmptyString(v["name"], Sub(where, "name"), s.name)) {
      return false;
    }
    if (v.contains("seed")) {
      if (!v["seed"].is_number_unsigned()) {
        return Problem(Sub(where, "seed"),
                       "must be a non-negative integer, got " + v["seed"].dump());
      }
      s.seed = v["seed"].get<std::uint64_t>();
    }
    s.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
    if (v.contains("startTime") &&
        !Instant(v["startTime"], Sub(where, "startTime"), s.start_time)) {
      return false;
    }
    s.horizon = std::chrono::hours(24 * 366);
    if (v.contains("horizon") && !Duration(v["horizon"], Sub(where, "horizon"), s.horizon)) {
      return false;
    }
    if (!v.contains("stateMachines")) return Problem(Sub(where, "stateMachines"), "is required");
    if (!Machines(v["stateMachines"], Sub(where, "stateMachines"), s)) return false;
    if (!Fakes(v, where, s)) return false;
    if (v.contains("start") == v.contains("schedule")) {
      return Problem(where, "needs exactly one of \"start\" and \"schedule\"");
    }
    if (v.contains("start") && !Start(v["start"], Sub(where, "start"), s)) return false;
    if (v.contains("schedule") && !Schedule(v["schedule"], Sub(where, "schedule"), s)) {
      return false;
    }
    if (v.contains("actors")) {
      const nlohmann::json& actors = v["actors"];
      if (!actors.is_array()) {
        return Problem(Sub(where, "actors"), "must be an array, got " + Describe(actors));
      }
      for (std::size_t i = 0; i < actors.size(); ++i) {
        ActorSpec a;
        if (!Actor(actors[i], Index(Sub(where, "actors"), i), s, a)) return false;
        s.actors.push_back(std::move(a));
      }
    }
    if (v.contains("expect")) {
      if (s.schedule) {
        return Problem(Sub(where, "expect"),
                       "is for the single execution of \"start\"; with "
                       "\"schedule\" use expectAll and expectCount");
      }
      Expectation e;
      if (!Expect(v["expect"], Sub(where, "expect"), e)) return false;
      s.expect = std::move(e);
    }
    if (v.contains("expectAll")) {
      Expectation e;
      if (!Expect(v["expectAll"], Sub(where, "expectAll"), e)) return false;
      s.expect_all = std::move(e);
    }
    if (v.contains("expectCount")) {
      const nlohmann::json& c = v["expectCount"];
      std::string at = Sub(where, "expectCount");
      if (!c.is_object()) return Problem(at, "must be an object of status -> count");
      for (const auto& [status, count] : c.items()) {
        bool known = false;
        for (std::string_view st : kStatuses) known = known || st == status;
        if (!known) return Problem(Sub(at, status), "is not an execution status");
        int n = 0;
        if (!Int(count, Sub(at, status), 0, 1000000, n)) return false;
        s.expect_count[status] = n;
      }
    }
    return true;
  }

 private:
  std::string file_;
  std::string base_dir_;
  std::optional<json::Error> error_;
  std::set<std::string> states_;  // every state name of the current scenario's machines
};

}  // namespace

std::string_view ActorActionName(ActorAction action) {
  switch (action) {
    case ActorAction::kSendTaskSuccess:
      return "sendTaskSuccess";
    case ActorAction::kSendTaskFailure:
      return "sendTaskFailure";
    case ActorAction::kSendTaskHeartbeat:
      return "sendTaskHeartbeat";
    case ActorAction::kStopExecution:
      return "stopExecution";
  }
  return "?";
}

json::Result<std::string> StripJsonComments(std::string_view text) {
  std::string out(text);
  bool in_string = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '/') {
      while (i < out.size() && out[i] != '\n') out[i++] = ' ';
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
      std::size_t end = out.find("*/", i + 2);
      if (end == std::string::npos) {
        auto [line, column] = LineColumn(text, i);
        return json::Error{
            std::string(kScenarioError),
            fmt::format("line {}, column {}: unterminated /* comment", line, column)};
      }
      for (std::size_t j = i; j < end + 2; ++j) {
        if (out[j] != '\n') out[j] = ' ';
      }
      i = end + 1;
    }
  }
  return out;
}

json::Result<std::vector<Scenario>> ParseScenarioText(std::string_view text,
                                                      const std::string& file,
                                                      const std::string& base_dir) {
  Loader loader(file, base_dir);
  nlohmann::json doc;
  if (!loader.ParseJson(text, "", doc)) return loader.error();
  const std::string base_name = std::filesystem::path(file).filename().string();
  std::vector<Scenario> scenarios;
  if (doc.is_object() && doc.contains("scenarios")) {
    if (!loader.CheckKeys(doc, "", {"scenarios"})) return loader.error();
    const nlohmann::json& list = doc["scenarios"];
    if (!list.is_array() || list.empty()) {
      return Fail(file, "scenarios", "must be a non-empty array of scenarios");
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
      Scenario s;
      if (!loader.Scenario1(list[i], Loader::Index("scenarios", i),
                            fmt::format("{}#{}", base_name, i), s)) {
        return loader.error();
      }
      scenarios.push_back(std::move(s));
    }
    return scenarios;
  }
  if (!doc.is_object()) return Fail(file, "", "a scenario must be a JSON object");
  Scenario s;
  if (!loader.Scenario1(doc, "", base_name, s)) return loader.error();
  scenarios.push_back(std::move(s));
  return scenarios;
}

json::Result<std::vector<Scenario>> LoadScenarioFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) return Fail(path, "", "cannot read file");
  std::string dir = std::filesystem::path(path).parent_path().string();
  return ParseScenarioText(text.str(), path, dir);
}

}  // namespace timeslip::cli
