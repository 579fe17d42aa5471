// Plays a scenario: the emulator and the fakes on one virtual clock, the start or schedule and
// the scripted actors as timers on the engine's own queue, so their order is the engine's
// (time, sequence) order and a seed fixes everything.
#include "emulator/cli/scenario_runner.h"

#include <fmt/format.h>

#include "emulator/cli/scenario_assertions.h"
#include "emulator/services/glue/service.h"
#include "emulator/time/rfc3339.h"

namespace timeslip::cli {

// A task token, known at once (a .waitForTaskToken call logged by the fakes) or once our
// activity worker's poll is answered.
struct ScenarioRun::TokenSlot {
  std::string token;
  // A .waitForTaskToken attempt, found through its TaskStarted (or, before that is recorded,
  // its TaskScheduled) event; the token is read from the fakes' call log when acting.
  std::int64_t task_started_id = 0;
  std::int64_t task_scheduled_id = 0;
  std::string why_missing = "no task token for this event";
};

namespace {

engine::EmulatorOptions Options(const Scenario& s) {
  engine::EmulatorOptions options;
  options.clock = engine::ClockMode::kVirtual;
  options.start_time = s.start_time;
  options.seed = s.seed;
  return options;
}

// The history event with `id`, or nullptr.
const engine::HistoryEvent* EventById(const engine::Execution& execution, std::int64_t id) {
  const auto& history = execution.history();
  if (id < 1 || id > static_cast<std::int64_t>(history.size())) return nullptr;
  const engine::HistoryEvent& e = history[static_cast<std::size_t>(id - 1)];
  return e.id == id ? &e : nullptr;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The state an event belongs to: the nearest *StateEntered up its frame's chain.
std::string StateOfEvent(const engine::Execution& execution, const engine::HistoryEvent& event) {
  const engine::HistoryEvent* e = &event;
  for (int steps = 0; e != nullptr && steps < 100000; ++steps) {
    if (EndsWith(e->type, "StateEntered") && e->details.is_object() &&
        e->details.contains("name") && e->details["name"].is_string()) {
      return e->details["name"].get<std::string>();
    }
    if (e->previous_event_id == 0 || e->previous_event_id >= e->id) break;
    e = EventById(execution, e->previous_event_id);
  }
  return "";
}

// Up the chain from `event` to the first event of `type` (the event itself included).
const engine::HistoryEvent* FindUp(const engine::Execution& execution,
                                   const engine::HistoryEvent& event, std::string_view type) {
  const engine::HistoryEvent* e = &event;
  for (int steps = 0; e != nullptr && steps < 100000; ++steps) {
    if (e->type == type) return e;
    if (EndsWith(e->type, "StateEntered")) return nullptr;  // left the state
    if (e->previous_event_id == 0 || e->previous_event_id >= e->id) return nullptr;
    e = EventById(execution, e->previous_event_id);
  }
  return nullptr;
}

}  // namespace

ScenarioRun::ScenarioRun(const Scenario& scenario)
    : scenario_(scenario),
      world_({.emulator = Options(scenario)}),
      emulator_(world_.emulator()),
      fakes_(world_.fakes()),
      scheduler_(world_.scheduler()) {}

ScenarioRun::~ScenarioRun() = default;

const std::vector<engine::Execution*>& ScenarioRun::executions() const {
  return const_cast<engine::Emulator&>(emulator_).engine().executions();
}

time::Duration ScenarioRun::virtual_elapsed() const {
  return emulator_.clock().Now() - scenario_.start_time;
}

json::Status ScenarioRun::Run() {
  if (ran_) return json::Error{std::string(kScenarioError), "ScenarioRun::Run called twice"};
  ran_ = true;
  for (const MachineSpec& m : scenario_.machines) {
    engine::CreateStateMachineParams params;
    params.name = m.name;
    params.definition = m.definition;
    params.role_arn = std::string(kScenarioRoleArn);
    params.type = m.type;
    json::Result<const engine::StateMachineRecord*> created =
        emulator_.CreateStateMachine(std::move(params));
    if (!created.ok()) {
      return json::Error{std::string(kScenarioError),
                         fmt::format("stateMachines.{}: {}: {}", m.name, created.error().name,
                                     created.error().message)};
    }
    machine_arns_[m.name] = created.value()->arn;
  }
  if (json::Status loaded = fakes_.LoadDocument(scenario_.fakes); !loaded.ok()) {
    return json::Error{std::string(kScenarioError), "fakes: " + loaded.error().message};
  }
  if (json::Status created = CreateGlue(); !created.ok()) return created;

  engine::Engine& engine = emulator_.engine();
  // Actors and assertions read what each execution went through, Express ones included, which
  // keep no history on AWS: their record here stands for the execution's log.
  engine.set_record_express_history(true);
  engine.AddListener([this](const engine::Execution& execution, const engine::HistoryEvent& event) {
    OnEvent(execution, event);
  });

  if (scenario_.start && !scenario_.start->workflow.empty()) {
    const StartSpec& start = *scenario_.start;
    engine.ScheduleAt(start.at.value_or(scenario_.start_time),
                      [this, &start] { StartWorkflow(start); });
  } else if (scenario_.start) {
    const StartSpec& start = *scenario_.start;
    engine.ScheduleAt(start.at.value_or(scenario_.start_time), [this, &start] { StartOne(start); });
  } else if (scenario_.schedule) {
    const ScheduleSpec& spec = *scenario_.schedule;
    fakes::ScheduleSpec schedule;
    schedule.name = kScheduleName;
    schedule.expression = spec.expression;
    schedule.timezone = spec.timezone;
    schedule.start_date = scenario_.start_time;
    schedule.state_machine_arn = machine_arns_[spec.state_machine];
    schedule.input = spec.input.dump();
    schedule.max_firings = spec.count;
    json::Result<std::string> created = scheduler_.CreateSchedule(std::move(schedule));
    if (!created.ok()) {
      return json::Error{
          std::string(kScenarioError),
          fmt::format("schedule: {}: {}", created.error().name, created.error().message)};
    }
  }
  for (const ActorSpec& actor : scenario_.actors) {
    if (!actor.at) continue;
    if (IsWorkflowAction(actor.action)) {
      Arm(actor, *actor.at, [this, &actor] { ActOnWorkflow(actor); });
      continue;
    }
    Arm(actor, *actor.at, [this, &actor] {
      // At an instant: every execution the scenario started that is still running.
      for (const engine::Execution* e : started_) {
        if (e->status() == engine::ExecutionStatus::kRunning) Act(actor, e->arn(), nullptr);
      }
    });
  }

  // Runs like Emulator::RunToCompletion, but never past the horizon: a machine that loops on a
  // Wait forever still ends.
  time::VirtualClock& clock = *emulator_.virtual_clock();
  const time::Instant limit = scenario_.start_time + scenario_.horizon;
  for (;;) {
    engine.RunReady();
    std::optional<time::Instant> next = engine.NextDue();
    if (!next) break;
    if (*next > limit) {
      hit_horizon_ = true;
      break;
    }
    engine.RunUntil(clock, *next);
  }
  for (const fakes::Firing& firing : scheduler_.firings()) {
    if (firing.error) {
      errors_.push_back(
          fmt::format("schedule: the firing at {} could not start an execution: "
                      "{}: {}",
                      time::FormatRfc3339(firing.at), firing.error->name, firing.error->message));
    }
  }
  ReadWorkflowRuns();
  return json::Ok();
}

host::Outcome ScenarioRun::CallGlue(std::string_view operation, nlohmann::ordered_json input) {
  const host::Registry::Entry* entry =
      world_.host().registry().Find(services::glue::kServiceName, operation);
  if (entry == nullptr) {
    return json::Error{"UnknownOperationException", fmt::format("no Glue {}", operation)};
  }
  host::Command command{.service = std::string(services::glue::kServiceName),
                        .operation = std::string(operation),
                        .input = std::move(input)};
  std::optional<host::Outcome> answer;
  entry->run(command, [&answer](host::Outcome outcome) {
    if (!answer) answer = std::move(outcome);
  });
  if (!answer) return json::Error{"InternalFailure", "the operation did not answer"};
  return std::move(*answer);
}

json::Status ScenarioRun::CreateGlue() {
  if (!scenario_.glue) return json::Ok();
  for (const GlueRequest& request : scenario_.glue->requests) {
    host::Outcome created = CallGlue(request.operation, request.input);
    if (!created.ok()) {
      return json::Error{std::string(kScenarioError),
                         fmt::format("{} ({}): {}: {}", request.where, request.operation,
                                     created.error().name, created.error().message)};
    }
  }
  return json::Ok();
}

void ScenarioRun::StartWorkflow(const StartSpec& start) {
  host::Outcome started = CallGlue(
      "StartWorkflowRun", {{"Name", start.workflow}, {"RunProperties", start.run_properties}});
  if (!started.ok()) {
    errors_.push_back(fmt::format("start: StartWorkflowRun failed at {}: {}: {}",
                                  time::FormatRfc3339(emulator_.clock().Now()),
                                  started.error().name, started.error().message));
    return;
  }
  workflow_run_id_ = started.value().value("RunId", "");
  for (const ActorSpec& actor : scenario_.actors) {
    if (actor.at) continue;
    Arm(actor, emulator_.clock().Now(), [this, &actor] { ActOnWorkflow(actor); });
  }
}

// On the workflow's latest run: after a resume, the run that resume made.
void ScenarioRun::ActOnWorkflow(const ActorSpec& actor) {
  const std::string& workflow = scenario_.start->workflow;
  const std::string when = time::FormatRfc3339(emulator_.clock().Now());
  auto note = [&](const std::string& what) {
    notes_.push_back(
        fmt::format("{} {} at {}: {}", actor.where, ActorActionName(actor.action), when, what));
  };
  host::Outcome latest = CallGlue("GetWorkflowRuns", {{"Name", workflow}, {"MaxResults", 1}});
  if (!latest.ok() || latest.value()["Runs"].empty()) {
    note("no run of workflow " + workflow + " to act on");
    return;
  }
  const std::string run_id = latest.value()["Runs"][0].value("WorkflowRunId", "");
  host::Outcome done = json::Error{};
  switch (actor.action) {
    case ActorAction::kPutWorkflowRunProperties:
      done = CallGlue("PutWorkflowRunProperties",
                      {{"Name", workflow}, {"RunId", run_id}, {"RunProperties", actor.properties}});
      break;
    case ActorAction::kStopWorkflowRun:
      done = CallGlue("StopWorkflowRun", {{"Name", workflow}, {"RunId", run_id}});
      break;
    case ActorAction::kResumeWorkflowRun: {
      // The graph names each job's node; ResumeWorkflowRun takes the nodes.
      host::Outcome graph = CallGlue("GetWorkflow", {{"Name", workflow}, {"IncludeGraph", true}});
      nlohmann::ordered_json nodes = nlohmann::ordered_json::array();
      for (const std::string& job : actor.nodes) {
        std::string id;
        if (graph.ok()) {
          for (const auto& node : graph.value()["Workflow"]["Graph"]["Nodes"]) {
            if (node.value("Type", "") == "JOB" && node.value("Name", "") == job) {
              id = node.value("UniqueId", "");
            }
          }
        }
        if (id.empty()) {
          note("job " + job + " is not a node of workflow " + workflow);
          return;
        }
        nodes.push_back(id);
      }
      done = CallGlue("ResumeWorkflowRun",
                      {{"Name", workflow}, {"RunId", run_id}, {"NodeIds", std::move(nodes)}});
      break;
    }
    default:
      return;
  }
  if (!done.ok()) note(done.error().name + ": " + done.error().message);
}

void ScenarioRun::ReadWorkflowRuns() {
  if (workflow_run_id_.empty()) return;
  host::Outcome runs =
      CallGlue("GetWorkflowRuns",
               {{"Name", scenario_.start->workflow}, {"IncludeGraph", true}, {"MaxResults", 1000}});
  if (!runs.ok()) {
    errors_.push_back("GetWorkflowRuns: " + runs.error().name + ": " + runs.error().message);
    return;
  }
  const nlohmann::ordered_json& newest_first = runs.value()["Runs"];
  workflow_runs_.assign(newest_first.rbegin(), newest_first.rend());
}

void ScenarioRun::StartOne(const StartSpec& start) {
  engine::StartExecutionParams params;
  params.state_machine_arn = machine_arns_[start.state_machine];
  params.name = start.name;
  params.input = start.input.dump();
  starting_ = true;
  json::Result<engine::Execution*> started = emulator_.StartExecution(params);
  starting_ = false;
  if (!started.ok()) {
    errors_.push_back(fmt::format("start: StartExecution failed at {}: {}: {}",
                                  time::FormatRfc3339(emulator_.clock().Now()),
                                  started.error().name, started.error().message));
  }
}

bool ScenarioRun::IsOurs(const engine::Execution& execution) const {
  if (starting_) return true;
  if (!scenario_.schedule) return false;
  auto arn = machine_arns_.find(scenario_.schedule->state_machine);
  return arn != machine_arns_.end() && execution.state_machine_arn() == arn->second &&
         execution.name().rfind(std::string(kScheduleName) + "-", 0) == 0;
}

// An execution the start or the schedule started: "after" actors count from its start.
void ScenarioRun::Started(const engine::Execution& execution) {
  started_.push_back(&execution);
  const std::string arn = execution.arn();
  for (const ActorSpec& actor : scenario_.actors) {
    if (actor.on_event || actor.at) continue;
    Arm(actor, execution.start_date(), [this, &actor, arn] { Act(actor, arn, nullptr); });
  }
}

void ScenarioRun::Arm(const ActorSpec& actor, time::Instant trigger, std::function<void()> act) {
  time::Instant first = trigger;
  if (actor.after) {
    first += *actor.after;
  } else if (actor.every && !actor.at) {
    first += *actor.every;
  }
  auto shared = std::make_shared<std::function<void()>>(std::move(act));
  for (int i = 0; i < actor.times; ++i) {
    time::Instant due = first + (actor.every ? *actor.every * i : time::Duration(0));
    emulator_.engine().ScheduleAt(due, [shared] { (*shared)(); });
  }
}

void ScenarioRun::OnEvent(const engine::Execution& execution, const engine::HistoryEvent& event) {
  if (event.type == "ExecutionStarted" && IsOurs(execution)) {
    Started(execution);
  }
  if (event.type == "TaskStarted") {
    const auto& calls = fakes_.calls().calls();
    call_marks_[{execution.arn(), event.id}] = calls.empty() ? 0 : calls.back().id;
  }
  std::string state;
  bool state_known = false;
  for (const ActorSpec& actor : scenario_.actors) {
    if (!actor.on_event || actor.on_event_type != event.type) continue;
    if (!actor.on_state.empty()) {
      if (!state_known) {
        state = StateOfEvent(execution, event);
        state_known = true;
      }
      if (state != actor.on_state) continue;
    }
    std::shared_ptr<TokenSlot> slot;
    if (actor.action != ActorAction::kStopExecution) slot = TokenFor(execution, event);
    Arm(actor, event.timestamp,
        [this, &actor, arn = execution.arn(), slot] { Act(actor, arn, slot); });
  }
}

std::shared_ptr<ScenarioRun::TokenSlot> ScenarioRun::TokenFor(const engine::Execution& execution,
                                                              const engine::HistoryEvent& event) {
  // An activity: our worker polls it once, right away, as a worker would.
  if (const engine::HistoryEvent* scheduled = FindUp(execution, event, "ActivityScheduled")) {
    auto key = std::make_pair(execution.arn(), scheduled->id);
    auto found = activity_tokens_.find(key);
    if (found != activity_tokens_.end()) return found->second;
    auto slot = std::make_shared<TokenSlot>();
    slot->why_missing = "the activity task was not handed to the scenario's worker";
    activity_tokens_[key] = slot;
    std::string activity = scheduled->details.value("resource", "");
    engine::Engine& engine = emulator_.engine();
    // After this event is recorded: the activity is queued once ActivityScheduled returns.
    engine.Post([&engine, activity, slot] {
      engine::Engine::PollId id = engine.PollActivity(
          activity, "timeslip-scenario",
          [slot](engine::ActivityTask task) { slot->token = std::move(task.task_token); });
      (void)id;
    });
    return slot;
  }
  // A .waitForTaskToken task: its attempt's call in the fakes' log carries the token. The call
  // is logged right after TaskStarted, so it is looked up when the actor acts.
  auto slot = std::make_shared<TokenSlot>();
  slot->why_missing = "no task token: the task is not a .waitForTaskToken or activity task";
  if (const engine::HistoryEvent* started = FindUp(execution, event, "TaskStarted")) {
    slot->task_started_id = started->id;
  } else if (event.type == "TaskScheduled") {
    slot->task_scheduled_id = event.id;
  }
  return slot;
}

std::string ScenarioRun::CallToken(const engine::Execution& execution, const TokenSlot& slot) {
  std::int64_t started_id = slot.task_started_id;
  if (started_id == 0 && slot.task_scheduled_id != 0) {
    for (const engine::HistoryEvent& e : execution.history()) {
      if (e.type == "TaskStarted" && e.previous_event_id == slot.task_scheduled_id) {
        started_id = e.id;
      }
    }
  }
  const engine::HistoryEvent* started = EventById(execution, started_id);
  auto mark = call_marks_.find({execution.arn(), started_id});
  if (started == nullptr || mark == call_marks_.end()) return "";
  const std::string state = StateOfEvent(execution, *started);
  for (const fakes::Call& call : fakes_.calls().calls()) {
    if (call.id > mark->second && call.execution_arn == execution.arn() &&
        call.state_name == state) {
      return call.task_token;
    }
  }
  return "";
}

void ScenarioRun::Act(const ActorSpec& actor, const std::string& execution_arn,
                      const std::shared_ptr<TokenSlot>& slot) {
  const std::string when = time::FormatRfc3339(emulator_.clock().Now());
  engine::Execution* execution = emulator_.engine().Find(execution_arn);
  auto note = [&](const std::string& what) {
    notes_.push_back(fmt::format("{} {} at {} on {}: {}", actor.where,
                                 ActorActionName(actor.action), when,
                                 execution ? execution->name() : execution_arn, what));
  };
  if (actor.action == ActorAction::kStopExecution) {
    if (json::Status s = emulator_.StopExecution(execution_arn, actor.error, actor.cause);
        !s.ok()) {
      note(s.error().name + ": " + s.error().message);
    }
    return;
  }
  std::string token = slot ? slot->token : "";
  if (token.empty() && slot && execution != nullptr) token = CallToken(*execution, *slot);
  if (token.empty()) {
    note(slot ? slot->why_missing : "no task token for this event");
    return;
  }
  json::Status s = json::Ok();
  switch (actor.action) {
    case ActorAction::kSendTaskSuccess:
      s = emulator_.SendTaskSuccess(token, actor.output.dump());
      break;
    case ActorAction::kSendTaskFailure:
      s = emulator_.SendTaskFailure(token, actor.error, actor.cause);
      break;
    case ActorAction::kSendTaskHeartbeat:
      s = emulator_.SendTaskHeartbeat(token);
      break;
    case ActorAction::kStopExecution:
    case ActorAction::kPutWorkflowRunProperties:
    case ActorAction::kStopWorkflowRun:
    case ActorAction::kResumeWorkflowRun:
      break;  // not token actions: handled above, or by ActOnWorkflow
  }
  if (!s.ok()) note(s.error().name + ": " + s.error().message);
}

ScenarioReport RunAndCheck(const Scenario& scenario,
                           const std::function<void(const ScenarioRun&)>& inspect) {
  ScenarioReport report;
  report.file = scenario.file;
  report.name = scenario.name;
  ScenarioRun run(scenario);
  json::Status setup = run.Run();
  report.executions = static_cast<int>(run.executions().size());
  report.workflow_runs = static_cast<int>(run.workflow_runs().size());
  report.virtual_time = run.virtual_elapsed();
  if (inspect) inspect(run);
  if (!setup.ok()) {
    report.verdict = ScenarioReport::Verdict::kError;
    report.lines.push_back(setup.error().message);
    return report;
  }
  report.lines = CheckScenario(scenario, run);
  report.verdict =
      report.lines.empty() ? ScenarioReport::Verdict::kPass : ScenarioReport::Verdict::kFail;
  return report;
}

std::string FormatDuration(time::Duration d) {
  using namespace std::chrono;
  if (d < time::Duration(0)) return "-" + FormatDuration(-d);
  if (d == time::Duration(0)) return "0s";
  std::string out;
  auto take = [&](auto unit, const char* suffix) {
    auto n = duration_cast<time::Duration>(unit);
    if (d >= n) {
      out += fmt::format("{}{}", d / n, suffix);
      d %= n;
    }
  };
  take(hours(24), "d");
  take(hours(1), "h");
  take(minutes(1), "m");
  take(seconds(1), "s");
  take(milliseconds(1), "ms");
  return out;
}

std::string FormatReport(const ScenarioReport& report) {
  if (report.verdict == ScenarioReport::Verdict::kError) {
    return fmt::format("ERROR {}: {}\n", report.name,
                       report.lines.empty() ? "" : report.lines.front());
  }
  std::string counts =
      fmt::format("{} execution{}", report.executions, report.executions == 1 ? "" : "s");
  if (report.workflow_runs > 0) {
    counts = fmt::format("{} workflow run{}", report.workflow_runs,
                         report.workflow_runs == 1 ? "" : "s") +
             (report.executions > 0 ? ", " + counts : "");
  }
  std::string out = fmt::format("{} {} ({}, virtual {}, wall {:.0f} ms)\n",
                                report.verdict == ScenarioReport::Verdict::kPass ? "PASS" : "FAIL",
                                report.name, counts, FormatDuration(report.virtual_time),
                                report.wall_ms);
  for (const std::string& line : report.lines) out += "  " + line + "\n";
  return out;
}

}  // namespace timeslip::cli
