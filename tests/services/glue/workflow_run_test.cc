// Glue workflow runs on the virtual clock: triggers firing as job runs end, completion and its
// statistics, run properties, stopping, resuming, MaxConcurrentRuns, scheduled runs, a restart
// through the journal, and one seed giving the same run byte for byte.
#include <gtest/gtest.h>

#include <string>

#include "emulator/host/recovery.h"
#include "emulator/store/memory_store.h"
#include "tests/services/glue/workflow_fixture.h"

namespace timeslip::services::glue {
namespace {

using testing::Actions;
using testing::Condition;
using testing::CreateNightly;
using testing::GlueWorld;
using testing::JobNode;
using testing::Json;
using testing::kStart;

// extract takes 20 minutes, load 5.
constexpr const char* kNightly = R"({"glue": {"extract": {"latency": "20m"},
                                              "load": {"latency": "5m"}}})";

Json RunOf(GlueWorld& w, const std::string& id, bool graph = true) {
  return w.Ok("GetWorkflowRun",
              {{"Name", "nightly"}, {"RunId", id}, {"IncludeGraph", graph}})["Run"];
}

std::string Start(GlueWorld& w, Json properties = Json::object()) {
  Json in = {{"Name", "nightly"}};
  if (!properties.empty()) in["RunProperties"] = std::move(properties);
  return w.Ok("StartWorkflowRun", in)["RunId"];
}

TEST(GlueWorkflowRunTest, ARunFiresItsTriggersAndCompletesWithStatistics) {
  GlueWorld w(kNightly);
  CreateNightly(w);
  const std::string id = Start(w, {{"day", "2024-01-01"}});
  ASSERT_EQ(id.size(), 3u + 64u);
  EXPECT_TRUE(id.starts_with("wr_"));

  Json run = RunOf(w, id);
  EXPECT_EQ(run["Status"], "RUNNING");
  EXPECT_EQ(run["WorkflowRunProperties"], Json({{"day", "2024-01-01"}, {"env", "dev"}}));
  EXPECT_EQ(run["StartedOn"], static_cast<double>(kStart));
  EXPECT_FALSE(run.contains("CompletedOn"));
  EXPECT_EQ(run["Statistics"]["TotalActions"], 1);
  EXPECT_EQ(run["Statistics"]["RunningActions"], 1);
  Json extract = JobNode(run, "extract")["JobDetails"]["JobRuns"];
  ASSERT_EQ(extract.size(), 1u);
  EXPECT_EQ(extract[0]["TriggerName"], "start");
  EXPECT_EQ(extract[0]["Arguments"],
            Json({{"--mode", "full"}, {"--WORKFLOW_NAME", "nightly"}, {"--WORKFLOW_RUN_ID", id}}));
  EXPECT_FALSE(JobNode(run, "load").contains("JobDetails"));

  w.Advance(1200);  // extract succeeds; "then" starts load
  run = RunOf(w, id);
  EXPECT_EQ(run["Status"], "RUNNING");
  Json load = JobNode(run, "load")["JobDetails"]["JobRuns"];
  ASSERT_EQ(load.size(), 1u);
  EXPECT_EQ(load[0]["TriggerName"], "then");
  EXPECT_EQ(load[0]["StartedOn"], static_cast<double>(kStart + 1200));

  w.Advance(300);
  run = RunOf(w, id, false);
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_EQ(run["CompletedOn"], static_cast<double>(kStart + 1500));
  EXPECT_FALSE(run.contains("Graph"));
  EXPECT_EQ(run["Statistics"], Json({{"TotalActions", 2},
                                     {"TimeoutActions", 0},
                                     {"FailedActions", 0},
                                     {"StoppedActions", 0},
                                     {"SucceededActions", 2},
                                     {"RunningActions", 0},
                                     {"ErroredActions", 0},
                                     {"WaitingActions", 0}}));
  // GetWorkflow's LastRun and GetWorkflowRuns show it too.
  EXPECT_EQ(w.Ok("GetWorkflow", {{"Name", "nightly"}})["Workflow"]["LastRun"]["WorkflowRunId"], id);
  EXPECT_EQ(w.Ok("GetWorkflowRuns", {{"Name", "nightly"}})["Runs"][0]["WorkflowRunId"], id);
}

TEST(GlueWorkflowRunTest, AFailedJobCompletesTheRunWithAFailedAction) {
  GlueWorld w(R"({"glue": {"extract": {"latency": "2m", "error": "Boom", "cause": "bad row"}}})",
              engine::ClockMode::kVirtual);
  CreateNightly(w);
  const std::string id = Start(w);  // the virtual clock runs it to its end at once
  Json run = RunOf(w, id);
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_EQ(run["CompletedOn"], static_cast<double>(kStart + 120));
  EXPECT_EQ(run["Statistics"]["TotalActions"], 1);
  EXPECT_EQ(run["Statistics"]["FailedActions"], 1);
  EXPECT_EQ(run["Statistics"]["SucceededActions"], 0);
  EXPECT_EQ(JobNode(run, "extract")["JobDetails"]["JobRuns"][0]["ErrorMessage"], "bad row");
}

TEST(GlueWorkflowRunTest, RunPropertiesMergeDefaultsTheRunsAndPutOnes) {
  GlueWorld w(kNightly);
  CreateNightly(w);
  const std::string id = Start(w, {{"day", "2024-01-01"}});
  EXPECT_EQ(
      w.Ok("PutWorkflowRunProperties", {{"Name", "nightly"},
                                        {"RunId", id},
                                        {"RunProperties", {{"rows", "42"}, {"env", "prod"}}}}),
      Json::object());
  EXPECT_EQ(w.Ok("GetWorkflowRunProperties", {{"Name", "nightly"}, {"RunId", id}}),
            Json({{"RunProperties", {{"day", "2024-01-01"}, {"env", "prod"}, {"rows", "42"}}}}));
  // The workflow's defaults are untouched.
  EXPECT_EQ(w.Ok("GetWorkflow", {{"Name", "nightly"}})["Workflow"]["DefaultRunProperties"],
            Json({{"day", "today"}, {"env", "dev"}}));
  EXPECT_EQ(w.ErrorOf("GetWorkflowRunProperties", {{"Name", "nightly"}, {"RunId", "wr_nope"}}),
            "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("PutWorkflowRunProperties",
                      {{"Name", "nightly"}, {"RunId", id}, {"RunProperties", {{"k", 1}}}}),
            "InvalidInputException");
}

TEST(GlueWorkflowRunTest, StopWorkflowRunStopsItsJobRuns) {
  GlueWorld w(kNightly);
  CreateNightly(w);
  const std::string id = Start(w);
  w.Advance(60);
  EXPECT_EQ(w.Ok("StopWorkflowRun", {{"Name", "nightly"}, {"RunId", id}}), Json::object());
  Json run = RunOf(w, id);
  EXPECT_EQ(run["Status"], "STOPPED");
  EXPECT_EQ(run["CompletedOn"], static_cast<double>(kStart + 60));
  EXPECT_EQ(run["Statistics"]["StoppedActions"], 1);
  EXPECT_EQ(JobNode(run, "extract")["JobDetails"]["JobRuns"][0]["JobRunState"], "STOPPED");
  w.Advance(3600);  // nothing fires after a stop
  EXPECT_TRUE(w.Ok("GetJobRuns", {{"JobName", "load"}})["JobRuns"].empty());
  std::string message;
  EXPECT_EQ(w.ErrorOf("StopWorkflowRun", {{"Name", "nightly"}, {"RunId", id}}, &message),
            "IllegalWorkflowStateException");
  EXPECT_NE(message.find("STOPPED"), std::string::npos) << message;
  EXPECT_EQ(w.ErrorOf("StopWorkflowRun", {{"Name", "nightly"}, {"RunId", "wr_nope"}}),
            "EntityNotFoundException");
}

TEST(GlueWorkflowRunTest, MaxConcurrentRunsRefusesOneMore) {
  GlueWorld w(kNightly);
  CreateNightly(w, "nightly", {{"MaxConcurrentRuns", 1}});
  const std::string first = Start(w);
  std::string message;
  EXPECT_EQ(w.ErrorOf("StartWorkflowRun", {{"Name", "nightly"}}, &message),
            "ConcurrentRunsExceededException");
  EXPECT_NE(message.find("nightly"), std::string::npos);
  w.Advance(1500);
  EXPECT_EQ(RunOf(w, first)["Status"], "COMPLETED");
  Start(w);  // room again
  EXPECT_EQ(w.Ok("GetWorkflowRuns", {{"Name", "nightly"}})["Runs"].size(), 2u);
}

TEST(GlueWorkflowRunTest, StartRefusals) {
  GlueWorld w(kNightly);
  CreateNightly(w);
  w.Ok("CreateWorkflow", {{"Name", "empty"}});
  EXPECT_EQ(w.ErrorOf("StartWorkflowRun", {{"Name", "nope"}}), "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("StartWorkflowRun", {{"Name", "empty"}}), "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("StartWorkflowRun", {{"Name", "nightly"}, {"RunProperties", "x"}}),
            "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("GetWorkflowRun", {{"Name", "nightly"}, {"RunId", "wr_x"}}),
            "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("GetWorkflowRuns", {{"Name", "nope"}}), "EntityNotFoundException");
  Start(w);
}

TEST(GlueWorkflowRunTest, ResumeRerunsTheFailedNodeAndWhatFollowsInANewRun) {
  GlueWorld w(R"({"glue": {"extract": [{"latency": "2m", "error": "Boom", "cause": "bad row"},
                                       {"latency": "10m"}],
                           "load": {"latency": "5m"}}})");
  CreateNightly(w);
  const std::string id = Start(w, {{"day", "d1"}});
  std::string message;
  EXPECT_EQ(w.ErrorOf("ResumeWorkflowRun",
                      {{"Name", "nightly"}, {"RunId", id}, {"NodeIds", {"whatever"}}}, &message),
            "IllegalWorkflowStateException");
  w.Advance(120);
  Json failed = RunOf(w, id);
  ASSERT_EQ(failed["Status"], "COMPLETED");
  EXPECT_EQ(failed["Statistics"]["FailedActions"], 1);
  const std::string extract_node = JobNode(failed, "extract")["UniqueId"];
  const std::string load_node = JobNode(failed, "load")["UniqueId"];

  // load never ran in that run: it has no run attempt to restart.
  EXPECT_EQ(w.ErrorOf("ResumeWorkflowRun",
                      {{"Name", "nightly"}, {"RunId", id}, {"NodeIds", {load_node}}}, &message),
            "InvalidInputException");
  EXPECT_NE(message.find(load_node), std::string::npos) << message;

  Json resumed =
      w.Ok("ResumeWorkflowRun", {{"Name", "nightly"}, {"RunId", id}, {"NodeIds", {extract_node}}});
  const std::string again = resumed["RunId"];
  EXPECT_NE(again, id);  // "Each resume of a workflow run will have a new run ID."
  EXPECT_EQ(resumed["NodeIds"], Json({extract_node}));
  w.Advance(600 + 300);
  Json run = RunOf(w, again);
  EXPECT_EQ(run["PreviousRunId"], id);
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_EQ(run["WorkflowRunProperties"], Json({{"day", "d1"}, {"env", "dev"}}));
  EXPECT_EQ(run["Statistics"]["SucceededActions"], 2);
  Json rerun = JobNode(run, "extract")["JobDetails"]["JobRuns"][0];
  EXPECT_EQ(rerun["Arguments"]["--WORKFLOW_RUN_ID"], again);
  EXPECT_EQ(rerun["Arguments"]["--mode"], "full");
  EXPECT_EQ(JobNode(run, "load")["JobDetails"]["JobRuns"][0]["JobRunState"], "SUCCEEDED");
  // The original run is left as it ended.
  EXPECT_EQ(RunOf(w, id)["Statistics"]["FailedActions"], 1);
}

TEST(GlueWorkflowRunTest, AScheduledStartingTriggerStartsARunAtEachTime) {
  GlueWorld w(kNightly);
  w.Ok("CreateJob", testing::JobRequest("extract"));
  w.Ok("CreateWorkflow", {{"Name", "nightly"}});
  w.Ok("CreateTrigger", {{"Name", "at-one"},
                         {"WorkflowName", "nightly"},
                         {"Type", "SCHEDULED"},
                         {"Schedule", "cron(0 1 * * ? *)"},
                         {"StartOnCreation", true},
                         {"Actions", Actions("extract")}});
  w.Advance(2 * 86400);
  Json runs = w.Ok("GetWorkflowRuns", {{"Name", "nightly"}})["Runs"];
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1]["StartedOn"], static_cast<double>(kStart + 3600));
  EXPECT_EQ(runs[0]["StartedOn"], static_cast<double>(kStart + 86400 + 3600));
  EXPECT_EQ(runs[0]["Status"], "COMPLETED");
}

TEST(GlueWorkflowRunTest, ARunInProgressSurvivesARestartThroughTheJournal) {
  store::MemoryStore store;
  std::string id;
  {
    GlueWorld first(kNightly, engine::ClockMode::kManual, &store);
    CreateNightly(first);
    id = Start(first, {{"day", "d"}});
    first.Advance(1200 + 60);  // load is running
    first.Ok("PutWorkflowRunProperties",
             {{"Name", "nightly"}, {"RunId", id}, {"RunProperties", {{"rows", "7"}}}});
  }
  GlueWorld second("", engine::ClockMode::kManual, &store);
  json::Result<host::RecoveryReport> report = host::Recover(second.world().host());
  ASSERT_TRUE(report.ok()) << report.error().message;
  Json run = RunOf(second, id);
  EXPECT_EQ(run["Status"], "RUNNING");
  EXPECT_EQ(run["WorkflowRunProperties"], Json({{"day", "d"}, {"env", "dev"}, {"rows", "7"}}));
  EXPECT_EQ(run["Statistics"]["RunningActions"], 1);
  second.Advance(240);
  run = RunOf(second, id);
  EXPECT_EQ(run["Status"], "COMPLETED");
  EXPECT_EQ(run["CompletedOn"], static_cast<double>(kStart + 1500));
  EXPECT_EQ(run["Statistics"]["SucceededActions"], 2);
}

TEST(GlueWorkflowRunTest, OneSeedGivesTheSameRunByteForByte) {
  auto play = [] {
    GlueWorld w(kNightly, engine::ClockMode::kVirtual);
    CreateNightly(w);
    const std::string id = Start(w, {{"day", "d"}});
    return w.Ok("GetWorkflow", {{"Name", "nightly"}, {"IncludeGraph", true}}).dump() +
           RunOf(w, id).dump();
  };
  const std::string first = play();
  EXPECT_NE(first.find("COMPLETED"), std::string::npos);
  EXPECT_EQ(first, play());
}

}  // namespace
}  // namespace timeslip::services::glue
