// The nightly pipeline's happy path, run twice with one seed, gives byte-identical histories;
// another seed draws other latencies. The approver is played here: it reads the task token from
// the Lambda fake's call log and answers 15 virtual minutes after the request went out.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "tests/integration/nightly_pipeline.h"

namespace timeslip::integration {
namespace {

using std::chrono::minutes;

struct NightRun {
  std::string status;
  std::string history;  // Execution::HistoryJson().dump()
  std::string calls;    // the fakes' call log
};

NightRun RunHappyNight(std::uint64_t seed) {
  NightlyPipeline night(seed);
  engine::Execution& run = night.Start("2024-01-01");
  EXPECT_TRUE(night.RunUntilApprovalWaits()) << EnteredStates(run);
  const std::string token = night.ApprovalToken();
  night.RunFor(night.ApprovalSubmittedAt() + minutes(15) - night.emulator().clock().Now());
  json::Status approved =
      night.emulator().SendTaskSuccess(token, R"({"approved": true, "approver": "dana"})");
  EXPECT_TRUE(approved.ok()) << (approved.ok() ? "" : approved.error().message);
  night.RunToCompletion();
  return {std::string(engine::StatusName(run.status())), run.HistoryJson().dump(),
          night.fakes().CallsJson().dump()};
}

TEST(NightlyDeterminismTest, SameSeedGivesByteIdenticalHistories) {
  NightRun first = RunHappyNight(7);
  NightRun second = RunHappyNight(7);
  EXPECT_EQ(first.status, "SUCCEEDED");
  EXPECT_GT(first.history.size(), 10000u);  // the whole night, not an empty history
  EXPECT_EQ(first.history, second.history);
  EXPECT_EQ(first.calls, second.calls);
}

TEST(NightlyDeterminismTest, AnotherSeedDrawsOtherLatenciesAndIds) {
  // extract-inventory and transform-inventory have log-normal latencies; run ids and task tokens
  // come from the seeded generator too.
  NightRun a = RunHappyNight(7);
  NightRun b = RunHappyNight(8);
  EXPECT_EQ(a.status, "SUCCEEDED");
  EXPECT_EQ(b.status, "SUCCEEDED");
  EXPECT_NE(a.history, b.history);
}

}  // namespace
}  // namespace timeslip::integration
