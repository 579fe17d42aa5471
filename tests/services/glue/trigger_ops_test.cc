// Glue triggers outside and inside workflows: their shapes, how each type fires on the virtual
// clock, and every refusal with Glue's error name and a message naming the member.
#include <gtest/gtest.h>

#include <string>

#include "tests/services/glue/workflow_fixture.h"

namespace timeslip::services::glue {
namespace {

using testing::Actions;
using testing::Condition;
using testing::GlueWorld;
using testing::JobRequest;
using testing::Json;

constexpr const char* kJobs = R"({"glue": {"a": {"latency": "10m"}, "b": {"latency": "5m"},
                                           "c": {"latency": "1m"}}})";

void CreateJobs(GlueWorld& w) {
  for (const char* job : {"a", "b", "c"}) {
    w.Ok("CreateJob", JobRequest(job, {{"ExecutionProperty", {{"MaxConcurrentRuns", 10}}}}));
  }
}

TEST(GlueTriggerOpsTest, AnOnDemandTriggerHasAwsShapeAndRunsItsActions) {
  GlueWorld w(kJobs);
  CreateJobs(w);
  EXPECT_EQ(w.Ok("CreateTrigger", {{"Name", "go"},
                                   {"Type", "ON_DEMAND"},
                                   {"Description", "by hand"},
                                   {"Actions",
                                    {{{"JobName", "a"}, {"Arguments", {{"--x", "1"}}}},
                                     {{"JobName", "b"}, {"Timeout", 3}}}}}),
            Json({{"Name", "go"}}));
  Json trigger = w.Ok("GetTrigger", {{"Name", "go"}})["Trigger"];
  EXPECT_EQ(trigger.dump(), Json({{"Name", "go"},
                                  {"Type", "ON_DEMAND"},
                                  {"State", "CREATED"},
                                  {"Description", "by hand"},
                                  {"Actions",
                                   {{{"JobName", "a"}, {"Arguments", {{"--x", "1"}}}},
                                    {{"JobName", "b"}, {"Timeout", 3}}}}})
                                .dump());

  EXPECT_EQ(w.Ok("StartTrigger", {{"Name", "go"}}), Json({{"Name", "go"}}));
  Json a = w.Ok("GetJobRuns", {{"JobName", "a"}})["JobRuns"];
  Json b = w.Ok("GetJobRuns", {{"JobName", "b"}})["JobRuns"];
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0]["TriggerName"], "go");
  EXPECT_EQ(a[0]["Arguments"], Json({{"--x", "1"}}));  // no workflow: no --WORKFLOW_* arguments
  EXPECT_EQ(b[0]["Timeout"], 3);
  // b's 5 minutes outlast its 3-minute Timeout.
  w.Advance(600);
  EXPECT_EQ(w.Run("b", b[0]["Id"])["JobRunState"], "TIMEOUT");
  EXPECT_EQ(w.Run("a", a[0]["Id"])["JobRunState"], "SUCCEEDED");
}

TEST(GlueTriggerOpsTest, StartTriggerAnswersTheJobsRefusal) {
  GlueWorld w(kJobs);
  w.Ok("CreateJob", JobRequest("a"));  // MaxConcurrentRuns 1
  w.Ok("CreateTrigger", {{"Name", "go"}, {"Type", "ON_DEMAND"}, {"Actions", Actions("a")}});
  w.Ok("StartTrigger", {{"Name", "go"}});
  EXPECT_EQ(w.ErrorOf("StartTrigger", {{"Name", "go"}}), "ConcurrentRunsExceededException");
  w.Advance(600);
  w.Ok("StartTrigger", {{"Name", "go"}});
  EXPECT_EQ(w.Ok("GetJobRuns", {{"JobName", "a"}})["JobRuns"].size(), 2u);
}

TEST(GlueTriggerOpsTest, AConditionalTriggerFiresOnlyWhileActivated) {
  GlueWorld w(kJobs);
  CreateJobs(w);
  w.Ok("CreateTrigger",
       {{"Name", "after-a-and-b"},
        {"Type", "CONDITIONAL"},
        {"Predicate",
         {{"Logical", "AND"},
          {"Conditions", {Condition("a", "SUCCEEDED"), Condition("b", "SUCCEEDED")}}}},
        {"Actions", Actions("c")}});
  EXPECT_EQ(w.Ok("GetTrigger", {{"Name", "after-a-and-b"}})["Trigger"]["State"], "CREATED");
  w.Ok("StartJobRun", {{"JobName", "a"}});
  w.Ok("StartJobRun", {{"JobName", "b"}});
  w.Advance(600);
  EXPECT_TRUE(w.Ok("GetJobRuns", {{"JobName", "c"}})["JobRuns"].empty());  // not activated

  w.Ok("StartTrigger", {{"Name", "after-a-and-b"}});
  EXPECT_EQ(w.Ok("GetTrigger", {{"Name", "after-a-and-b"}})["Trigger"]["State"], "ACTIVATED");
  w.Ok("StartJobRun", {{"JobName", "a"}});
  w.Advance(600);
  EXPECT_TRUE(w.Ok("GetJobRuns", {{"JobName", "c"}})["JobRuns"].empty());  // AND: b too
  w.Ok("StartJobRun", {{"JobName", "b"}});
  w.Advance(300);
  Json c = w.Ok("GetJobRuns", {{"JobName", "c"}})["JobRuns"];
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0]["TriggerName"], "after-a-and-b");

  w.Ok("StopTrigger", {{"Name", "after-a-and-b"}});
  EXPECT_EQ(w.Ok("GetTrigger", {{"Name", "after-a-and-b"}})["Trigger"]["State"], "DEACTIVATED");
  w.Ok("StartJobRun", {{"JobName", "a"}});
  w.Ok("StartJobRun", {{"JobName", "b"}});
  w.Advance(600);
  EXPECT_EQ(w.Ok("GetJobRuns", {{"JobName", "c"}})["JobRuns"].size(), 1u);
}

TEST(GlueTriggerOpsTest, AnAnyPredicateFiresOnTheFirstMatchingEnd) {
  GlueWorld w(R"({"glue": {"a": {"latency": "1m", "error": "Boom", "cause": "bad"},
                           "b": {"latency": "5m"}, "c": {"latency": "1m"}}})");
  CreateJobs(w);
  w.Ok(
      "CreateTrigger",
      {{"Name", "on-failure"},
       {"Type", "CONDITIONAL"},
       {"StartOnCreation", true},
       {"Predicate",
        {{"Logical", "ANY"}, {"Conditions", {Condition("a", "FAILED"), Condition("b", "FAILED")}}}},
       {"Actions", Actions("c")}});
  w.Ok("StartJobRun", {{"JobName", "a"}});
  w.Advance(60);
  Json c = w.Ok("GetJobRuns", {{"JobName", "c"}})["JobRuns"];
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0]["StartedOn"], static_cast<double>(testing::kStart + 60));
}

TEST(GlueTriggerOpsTest, AScheduledTriggerFiresOnItsCronUntilStopped) {
  GlueWorld w(kJobs);
  CreateJobs(w);
  w.Ok("CreateTrigger", {{"Name", "hourly"},
                         {"Type", "SCHEDULED"},
                         {"Schedule", "cron(30 * * * ? *)"},
                         {"StartOnCreation", true},
                         {"Actions", Actions("c")}});
  Json trigger = w.Ok("GetTrigger", {{"Name", "hourly"}})["Trigger"];
  EXPECT_EQ(trigger["State"], "ACTIVATED");
  EXPECT_EQ(trigger["Schedule"], "cron(30 * * * ? *)");
  w.Advance(1799);
  EXPECT_TRUE(w.Ok("GetJobRuns", {{"JobName", "c"}})["JobRuns"].empty());
  w.Advance(1 + 3 * 3600);  // 00:30, 01:30, 02:30, 03:30
  Json runs = w.Ok("GetJobRuns", {{"JobName", "c"}})["JobRuns"];
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs[3]["StartedOn"], static_cast<double>(testing::kStart + 1800));
  EXPECT_EQ(runs[0]["StartedOn"], static_cast<double>(testing::kStart + 1800 + 3 * 3600));
  w.Ok("StopTrigger", {{"Name", "hourly"}});
  w.Advance(7200);
  EXPECT_EQ(w.Ok("GetJobRuns", {{"JobName", "c"}})["JobRuns"].size(), 4u);
  // Deleting an activated trigger ends its schedule too.
  w.Ok("StartTrigger", {{"Name", "hourly"}});
  w.Ok("DeleteTrigger", {{"Name", "hourly"}});
  w.Advance(7200);
  EXPECT_EQ(w.Ok("GetJobRuns", {{"JobName", "c"}})["JobRuns"].size(), 4u);
}

TEST(GlueTriggerOpsTest, ListingsFilterByDependentJobAndTags) {
  GlueWorld w(kJobs);
  CreateJobs(w);
  w.Ok("CreateTrigger", {{"Name", "t1"},
                         {"Type", "ON_DEMAND"},
                         {"Actions", Actions("a")},
                         {"Tags", {{"team", "x"}}}});
  w.Ok("CreateTrigger", {{"Name", "t2"}, {"Type", "ON_DEMAND"}, {"Actions", Actions("b")}});
  w.Ok("CreateTrigger", {{"Name", "t3"}, {"Type", "ON_DEMAND"}, {"Actions", Actions("b")}});
  Json got = w.Ok("GetTriggers", {{"DependentJobName", "b"}});
  ASSERT_EQ(got["Triggers"].size(), 2u);
  EXPECT_EQ(got["Triggers"][0]["Name"], "t2");
  // "If there is no such trigger, all triggers are returned."
  EXPECT_EQ(w.Ok("GetTriggers", {{"DependentJobName", "c"}})["Triggers"].size(), 3u);
  EXPECT_EQ(w.Ok("ListTriggers", Json::object())["TriggerNames"], Json({"t1", "t2", "t3"}));
  EXPECT_EQ(w.Ok("ListTriggers", {{"Tags", {{"team", "x"}}}})["TriggerNames"], Json({"t1"}));
  Json first = w.Ok("ListTriggers", {{"MaxResults", 2}});
  EXPECT_EQ(first["TriggerNames"], Json({"t1", "t2"}));
  Json second = w.Ok("ListTriggers", {{"MaxResults", 2}, {"NextToken", first["NextToken"]}});
  EXPECT_EQ(second["TriggerNames"], Json({"t3"}));
  EXPECT_FALSE(second.contains("NextToken"));
}

TEST(GlueTriggerOpsTest, UpdateReplacesTheDefinitionAndKeepsTheState) {
  GlueWorld w(kJobs);
  CreateJobs(w);
  w.Ok("CreateTrigger", {{"Name", "t"},
                         {"Type", "CONDITIONAL"},
                         {"StartOnCreation", true},
                         {"Predicate", {{"Conditions", {Condition("a", "SUCCEEDED")}}}},
                         {"Actions", Actions("b")}});
  Json updated = w.Ok(
      "UpdateTrigger",
      {{"Name", "t"}, {"TriggerUpdate", {{"Description", "now c"}, {"Actions", Actions("c")}}}});
  EXPECT_EQ(updated["Trigger"]["Actions"], Actions("c"));
  EXPECT_EQ(updated["Trigger"]["State"], "ACTIVATED");
  EXPECT_EQ(updated["Trigger"]["Predicate"]["Conditions"][0]["JobName"], "a");
  w.Ok("StartJobRun", {{"JobName", "a"}});
  w.Advance(600);
  EXPECT_EQ(w.Ok("GetJobRuns", {{"JobName", "c"}})["JobRuns"].size(), 1u);
  EXPECT_TRUE(w.Ok("GetJobRuns", {{"JobName", "b"}})["JobRuns"].empty());
  // DeleteTrigger has no EntityNotFoundException: a missing trigger is no error.
  EXPECT_EQ(w.Ok("DeleteTrigger", {{"Name", "t"}}), Json({{"Name", "t"}}));
  EXPECT_EQ(w.Ok("DeleteTrigger", {{"Name", "t"}}), Json({{"Name", "t"}}));
}

struct Refusal {
  const char* what;
  Json request;
  const char* error;
  const char* says;  // a part of the message
};

TEST(GlueTriggerOpsTest, RefusalsCarryGluesNamesAndNameTheMember) {
  GlueWorld w(kJobs);
  CreateJobs(w);
  w.Ok("CreateWorkflow", {{"Name", "wf"}});
  w.Ok("CreateTrigger", {{"Name", "taken"},
                         {"WorkflowName", "wf"},
                         {"Type", "ON_DEMAND"},
                         {"Actions", Actions("a")}});
  const Json crawl = {
      {"LogicalOperator", "EQUALS"}, {"CrawlerName", "c"}, {"CrawlState", "SUCCEEDED"}};
  const Refusal cases[] = {
      {"no type", {{"Name", "t"}, {"Actions", Actions("a")}}, "InvalidInputException", "'type'"},
      {"no actions", {{"Name", "t"}, {"Type", "ON_DEMAND"}}, "InvalidInputException", "'actions'"},
      {"bad type",
       {{"Name", "t"}, {"Type", "SOMETIMES"}, {"Actions", Actions("a")}},
       "InvalidInputException",
       "enum value set"},
      {"event",
       {{"Name", "t"}, {"Type", "EVENT"}, {"Actions", Actions("a")}},
       "InvalidInputException",
       "Type EVENT"},
      {"batching",
       {{"Name", "t"},
        {"Type", "ON_DEMAND"},
        {"Actions", Actions("a")},
        {"EventBatchingCondition", {{"BatchSize", 1}}}},
       "InvalidInputException",
       "EventBatchingCondition"},
      {"crawler action",
       {{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", {{{"CrawlerName", "c"}}}}},
       "InvalidInputException",
       "Actions[0].CrawlerName"},
      {"crawler condition",
       {{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Predicate", {{"Conditions", {crawl}}}},
        {"Actions", Actions("a")}},
       "InvalidInputException",
       "Predicate.Conditions[0].CrawlerName"},
      {"running state",
       {{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Predicate", {{"Conditions", {Condition("a", "RUNNING")}}}},
        {"Actions", Actions("b")}},
       "InvalidInputException",
       "SUCCEEDED, STOPPED, FAILED and TIMEOUT"},
      {"two conditions, no Logical",
       {{"Name", "t"},
        {"Type", "CONDITIONAL"},
        {"Predicate", {{"Conditions", {Condition("a", "FAILED"), Condition("b", "FAILED")}}}},
        {"Actions", Actions("c")}},
       "InvalidInputException",
       "predicate.logical"},
      {"no predicate",
       {{"Name", "t"}, {"Type", "CONDITIONAL"}, {"Actions", Actions("a")}},
       "InvalidInputException",
       "Predicate is required"},
      {"no schedule",
       {{"Name", "t"}, {"Type", "SCHEDULED"}, {"Actions", Actions("a")}},
       "InvalidInputException",
       "Schedule is required"},
      {"rate schedule",
       {{"Name", "t"},
        {"Type", "SCHEDULED"},
        {"Schedule", "rate(1 hour)"},
        {"Actions", Actions("a")}},
       "InvalidInputException",
       "cron"},
      {"bad cron",
       {{"Name", "t"},
        {"Type", "SCHEDULED"},
        {"Schedule", "cron(99 * * * ? *)"},
        {"Actions", Actions("a")}},
       "InvalidInputException",
       "cron(99"},
      {"on-demand start on creation",
       {{"Name", "t"}, {"Type", "ON_DEMAND"}, {"StartOnCreation", true}, {"Actions", Actions("a")}},
       "InvalidInputException",
       "StartOnCreation"},
      {"bad timeout",
       {{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", {{{"JobName", "a"}, {"Timeout", 0}}}}},
       "InvalidInputException",
       "actions.1.member.timeout"},
      {"missing job",
       {{"Name", "t"}, {"Type", "ON_DEMAND"}, {"Actions", Actions("nope")}},
       "EntityNotFoundException",
       "Job nope not found"},
      {"missing workflow",
       {{"Name", "t"}, {"WorkflowName", "nope"}, {"Type", "ON_DEMAND"}, {"Actions", Actions("a")}},
       "EntityNotFoundException",
       "Workflow nope not found"},
      {"second starting trigger",
       {{"Name", "t"}, {"WorkflowName", "wf"}, {"Type", "ON_DEMAND"}, {"Actions", Actions("b")}},
       "InvalidInputException",
       "already has a starting trigger"},
      {"taken",
       {{"Name", "taken"}, {"Type", "ON_DEMAND"}, {"Actions", Actions("a")}},
       "AlreadyExistsException",
       "taken"},
  };
  for (const Refusal& c : cases) {
    std::string message;
    EXPECT_EQ(w.ErrorOf("CreateTrigger", c.request, &message), c.error) << c.what;
    EXPECT_NE(message.find(c.says), std::string::npos) << c.what << ": " << message;
  }
  std::string message;
  EXPECT_EQ(w.ErrorOf("GetTrigger", {{"Name", "nope"}}), "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("StartTrigger", {{"Name", "nope"}}), "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("StopTrigger", {{"Name", "nope"}}), "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("UpdateTrigger", {{"Name", "nope"}, {"TriggerUpdate", Json::object()}}),
            "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("StartTrigger", {{"Name", "taken"}}, &message), "InvalidInputException");
  EXPECT_NE(message.find("StartWorkflowRun"), std::string::npos) << message;
  EXPECT_EQ(w.ErrorOf("UpdateTrigger",
                      {{"Name", "taken"}, {"TriggerUpdate", {{"Schedule", "cron(0 1 * * ? *)"}}}}),
            "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("ListTriggers", {{"NextToken", "zz"}}), "InvalidInputException");
  // None of it left anything behind, and the next request works.
  EXPECT_EQ(w.Ok("ListTriggers", Json::object())["TriggerNames"], Json({"taken"}));
}

}  // namespace
}  // namespace timeslip::services::glue
