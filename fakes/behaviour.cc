#include "fakes/behaviour.h"

#include <fmt/format.h>

#include <cmath>

#include "emulator/json/parse.h"
#include "fakes/parse_internal.h"

namespace timeslip::fakes {

using internal::CheckKeys;
using internal::Fail;

namespace {

constexpr int kMaxRepeat = 1'000'000;

bool IsTrue(const nlohmann::json& v) { return v.is_boolean() && v.get<bool>(); }
bool Flag(const nlohmann::json& v, const char* key) { return v.contains(key) && IsTrue(v.at(key)); }

json::Result<std::string> StringAt(const nlohmann::json& object, const char* key,
                                   std::string_view path) {
  const nlohmann::json& v = object.at(key);
  if (!v.is_string()) {
    return Fail(fmt::format("{}.{}", path, key),
                fmt::format("expected a string, got {}", v.type_name()));
  }
  return v.get<std::string>();
}

json::Result<int> IntAt(const nlohmann::json& object, const char* key, std::string_view path,
                        std::int64_t lo, std::int64_t hi) {
  const nlohmann::json& v = object.at(key);
  if (!v.is_number_integer() || v.get<std::int64_t>() < lo || v.get<std::int64_t>() > hi) {
    return Fail(fmt::format("{}.{}", path, key),
                fmt::format("expected an integer from {} to {}, got {}", lo, hi, v.dump()));
  }
  return static_cast<int>(v.get<std::int64_t>());
}

json::Status ParseRules(const nlohmann::json& value, std::string_view path, Step& step) {
  if (!value.is_array()) return Fail(path, "expected an array of rules");
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", path, i);
    const nlohmann::json& r = value[i];
    if (!r.is_object()) return Fail(at, "expected an object");
    if (json::Status s = CheckKeys(r, {"name", "result", "message"}, at); !s.ok()) return s;
    if (!r.contains("name")) return Fail(at, "missing 'name'");
    if (!r.contains("result")) return Fail(at, "missing 'result'");
    RuleOutcome rule;
    json::Result<std::string> name = StringAt(r, "name", at);
    if (!name.ok()) return name.error();
    json::Result<std::string> result = StringAt(r, "result", at);
    if (!result.ok()) return result.error();
    if (result.value() != "PASS" && result.value() != "FAIL" && result.value() != "ERROR") {
      return Fail(at + ".result",
                  fmt::format("expected PASS, FAIL or ERROR, got '{}'", result.value()));
    }
    rule.name = name.value();
    rule.result = result.value();
    if (r.contains("message")) {
      json::Result<std::string> message = StringAt(r, "message", at);
      if (!message.ok()) return message.error();
      rule.message = message.value();
    }
    step.rules.push_back(std::move(rule));
  }
  return json::Ok();
}

json::Result<Step> ParseStep(Service service, const nlohmann::json& v, const std::string& path) {
  if (!v.is_object())
    return Fail(path, fmt::format("expected a step object, got {}", v.type_name()));
  json::Status keys = json::Ok();
  switch (service) {
    case Service::kLambda:
      keys = CheckKeys(v,
                       {"latency", "repeat", "result", "error", "cause", "throttle", "timeout",
                        "hang", "command", "cwd"},
                       path);
      break;
    case Service::kHttp:
      keys = CheckKeys(v,
                       {"latency", "repeat", "status", "body", "headers", "error", "cause",
                        "throttle", "timeout", "hang"},
                       path);
      break;
    case Service::kDataQuality:
      keys = CheckKeys(
          v,
          {"latency", "repeat", "score", "rules", "error", "cause", "throttle", "timeout", "hang"},
          path);
      break;
    case Service::kGlue:
    case Service::kSns:
      keys = CheckKeys(
          v, {"latency", "repeat", "result", "error", "cause", "throttle", "timeout", "hang"},
          path);
      break;
  }
  if (!keys.ok()) return keys.error();

  Step step;
  if (v.contains("latency")) {
    json::Result<Latency> latency = ParseLatency(v.at("latency"), path + ".latency");
    if (!latency.ok()) return latency.error();
    step.latency = latency.value();
  }
  if (v.contains("repeat")) {
    json::Result<int> repeat = IntAt(v, "repeat", path, 1, kMaxRepeat);
    if (!repeat.ok()) return repeat.error();
    step.repeat = repeat.value();
  }

  // The outcome: at most one of these.
  std::vector<std::string> outcomes;
  for (const char* flag : {"throttle", "timeout", "hang"}) {
    if (!v.contains(flag)) continue;
    if (!v.at(flag).is_boolean()) {
      return Fail(fmt::format("{}.{}", path, flag), "expected true or false");
    }
    if (IsTrue(v.at(flag))) outcomes.push_back(flag);
  }
  for (const char* key : {"error", "result", "command"}) {
    if (v.contains(key)) outcomes.push_back(key);
  }
  const bool http_answer = v.contains("status") || v.contains("body") || v.contains("headers");
  const bool dq_answer = v.contains("score") || v.contains("rules");
  if (http_answer) outcomes.push_back("status/body/headers");
  if (dq_answer) outcomes.push_back("score/rules");
  if (outcomes.size() > 1) {
    return Fail(path, fmt::format("a step has one outcome, but this one has both '{}' and '{}'",
                                  outcomes[0], outcomes[1]));
  }
  if (v.contains("cause") && !v.contains("error")) return Fail(path, "'cause' without 'error'");

  if (v.contains("error")) {
    json::Result<std::string> error = StringAt(v, "error", path);
    if (!error.ok()) return error.error();
    if (error.value().empty() || error.value().size() > 256) {
      return Fail(path + ".error", "expected an error name of 1 to 256 characters");
    }
    step.outcome = OutcomeKind::kError;
    step.error = error.value();
    if (v.contains("cause")) {
      json::Result<std::string> cause = StringAt(v, "cause", path);
      if (!cause.ok()) return cause.error();
      step.cause = cause.value();
    }
  }
  if (Flag(v, "throttle")) step.outcome = OutcomeKind::kThrottle;
  if (Flag(v, "timeout")) step.outcome = OutcomeKind::kTimeout;
  if (Flag(v, "hang")) step.outcome = OutcomeKind::kHang;
  if (v.contains("result")) step.result = v.at("result");

  if (v.contains("command")) {
    const nlohmann::json& c = v.at("command");
    if (!c.is_array() || c.empty()) {
      return Fail(path + ".command", "expected a non-empty array of strings");
    }
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (!c[i].is_string()) {
        return Fail(fmt::format("{}.command[{}]", path, i), "expected a string");
      }
      step.command.push_back(c[i].get<std::string>());
    }
  }
  if (v.contains("cwd")) {
    if (!v.contains("command")) return Fail(path, "'cwd' without 'command'");
    json::Result<std::string> cwd = StringAt(v, "cwd", path);
    if (!cwd.ok()) return cwd.error();
    step.cwd = cwd.value();
  }

  if (v.contains("status")) {
    json::Result<int> status = IntAt(v, "status", path, 100, 599);
    if (!status.ok()) return status.error();
    step.status = status.value();
  }
  if (v.contains("body")) step.result = v.at("body");
  if (v.contains("headers")) {
    const nlohmann::json& h = v.at("headers");
    if (!h.is_object()) return Fail(path + ".headers", "expected an object of strings");
    for (auto it = h.begin(); it != h.end(); ++it) {
      if (!it.value().is_string()) {
        return Fail(fmt::format("{}.headers.{}", path, it.key()), "expected a string");
      }
    }
    step.headers = h;
  }

  if (v.contains("score")) {
    const nlohmann::json& s = v.at("score");
    if (!s.is_number() || !std::isfinite(s.get<double>()) || s.get<double>() < 0 ||
        s.get<double>() > 1) {
      return Fail(path + ".score", "expected a number from 0 to 1");
    }
    step.score = s.get<double>();
  }
  if (v.contains("rules")) {
    if (json::Status s = ParseRules(v.at("rules"), path + ".rules", step); !s.ok()) {
      return s.error();
    }
  }
  return step;
}

json::Result<Script> ParseScript(Service service, const nlohmann::json& v,
                                 const std::string& path) {
  Script script;
  if (v.is_object()) {
    json::Result<Step> step = ParseStep(service, v, path + "[0]");
    if (!step.ok()) return step.error();
    script.steps.push_back(std::move(step).value());
    return script;
  }
  if (!v.is_array()) {
    return Fail(path, fmt::format("expected an array of steps, got {}", v.type_name()));
  }
  if (v.empty()) return Fail(path, "expected at least one step");
  for (std::size_t i = 0; i < v.size(); ++i) {
    json::Result<Step> step = ParseStep(service, v[i], fmt::format("{}[{}]", path, i));
    if (!step.ok()) return step.error();
    script.steps.push_back(std::move(step).value());
  }
  return script;
}

json::Status CheckHttpTarget(const std::string& target, const std::string& path) {
  const std::size_t space = target.find(' ');
  if (space == std::string::npos) return json::Ok();
  const std::string method = target.substr(0, space);
  for (const char* m : {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"}) {
    if (method == m) return json::Ok();
  }
  return Fail(
      path, fmt::format("unknown HTTP method '{}' (write \"METHOD URL\" or just the URL)", method));
}

json::Result<GlueJobConfig> ParseJob(const nlohmann::json& v, const std::string& path) {
  if (!v.is_object()) return Fail(path, "expected a job definition object");
  if (json::Status s = CheckKeys(v,
                                 {"Timeout", "MaxConcurrentRuns", "WorkerType", "NumberOfWorkers",
                                  "GlueVersion", "DefaultArguments"},
                                 path);
      !s.ok()) {
    return s.error();
  }
  GlueJobConfig job;
  if (v.contains("Timeout")) {
    json::Result<int> t = IntAt(v, "Timeout", path, 1, 10080);  // AWS allows up to 7 days
    if (!t.ok()) return t.error();
    job.timeout_minutes = t.value();
  }
  if (v.contains("MaxConcurrentRuns")) {
    json::Result<int> m = IntAt(v, "MaxConcurrentRuns", path, 1, 1000);
    if (!m.ok()) return m.error();
    job.max_concurrent_runs = m.value();
  }
  if (v.contains("NumberOfWorkers")) {
    json::Result<int> n = IntAt(v, "NumberOfWorkers", path, 1, 100000);
    if (!n.ok()) return n.error();
    job.number_of_workers = n.value();
  }
  for (auto [key, field] :
       {std::pair{"WorkerType", &job.worker_type}, std::pair{"GlueVersion", &job.glue_version}}) {
    if (!v.contains(key)) continue;
    json::Result<std::string> s = StringAt(v, key, path);
    if (!s.ok()) return s.error();
    *field = s.value();
  }
  if (v.contains("DefaultArguments")) {
    const nlohmann::json& args = v.at("DefaultArguments");
    if (!args.is_object()) return Fail(path + ".DefaultArguments", "expected an object");
    for (auto it = args.begin(); it != args.end(); ++it) {
      if (!it.value().is_string()) {
        return Fail(fmt::format("{}.DefaultArguments.{}", path, it.key()), "expected a string");
      }
    }
    job.default_arguments = args;
  }
  return job;
}

}  // namespace

std::string_view ServiceKey(Service service) {
  switch (service) {
    case Service::kGlue:
      return "glue";
    case Service::kLambda:
      return "lambda";
    case Service::kHttp:
      return "http";
    case Service::kSns:
      return "sns";
    case Service::kDataQuality:
      return "dataQuality";
  }
  return "";
}

const Step& Script::ForCall(int call) const {
  int left = call;
  for (const Step& step : steps) {
    if (left <= step.repeat) return step;
    left -= step.repeat;
  }
  return steps.back();
}

std::map<std::string, Script>& BehaviourSet::scripts(Service service) {
  switch (service) {
    case Service::kGlue:
      return glue;
    case Service::kLambda:
      return lambda;
    case Service::kHttp:
      return http;
    case Service::kSns:
      return sns;
    case Service::kDataQuality:
      return data_quality;
  }
  return glue;
}

const std::map<std::string, Script>& BehaviourSet::scripts(Service service) const {
  return const_cast<BehaviourSet*>(this)->scripts(service);
}

json::Result<BehaviourSet> ParseBehaviours(std::string_view text) {
  json::Result<nlohmann::json> doc = json::Parse(text, kBehaviourError);
  if (!doc.ok()) return doc.error();
  return ParseBehaviourDocument(doc.value());
}

json::Result<BehaviourSet> ParseBehaviourDocument(const nlohmann::json& document) {
  if (!document.is_object()) {
    return json::Error{std::string(kBehaviourError),
                       fmt::format("behaviours: expected an object, got {}", document.type_name())};
  }
  BehaviourSet set;
  for (auto it = document.begin(); it != document.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& value = it.value();
    if (key == "glueJobs") {
      if (!value.is_object()) return Fail(key, "expected an object of job definitions");
      for (auto job = value.begin(); job != value.end(); ++job) {
        json::Result<GlueJobConfig> parsed = ParseJob(job.value(), key + "." + job.key());
        if (!parsed.ok()) return parsed.error();
        set.glue_jobs[job.key()] = std::move(parsed).value();
      }
      continue;
    }
    const Service* service = nullptr;
    for (const Service& s : kAllServices) {
      if (ServiceKey(s) == key) service = &s;
    }
    if (service == nullptr) {
      return json::Error{
          std::string(kBehaviourError),
          fmt::format("behaviours: unknown field '{}' (expected glue, glueJobs, lambda, http, "
                      "sns or dataQuality)",
                      key)};
    }
    if (!value.is_object()) {
      return Fail(key, fmt::format("expected an object of targets, got {}", value.type_name()));
    }
    for (auto target = value.begin(); target != value.end(); ++target) {
      const std::string path = key + "." + target.key();
      if (target.key().empty()) return Fail(key, "empty target name");
      if (*service == Service::kHttp) {
        if (json::Status s = CheckHttpTarget(target.key(), path); !s.ok()) return s.error();
      }
      json::Result<Script> script = ParseScript(*service, target.value(), path);
      if (!script.ok()) return script.error();
      set.scripts(*service)[target.key()] = std::move(script).value();
    }
  }
  return set;
}

}  // namespace timeslip::fakes
