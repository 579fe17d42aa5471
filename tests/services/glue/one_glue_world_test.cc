// One Glue world: a job created through the Glue API is the job a Step Functions
// glue:startJobRun.sync task runs; runs started either way share the listing and the
// MaxConcurrentRuns count; and the API's jobs and runs survive a restart through the journal.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "emulator/host/recovery.h"
#include "emulator/store/memory_store.h"
#include "tests/services/glue/glue_world.h"

namespace timeslip::services::glue {
namespace {

using testing::GlueWorld;
using testing::JobRequest;
using testing::Json;
using testing::kStart;

constexpr const char* kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

std::string SyncMachine(std::string_view job) {
  return fmt::format(R"({{"StartAt":"T","States":{{"T":{{"Type":"Task",
      "Resource":"arn:aws:states:::glue:startJobRun.sync",
      "Parameters":{{"JobName":"{}","Arguments":{{"--from":"sfn"}}}},"End":true}}}}}})",
                     job);
}

std::string StartExecution(GlueWorld& w, std::string_view job, std::string_view name) {
  if (!w.Call("DescribeStateMachine", {{"stateMachineArn", kMachineArn}}, "states").ok()) {
    w.Ok("CreateStateMachine",
         {{"name", "m"},
          {"roleArn", "arn:aws:iam::123456789012:role/sfn"},
          {"definition", SyncMachine(job)}},
         "states");
  }
  return w.Ok("StartExecution", {{"stateMachineArn", kMachineArn}, {"name", name}},
              "states")["executionArn"];
}

TEST(OneGlueWorldTest, ATaskRunsTheJobTheApiCreatedAndItsRunIsListed) {
  GlueWorld w(R"({"glue": {"nightly": {"latency": "2h"}},
                  "glueJobs": {"nightly": {"Timeout": 600}}})",
              engine::ClockMode::kVirtual);
  // The API's job wins over the fakes' "glueJobs": its 60-minute Timeout ends the run.
  w.Ok("CreateJob", JobRequest("nightly", {{"Timeout", 60}}));
  const std::string arn = StartExecution(w, "nightly", "e1");
  Json described = w.Ok("DescribeExecution", {{"executionArn", arn}}, "states");
  EXPECT_EQ(described["status"], "FAILED");

  Json runs = w.Ok("GetJobRuns", {{"JobName", "nightly"}})["JobRuns"];
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["JobRunState"], "TIMEOUT");
  EXPECT_EQ(runs[0]["Timeout"], 60);
  EXPECT_EQ(runs[0]["ExecutionTime"], 3600);
  EXPECT_EQ(runs[0]["Arguments"], Json({{"--from", "sfn"}}));
  EXPECT_EQ(w.Run("nightly", runs[0]["Id"])["StartedOn"], static_cast<double>(kStart));
}

TEST(OneGlueWorldTest, RunsOfBothSidesCountAgainstMaxConcurrentRuns) {
  GlueWorld w(R"({"glue": {"nightly": {"latency": "20m"}}})");
  w.Ok("CreateJob", JobRequest("nightly"));  // MaxConcurrentRuns 1
  w.Ok("StartJobRun", {{"JobName", "nightly"}});
  const std::string arn = StartExecution(w, "nightly", "e1");
  Json described = w.Ok("DescribeExecution", {{"executionArn", arn}}, "states");
  EXPECT_EQ(described["status"], "FAILED");
  EXPECT_EQ(described["error"], "Glue.ConcurrentRunsExceededException");
  // And the other way round: a task's run fills the job.
  w.Advance(1200);
  const std::string second = StartExecution(w, "nightly", "e2");
  EXPECT_EQ(w.ErrorOf("StartJobRun", {{"JobName", "nightly"}}), "ConcurrentRunsExceededException");
  Json runs = w.Ok("GetJobRuns", {{"JobName", "nightly"}})["JobRuns"];
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["JobRunState"], "RUNNING");
  // Stopping the task's run through the API fails the task.
  w.Ok("BatchStopJobRun", {{"JobName", "nightly"}, {"JobRunIds", {runs[0]["Id"]}}});
  EXPECT_EQ(w.Ok("DescribeExecution", {{"executionArn", second}}, "states")["status"], "FAILED");
}

TEST(OneGlueWorldTest, JobsNobodyCreatedKeepTodaysDefaultsAndTheirRunsAreListed) {
  GlueWorld w(
      R"({"glueJobs": {"implicit": {"Timeout": 5}}, "glue": {"implicit": {"latency": "1h"}}})",
      engine::ClockMode::kVirtual);
  StartExecution(w, "implicit", "e1");
  Json runs = w.Ok("GetJobRuns", {{"JobName", "implicit"}})["JobRuns"];
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["JobRunState"], "TIMEOUT");
  EXPECT_EQ(runs[0]["Timeout"], 5);
  EXPECT_EQ(w.ErrorOf("GetJob", {{"JobName", "implicit"}}), "EntityNotFoundException");
  // Deleting an API job hands the name back to the fakes' definition.
  w.Ok("CreateJob", JobRequest("implicit", {{"Timeout", 90}}));
  EXPECT_EQ(w.world().fakes().glue().Job("implicit").timeout_minutes, 90);
  w.Ok("DeleteJob", {{"JobName", "implicit"}});
  EXPECT_EQ(w.world().fakes().glue().Job("implicit").timeout_minutes, 5);
}

TEST(OneGlueWorldTest, JobsAndRunsSurviveARestartThroughTheJournal) {
  store::MemoryStore store;
  std::string id;
  {
    GlueWorld first(R"({"glue": {"j": {"latency": "20m"}}})", engine::ClockMode::kManual, &store);
    first.Ok("CreateJob", JobRequest("j", {{"Timeout", 45}}));
    id = first.Ok("StartJobRun", {{"JobName", "j"}, {"Arguments", {{"--a", "1"}}}})["JobRunId"];
    first.Advance(60);
  }
  GlueWorld second("", engine::ClockMode::kManual, &store);
  json::Result<host::RecoveryReport> report = host::Recover(second.world().host());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(second.Ok("GetJob", {{"JobName", "j"}})["Job"]["Timeout"], 45);
  Json run = second.Run("j", id);
  EXPECT_EQ(run["JobRunState"], "RUNNING");
  EXPECT_EQ(run["Arguments"], Json({{"--a", "1"}}));
  second.Advance(1140);
  EXPECT_EQ(second.Run("j", id)["JobRunState"], "SUCCEEDED");
  EXPECT_EQ(second.Run("j", id)["ExecutionTime"], 1200);
}

}  // namespace
}  // namespace timeslip::services::glue
