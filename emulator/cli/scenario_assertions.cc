#include "emulator/cli/scenario_assertions.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "emulator/asl/state_machine.h"
#include "emulator/cli/scenario_runner.h"
#include "emulator/json/equality.h"

namespace timeslip::cli {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Dump(const nlohmann::ordered_json& v) {
  std::string text = v.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  constexpr std::size_t kMax = 400;
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

std::string Arrow(const std::vector<std::string>& names) {
  if (names.empty()) return "(none)";
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : " -> ") + n;
  return out;
}

std::string Quote(const std::string& s) { return nlohmann::ordered_json(s).dump(); }

std::string What(const engine::Execution& e) {
  std::string status(engine::StatusName(e.status()));
  if (!e.error().empty() || !e.cause().empty()) {
    return fmt::format("{} ({}: {})", status, e.error(), e.cause());
  }
  return status;
}

}  // namespace

std::vector<std::string> StatesEntered(const engine::Execution& execution) {
  std::vector<std::string> names;
  for (const engine::HistoryEvent& e : execution.history()) {
    if (EndsWith(e.type, "StateEntered") && e.details.is_object() && e.details.contains("name") &&
        e.details["name"].is_string()) {
      names.push_back(e.details["name"].get<std::string>());
    }
  }
  return names;
}

// State names are unique across a whole state machine, branches included, so a name of the
// top-level machine's States is a top-level entry.
std::vector<std::string> TopLevelPath(const engine::Execution& execution) {
  std::set<std::string> top;
  if (execution.params().machine) {
    for (const asl::State& s : execution.params().machine->states()) top.insert(s.name);
  }
  std::vector<std::string> path;
  for (std::string& name : StatesEntered(execution)) {
    if (top.count(name) != 0) path.push_back(std::move(name));
  }
  return path;
}

bool JsonContains(const nlohmann::ordered_json& have, const nlohmann::ordered_json& want) {
  if (want.is_object()) {
    if (!have.is_object()) return false;
    for (const auto& [key, value] : want.items()) {
      auto it = have.find(key);
      if (it == have.end() || !JsonContains(*it, value)) return false;
    }
    return true;
  }
  if (want.is_array()) {
    if (!have.is_array() || have.size() != want.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i) {
      if (!JsonContains(have[i], want[i])) return false;
    }
    return true;
  }
  return json::Equal(have, want);
}

std::vector<std::string> CheckExpectation(const Expectation& expect,
                                          const engine::Execution& execution,
                                          const fakes::CallLog& calls) {
  std::vector<std::string> failures;
  auto fail = [&](std::string line) { failures.push_back(std::move(line)); };
  const std::string status(engine::StatusName(execution.status()));

  if (expect.status && *expect.status != status) {
    fail(fmt::format("status: expected {}, got {}", *expect.status, What(execution)));
  }
  const nlohmann::ordered_json* output = execution.output() ? &*execution.output() : nullptr;
  if (expect.output) {
    if (output == nullptr) {
      fail(fmt::format("output: expected {}, got no output ({})", Dump(*expect.output),
                       What(execution)));
    } else if (!json::Equal(*output, *expect.output)) {
      fail(fmt::format("output: expected {}, got {}", Dump(*expect.output), Dump(*output)));
    }
  }
  if (expect.output_contains) {
    if (output == nullptr) {
      fail(fmt::format("outputContains: expected an output containing {}, got no output ({})",
                       Dump(*expect.output_contains), What(execution)));
    } else if (!JsonContains(*output, *expect.output_contains)) {
      fail(fmt::format("outputContains: expected an output containing {}, got {}",
                       Dump(*expect.output_contains), Dump(*output)));
    }
  }
  if (expect.error && *expect.error != execution.error()) {
    fail(fmt::format(
        "error: expected {}, got {}", Quote(*expect.error),
        execution.error().empty() ? "no error (" + status + ")" : Quote(execution.error())));
  }
  if (expect.cause && *expect.cause != execution.cause()) {
    fail(fmt::format("cause: expected {}, got {}", Quote(*expect.cause), Quote(execution.cause())));
  }
  if (expect.cause_contains &&
      execution.cause().find(*expect.cause_contains) == std::string::npos) {
    fail(fmt::format("causeContains: expected a cause containing {}, got {}",
                     Quote(*expect.cause_contains), Quote(execution.cause())));
  }

  const std::vector<std::string> path = TopLevelPath(execution);
  if (expect.path && *expect.path != path) {
    fail(fmt::format("path: expected {}, got {}", Arrow(*expect.path), Arrow(path)));
  }
  if (expect.path_contains) {
    std::size_t next = 0;
    for (const std::string& name : path) {
      if (next < expect.path_contains->size() && (*expect.path_contains)[next] == name) ++next;
    }
    if (next < expect.path_contains->size()) {
      fail(
          fmt::format("pathContains: expected {} in this order, but {} is missing after "
                      "that; got {}",
                      Arrow(*expect.path_contains), (*expect.path_contains)[next], Arrow(path)));
    }
  }
  const std::vector<std::string> entered = StatesEntered(execution);
  auto count_entered = [&](const std::string& name) {
    return static_cast<int>(std::count(entered.begin(), entered.end(), name));
  };
  for (const std::string& name : expect.not_entered) {
    if (int n = count_entered(name); n > 0) {
      fail(fmt::format("notEntered: expected {} never entered, got entered {} time{}", name, n,
                       n == 1 ? "" : "s"));
    }
  }
  for (const auto& [name, want] : expect.entered) {
    if (int n = count_entered(name); n != want) {
      fail(fmt::format("entered.{}: expected {} time{}, got {}", name, want, want == 1 ? "" : "s",
                       n));
    }
  }

  for (std::size_t i = 0; i < expect.calls.size(); ++i) {
    const CallExpectation& c = expect.calls[i];
    int matching = 0;
    int to_target = 0;
    for (const fakes::Call* call : calls.Filter(c.service, c.target)) {
      if (call->execution_arn != execution.arn()) continue;
      ++to_target;
      if (!c.arguments_contain || JsonContains(call->arguments, *c.arguments_contain)) {
        ++matching;
      }
    }
    const bool ok = c.count ? matching == *c.count : matching > 0;
    if (ok) continue;
    std::string what = c.service + (c.target.empty() ? "" : " " + Quote(c.target));
    std::string args =
        c.arguments_contain ? " with arguments containing " + Dump(*c.arguments_contain) : "";
    std::string want = c.count ? fmt::format("{} call{}", *c.count, *c.count == 1 ? "" : "s")
                               : std::string("at least one call");
    std::string got = fmt::format("got {}", matching);
    if (c.arguments_contain) got += fmt::format(" ({} to {} in all)", to_target, what);
    fail(fmt::format("calls[{}]: expected {} to {}{}, {}", i, want, what, args, got));
  }

  if (expect.duration_min || expect.duration_max) {
    std::string range = fmt::format(
        "{}{}{}", expect.duration_min ? "at least " + FormatDuration(*expect.duration_min) : "",
        expect.duration_min && expect.duration_max ? " and " : "",
        expect.duration_max ? "at most " + FormatDuration(*expect.duration_max) : "");
    if (!execution.stop_date()) {
      fail(fmt::format(
          "duration: expected {}, got still RUNNING after {}", range,
          FormatDuration(execution.history().empty()
                             ? time::Duration(0)
                             : execution.history().back().timestamp - execution.start_date())));
    } else {
      time::Duration d = *execution.stop_date() - execution.start_date();
      if ((expect.duration_min && d < *expect.duration_min) ||
          (expect.duration_max && d > *expect.duration_max)) {
        fail(fmt::format("duration: expected {}, got {}", range, FormatDuration(d)));
      }
    }
  }

  auto has_event = [&](const std::string& type) {
    for (const engine::HistoryEvent& e : execution.history()) {
      if (e.type == type) return true;
    }
    return false;
  };
  for (const std::string& type : expect.events_present) {
    if (!has_event(type)) fail(fmt::format("events.present: expected a {} event, got none", type));
  }
  for (const std::string& type : expect.events_absent) {
    if (has_event(type)) fail(fmt::format("events.absent: expected no {} event, got one", type));
  }
  return failures;
}

std::vector<std::string> CheckScenario(const Scenario& scenario, const ScenarioRun& run) {
  std::vector<std::string> lines = run.errors();
  const fakes::CallLog& calls = run.fakes().calls();
  auto path_line = [](const engine::Execution& e, const std::string& who) {
    return fmt::format("path taken{}: {} ({})", who, Arrow(TopLevelPath(e)), What(e));
  };
  if (scenario.expect) {
    if (run.started().size() != 1) {
      lines.push_back(fmt::format("expect: expected one execution, got {}", run.started().size()));
    } else {
      const engine::Execution& e = *run.started().front();
      std::vector<std::string> failures = CheckExpectation(*scenario.expect, e, calls);
      for (std::string& f : failures) lines.push_back("expect." + f);
      if (!failures.empty()) lines.push_back(path_line(e, ""));
    }
  }
  if (scenario.expect_all) {
    for (const engine::Execution* e : run.started()) {
      std::vector<std::string> failures = CheckExpectation(*scenario.expect_all, *e, calls);
      for (std::string& f : failures)
        lines.push_back(fmt::format("expectAll[{}].{}", e->name(), f));
      if (!failures.empty()) lines.push_back(path_line(*e, " by " + e->name()));
    }
  }
  if (!scenario.expect_count.empty()) {
    std::map<std::string, int> got;
    for (const engine::Execution* e : run.started()) ++got[std::string(StatusName(e->status()))];
    std::string summary;
    for (const auto& [status, n] : got) {
      summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", status, n);
    }
    if (summary.empty()) summary = "no executions";
    for (const auto& [status, want] : scenario.expect_count) {
      int n = got.count(status) != 0 ? got[status] : 0;
      if (n != want) {
        lines.push_back(
            fmt::format("expectCount.{}: expected {}, got {} ({})", status, want, n, summary));
      }
    }
  }
  const std::vector<nlohmann::ordered_json>& runs = run.workflow_runs();
  auto check_run = [&](const WorkflowRunExpectation& expect, const nlohmann::ordered_json& r,
                       const std::string& field) {
    std::vector<std::string> failures = CheckWorkflowRun(expect, r);
    for (std::string& f : failures) lines.push_back(field + "." + f);
    if (!failures.empty()) lines.push_back("workflow run " + WorkflowRunSummary(r));
  };
  if (scenario.expect_workflow_run) {
    if (runs.empty()) {
      lines.push_back("expectWorkflowRun: expected a workflow run, got none");
    } else {
      check_run(*scenario.expect_workflow_run, runs.front(), "expectWorkflowRun");
    }
  }
  if (scenario.expect_workflow_runs) {
    const std::vector<WorkflowRunExpectation>& all = *scenario.expect_workflow_runs;
    if (all.size() != runs.size()) {
      lines.push_back(fmt::format("expectWorkflowRuns: expected {} run{}, got {}", all.size(),
                                  all.size() == 1 ? "" : "s", runs.size()));
      for (const auto& r : runs) lines.push_back("workflow run " + WorkflowRunSummary(r));
    }
    for (std::size_t i = 0; i < all.size() && i < runs.size(); ++i) {
      check_run(all[i], runs[i], fmt::format("expectWorkflowRuns[{}]", i));
    }
  }
  if (!lines.empty()) {
    if (run.hit_horizon()) {
      lines.push_back(fmt::format("note: stopped at the horizon ({}) with timers still pending",
                                  FormatDuration(scenario.horizon)));
    }
    for (const std::string& note : run.notes()) lines.push_back("actor: " + note);
  }
  return lines;
}

}  // namespace timeslip::cli
