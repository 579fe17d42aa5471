#pragma once
// `timeslip scenario run FILE... [--junit FILE] [--dump-history DIR]`, callable in-process.

#include <ostream>
#include <string>
#include <vector>

namespace timeslip::cli {

struct ScenarioCommandOptions {
  std::vector<std::string> files;
  std::string junit;         // empty: no JUnit XML
  std::string dump_history;  // empty: no dumps
};

// Loads every file first (a file that cannot be read or parsed: a message naming it on `err`,
// nothing runs, exit 2), then runs each scenario, printing one report per scenario on `out`
// (scenario_runner.h's FormatReport). Exit code: 0 when every assertion of every scenario held,
// 1 when one failed, 2 when a scenario could not be set up or an output could not be written.
//
// --dump-history DIR writes DIR/<scenario>/<n>-<execution name>.json: each execution's history
// (Execution::HistoryJson, two-space indented), n counting executions in start order from 1.
// A Glue workflow scenario also writes DIR/<scenario>/workflow-run-<n>.json: each run of the
// started workflow as GetWorkflowRun (IncludeGraph) answers at the end, n in start order.
int RunScenarioCommand(const ScenarioCommandOptions& options, std::ostream& out, std::ostream& err);

// A scenario or execution name as a file name: [A-Za-z0-9._-] kept, anything else '_'.
std::string FileNameFor(const std::string& name);

}  // namespace timeslip::cli
