// Loading scenario files: comments stripped, JSON parsed, every field checked, with messages
// that name the file and the field. The assertions ("expect", ...) are read in
// scenario_expect.cc; the field checks are ScenarioReader's (scenario_reader_internal.h).
#include "emulator/cli/scenario_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "emulator/asl/parse_definition.h"
#include "emulator/cli/scenario_expect_internal.h"
#include "emulator/cli/scenario_glue_internal.h"
#include "emulator/cli/scenario_reader_internal.h"
#include "emulator/json/comments.h"
#include "emulator/time/rfc3339.h"
#include "fakes/behaviour.h"
#include "fakes/schedule_expression.h"

namespace timeslip::cli {
namespace {

using internal::Describe;
using internal::Fail;
using internal::FieldReader;
using internal::ScenarioReader;

// The actions' names in scenario files, in ActorAction's order.
constexpr std::string_view kActorActionNames[] = {
    "sendTaskSuccess",          "sendTaskFailure", "sendTaskHeartbeat", "stopExecution",
    "putWorkflowRunProperties", "stopWorkflowRun", "resumeWorkflowRun"};

// A JSON file named by the string `v` (relative to the scenario file), parsed.
bool ReadJsonFile(ScenarioReader& in, const FieldReader& v, nlohmann::ordered_json& out) {
  std::string path;
  std::string text;
  return in.NonEmptyString(v, path) && in.ReadFile(path, v.path(), text) &&
         in.ParseJson(text, v.path() + " (" + path + ")", out);
}

bool ReadMachines(ScenarioReader& in, const FieldReader& v, Scenario& s) {
  if (!v.Is(json::Type::kObject).ok() || v.size() == 0) {
    return in.Problem(v.path(), "must be a non-empty object of name -> state machine");
  }
  for (const FieldReader& spec : v.Members()) {
    if (!in.CheckKeys(spec, {"definition", "definitionFile", "type"})) return false;
    MachineSpec m;
    m.name = spec.name();
    if (spec.Has("definition") == spec.Has("definitionFile")) {
      return in.Problem(spec.path(), "needs exactly one of \"definition\" and \"definitionFile\"");
    }
    if (spec.Has("definition")) {
      const FieldReader d = spec.Child("definition");
      if (d.Is(json::Type::kObject).ok()) {
        m.definition = d.value().dump();
      } else if (!in.String(d, m.definition)) {
        return false;
      }
    } else {
      nlohmann::ordered_json doc;
      if (!ReadJsonFile(in, spec.Child("definitionFile"), doc)) return false;
      m.definition = doc.dump();
    }
    asl::ParseResult parsed = asl::ParseDefinition(m.definition);
    if (!parsed.machine) {
      return in.Problem(spec.path(), "invalid definition: " + asl::FormatInvalidDefinition(
                                                                 parsed.diagnostics, m.definition));
    }
    in.AddStates(*parsed.machine);
    if (spec.Has("type")) {
      const FieldReader type = spec.Child("type");
      json::Checked<std::string> name = type.Enum({"STANDARD", "EXPRESS"});
      if (!name.ok() && name.error().kind == json::Problem::Kind::kNotAllowed) {
        return in.Problem(type.path(), "must be STANDARD or EXPRESS, got '" +
                                           type.value().get<std::string>() + "'");
      }
      if (!name.ok()) return in.Problem(name.error());
      m.type = name.value() == "STANDARD" ? engine::MachineType::kStandard
                                          : engine::MachineType::kExpress;
    }
    s.machines.push_back(std::move(m));
  }
  return true;
}

// "glueFile" and "glue": the file's requests, then the inline ones, each kind in turn.
bool ReadGlueSpec(ScenarioReader& in, const FieldReader& v, Scenario& s) {
  if (!v.Has("glue") && !v.Has("glueFile")) return true;
  GlueSpec glue;
  if (v.Has("glueFile")) {
    nlohmann::ordered_json doc;
    if (!ReadJsonFile(in, v.Child("glueFile"), doc)) return false;
    const std::string where =
        v.PathOf("glueFile") + " (" + v.Child("glueFile").value().get<std::string>() + ")";
    if (!internal::ReadGlue(in, FieldReader(doc, where), glue)) return false;
  }
  if (v.Has("glue") && !internal::ReadGlue(in, v.Child("glue"), glue)) return false;
  auto rank = [](const GlueRequest& r) {
    return r.operation == "CreateJob" ? 0 : r.operation == "CreateWorkflow" ? 1 : 2;
  };
  std::stable_sort(glue.requests.begin(), glue.requests.end(),
                   [&](const GlueRequest& a, const GlueRequest& b) { return rank(a) < rank(b); });
  s.glue = std::move(glue);
  return true;
}

// Member `key` of `v`, required: the name of one of the scenario's state machines.
bool KnownMachine(ScenarioReader& in, const FieldReader& v, std::string_view key, const Scenario& s,
                  std::string& out) {
  if (!v.Has(key)) return in.Problem(v.Missing(key));
  if (!in.NonEmptyString(v.Child(key), out)) return false;
  for (const MachineSpec& m : s.machines) {
    if (m.name == out) return true;
  }
  return in.Problem(v.PathOf(key), "no state machine '" + out + "' in stateMachines");
}

bool ReadFakes(ScenarioReader& in, const FieldReader& v, Scenario& s) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::object();
  if (v.Has("fakesFile")) {
    if (!ReadJsonFile(in, v.Child("fakesFile"), doc)) return false;
    if (!doc.is_object()) return in.Problem(v.PathOf("fakesFile"), "must hold a JSON object");
  }
  if (v.Has("fakes")) {
    const FieldReader inline_doc = v.Child("fakes");
    if (json::Checked<std::monostate> object = inline_doc.Is(json::Type::kObject); !object.ok()) {
      return in.Problem(object.error());
    }
    for (const auto& [service, targets] : inline_doc.value().items()) {
      if (targets.is_object() && doc.contains(service) && doc[service].is_object()) {
        for (const auto& [target, script] : targets.items()) doc[service][target] = script;
      } else {
        doc[service] = targets;
      }
    }
  }
  json::Result<fakes::BehaviourSet> parsed = fakes::ParseBehaviourDocument(doc);
  if (!parsed.ok()) return in.Problem(v.PathOf("fakes"), parsed.error().message);
  s.fakes = std::move(doc);
  return true;
}

// Member `key` of `v`, when present: an instant no earlier than the scenario's startTime.
bool ReadAt(ScenarioReader& in, const FieldReader& v, std::string_view key, const Scenario& s,
            std::optional<time::Instant>& out) {
  if (!v.Has(key)) return true;
  time::Instant at;
  if (!in.Instant(v.Child(key), at)) return false;
  if (at < s.start_time) return in.Problem(v.PathOf(key), "is before startTime");
  out = at;
  return true;
}

bool ReadStart(ScenarioReader& in, const FieldReader& v, Scenario& s) {
  if (!in.CheckKeys(v, {"stateMachine", "name", "input", "workflow", "runProperties", "at"})) {
    return false;
  }
  StartSpec start;
  if (v.Has("workflow")) {
    if (v.Has("stateMachine")) {
      return in.Problem(v.path(), "has both \"stateMachine\" and \"workflow\"; give one");
    }
    for (const char* key : {"name", "input"}) {
      if (v.Has(key)) {
        return in.Problem(v.PathOf(key),
                          "is for a stateMachine start; a workflow run takes runProperties");
      }
    }
    const std::vector<std::string> none;
    if (!internal::KnownGlueName(in, v.Child("workflow"), s.glue ? s.glue->workflows : none,
                                 "workflow", "glue.workflows", start.workflow)) {
      return false;
    }
    if (v.Has("runProperties") &&
        !internal::ReadStringMap(in, v.Child("runProperties"), start.run_properties)) {
      return false;
    }
    if (!ReadAt(in, v, "at", s, start.at)) return false;
    s.start = std::move(start);
    return true;
  }
  if (v.Has("runProperties")) {
    return in.Problem(v.PathOf("runProperties"), "is for a workflow start");
  }
  if (!KnownMachine(in, v, "stateMachine", s, start.state_machine)) return false;
  if (v.Has("name")) {
    std::string name;
    if (!in.NonEmptyString(v.Child("name"), name)) return false;
    start.name = name;
  }
  if (v.Has("input")) start.input = v.value()["input"];
  if (!ReadAt(in, v, "at", s, start.at)) return false;
  s.start = std::move(start);
  return true;
}

bool ReadSchedule(ScenarioReader& in, const FieldReader& v, Scenario& s) {
  if (!in.CheckKeys(v, {"expression", "timezone", "stateMachine", "input", "count"})) {
    return false;
  }
  ScheduleSpec spec;
  if (!v.Has("expression")) return in.Problem(v.Missing("expression"));
  if (!in.NonEmptyString(v.Child("expression"), spec.expression)) return false;
  if (v.Has("timezone") && !in.NonEmptyString(v.Child("timezone"), spec.timezone)) return false;
  json::Result<fakes::ScheduleExpression> expr =
      fakes::ScheduleExpression::Parse(spec.expression, spec.timezone);
  if (!expr.ok()) return in.Problem(v.PathOf("expression"), expr.error().message);
  if (!KnownMachine(in, v, "stateMachine", s, spec.state_machine)) return false;
  if (v.Has("input")) spec.input = v.value()["input"];
  if (v.Has("count") && !in.Int(v.Child("count"), 1, 10000, spec.count)) return false;
  s.schedule = std::move(spec);
  return true;
}

bool ReadActor(ScenarioReader& in, const FieldReader& v, const Scenario& s, ActorSpec& a) {
  if (!in.CheckKeys(v, {"on", "at", "after", "every", "times", "do", "output", "error", "cause",
                        "properties", "nodes"})) {
    return false;
  }
  a.where = v.path();
  if (v.Has("on") && v.Has("at")) {
    return in.Problem(v.path(), "has both \"on\" and \"at\"; give one");
  }
  if (v.Has("on")) {
    const FieldReader on = v.Child("on");
    if (!in.CheckKeys(on, {"state", "event"})) return false;
    a.on_event = true;
    if (on.Has("state") && (!in.NonEmptyString(on.Child("state"), a.on_state) ||
                            !in.KnownState(a.on_state, on.PathOf("state")))) {
      return false;
    }
    if (!on.Has("event")) return in.Problem(on.Missing("event"));
    if (!in.NonEmptyString(on.Child("event"), a.on_event_type) ||
        !in.KnownEvent(a.on_event_type, on.PathOf("event"))) {
      return false;
    }
  }
  if (!ReadAt(in, v, "at", s, a.at)) return false;
  if (v.Has("after")) {
    time::Duration d{0};
    if (!in.Duration(v.Child("after"), d)) return false;
    a.after = d;
  }
  if (v.Has("every")) {
    time::Duration d{0};
    if (!in.Duration(v.Child("every"), d)) return false;
    if (d <= time::Duration(0)) return in.Problem(v.PathOf("every"), "must be positive");
    a.every = d;
    if (!v.Has("times")) return in.Problem(v.PathOf("times"), "is required with \"every\"");
  }
  if (v.Has("times")) {
    if (!a.every) return in.Problem(v.PathOf("times"), "needs \"every\"");
    if (!in.Int(v.Child("times"), 1, 10000, a.times)) return false;
  }
  if (!v.Has("do")) return in.Problem(v.Missing("do"));
  std::string action;
  if (!in.String(v.Child("do"), action)) return false;
  const auto* known = std::find(std::begin(kActorActionNames), std::end(kActorActionNames), action);
  if (known == std::end(kActorActionNames)) {
    return in.Problem(v.PathOf("do"),
                      "must be sendTaskSuccess, sendTaskFailure, "
                      "sendTaskHeartbeat, stopExecution, putWorkflowRunProperties, "
                      "stopWorkflowRun or resumeWorkflowRun, got '" +
                          action + "'");
  }
  a.action = static_cast<ActorAction>(known - std::begin(kActorActionNames));
  const bool workflow_start = s.start && !s.start->workflow.empty();
  if (IsWorkflowAction(a.action) != workflow_start) {
    return in.Problem(v.PathOf("do"), workflow_start
                                          ? action +
                                                " acts on a Step Functions execution; this "
                                                "scenario starts a Glue workflow run"
                                          : action +
                                                " acts on a Glue workflow run; it needs a "
                                                "\"start\" with \"workflow\"");
  }
  if (IsWorkflowAction(a.action)) {
    if (a.on_event) {
      return in.Problem(v.PathOf("on"),
                        "watches Step Functions history events; a Glue action takes \"after\" "
                        "(from the workflow run's start) or \"at\"");
    }
    for (const char* key : {"output", "error", "cause"}) {
      if (v.Has(key)) return in.Problem(v.PathOf(key), "is not taken by " + action);
    }
    if (v.Has("properties") != (a.action == ActorAction::kPutWorkflowRunProperties)) {
      return in.Problem(v.PathOf("properties"), v.Has("properties")
                                                    ? "only putWorkflowRunProperties takes one"
                                                    : "is required by putWorkflowRunProperties");
    }
    if (v.Has("properties") && !internal::ReadStringMap(in, v.Child("properties"), a.properties)) {
      return false;
    }
    if (v.Has("nodes") != (a.action == ActorAction::kResumeWorkflowRun)) {
      return in.Problem(v.PathOf("nodes"), v.Has("nodes") ? "only resumeWorkflowRun takes one"
                                                          : "is required by resumeWorkflowRun");
    }
    if (v.Has("nodes")) {
      const FieldReader nodes = v.Child("nodes");
      if (!nodes.Is(json::Type::kArray).ok() || nodes.size() == 0) {
        return in.Problem(nodes.path(), "must be a non-empty array of job names");
      }
      for (const FieldReader& node : nodes.Elements()) {
        std::string job;
        if (!internal::KnownGlueName(in, node, s.glue->jobs, "job", "glue.jobs", job)) {
          return false;
        }
        a.nodes.push_back(std::move(job));
      }
    }
    return true;
  }
  for (const char* key : {"properties", "nodes"}) {
    if (v.Has(key)) return in.Problem(v.PathOf(key), "is only for a Glue workflow action");
  }
  if (a.action != ActorAction::kStopExecution && !a.on_event) {
    return in.Problem(v.path(), action + " needs \"on\": the task whose token it answers with");
  }
  if (v.Has("output")) {
    if (a.action != ActorAction::kSendTaskSuccess) {
      return in.Problem(v.PathOf("output"), "only sendTaskSuccess takes an output");
    }
    a.output = v.value()["output"];
  }
  const bool takes_error =
      a.action == ActorAction::kSendTaskFailure || a.action == ActorAction::kStopExecution;
  for (const char* key : {"error", "cause"}) {
    if (!v.Has(key)) continue;
    if (!takes_error) {
      return in.Problem(v.PathOf(key), "only sendTaskFailure and stopExecution take one");
    }
    if (!in.String(v.Child(key), std::string_view(key) == "error" ? a.error : a.cause)) {
      return false;
    }
  }
  return true;
}

bool ReadScenario(ScenarioReader& in, const FieldReader& v, const std::string& default_name,
                  Scenario& s) {
  in.ForgetStates();
  if (!in.CheckKeys(v, {"name", "seed", "startTime", "horizon", "stateMachines", "glue", "fakes",
                        "fakesFile", "glueFile", "start", "schedule", "actors", "expect",
                        "expectAll", "expectCount", "expectWorkflowRun", "expectWorkflowRuns"})) {
    return false;
  }
  s.file = in.file();
  s.name = default_name;
  if (v.Has("name") && !in.NonEmptyString(v.Child("name"), s.name)) return false;
  if (v.Has("seed")) {
    const nlohmann::ordered_json& seed = v.Child("seed").value();
    if (!seed.is_number_unsigned()) {
      return in.Problem(v.PathOf("seed"), "must be a non-negative integer, got " + seed.dump());
    }
    s.seed = seed.get<std::uint64_t>();
  }
  s.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
  if (v.Has("startTime") && !in.Instant(v.Child("startTime"), s.start_time)) return false;
  s.horizon = std::chrono::hours(24 * 366);
  if (v.Has("horizon") && !in.Duration(v.Child("horizon"), s.horizon)) return false;
  if (!v.Has("stateMachines") && !v.Has("glue") && !v.Has("glueFile")) {
    return in.Problem(v.PathOf("stateMachines"),
                      "is required (or \"glue\"/\"glueFile\", for a Glue workflow scenario)");
  }
  if (v.Has("stateMachines") && !ReadMachines(in, v.Child("stateMachines"), s)) return false;
  if (!ReadGlueSpec(in, v, s)) return false;
  if (!ReadFakes(in, v, s)) return false;
  if (v.Has("start") == v.Has("schedule")) {
    return in.Problem(v.path(), "needs exactly one of \"start\" and \"schedule\"");
  }
  if (v.Has("start") && !ReadStart(in, v.Child("start"), s)) return false;
  if (v.Has("schedule") && !ReadSchedule(in, v.Child("schedule"), s)) return false;
  if (v.Has("actors")) {
    const FieldReader actors = v.Child("actors");
    if (json::Checked<std::monostate> list = actors.Is(json::Type::kArray); !list.ok()) {
      return in.Problem(list.error());
    }
    for (const FieldReader& actor : actors.Elements()) {
      ActorSpec a;
      if (!ReadActor(in, actor, s, a)) return false;
      s.actors.push_back(std::move(a));
    }
  }
  const bool workflow_start = s.start && !s.start->workflow.empty();
  for (const char* key : {"expect", "expectAll", "expectCount"}) {
    if (workflow_start && v.Has(key)) {
      return in.Problem(v.PathOf(key),
                        "is for Step Functions executions; this scenario starts a Glue workflow "
                        "run: use expectWorkflowRun or expectWorkflowRuns");
    }
  }
  for (const char* key : {"expectWorkflowRun", "expectWorkflowRuns"}) {
    if (!workflow_start && v.Has(key)) {
      return in.Problem(v.PathOf(key), "needs a \"start\" with \"workflow\"");
    }
  }
  if (v.Has("expectWorkflowRun")) {
    WorkflowRunExpectation e;
    if (!internal::ReadWorkflowRunExpectation(in, v.Child("expectWorkflowRun"), *s.glue, e)) {
      return false;
    }
    s.expect_workflow_run = std::move(e);
  }
  if (v.Has("expectWorkflowRuns")) {
    const FieldReader list = v.Child("expectWorkflowRuns");
    if (!list.Is(json::Type::kArray).ok() || list.size() == 0) {
      return in.Problem(list.path(), "must be a non-empty array of workflow run expectations");
    }
    std::vector<WorkflowRunExpectation> all;
    for (const FieldReader& item : list.Elements()) {
      WorkflowRunExpectation e;
      if (!internal::ReadWorkflowRunExpectation(in, item, *s.glue, e)) return false;
      all.push_back(std::move(e));
    }
    s.expect_workflow_runs = std::move(all);
  }
  if (v.Has("expect")) {
    if (s.schedule) {
      return in.Problem(v.PathOf("expect"),
                        "is for the single execution of \"start\"; with "
                        "\"schedule\" use expectAll and expectCount");
    }
    Expectation e;
    if (!ReadExpectation(in, v.Child("expect"), e)) return false;
    s.expect = std::move(e);
  }
  if (v.Has("expectAll")) {
    Expectation e;
    if (!ReadExpectation(in, v.Child("expectAll"), e)) return false;
    s.expect_all = std::move(e);
  }
  if (v.Has("expectCount") && !ReadExpectCount(in, v.Child("expectCount"), s.expect_count)) {
    return false;
  }
  return true;
}

}  // namespace

std::string_view ActorActionName(ActorAction action) {
  return kActorActionNames[static_cast<std::size_t>(action)];
}

bool IsWorkflowAction(ActorAction action) {
  return action == ActorAction::kPutWorkflowRunProperties ||
         action == ActorAction::kStopWorkflowRun || action == ActorAction::kResumeWorkflowRun;
}

json::Result<std::string> StripJsonComments(std::string_view text) {
  return json::StripComments(text, kScenarioError);
}

json::Result<std::vector<Scenario>> ParseScenarioText(std::string_view text,
                                                      const std::string& file,
                                                      const std::string& base_dir) {
  ScenarioReader in(file, base_dir);
  nlohmann::ordered_json doc;
  if (!in.ParseJson(text, "", doc)) return in.error();
  const FieldReader root(doc);
  const std::string base_name = std::filesystem::path(file).filename().string();
  std::vector<Scenario> scenarios;
  if (root.Has("scenarios")) {
    if (!in.CheckKeys(root, {"scenarios"})) return in.error();
    const FieldReader list = root.Child("scenarios");
    if (!list.Is(json::Type::kArray).ok() || list.size() == 0) {
      return Fail(file, "scenarios", "must be a non-empty array of scenarios");
    }
    for (const FieldReader& item : list.Elements()) {
      Scenario s;
      if (!ReadScenario(in, item, fmt::format("{}#{}", base_name, item.name()), s)) {
        return in.error();
      }
      scenarios.push_back(std::move(s));
    }
    return scenarios;
  }
  if (!doc.is_object()) return Fail(file, "", "a scenario must be a JSON object");
  Scenario s;
  if (!ReadScenario(in, root, base_name, s)) return in.error();
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
