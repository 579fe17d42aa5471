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

}  // namespace
}  // namespace timeslip::cli
