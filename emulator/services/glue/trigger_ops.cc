// CreateTrigger, GetTrigger, GetTriggers, ListTriggers, UpdateTrigger, StartTrigger, StopTrigger,
// DeleteTrigger: checking a trigger's definition against what Glue accepts and what timeslip
// runs. What Glue has and timeslip does not run yet (EVENT triggers, crawlers) is refused by
// name, never accepted and left idle.
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-trigger.html
#include <fmt/format.h>

#include <string>
#include <vector>

#include "emulator/services/glue/job_shape.h"
#include "emulator/services/glue/service_internal.h"
#include "emulator/services/glue/workflow_shape.h"

namespace timeslip::services::glue {
namespace {

constexpr Field kName{.name = "Name", .required = true, .min = 1, .max = 255};
constexpr Field kMaxResults{
    .name = "MaxResults", .kind = FieldKind::kInteger, .min = 1, .max = 1000};
constexpr Field kNextToken{.name = "NextToken"};
constexpr Field kDependentJobName{.name = "DependentJobName", .min = 1, .max = 255};
constexpr std::size_t kDefaultPageSize = 100;

json::Error NotYet(std::string_view member, std::string_view what) {
  return InvalidInput(fmt::format("{} ({}) is not supported by timeslip yet", member, what));
}

json::Error TriggerNotFound(const std::string& name) {
  return EntityNotFound(fmt::format("Trigger {} not found", name));
}

json::Status JobExists(State& s, const std::string& job) {
  if (s.jobs.Defined(job) != nullptr) return json::Ok();
  return EntityNotFound(fmt::format("Job {} not found", job));
}

// "Currently, the only job states that a trigger can listen for are SUCCEEDED, STOPPED, FAILED,
// and TIMEOUT":
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-trigger.html#aws-glue-api-jobs-trigger-Condition
bool Watchable(const std::string& state) {
  return state == "SUCCEEDED" || state == "STOPPED" || state == "FAILED" || state == "TIMEOUT";
}

json::Status ParseActions(State& s, const Json& actions, std::string_view parent, Trigger& t) {
  if (!actions.is_array()) {
    return InvalidInput(fmt::format(
        "1 validation error detected: Value at '{}actions' failed to satisfy constraint: "
        "Member must be a list",
        parent));
  }
  t.actions = actions;
  t.parsed_actions.clear();
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const Json& a = actions[i];
    const std::string at = fmt::format("{}actions.{}.member", parent, i + 1);
    if (!a.is_object()) {
      return InvalidInput(
          fmt::format("Value at '{}' failed to satisfy constraint: Member must "
                      "be a structure",
                      at));
    }
    if (Has(a, "CrawlerName")) return NotYet(fmt::format("Actions[{}].CrawlerName", i), "crawlers");
    json::Status checked = CheckFields(
        a,
        {{.name = "JobName", .required = true, .min = 1, .max = 255},
         {.name = "Arguments", .kind = FieldKind::kStringMap},
         {.name = "Timeout", .kind = FieldKind::kInteger, .min = 1, .max = kMaxTimeoutMinutes},
         {.name = "SecurityConfiguration", .min = 1, .max = 255},
         {.name = "NotificationProperty", .kind = FieldKind::kStructure}},
        at);
    if (!checked.ok()) return checked;
    TriggerAction action{.job_name = GetString(a, "JobName")};
    if (json::Status job = JobExists(s, action.job_name); !job.ok()) return job;
    if (Has(a, "Arguments")) action.arguments = a["Arguments"];
    if (Has(a, "Timeout")) action.timeout = GetInt(a, "Timeout", 0);
    t.parsed_actions.push_back(std::move(action));
  }
  return json::Ok();
}

json::Status ParsePredicate(State& s, const Json& predicate, std::string_view parent, Trigger& t) {
  const std::string at = fmt::format("{}predicate", parent);
  json::Status checked =
      CheckFields(predicate, {{.name = "Logical", .enum_values = "AND,ANY"}}, at);
  if (!checked.ok()) return checked;
  auto conditions = predicate.find("Conditions");
  if (conditions == predicate.end() || !conditions->is_array() || conditions->empty()) {
    return InvalidInput(
        fmt::format("{}.conditions: a CONDITIONAL trigger needs at least one "
                    "condition",
                    at));
  }
  // "Logical: an optional field if only one condition is listed. If multiple conditions are
  // listed, then this field is required": the Predicate shape, in the page above.
  if (conditions->size() > 1 && !Has(predicate, "Logical")) {
    return InvalidInput(
        fmt::format("{}.logical is required when the predicate lists more than one condition", at));
  }
  t.predicate = predicate;
  t.any = GetString(predicate, "Logical", "AND") == "ANY";
  t.conditions.clear();
  for (std::size_t i = 0; i < conditions->size(); ++i) {
    const Json& c = (*conditions)[i];
    const std::string member = fmt::format("{}.conditions.{}.member", at, i + 1);
    if (!c.is_object()) {
      return InvalidInput(
          fmt::format("Value at '{}' failed to satisfy constraint: Member must "
                      "be a structure",
                      member));
    }
    if (Has(c, "CrawlerName") || Has(c, "CrawlState")) {
      return NotYet(fmt::format("Predicate.Conditions[{}].{}", i,
                                Has(c, "CrawlerName") ? "CrawlerName" : "CrawlState"),
                    "crawlers");
    }
    checked = CheckFields(c,
                          {{.name = "LogicalOperator", .enum_values = "EQUALS"},
                           {.name = "JobName", .required = true, .min = 1, .max = 255},
                           {.name = "State",
                            .required = true,
                            .enum_values = "STARTING,RUNNING,STOPPING,STOPPED,SUCCEEDED,FAILED,"
                                           "TIMEOUT,ERROR,WAITING"}},
                          member);
    if (!checked.ok()) return checked;
    TriggerCondition condition{.job_name = GetString(c, "JobName"), .state = GetString(c, "State")};
    if (!Watchable(condition.state)) {
      return InvalidInput(fmt::format(
          "{}.state: a trigger can listen only for the job states SUCCEEDED, STOPPED, FAILED "
          "and TIMEOUT, not {}",
          member, condition.state));
    }
    if (json::Status job = JobExists(s, condition.job_name); !job.ok()) return job;
    t.conditions.push_back(std::move(condition));
  }
  return json::Ok();
}

json::Status ParseSchedule(const std::string& schedule, Trigger& t) {
  // Glue's schedules are cron expressions in UTC:
  // https://docs.aws.amazon.com/glue/latest/dg/monitor-data-warehouse-schedule.html
  if (!schedule.starts_with("cron(")) {
    return InvalidInput(fmt::format(
        "Schedule '{}' is not a cron expression: Glue schedules are cron(...)", schedule));
  }
  json::Result<fakes::ScheduleExpression> cron = fakes::ScheduleExpression::Parse(schedule);
  if (!cron.ok()) return InvalidInput(cron.error().message);
  t.schedule = schedule;
  t.cron = std::move(cron).value();
  return json::Ok();
}

// The definition members CreateTrigger and TriggerUpdate share, applied to `t` (whose type is
// set) when present. `parent`: "" or "triggerUpdate.".
json::Status ParseDefinition(State& s, const Json& in, std::string_view parent, Trigger& t) {
  const std::string where(parent.empty() ? "" : parent.substr(0, parent.size() - 1));
  json::Status checked =
      CheckFields(in,
                  {{.name = "Schedule"},
                   {.name = "Predicate", .kind = FieldKind::kStructure},
                   {.name = "Description", .max = 2048},
                   {.name = "EventBatchingCondition", .kind = FieldKind::kStructure}},
                  where);
  if (!checked.ok()) return checked;
  if (Has(in, "EventBatchingCondition")) {
    return NotYet("EventBatchingCondition", "EVENT triggers");
  }
  if (Has(in, "Description")) t.description = in["Description"];
  if (Has(in, "Actions")) {
    if (json::Status a = ParseActions(s, in["Actions"], parent, t); !a.ok()) return a;
  }
  if (Has(in, "Schedule")) {
    if (t.type != kScheduled) {
      return InvalidInput(fmt::format("Schedule is only for SCHEDULED triggers, not {}", t.type));
    }
    if (json::Status p = ParseSchedule(GetString(in, "Schedule"), t); !p.ok()) return p;
  }
  if (Has(in, "Predicate")) {
    if (t.type != kConditional) {
      return InvalidInput(
          fmt::format("Predicate is only for CONDITIONAL triggers, not {}", t.type));
    }
    if (json::Status p = ParsePredicate(s, in["Predicate"], parent, t); !p.ok()) return p;
  }
  if (t.type == kScheduled && !t.cron) {
    return InvalidInput("Schedule is required for a SCHEDULED trigger");
  }
  if (t.type == kConditional && t.conditions.empty()) {
    return InvalidInput("Predicate is required for a CONDITIONAL trigger");
  }
  return json::Ok();
}

host::Outcome CreateTrigger(State& s, const Json& in) {
  json::Status checked = CheckFields(
      in,
      {kName,
       {.name = "WorkflowName", .min = 1, .max = 255},
       {.name = "Type", .required = true, .enum_values = "SCHEDULED,CONDITIONAL,ON_DEMAND,EVENT"},
       {.name = "StartOnCreation", .kind = FieldKind::kBoolean},
       {.name = "Tags", .kind = FieldKind::kStringMap}});
  if (!checked.ok()) return checked.error();
  if (!Has(in, "Actions")) {
    return InvalidInput(
        "1 validation error detected: Value null at 'actions' failed to satisfy constraint: "
        "Member must not be null");
  }
  Trigger t;
  t.name = GetString(in, "Name");
  t.type = GetString(in, "Type");
  t.workflow = GetString(in, "WorkflowName");
  if (t.type == "EVENT") return NotYet("Type EVENT", "EventBridge event triggers");
  if (json::Status parsed = ParseDefinition(s, in, "", t); !parsed.ok()) return parsed.error();
  const bool start = Has(in, "StartOnCreation") && in["StartOnCreation"].get<bool>();
  // "True is not supported for ON_DEMAND triggers": the StartOnCreation member, above.
  if (start && t.type == kOnDemand) {
    return InvalidInput("StartOnCreation true is not supported for ON_DEMAND triggers");
  }
  if (s.workflows.FindTrigger(t.name) != nullptr) {
    return json::Error{std::string(kAlreadyExists),
                       fmt::format("Trigger with name {} already exists", t.name)};
  }
  if (!t.workflow.empty()) {
    if (s.workflows.FindWorkflow(t.workflow) == nullptr) {
      return EntityNotFound(fmt::format("Workflow {} not found", t.workflow));
    }
    const Trigger* first = s.workflows.StartingTrigger(t.workflow);
    if (t.type != kConditional && first != nullptr) {
      return InvalidInput(
          fmt::format("Workflow {} already has a starting trigger: {}", t.workflow, first->name));
    }
  }
  if (Has(in, "Tags")) t.tags = in["Tags"];
  s.workflows.AddTrigger(std::move(t), start);
  return Json{{"Name", GetString(in, "Name")}};
}

host::Outcome GetTrigger(State& s, const Json& in) {
  if (json::Status checked = CheckFields(in, {kName}); !checked.ok()) return checked.error();
  const Trigger* t = s.workflows.FindTrigger(GetString(in, "Name"));
  if (t == nullptr) return TriggerNotFound(GetString(in, "Name"));
  return Json{{"Trigger", TriggerJson(*t)}};
}

// The triggers that start `job`; all of them when none does (DependentJobName, in
// https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-jobs-trigger.html#aws-glue-api-jobs-trigger-GetTriggers).
std::vector<std::string> DependentTriggers(State& s, const Json& in, const Json& tags) {
  const std::string job = GetString(in, "DependentJobName");
  std::vector<std::string> all, starting;
  for (const auto& [name, trigger] : s.workflows.triggers()) {
    bool tagged = true;
    for (const auto& [key, value] : tags.items()) {
      tagged = tagged && trigger.tags.contains(key) && trigger.tags[key] == value;
    }
    if (!tagged) continue;
    all.push_back(name);
    for (const TriggerAction& a : trigger.parsed_actions) {
      if (!job.empty() && a.job_name == job) {
        starting.push_back(name);
        break;
      }
    }
  }
  return starting.empty() ? all : starting;
}

host::Outcome GetTriggers(State& s, const Json& in) {
  json::Status checked = CheckFields(in, {kMaxResults, kNextToken, kDependentJobName});
  if (!checked.ok()) return checked.error();
  const std::vector<std::string> names = DependentTriggers(s, in, Json::object());
  Json next;
  auto page = NamePage(in, "GetTriggers\n" + GetString(in, "DependentJobName"), names,
                       kDefaultPageSize, next);
  if (!page.ok()) return page.error();
  Json triggers = Json::array();
  for (const std::string& name : page.value()) {
    triggers.push_back(TriggerJson(*s.workflows.FindTrigger(name)));
  }
  Json out = {{"Triggers", std::move(triggers)}};
  if (!next.is_null()) out["NextToken"] = std::move(next);
  return out;
}

host::Outcome ListTriggers(State& s, const Json& in) {
  json::Status checked = CheckFields(in, {kMaxResults,
                                          kNextToken,
                                          kDependentJobName,
                                          {.name = "Tags", .kind = FieldKind::kStringMap}});
  if (!checked.ok()) return checked.error();
  const Json tags = Has(in, "Tags") ? in["Tags"] : Json::object();
  const std::vector<std::string> names = DependentTriggers(s, in, tags);
  Json next;
  auto page = NamePage(
      in, fmt::format("ListTriggers\n{}\n{}", GetString(in, "DependentJobName"), tags.dump()),
      names, kDefaultPageSize, next);
  if (!page.ok()) return page.error();
  Json out = {{"TriggerNames", page.value()}};
  if (!next.is_null()) out["NextToken"] = std::move(next);
  return out;
}

host::Outcome UpdateTrigger(State& s, const Json& in) {
  json::Status checked = CheckFields(
      in, {kName, {.name = "TriggerUpdate", .kind = FieldKind::kStructure, .required = true}});
  if (!checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  const Trigger* old = s.workflows.FindTrigger(name);
  if (old == nullptr) return TriggerNotFound(name);
  // TriggerUpdate.Name is "reserved for future use": a trigger keeps its name.
  Trigger updated = *old;
  if (json::Status parsed = ParseDefinition(s, in["TriggerUpdate"], "triggerUpdate.", updated);
      !parsed.ok()) {
    return parsed.error();
  }
  s.workflows.ReplaceTrigger(std::move(updated));
  return Json{{"Trigger", TriggerJson(*s.workflows.FindTrigger(name))}};
}

host::Outcome StartTrigger(State& s, const Json& in) {
  if (json::Status checked = CheckFields(in, {kName}); !checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  if (s.workflows.FindTrigger(name) == nullptr) return TriggerNotFound(name);
  if (json::Status started = s.workflows.StartTrigger(name); !started.ok()) {
    return started.error();
  }
  return Json{{"Name", name}};
}

host::Outcome StopTrigger(State& s, const Json& in) {
  if (json::Status checked = CheckFields(in, {kName}); !checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  if (s.workflows.FindTrigger(name) == nullptr) return TriggerNotFound(name);
  if (json::Status stopped = s.workflows.StopTrigger(name); !stopped.ok()) {
    return stopped.error();
  }
  return Json{{"Name", name}};
}

// DeleteTrigger's errors have no EntityNotFoundException: deleting a missing trigger is no error.
host::Outcome DeleteTrigger(State& s, const Json& in) {
  if (json::Status checked = CheckFields(in, {kName}); !checked.ok()) return checked.error();
  const std::string name = GetString(in, "Name");
  s.workflows.DeleteTrigger(name);
  return Json{{"Name", name}};
}

}  // namespace

void RegisterTriggerOps(host::Registry& registry, const std::shared_ptr<State>& state) {
  using host::Access;
  AddOp(registry, state, "CreateTrigger", Access::kWrites, &CreateTrigger);
  AddOp(registry, state, "GetTrigger", Access::kReads, &GetTrigger);
  AddOp(registry, state, "GetTriggers", Access::kReads, &GetTriggers);
  AddOp(registry, state, "ListTriggers", Access::kReads, &ListTriggers);
  AddOp(registry, state, "UpdateTrigger", Access::kWrites, &UpdateTrigger);
  AddOp(registry, state, "StartTrigger", Access::kWrites, &StartTrigger);
  AddOp(registry, state, "StopTrigger", Access::kWrites, &StopTrigger);
  AddOp(registry, state, "DeleteTrigger", Access::kWrites, &DeleteTrigger);
}

}  // namespace timeslip::services::glue
