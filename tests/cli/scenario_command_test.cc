// `timeslip scenario run` as a subprocess, on the example scenarios.
#include "emulator/cli/scenario_command.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

namespace timeslip::cli {
namespace {

struct Ran {
  int exit_code = -1;
  std::string out;  // stdout and stderr
};

Ran RunTimeslip(const std::string& args) {
  std::string command = std::string(TIMESLIP_BINARY) + " " + args + " 2>&1";
  Ran ran;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return ran;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) ran.out.append(buffer, n);
  int status = pclose(pipe);
  ran.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return ran;
}

std::string Examples() { return std::string(TIMESLIP_SOURCE_DIR) + "/scenarios/examples"; }

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ScenarioCommandTest, PassingFilesExitZero) {
  std::filesystem::path junit = std::filesystem::temp_directory_path() / "timeslip_cli_pass.xml";
  Ran ran = RunTimeslip("scenario run " + Examples() + "/approved.json " + Examples() +
                        "/never_answers.json --junit " + junit.string());
  EXPECT_EQ(ran.exit_code, 0) << ran.out;
  EXPECT_TRUE(std::regex_match(
      ran.out,
      std::regex("PASS approval: approved after 15 minutes \\(1 execution, virtual 15m, wall "
                 "[0-9]+ ms\\)\n"
                 "PASS approval: nobody answers, times out after one hour \\(1 execution, "
                 "virtual 1h, wall [0-9]+ ms\\)\n")))
      << ran.out;
  std::string xml = ReadAll(junit);
  EXPECT_NE(xml.find("tests=\"2\" failures=\"0\" errors=\"0\""), std::string::npos) << xml;
  std::filesystem::remove(junit);
}

TEST(ScenarioCommandTest, FailingFileExitsOneWithTheDocumentedLines) {
  Ran ran = RunTimeslip("scenario run " + Examples() + "/failing/expects_success.json");
  EXPECT_EQ(ran.exit_code, 1) << ran.out;
  std::regex want(
      "FAIL approval: expects success but nobody approves \\(1 execution, virtual 30m, wall "
      "[0-9]+ ms\\)\n"
      "  expect.status: expected SUCCEEDED, got FAILED \\(ApprovalTimedOut: nobody approved "
      "within an hour\\)\n"
      "  expect.calls\\[0\\]: expected 1 call to sns, got 0\n"
      "  path taken: Prepare -> ManualApproval -> ApprovalTimedOut \\(FAILED \\(ApprovalTimedOut: "
      "nobody approved within an hour\\)\\)\n");
  EXPECT_TRUE(std::regex_match(ran.out, want)) << ran.out;
}

// A Glue workflow scenario with a deliberately wrong expectation: FAIL, exit 1, and each line
// says what was expected and what the run did.
TEST(ScenarioCommandTest, FailingGlueWorkflowFileExitsOne) {
  Ran ran = RunTimeslip("scenario run " + std::string(TIMESLIP_SOURCE_DIR) +
                        "/scenarios/nightly-glue/failing/publish_expected_after_dq_failure.json");
  EXPECT_EQ(ran.exit_code, 1) << ran.out;
  std::regex want(
      "FAIL nightly-glue: expects a publish after a data-quality failure \\(must FAIL\\) \\(1 "
      "workflow run, virtual 2h24m, wall [0-9]+ ms\\)\n"
      "  expectWorkflowRun.statistics.FailedActions: expected 0, got 1\n"
      "  expectWorkflowRun.jobs.data-quality-gate: expected \\[SUCCEEDED\\], got \\[FAILED\\]\n"
      "  expectWorkflowRun.jobs.publish-to-warehouse: expected \\[SUCCEEDED\\], got \\[\\] "
      "\\(never ran\\)\n"
      "  expectWorkflowRun.notRun: expected notify-failure never run, got 1 run \\[SUCCEEDED\\]\n"
      "  workflow run wr_[0-9a-f]{64}: COMPLETED; apply-fx SUCCEEDED, data-quality-gate FAILED, "
      "[^\n]*publish-to-warehouse \\(never ran\\)[^\n]*\n");
  EXPECT_TRUE(std::regex_match(ran.out, want)) << ran.out;
}

TEST(ScenarioCommandTest, UnparsableFileExitsTwo) {
  std::filesystem::path bad = std::filesystem::temp_directory_path() / "timeslip_cli_bad.json";
  std::ofstream(bad) << "{\"stateMachines\": {}, // nothing\n \"start\": 3}";
  Ran ran = RunTimeslip("scenario run " + bad.string());
  EXPECT_EQ(ran.exit_code, 2) << ran.out;
  EXPECT_EQ(ran.out, "timeslip scenario: " + bad.string() +
                         ": stateMachines: must be a non-empty object of name -> state machine\n");
  std::filesystem::remove(bad);
}

TEST(ScenarioCommandTest, DumpHistoryIsByteIdenticalAcrossRuns) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "timeslip_cli_dump";
  fs::remove_all(dir);
  std::string file = Examples() + "/approved.json";
  std::ostringstream out, err;
  ASSERT_EQ(RunScenarioCommand({{file}, "", (dir / "1").string()}, out, err), 0) << err.str();
  ASSERT_EQ(RunScenarioCommand({{file}, "", (dir / "2").string()}, out, err), 0) << err.str();
  fs::path one = dir / "1" / "approval__approved_after_15_minutes" / "1-night-2024-01-01.json";
  fs::path two = dir / "2" / "approval__approved_after_15_minutes" / "1-night-2024-01-01.json";
  std::string a = ReadAll(one);
  EXPECT_GT(a.size(), 500u) << one;
  EXPECT_EQ(a, ReadAll(two));
  fs::remove_all(dir);
}

// A Glue workflow scenario dumps its runs as GetWorkflowRun shows them, the same every time.
TEST(ScenarioCommandTest, DumpWorkflowRunsIsByteIdenticalAcrossRuns) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / "timeslip_cli_dump_glue";
  fs::remove_all(dir);
  std::string file =
      std::string(TIMESLIP_SOURCE_DIR) + "/scenarios/nightly-glue/transient_job_failure.json";
  std::ostringstream out, err;
  ASSERT_EQ(RunScenarioCommand({{file}, "", (dir / "1").string()}, out, err), 0) << err.str();
  ASSERT_EQ(RunScenarioCommand({{file}, "", (dir / "2").string()}, out, err), 0) << err.str();
  const std::string scenario =
      FileNameFor("nightly-glue: transform-orders fails once, no retry; an operator resumes the run");
  for (const char* name : {"workflow-run-1.json", "workflow-run-2.json"}) {
    std::string a = ReadAll(dir / "1" / scenario / name);
    EXPECT_NE(a.find("\"WorkflowRunId\""), std::string::npos) << name;
    EXPECT_EQ(a, ReadAll(dir / "2" / scenario / name)) << name;
  }
  EXPECT_NE(ReadAll(dir / "1" / scenario / "workflow-run-2.json").find("\"PreviousRunId\""),
            std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace timeslip::cli
