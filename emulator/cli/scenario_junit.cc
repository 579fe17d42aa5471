#include "emulator/json/xml_escape.h"
#include "emulator/cli/scenario_junit.h"

#include <fmt/format.h>

#include <algorithm>

namespace timeslip::cli {


std::string JunitXml(const std::vector<ScenarioReport>& reports) {
  std::vector<std::string> files;
  for (const ScenarioReport& r : reports) {
    if (std::find(files.begin(), files.end(), r.file) == files.end()) files.push_back(r.file);
  }
  int tests = 0;
  int failures = 0;
  int errors = 0;
  double seconds = 0;
  for (const ScenarioReport& r : reports) {
    ++tests;
    failures += r.verdict == ScenarioReport::Verdict::kFail;
    errors += r.verdict == ScenarioReport::Verdict::kError;
    seconds += r.wall_ms / 1000.0;
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"timeslip scenarios\" tests=\"{}\" failures=\"{}\" errors=\"{}\" "
      "time=\"{:.3f}\">\n",
      tests, failures, errors, seconds);
  for (const std::string& file : files) {
    int t = 0, f = 0, e = 0;
    double s = 0;
    for (const ScenarioReport& r : reports) {
      if (r.file != file) continue;
      ++t;
      f += r.verdict == ScenarioReport::Verdict::kFail;
      e += r.verdict == ScenarioReport::Verdict::kError;
      s += r.wall_ms / 1000.0;
    }
    out += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
        XmlEscape(file), t, f, e, s);
    for (const ScenarioReport& r : reports) {
      if (r.file != file) continue;
      out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3f}\"",
                         XmlEscape(r.name), XmlEscape(file), r.wall_ms / 1000.0);
      if (r.verdict == ScenarioReport::Verdict::kPass) {
        out += "/>\n";
        continue;
      }
      std::string body;
      for (const std::string& line : r.lines) body += line + "\n";
      const char* tag = r.verdict == ScenarioReport::Verdict::kFail ? "failure" : "error";
      std::string message = r.lines.empty() ? std::string() : r.lines.front();
      out += fmt::format(
          ">\n      <{} message=\"{}\" type=\"{}\">{}</{}>\n    </testcase>\n", tag,
          XmlEscape(message),
          r.verdict == ScenarioReport::Verdict::kFail ? "AssertionFailed" : "ScenarioError",
          XmlEscape(body), tag);
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace timeslip::cli
