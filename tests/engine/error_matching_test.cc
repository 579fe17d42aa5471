#include "emulator/engine/error_matching.h"

#include <gtest/gtest.h>

namespace timeslip::engine {
namespace {

struct MatchCase {
  std::vector<std::string> equals;
  const char* error;
  bool want;
};

TEST(ErrorMatchingTest, AwsWildcardRules) {
  const MatchCase kCases[] = {
      {{"States.ALL"}, "Lambda.ServiceException", true},
      {{"States.ALL"}, "States.Timeout", true},
      {{"States.ALL"}, "States.Runtime", false},
      {{"States.ALL"}, "States.DataLimitExceeded", false},
      {{"States.TaskFailed"}, "Glue.ConcurrentRunsExceededException", true},
      {{"States.TaskFailed"}, "States.Timeout", false},
      {{"States.TaskFailed"}, "States.HeartbeatTimeout", false},
      {{"States.Timeout"}, "States.HeartbeatTimeout", true},
      {{"States.HeartbeatTimeout"}, "States.Timeout", false},
      {{"States.Timeout"}, "States.Timeout", true},
      {{"A", "B"}, "B", true},
      {{"A", "B"}, "C", false},
      // AWS: States.Runtime always fails the execution; even a Catch naming it does not catch
      // it (recorded: scenarios test_catch_states_runtime).
      {{"States.Runtime"}, "States.Runtime", false},
      {{"States.DataLimitExceeded"}, "States.DataLimitExceeded", true},
  };
  for (const MatchCase& c : kCases) {
    EXPECT_EQ(ErrorMatches(c.equals, c.error), c.want) << c.equals[0] << " vs " << c.error;
  }
}

TEST(ErrorMatchingTest, StatesAllCatchesATaskResultOverTheQuota) {
  EXPECT_TRUE(ErrorMatches({"States.ALL"}, "States.DataLimitExceeded", /*from_task_result=*/true));
  EXPECT_FALSE(ErrorMatches({"States.ALL"}, "States.Runtime", /*from_task_result=*/true));
}

}  // namespace
}  // namespace timeslip::engine
