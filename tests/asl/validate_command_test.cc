// Runs the built `timeslip validate` on files in tests/asl/testdata.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace {

struct RunResult {
  int exit_code = -1;
  std::string out;
};

RunResult Validate(const std::string& args) {
  std::string command = std::string(TIMESLIP_BINARY) + " validate " + args + " 2>&1";
  RunResult run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

const std::string kData = TIMESLIP_ASL_TESTDATA;

TEST(ValidateCommandTest, GoodFileIsOk) {
  RunResult run = Validate(kData + "/good.asl.json");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  EXPECT_EQ(run.out, kData + "/good.asl.json: OK\n");
}

TEST(ValidateCommandTest, BadFileListsEveryError) {
  RunResult run = Validate(kData + "/bad.asl.json");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  const std::string f = kData + "/bad.asl.json";
  EXPECT_EQ(run.out,
            f +
                ": ERROR SCHEMA_VALIDATION_FAILED at /States/Load: Only one of these fields can "
                "be specified: [Next, End]\n" +
                f +
                ": ERROR MISSING_TRANSITION_TARGET at /States/Load/Next: Missing 'Next' "
                "target: Transform\n" +
                f +
                ": ERROR MISSING_TRANSITION_TARGET at /States/Orphan: State \"Orphan\" is "
                "not reachable.\n");
}

TEST(ValidateCommandTest, ExitsOneIfAnyFileFailsOrIsMissing) {
  RunResult run = Validate(kData + "/good.asl.json " + kData + "/no-such-file.json");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("good.asl.json: OK"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("no-such-file.json: ERROR cannot read file"), std::string::npos)
      << run.out;
}

}  // namespace
