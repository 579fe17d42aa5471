// StartJobRun, GetJobRun, GetJobRuns, BatchStopJobRun on the virtual and manual clocks, driven by
// the behaviours' scripts, and their errors.
#include <gtest/gtest.h>

#include "tests/services/glue/glue_world.h"

namespace timeslip::services::glue {
namespace {

using testing::GlueWorld;
using testing::JobRequest;
using testing::Json;
using testing::kStart;

constexpr const char* kTwentyMinutes = R"({"glue": {"transform": {"latency": "20m"}}})";

TEST(GlueJobRunOpsTest, ARunGoesStartingRunningSucceededOnTheManualClock) {
  GlueWorld w(kTwentyMinutes);
  w.Ok("CreateJob", JobRequest("transform"));
  Json started =
      w.Ok("StartJobRun", {{"JobName", "transform"}, {"Arguments", {{"--day", "2024-01-01"}}}});
  const std::string id = started["JobRunId"];
  EXPECT_EQ(id.rfind("jr_", 0), 0u);
  Json run = w.Run("transform", id);
  EXPECT_EQ(run["JobRunState"], "RUNNING");
  EXPECT_EQ(run["StartedOn"], static_cast<double>(kStart));
  EXPECT_FALSE(run.contains("CompletedOn"));
  w.Advance(1199);
  EXPECT_EQ(w.Run("transform", id)["JobRunState"], "RUNNING");
  w.Advance(1);
  run = w.Run("transform", id);
  EXPECT_EQ(run["JobRunState"], "SUCCEEDED");
  EXPECT_EQ(run["Id"], id);
  EXPECT_EQ(run["JobName"], "transform");
  EXPECT_EQ(run["Arguments"], Json({{"--day", "2024-01-01"}}));
  EXPECT_EQ(run["CompletedOn"], static_cast<double>(kStart + 1200));
  EXPECT_EQ(run["ExecutionTime"], 1200);
  EXPECT_EQ(run["Timeout"], 2880);

  // The call log shows the API's call beside the tasks'.
  Json calls = w.Ok("GetFakeCalls", Json::object(), "timeslip")["calls"];
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["operation"], "StartJobRun");
  EXPECT_EQ(calls[0]["target"], "transform");
}

TEST(GlueJobRunOpsTest, OnTheVirtualClockARunEndsAtOnce) {
  GlueWorld w(kTwentyMinutes, engine::ClockMode::kVirtual);
  w.Ok("CreateJob", JobRequest("transform"));
  const std::string id = w.Ok("StartJobRun", {{"JobName", "transform"}})["JobRunId"];
  Json run = w.Run("transform", id);
  EXPECT_EQ(run["JobRunState"], "SUCCEEDED");
  EXPECT_EQ(run["ExecutionTime"], 1200);
}

TEST(GlueJobRunOpsTest, ScriptedFailuresAndTimeoutsEndTheRun) {
  GlueWorld w(R"({"glue": {"j": [{"latency": "5m", "error": "Boom", "cause": "bad row"},
                                 {"timeout": true},
                                 {"error": "Glue.ThrottlingException", "cause": "slow down"}]}})",
              engine::ClockMode::kVirtual);
  w.Ok("CreateJob",
       JobRequest("j", {{"Timeout", 30}, {"ExecutionProperty", {{"MaxConcurrentRuns", 5}}}}));
  Json failed = w.Run("j", w.Ok("StartJobRun", {{"JobName", "j"}})["JobRunId"]);
  EXPECT_EQ(failed["JobRunState"], "FAILED");
  EXPECT_EQ(failed["ErrorMessage"], "bad row");
  EXPECT_EQ(failed["ExecutionTime"], 300);
  Json timed_out = w.Run("j", w.Ok("StartJobRun", {{"JobName", "j"}})["JobRunId"]);
  EXPECT_EQ(timed_out["JobRunState"], "TIMEOUT");
  EXPECT_EQ(timed_out["ExecutionTime"], 1800);
  std::string message;
  EXPECT_EQ(w.ErrorOf("StartJobRun", {{"JobName", "j"}}, &message), "ThrottlingException");
  EXPECT_EQ(message, "slow down");
}

TEST(GlueJobRunOpsTest, TheRunTimeoutOverridesTheJobs) {
  GlueWorld w(R"({"glue": {"j": {"latency": "2h"}}})", engine::ClockMode::kVirtual);
  w.Ok("CreateJob", JobRequest("j"));
  Json run = w.Run("j", w.Ok("StartJobRun", {{"JobName", "j"}, {"Timeout", 60}})["JobRunId"]);
  EXPECT_EQ(run["JobRunState"], "TIMEOUT");
  EXPECT_EQ(run["Timeout"], 60);
}

TEST(GlueJobRunOpsTest, MaxConcurrentRunsRefusesOneMore) {
  GlueWorld w(kTwentyMinutes);
  w.Ok("CreateJob", JobRequest("transform", {{"ExecutionProperty", {{"MaxConcurrentRuns", 2}}}}));
  w.Ok("StartJobRun", {{"JobName", "transform"}});
  w.Ok("StartJobRun", {{"JobName", "transform"}});
  std::string message;
  EXPECT_EQ(w.ErrorOf("StartJobRun", {{"JobName", "transform"}}, &message),
            "ConcurrentRunsExceededException");
  EXPECT_EQ(message, "Concurrent runs exceeded for transform");
  w.Advance(1200);  // both end: room again
  w.Ok("StartJobRun", {{"JobName", "transform"}});
}

TEST(GlueJobRunOpsTest, StartRefusesAnUnknownJobAndBadInput) {
  GlueWorld w;
  EXPECT_EQ(w.ErrorOf("StartJobRun", {{"JobName", "nope"}}), "EntityNotFoundException");
  w.Ok("CreateJob", JobRequest("j"));
  EXPECT_EQ(w.ErrorOf("StartJobRun", Json::object()), "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("StartJobRun", {{"JobName", "j"}, {"Timeout", 0}}), "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("StartJobRun", {{"JobName", "j"}, {"Arguments", {"a"}}}),
            "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("StartJobRun", {{"JobName", "j"}, {"WorkerType", "huge"}}),
            "InvalidInputException");
  w.Ok("StartJobRun", {{"JobName", "j"}});  // still served
}

// What the fake cannot run is refused, naming the member, never run differently from Glue.
TEST(GlueJobRunOpsTest, RetriesAreRefusedNotRunAsSomethingElse) {
  GlueWorld w;
  std::string message;
  EXPECT_EQ(w.ErrorOf("CreateJob", JobRequest("j", {{"MaxRetries", 2}}), &message),
            "InvalidInputException");
  EXPECT_NE(message.find("MaxRetries"), std::string::npos) << message;
  w.Ok("CreateJob", JobRequest("j", {{"MaxRetries", 0}}));
  const std::string id = w.Ok("StartJobRun", {{"JobName", "j"}})["JobRunId"];
  EXPECT_EQ(w.ErrorOf("StartJobRun", {{"JobName", "j"}, {"JobRunId", id}}, &message),
            "InvalidInputException");
  EXPECT_NE(message.find("JobRunId"), std::string::npos) << message;
  EXPECT_EQ(w.ErrorOf("UpdateJob",
                      {{"JobName", "j"},
                       {"JobUpdate",
                        {{"Role", "r2"}, {"Command", {{"Name", "glueetl"}}}, {"MaxRetries", 1}}}},
                      &message),
            "InvalidInputException");
  EXPECT_NE(message.find("MaxRetries"), std::string::npos) << message;
}

TEST(GlueJobRunOpsTest, GetJobRunRefusesUnknownRunsAndJobs) {
  GlueWorld w;
  w.Ok("CreateJob", JobRequest("j"));
  const std::string id = w.Ok("StartJobRun", {{"JobName", "j"}})["JobRunId"];
  w.Ok("CreateJob", JobRequest("k"));
  EXPECT_EQ(w.ErrorOf("GetJobRun", {{"JobName", "k"}, {"RunId", id}}), "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("GetJobRun", {{"JobName", "j"}, {"RunId", "jr_nope"}}),
            "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("GetJobRun", {{"JobName", "j"}}), "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("GetJobRuns", {{"JobName", "never"}}), "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("GetJobRuns", Json::object()), "InvalidInputException");
}

TEST(GlueJobRunOpsTest, GetJobRunsPagesNewestFirst) {
  GlueWorld w(R"({"glue": {"j": {"latency": "1m"}}})", engine::ClockMode::kVirtual);
  w.Ok("CreateJob", JobRequest("j"));
  EXPECT_EQ(w.Ok("GetJobRuns", {{"JobName", "j"}})["JobRuns"], Json::array());
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(w.Ok("StartJobRun", {{"JobName", "j"}})["JobRunId"]);
  Json first = w.Ok("GetJobRuns", {{"JobName", "j"}, {"MaxResults", 2}});
  ASSERT_EQ(first["JobRuns"].size(), 2u);
  EXPECT_EQ(first["JobRuns"][0]["Id"], ids[2]);
  EXPECT_EQ(first["JobRuns"][1]["Id"], ids[1]);
  // A run started meanwhile does not shift the next page.
  w.Ok("StartJobRun", {{"JobName", "j"}});
  Json second = w.Ok("GetJobRuns", {{"JobName", "j"}, {"NextToken", first["NextToken"]}});
  ASSERT_EQ(second["JobRuns"].size(), 1u);
  EXPECT_EQ(second["JobRuns"][0]["Id"], ids[0]);
  EXPECT_FALSE(second.contains("NextToken"));
  EXPECT_EQ(w.ErrorOf("GetJobRuns", {{"JobName", "j"}, {"NextToken", "00"}}),
            "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("GetJobRuns", {{"JobName", "j"}, {"MaxResults", 1001}}),
            "InvalidInputException");
}

TEST(GlueJobRunOpsTest, BatchStopJobRunStopsActiveRunsAndReportsTheRest) {
  GlueWorld w(kTwentyMinutes);
  w.Ok("CreateJob", JobRequest("transform", {{"ExecutionProperty", {{"MaxConcurrentRuns", 2}}}}));
  const std::string done = w.Ok("StartJobRun", {{"JobName", "transform"}})["JobRunId"];
  w.Advance(1200);
  const std::string live = w.Ok("StartJobRun", {{"JobName", "transform"}})["JobRunId"];
  w.Advance(60);
  Json out =
      w.Ok("BatchStopJobRun", {{"JobName", "transform"}, {"JobRunIds", {live, done, "jr_nope"}}});
  EXPECT_EQ(out["SuccessfulSubmissions"],
            Json::array({{{"JobName", "transform"}, {"JobRunId", live}}}));
  ASSERT_EQ(out["Errors"].size(), 2u);
  EXPECT_EQ(out["Errors"][0]["JobRunId"], done);
  EXPECT_EQ(out["Errors"][0]["ErrorDetail"]["ErrorCode"], "InvalidInputException");
  EXPECT_EQ(out["Errors"][1]["JobRunId"], "jr_nope");
  EXPECT_EQ(out["Errors"][1]["ErrorDetail"]["ErrorCode"], "EntityNotFoundException");
  Json stopped = w.Run("transform", live);
  EXPECT_EQ(stopped["JobRunState"], "STOPPED");
  EXPECT_EQ(stopped["ExecutionTime"], 60);
  EXPECT_EQ(w.Run("transform", done)["JobRunState"], "SUCCEEDED");

  EXPECT_EQ(w.ErrorOf("BatchStopJobRun", {{"JobName", "transform"}, {"JobRunIds", Json::array()}}),
            "InvalidInputException");
  Json many = Json::array();
  for (int i = 0; i < 26; ++i) many.push_back("jr_" + std::to_string(i));
  EXPECT_EQ(w.ErrorOf("BatchStopJobRun", {{"JobName", "transform"}, {"JobRunIds", many}}),
            "InvalidInputException");
}

}  // namespace
}  // namespace timeslip::services::glue
