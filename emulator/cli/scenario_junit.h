#pragma once
// JUnit XML for scenario reports: one <testsuite> per file, one <testcase> per scenario; a
// failing scenario's lines go in <failure>, a scenario that could not be set up in <error>.
// Times are the wall times the reports carry, in seconds.

#include <string>
#include <vector>

#include "emulator/json/xml_escape.h"
#include "emulator/cli/scenario_runner.h"

namespace timeslip::cli {

// Reports in order; files keep the order of their first report.
std::string JunitXml(const std::vector<ScenarioReport>& reports);

using json::XmlEscape;

}  // namespace timeslip::cli
