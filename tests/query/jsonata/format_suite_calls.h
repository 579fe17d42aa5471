#pragma once
// Runs the JSONata reference suite's cases for the picture-string functions without the
// evaluator: each case's expression, when it is a call with literal arguments (or a small
// composition of such calls: "~>", "=", "*", a block with ":="), is evaluated here by a tiny
// interpreter that calls FormatNumber, FormatInteger, ParseInteger, FormatBase, FromMillis and
// ToMillis directly. Other expressions are counted as skipped.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace timeslip::testing {

// The suite's folder: $TIMESLIP_JSONATA_SUITE or /work/shared/conformance/jsonata/test-suite.
std::string JsonataSuiteRoot();

struct SuiteOutcome {
  std::string label;  // "<file>#<index>: <expr>"
  bool skipped = false;
  bool passed = false;
  std::string detail;  // what was expected and what came, when it failed
};

// Every case of `group` (e.g. "function-formatNumber"), evaluated with "now" at `now_ms`.
// Empty when the group's folder is missing.
std::vector<SuiteOutcome> RunSuiteGroup(const std::string& group, std::int64_t now_ms);

// Runs `group` in a GoogleTest test: every case this harness evaluates must pass, and at least
// `min_checked` must be evaluated, so a harness that skips everything cannot pass. Skips the
// test when the suite is missing. Prints the counts.
void ExpectSuiteGroup(const std::string& group, std::size_t min_checked);

}  // namespace timeslip::testing
