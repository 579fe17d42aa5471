// Checking a Glue workflow run against "expectWorkflowRun": the run as the Glue API shows it
// (GetWorkflowRun with its graph), so a scenario asserts what `aws glue get-workflow-run` prints.
#include <fmt/format.h>

#include <cmath>

#include "emulator/cli/scenario_assertions.h"
#include "emulator/cli/scenario_runner.h"
#include "emulator/json/equality.h"

namespace timeslip::cli {
namespace {

std::string List(const std::vector<std::string>& states) {
  std::string out = "[";
  for (const std::string& s : states) out += (out.size() > 1 ? ", " : "") + s;
  return out + "]";
}

std::string Dump(const nlohmann::ordered_json& v) {
  std::string text = v.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  constexpr std::size_t kMax = 400;
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

// GetWorkflowRun's timestamps are epoch seconds with milliseconds.
time::Duration Between(const nlohmann::ordered_json& from, const nlohmann::ordered_json& to) {
  return time::Duration(
      static_cast<std::int64_t>(std::llround((to.get<double>() - from.get<double>()) * 1000)));
}

}  // namespace

nlohmann::ordered_json JobRuns(const nlohmann::ordered_json& run, const std::string& job) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  if (!run.contains("Graph")) return out;
  for (const auto& node : run["Graph"].value("Nodes", nlohmann::ordered_json::array())) {
    if (node.value("Type", "") != "JOB" || node.value("Name", "") != job ||
        !node.contains("JobDetails")) {
      continue;
    }
    const auto& runs = node["JobDetails"].value("JobRuns", nlohmann::ordered_json::array());
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) out.push_back(*it);
  }
  return out;
}

std::map<std::string, std::vector<std::string>> JobRunStates(const nlohmann::ordered_json& run) {
  std::map<std::string, std::vector<std::string>> out;
  if (!run.contains("Graph")) return out;
  for (const auto& node : run["Graph"].value("Nodes", nlohmann::ordered_json::array())) {
    if (node.value("Type", "") != "JOB") continue;
    std::vector<std::string>& states = out[node.value("Name", "")];
    if (!node.contains("JobDetails")) continue;
    const auto& runs = node["JobDetails"].value("JobRuns", nlohmann::ordered_json::array());
    for (auto it = runs.rbegin(); it != runs.rend(); ++it) {  // newest first on the wire
      states.push_back(it->value("JobRunState", ""));
    }
  }
  return out;
}

std::string WorkflowRunSummary(const nlohmann::ordered_json& run) {
  std::string jobs;
  for (const auto& [job, states] : JobRunStates(run)) {
    std::string what;
    for (const std::string& s : states) what += (what.empty() ? "" : ", ") + s;
    jobs += fmt::format("{}{} {}", jobs.empty() ? "" : ", ", job,
                        states.empty() ? "(never ran)" : what);
  }
  return fmt::format("{}: {}; {}", run.value("WorkflowRunId", "?"), run.value("Status", "?"),
                     jobs.empty() ? "no jobs" : jobs);
}

std::vector<std::string> CheckWorkflowRun(const WorkflowRunExpectation& expect,
                                          const nlohmann::ordered_json& run) {
  std::vector<std::string> failures;
  auto fail = [&](std::string line) { failures.push_back(std::move(line)); };
  const std::string status = run.value("Status", "");
  if (expect.status && *expect.status != status) {
    fail(fmt::format("status: expected {}, got {}", *expect.status, status));
  }
  const nlohmann::ordered_json stats = run.value("Statistics", nlohmann::ordered_json::object());
  for (const auto& [name, want] : expect.statistics) {
    const int got = stats.value(name, 0);
    if (got != want) fail(fmt::format("statistics.{}: expected {}, got {}", name, want, got));
  }
  const nlohmann::ordered_json properties =
      run.value("WorkflowRunProperties", nlohmann::ordered_json::object());
  if (expect.run_properties && !json::Equal(properties, *expect.run_properties)) {
    fail(fmt::format("runProperties: expected {}, got {}", Dump(*expect.run_properties),
                     Dump(properties)));
  }
  if (expect.run_properties_contain && !JsonContains(properties, *expect.run_properties_contain)) {
    fail(fmt::format("runPropertiesContain: expected properties containing {}, got {}",
                     Dump(*expect.run_properties_contain), Dump(properties)));
  }
  const std::map<std::string, std::vector<std::string>> jobs = JobRunStates(run);
  auto states_of = [&](const std::string& job) {
    auto it = jobs.find(job);
    return it == jobs.end() ? std::vector<std::string>{} : it->second;
  };
  for (const auto& [job, want] : expect.jobs) {
    const std::vector<std::string> got = states_of(job);
    if (got != want) {
      fail(fmt::format("jobs.{}: expected {}, got {}{}", job, List(want), List(got),
                       got.empty() ? " (never ran)" : ""));
    }
  }
  for (const std::string& job : expect.not_run) {
    const std::vector<std::string> got = states_of(job);
    if (!got.empty()) {
      fail(fmt::format("notRun: expected {} never run, got {} run{} {}", job, got.size(),
                       got.size() == 1 ? "" : "s", List(got)));
    }
  }
  for (const auto& [job, want] : expect.job_runs_contain) {
    const nlohmann::ordered_json got = JobRuns(run, job);
    if (!JsonContains(got, want)) {
      fail(fmt::format("jobRunsContain.{}: expected {} run{} containing {}, got {}", job,
                       want.size(), want.size() == 1 ? "" : "s", Dump(want), Dump(got)));
    }
  }
  if (expect.duration_min || expect.duration_max) {
    std::string range = fmt::format(
        "{}{}{}", expect.duration_min ? "at least " + FormatDuration(*expect.duration_min) : "",
        expect.duration_min && expect.duration_max ? " and " : "",
        expect.duration_max ? "at most " + FormatDuration(*expect.duration_max) : "");
    if (!run.contains("CompletedOn") || !run.contains("StartedOn")) {
      fail(fmt::format("duration: expected {}, got still {}", range, status));
    } else {
      time::Duration d = Between(run["StartedOn"], run["CompletedOn"]);
      if ((expect.duration_min && d < *expect.duration_min) ||
          (expect.duration_max && d > *expect.duration_max)) {
        fail(fmt::format("duration: expected {}, got {}", range, FormatDuration(d)));
      }
    }
  }
  return failures;
}

}  // namespace timeslip::cli
