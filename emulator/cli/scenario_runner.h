#pragma once
// Running a scenario (see scenario_file.h for the format) on the virtual clock, and its report.
//
//   ScenarioRun run(scenario);
//   json::Status setup = run.Run();        // machines, fakes, start/schedule, actors, the loop
//   std::vector<std::string> failures = CheckScenario(scenario, run);   // scenario_assertions.h
//
//   ScenarioReport report = RunAndCheck(scenario);   // all of the above
//   std::cout << FormatReport(report);
//
// Threads: one; everything runs on the caller's thread, in virtual time, with no sleeps.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "emulator/cli/scenario_file.h"
#include "emulator/engine/emulator.h"
#include "emulator/host/command.h"
#include "emulator/json/result.h"
#include "emulator/world/world.h"
#include "fakes/fake_backends.h"
#include "fakes/scheduler.h"

namespace timeslip::cli {

// The name of the schedule a scenario's "schedule" creates; its executions are
// "scenario-<yyyymmddThhmmssZ>".
inline constexpr std::string_view kScheduleName = "scenario";

class ScenarioRun {
 public:
  explicit ScenarioRun(const Scenario& scenario);  // Not owned; must outlive this.
  ~ScenarioRun();
  ScenarioRun(const ScenarioRun&) = delete;
  ScenarioRun& operator=(const ScenarioRun&) = delete;

  // Creates the state machines, loads the fakes, creates the Glue jobs, workflows and triggers
  // (through the Glue API's operations), arms the start or schedule and the actors, and runs
  // until nothing is pending or the horizon is reached. Call once.
  // Errors: kScenarioError when the emulator refuses the setup (a state machine it will not
  // create, say); the scenario cannot be judged then.
  json::Status Run();

  engine::Emulator& emulator() { return emulator_; }
  const engine::Emulator& emulator() const { return emulator_; }
  const fakes::FakeBackends& fakes() const { return fakes_; }
  // The executions the start or schedule started, in start order (not nested ones).
  const std::vector<const engine::Execution*>& started() const { return started_; }
  // Every execution, nested ones included, in start order.
  const std::vector<engine::Execution*>& executions() const;
  // The workflow run "start" started, and every run of that workflow, as GetWorkflowRun
  // (IncludeGraph) answers once the run is over: start order, the start's run first. Empty
  // when the start is not a workflow's, or StartWorkflowRun refused it.
  const std::vector<nlohmann::ordered_json>& workflow_runs() const { return workflow_runs_; }
  // Problems that fail the scenario although the setup worked (StartExecution refused).
  const std::vector<std::string>& errors() const { return errors_; }
  // Actor actions AWS refused (the task had already timed out, say): context, not failures.
  const std::vector<std::string>& notes() const { return notes_; }
  bool hit_horizon() const { return hit_horizon_; }
  // Virtual time from startTime to where the clock rested.
  time::Duration virtual_elapsed() const;

 private:
  struct TokenSlot;
  void OnEvent(const engine::Execution& execution, const engine::HistoryEvent& event);
  void Arm(const ActorSpec& actor, time::Instant trigger, std::function<void()> act);
  void Act(const ActorSpec& actor, const std::string& execution_arn,
           const std::shared_ptr<TokenSlot>& slot);
  std::shared_ptr<TokenSlot> TokenFor(const engine::Execution& execution,
                                      const engine::HistoryEvent& event);
  std::string CallToken(const engine::Execution& execution, const TokenSlot& slot);
  void StartOne(const StartSpec& start);
  void Started(const engine::Execution& execution);
  bool IsOurs(const engine::Execution& execution) const;
  // Runs a Glue operation on this thread, the engine's, as the endpoint would.
  host::Outcome CallGlue(std::string_view operation, nlohmann::ordered_json input);
  json::Status CreateGlue();
  void StartWorkflow(const StartSpec& start);
  void ActOnWorkflow(const ActorSpec& actor);
  void ReadWorkflowRuns();

  const Scenario& scenario_;
  world::World world_;  // run on this thread, in virtual time: its host never starts
  engine::Emulator& emulator_;
  fakes::FakeBackends& fakes_;
  fakes::Scheduler& scheduler_;
  std::map<std::string, std::string> machine_arns_;  // scenario name -> ARN
  std::vector<const engine::Execution*> started_;
  std::string workflow_run_id_;  // the start's workflow run
  std::vector<nlohmann::ordered_json> workflow_runs_;
  std::vector<std::string> errors_;
  std::vector<std::string> notes_;
  // (execution ARN, TaskStarted event id) -> the last call id logged before it: the attempt's
  // call is the next one for that execution and state.
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> call_marks_;
  // (execution ARN, ActivityScheduled event id) -> the token our worker polled.
  std::map<std::pair<std::string, std::int64_t>, std::shared_ptr<TokenSlot>> activity_tokens_;
  bool starting_ = false;  // inside the start's StartExecution
  bool hit_horizon_ = false;
  bool ran_ = false;
};

// A scenario's verdict and the lines that explain it.
struct ScenarioReport {
  enum class Verdict { kPass, kFail, kError };
  std::string file;
  std::string name;
  Verdict verdict = Verdict::kPass;
  std::vector<std::string> lines;  // failed assertions, paths, notes; or the setup error
  int executions = 0;
  time::Duration virtual_time{0};
  double wall_ms = 0;     // filled by the caller, who owns a wall clock
  int workflow_runs = 0;  // Glue workflow runs of the started workflow
};

// Runs and checks one scenario; `inspect`, when set, sees the run before it is discarded
// (to dump histories).
ScenarioReport RunAndCheck(const Scenario& scenario,
                           const std::function<void(const ScenarioRun&)>& inspect = {});

// "PASS name (N executions, virtual 5h12m, wall 3 ms)\n", or "FAIL name (...)\n" followed by
// one "  line\n" each, or "ERROR name: problem\n".
std::string FormatReport(const ScenarioReport& report);

// "5h12m", "1d2h", "30s", "250ms", "0s": the largest units, zero parts left out.
std::string FormatDuration(time::Duration d);

}  // namespace timeslip::cli
