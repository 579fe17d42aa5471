#include "fakes/behaviour.h"

#include <fmt/format.h>

#include <optional>
#include <utility>

#include "emulator/json/parse.h"
#include "fakes/parse_internal.h"

namespace timeslip::fakes {

using internal::CheckKeys;
using internal::Fail;

namespace {

constexpr int kMaxRepeat = 1'000'000;

// Each service's key in behaviour documents, in Service's order.
constexpr std::string_view kServiceKeys[] = {"glue",        "lambda", "http", "sns",
                                             "dataQuality", "events", "sqs"};

// Member `key`, when present, into `out`: a string.
json::Status StringAt(const json::FieldReader& object, std::string_view key, std::string& out) {
  json::Checked<std::optional<std::string>> s = object.Optional<std::string>(key);
  if (!s.ok()) return Fail(s.error());
  if (s.value()) out = *s.value();
  return json::Ok();
}

// Member `key`, when present, into `out`: an integer from `lo` to `hi`.
json::Status IntAt(const json::FieldReader& object, std::string_view key, int lo, int hi,
                   int& out) {
  json::Checked<std::optional<std::int64_t>> n = object.Integer(key, lo, hi);
  if (!n.ok()) {
    return Fail(n.error().path, fmt::format("expected an integer from {} to {}, got {}", lo, hi,
                                            n.error().found->dump()));
  }
  if (n.value()) out = static_cast<int>(*n.value());
  return json::Ok();
}

// Member `key`, when present, into `out`: an object of strings (`what` is expected otherwise).
json::Status StringsAt(const json::FieldReader& object, std::string_view key, std::string_view what,
                       nlohmann::ordered_json& out) {
  if (!object.Has(key)) return json::Ok();
  const json::FieldReader strings = object.Child(key);
  if (!strings.Is(json::Type::kObject).ok()) return Fail(strings.path(), what);
  for (const json::FieldReader& member : strings.Members()) {
    if (!member.Is(json::Type::kString).ok()) return Fail(member.path(), "expected a string");
  }
  out = strings.value();
  return json::Ok();
}

json::Status ParseRules(const json::FieldReader& rules, Step& step) {
  if (!rules.Is(json::Type::kArray).ok()) return Fail(rules.path(), "expected an array of rules");
  for (const json::FieldReader& r : rules.Elements()) {
    if (!r.Is(json::Type::kObject).ok()) return Fail(r.path(), "expected an object");
    if (json::Status s = CheckKeys(r, {"name", "result", "message"}); !s.ok()) return s;
    for (std::string_view key : {"name", "result"}) {
      if (!r.Has(key)) return Fail(r.Missing(key));
    }
    RuleOutcome rule;
    if (json::Status s = StringAt(r, "name", rule.name); !s.ok()) return s;
    json::Checked<std::string> result = r.Child("result").Enum({"PASS", "FAIL", "ERROR"});
    if (!result.ok() && result.error().kind == json::Problem::Kind::kNotAllowed) {
      return Fail(result.error().path, fmt::format("expected PASS, FAIL or ERROR, got '{}'",
                                                   result.error().found->get<std::string>()));
    }
    if (!result.ok()) return Fail(result.error());
    rule.result = result.value();
    if (json::Status s = StringAt(r, "message", rule.message); !s.ok()) return s;
    step.rules.push_back(std::move(rule));
  }
  return json::Ok();
}

json::Result<Step> ParseStep(Service service, const json::FieldReader& v) {
  if (!v.Is(json::Type::kObject).ok()) {
    return Fail(v.path(), fmt::format("expected a step object, got {}", v.value().type_name()));
  }
  json::Status keys = json::Ok();
  switch (service) {
    case Service::kLambda:
      keys = CheckKeys(v, {"latency", "repeat", "result", "error", "cause", "stackTrace",
                           "throttle", "timeout", "hang", "notFound", "command", "cwd"});
      break;
    case Service::kHttp:
      keys = CheckKeys(v, {"latency", "repeat", "status", "body", "headers", "error", "cause",
                           "throttle", "timeout", "hang"});
      break;
    case Service::kDataQuality:
      keys = CheckKeys(v, {"latency", "repeat", "score", "rules", "error", "cause", "throttle",
                           "timeout", "hang"});
      break;
    case Service::kSns:
    case Service::kSqs:
      keys = CheckKeys(v, {"latency", "repeat", "result", "error", "cause", "throttle", "timeout",
                           "hang", "notFound"});
      break;
    case Service::kGlue:
    case Service::kEvents:
      keys = CheckKeys(
          v, {"latency", "repeat", "result", "error", "cause", "throttle", "timeout", "hang"});
      break;
  }
  if (!keys.ok()) return keys.error();

  Step step;
  if (v.Has("latency")) {
    const json::FieldReader latency = v.Child("latency");
    json::Result<Latency> parsed = ParseLatency(latency.value(), latency.path());
    if (!parsed.ok()) return parsed.error();
    step.latency = parsed.value();
  }
  if (json::Status s = IntAt(v, "repeat", 1, kMaxRepeat, step.repeat); !s.ok()) return s.error();

  // The outcome: at most one of these.
  std::vector<std::string> outcomes;
  constexpr std::pair<std::string_view, OutcomeKind> kFlags[] = {
      {"throttle", OutcomeKind::kThrottle},
      {"timeout", OutcomeKind::kTimeout},
      {"hang", OutcomeKind::kHang},
      {"notFound", OutcomeKind::kNotFound}};
  for (const auto& [flag, outcome] : kFlags) {
    json::Checked<std::optional<bool>> set = v.Optional<bool>(flag);
    if (!set.ok()) return Fail(set.error().path, "expected true or false");
    if (!set.value().value_or(false)) continue;
    outcomes.emplace_back(flag);
    step.outcome = outcome;
  }
  for (const char* key : {"error", "result", "command"}) {
    if (v.Has(key)) outcomes.push_back(key);
  }
  const bool http_answer = v.Has("status") || v.Has("body") || v.Has("headers");
  const bool dq_answer = v.Has("score") || v.Has("rules");
  if (http_answer) outcomes.push_back("status/body/headers");
  if (dq_answer) outcomes.push_back("score/rules");
  if (outcomes.size() > 1) {
    return Fail(v.path(), fmt::format("a step has one outcome, but this one has both '{}' and '{}'",
                                      outcomes[0], outcomes[1]));
  }
  if (v.Has("cause") && !v.Has("error")) return Fail(v.path(), "'cause' without 'error'");
  if (v.Has("stackTrace") && !v.Has("error")) {
    return Fail(v.path(), "'stackTrace' without 'error'");
  }

  if (v.Has("error")) {
    if (json::Status s = StringAt(v, "error", step.error); !s.ok()) return s.error();
    if (step.error.empty() || step.error.size() > 256) {  // in bytes
      return Fail(v.PathOf("error"), "expected an error name of 1 to 256 characters");
    }
    step.outcome = OutcomeKind::kError;
    if (json::Status s = StringAt(v, "cause", step.cause); !s.ok()) return s.error();
  }
  if (v.Has("stackTrace")) {
    const json::FieldReader trace = v.Child("stackTrace");
    if (!trace.Is(json::Type::kArray).ok())
      return Fail(trace.path(), "expected an array of strings");
    for (const json::FieldReader& line : trace.Elements()) {
      json::Checked<std::string> text = line.As<std::string>();
      if (!text.ok()) return Fail(line.path(), "expected a string");
      step.stack_trace.push_back(text.value());
    }
  }
  if (v.Has("result")) step.result = v.value().at("result");

  if (v.Has("command")) {
    const json::FieldReader command = v.Child("command");
    if (!command.Is(json::Type::kArray).ok() || command.size() == 0) {
      return Fail(command.path(), "expected a non-empty array of strings");
    }
    for (const json::FieldReader& arg : command.Elements()) {
      json::Checked<std::string> text = arg.As<std::string>();
      if (!text.ok()) return Fail(arg.path(), "expected a string");
      step.command.push_back(text.value());
    }
  }
  if (v.Has("cwd") && !v.Has("command")) return Fail(v.path(), "'cwd' without 'command'");
  if (json::Status s = StringAt(v, "cwd", step.cwd); !s.ok()) return s.error();

  if (json::Status s = IntAt(v, "status", 100, 599, step.status); !s.ok()) return s.error();
  if (v.Has("body")) step.result = v.value().at("body");
  if (json::Status s = StringsAt(v, "headers", "expected an object of strings", step.headers);
      !s.ok()) {
    return s.error();
  }

  if (v.Has("score")) {
    double score = 0;
    if (json::Status s = internal::NumberAt(v, "score", 0, 1, score); !s.ok()) return s.error();
    step.score = score;
  }
  if (v.Has("rules")) {
    if (json::Status s = ParseRules(v.Child("rules"), step); !s.ok()) return s.error();
  }
  return step;
}

json::Result<Script> ParseScript(Service service, const json::FieldReader& v) {
  Script script;
  if (v.Is(json::Type::kObject).ok()) {  // a single step: the script's step [0]
    json::Result<Step> step =
        ParseStep(service, json::FieldReader(v.value(), json::ElementPath(v.style(), v.path(), 0)));
    if (!step.ok()) return step.error();
    script.steps.push_back(std::move(step).value());
    return script;
  }
  if (!v.Is(json::Type::kArray).ok()) {
    return Fail(v.path(), fmt::format("expected an array of steps, got {}", v.value().type_name()));
  }
  if (v.size() == 0) return Fail(v.path(), "expected at least one step");
  for (const json::FieldReader& item : v.Elements()) {
    json::Result<Step> step = ParseStep(service, item);
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

json::Result<GlueJobConfig> ParseJob(const json::FieldReader& v) {
  if (!v.Is(json::Type::kObject).ok()) return Fail(v.path(), "expected a job definition object");
  GlueJobConfig job;
  // In this order: the first problem is the answer.
  json::Status read = internal::FirstProblem({
      CheckKeys(v, {"Timeout", "MaxConcurrentRuns", "WorkerType", "NumberOfWorkers", "GlueVersion",
                    "DefaultArguments"}),
      IntAt(v, "Timeout", 1, 10080, job.timeout_minutes),  // AWS allows up to 7 days
      IntAt(v, "MaxConcurrentRuns", 1, 1000, job.max_concurrent_runs),
      IntAt(v, "NumberOfWorkers", 1, 100000, job.number_of_workers),
      StringAt(v, "WorkerType", job.worker_type),
      StringAt(v, "GlueVersion", job.glue_version),
      StringsAt(v, "DefaultArguments", "expected an object", job.default_arguments),
  });
  if (!read.ok()) return read.error();
  return job;
}

}  // namespace

std::string_view ServiceKey(Service service) {
  return kServiceKeys[static_cast<std::size_t>(service)];
}

std::optional<json::Error> ScriptedSdkError(const Step& step, std::string_view service,
                                            std::string_view throttle_exception) {
  switch (step.outcome) {
    case OutcomeKind::kThrottle:
      return json::Error{fmt::format("{}.{}", service, throttle_exception), "Rate exceeded"};
    case OutcomeKind::kTimeout:
      return json::Error{fmt::format("{}.SdkClientException", service),
                         "Unable to execute HTTP request: Read timed out"};
    case OutcomeKind::kError:
      return json::Error{step.error, step.cause};
    case OutcomeKind::kSucceed:
    case OutcomeKind::kHang:
    case OutcomeKind::kNotFound:
      break;
  }
  return std::nullopt;
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
  std::map<std::string, Script>* const by_service[] = {
      &glue, &lambda, &http, &sns, &data_quality, &events, &sqs};  // Service's order
  return *by_service[static_cast<std::size_t>(service)];
}

const std::map<std::string, Script>& BehaviourSet::scripts(Service service) const {
  return const_cast<BehaviourSet*>(this)->scripts(service);
}

const Script* BehaviourSet::Find(Service service, std::initializer_list<std::string> keys) const {
  const std::map<std::string, Script>& all = scripts(service);
  for (const std::string& key : keys) {
    auto it = all.find(key);
    if (it != all.end() && !it->second.steps.empty()) return &it->second;
  }
  auto any = all.find(std::string(kAnyTarget));
  return any != all.end() && !any->second.steps.empty() ? &any->second : nullptr;
}

json::Result<BehaviourSet> ParseBehaviours(std::string_view text) {
  json::Result<nlohmann::ordered_json> doc = json::Parse(text, kBehaviourError);
  if (!doc.ok()) return doc.error();
  return ParseBehaviourDocument(doc.value());
}

json::Result<BehaviourSet> ParseBehaviourDocument(const nlohmann::ordered_json& document) {
  if (!document.is_object()) {
    return json::Error{std::string(kBehaviourError),
                       fmt::format("behaviours: expected an object, got {}", document.type_name())};
  }
  BehaviourSet set;
  for (const json::FieldReader& entry : json::FieldReader(document).Members()) {
    const std::string& key = entry.name();
    if (key == "glueJobs") {
      if (!entry.Is(json::Type::kObject).ok()) {
        return Fail(key, "expected an object of job definitions");
      }
      for (const json::FieldReader& job : entry.Members()) {
        json::Result<GlueJobConfig> parsed = ParseJob(job);
        if (!parsed.ok()) return parsed.error();
        set.glue_jobs[job.name()] = std::move(parsed).value();
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
                      "sns, sqs, events or dataQuality)",
                      key)};
    }
    if (!entry.Is(json::Type::kObject).ok()) {
      return Fail(key,
                  fmt::format("expected an object of targets, got {}", entry.value().type_name()));
    }
    for (const json::FieldReader& target : entry.Members()) {
      if (target.name().empty()) return Fail(key, "empty target name");
      if (*service == Service::kHttp) {
        if (json::Status s = CheckHttpTarget(target.name(), target.path()); !s.ok()) {
          return s.error();
        }
      }
      json::Result<Script> script = ParseScript(*service, target);
      if (!script.ok()) return script.error();
      set.scripts(*service)[target.name()] = std::move(script).value();
    }
  }
  return set;
}

}  // namespace timeslip::fakes
