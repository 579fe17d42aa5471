// `timeslip scenario run`: loads scenario files, runs them on virtual time, prints a line per
// scenario (and why it failed), and optionally writes JUnit XML and the histories.
#include "emulator/cli/scenario_command.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "emulator/cli/commands.h"
#include "emulator/cli/scenario_file.h"
#include "emulator/cli/scenario_junit.h"
#include "emulator/cli/scenario_runner.h"

namespace timeslip::cli {
namespace {

bool WriteText(const std::filesystem::path& path, const std::string& text, std::ostream& err) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    err << fmt::format("timeslip scenario: cannot write '{}'\n", path.string());
    return false;
  }
  return true;
}

}  // namespace

std::string FileNameFor(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    out += keep ? c : '_';
  }
  if (out.empty() || out == "." || out == "..") out = "_" + out;
  return out;
}

int RunScenarioCommand(const ScenarioCommandOptions& options, std::ostream& out,
                       std::ostream& err) {
  std::vector<Scenario> scenarios;
  bool unreadable = false;
  for (const std::string& file : options.files) {
    json::Result<std::vector<Scenario>> loaded = LoadScenarioFile(file);
    if (!loaded.ok()) {
      err << "timeslip scenario: " << loaded.error().message << "\n";
      unreadable = true;
      continue;
    }
    for (Scenario& s : std::move(loaded).value()) scenarios.push_back(std::move(s));
  }
  if (unreadable) return 2;

  bool all_passed = true;
  bool trouble = false;
  std::vector<ScenarioReport> reports;
  for (const Scenario& scenario : scenarios) {
    time::WallClock wall(time::Instant{}, 1.0);  // wall time for the report only
    const time::Instant began = wall.Now();
    ScenarioReport report = RunAndCheck(scenario, [&](const ScenarioRun& run) {
      if (options.dump_history.empty()) return;
      const std::filesystem::path dir =
          std::filesystem::path(options.dump_history) / FileNameFor(scenario.name);
      int n = 0;
      for (const engine::Execution* e : run.executions()) {
        const std::string name = fmt::format("{}-{}.json", ++n, FileNameFor(e->name()));
        trouble = !WriteText(dir / name, e->HistoryJson().dump(2) + "\n", err) || trouble;
      }
      n = 0;
      for (const nlohmann::ordered_json& r : run.workflow_runs()) {
        const std::string name = fmt::format("workflow-run-{}.json", ++n);
        trouble = !WriteText(dir / name, r.dump(2) + "\n", err) || trouble;
      }
    });
    report.wall_ms = std::chrono::duration<double, std::milli>(wall.Now() - began).count();
    out << FormatReport(report);
    out.flush();
    all_passed = all_passed && report.verdict == ScenarioReport::Verdict::kPass;
    trouble = trouble || report.verdict == ScenarioReport::Verdict::kError;
    reports.push_back(std::move(report));
  }
  if (!options.junit.empty())
    trouble = !WriteText(options.junit, JunitXml(reports), err) || trouble;
  if (trouble) return 2;
  return all_passed ? 0 : 1;
}

void AddScenarioCommand(CLI::App& app, RunCommand& run) {
  auto* scenario = app.add_subcommand("scenario", "Scenarios: scripted runs on virtual time");
  scenario->require_subcommand(1);
  auto* cmd = scenario->add_subcommand(
      "run",
      "Run scenario files; exit 0 when every assertion holds, 1 when one fails, 2 when a "
      "file cannot be read or parsed");
  auto options = std::make_shared<ScenarioCommandOptions>();
  cmd->add_option("files", options->files, "scenario files (JSON with comments)")->required();
  cmd->add_option("--junit", options->junit, "write JUnit XML here");
  cmd->add_option("--dump-history", options->dump_history,
                  "write each execution's history JSON under this directory");
  cmd->callback([&run, options] {
    run = [options] { return RunScenarioCommand(*options, std::cout, std::cerr); };
  });
}

}  // namespace timeslip::cli
