// CreateJob, GetJob, GetJobs, ListJobs, BatchGetJobs, UpdateJob, DeleteJob, and their errors.
#include <gtest/gtest.h>

#include "tests/services/glue/glue_world.h"

namespace timeslip::services::glue {
namespace {

using testing::GlueWorld;
using testing::JobRequest;
using testing::Json;
using testing::kStart;

TEST(GlueJobOpsTest, CreateThenGetShowsTheJobWithAwsDefaults) {
  GlueWorld w;
  EXPECT_EQ(w.Ok("CreateJob", JobRequest("transform", {{"DefaultArguments", {{"--day", "x"}}}})),
            Json({{"Name", "transform"}}));
  Json job = w.Ok("GetJob", {{"JobName", "transform"}})["Job"];
  EXPECT_EQ(job["Name"], "transform");
  EXPECT_EQ(job["Role"], "arn:aws:iam::123456789012:role/glue");
  EXPECT_EQ(job["Command"]["ScriptLocation"], "s3://scripts/job.py");
  EXPECT_EQ(job["DefaultArguments"]["--day"], "x");
  EXPECT_EQ(job["CreatedOn"], static_cast<double>(kStart));
  EXPECT_EQ(job["LastModifiedOn"], static_cast<double>(kStart));
  EXPECT_EQ(job["ExecutionProperty"], Json({{"MaxConcurrentRuns", 1}}));
  EXPECT_EQ(job["MaxRetries"], 0);
  EXPECT_EQ(job["Timeout"], 2880);
  EXPECT_EQ(job["MaxCapacity"], 10.0);
  EXPECT_EQ(job["AllocatedCapacity"], 10);
}

TEST(GlueJobOpsTest, WorkersSizeTheJob) {
  GlueWorld w;
  w.Ok("CreateJob", JobRequest("j", {{"WorkerType", "G.2X"},
                                     {"NumberOfWorkers", 5},
                                     {"GlueVersion", "4.0"},
                                     {"Timeout", 60}}));
  Json job = w.Ok("GetJob", {{"JobName", "j"}})["Job"];
  EXPECT_EQ(job["WorkerType"], "G.2X");
  EXPECT_EQ(job["NumberOfWorkers"], 5);
  EXPECT_EQ(job["MaxCapacity"], 10.0);
  EXPECT_FALSE(job.contains("AllocatedCapacity"));
  EXPECT_EQ(job["Timeout"], 60);
}

struct BadCreate {
  const char* what;
  Json extra;
  const char* error;
  const char* says;  // part of the message
};

TEST(GlueJobOpsTest, CreateRefusesBadInputNamingIt) {
  const BadCreate cases[] = {
      {"timeout too long", {{"Timeout", 10081}}, "InvalidInputException", "'timeout'"},
      {"unknown worker type",
       {{"WorkerType", "G.9X"}, {"NumberOfWorkers", 2}},
       "InvalidInputException",
       "enum value set"},
      {"workers without a count",
       {{"WorkerType", "G.1X"}},
       "InvalidInputException",
       "NumberOfWorkers"},
      {"workers and capacity",
       {{"WorkerType", "G.1X"}, {"NumberOfWorkers", 2}, {"MaxCapacity", 2.0}},
       "InvalidInputException",
       "not both"},
      {"bad glue version", {{"GlueVersion", "four"}}, "InvalidInputException", "'glueVersion'"},
      {"concurrency 0",
       {{"ExecutionProperty", {{"MaxConcurrentRuns", 0}}}},
       "InvalidInputException",
       "'executionProperty.maxConcurrentRuns'"},
      {"name too long", {{"Name", std::string(256, 'n')}}, "InvalidInputException", "'name'"},
      {"command not a structure", {{"Command", "glueetl"}}, "InvalidInputException", "'command'"},
  };
  GlueWorld w;
  for (const BadCreate& c : cases) {
    std::string message;
    EXPECT_EQ(w.ErrorOf("CreateJob", JobRequest("bad", c.extra), &message), c.error) << c.what;
    EXPECT_NE(message.find(c.says), std::string::npos) << c.what << ": " << message;
  }
  std::string message;
  EXPECT_EQ(w.ErrorOf("CreateJob", {{"Name", "x"}}, &message), "InvalidInputException");
  EXPECT_EQ(message,
            "2 validation errors detected: Value null at 'role' failed to satisfy constraint: "
            "Member must not be null; Value null at 'command' failed to satisfy constraint: "
            "Member must not be null");
  // Nothing was created, and the next request still works.
  EXPECT_EQ(w.Ok("GetJobs", Json::object())["Jobs"], Json::array());
  w.Ok("CreateJob", JobRequest("good"));
}

TEST(GlueJobOpsTest, ASecondCreateOfOneNameIsAlreadyExists) {
  GlueWorld w;
  w.Ok("CreateJob", JobRequest("j"));
  std::string message;
  EXPECT_EQ(w.ErrorOf("CreateJob", JobRequest("j"), &message), "AlreadyExistsException");
  EXPECT_EQ(message, "Job j already exists.");
}

TEST(GlueJobOpsTest, GetOfAnUnknownJobIsEntityNotFound) {
  GlueWorld w;
  std::string message;
  EXPECT_EQ(w.ErrorOf("GetJob", {{"JobName", "nope"}}, &message), "EntityNotFoundException");
  EXPECT_EQ(message, "Job nope not found");
  EXPECT_EQ(w.ErrorOf("GetJob", Json::object()), "InvalidInputException");
}

TEST(GlueJobOpsTest, GetJobsAndListJobsPageByName) {
  GlueWorld w;
  for (const char* name : {"c", "a", "b"}) w.Ok("CreateJob", JobRequest(name));
  Json first = w.Ok("GetJobs", {{"MaxResults", 2}});
  ASSERT_EQ(first["Jobs"].size(), 2u);
  EXPECT_EQ(first["Jobs"][0]["Name"], "a");
  EXPECT_EQ(first["Jobs"][1]["Name"], "b");
  ASSERT_TRUE(first.contains("NextToken"));
  Json second = w.Ok("GetJobs", {{"MaxResults", 2}, {"NextToken", first["NextToken"]}});
  ASSERT_EQ(second["Jobs"].size(), 1u);
  EXPECT_EQ(second["Jobs"][0]["Name"], "c");
  EXPECT_FALSE(second.contains("NextToken"));

  Json names = w.Ok("ListJobs", {{"MaxResults", 1}});
  EXPECT_EQ(names["JobNames"], Json::array({"a"}));
  Json rest = w.Ok("ListJobs", {{"NextToken", names["NextToken"]}});
  EXPECT_EQ(rest["JobNames"], Json::array({"b", "c"}));

  // A token of another listing, or none of ours.
  EXPECT_EQ(w.ErrorOf("GetJobs", {{"NextToken", names["NextToken"]}}), "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("ListJobs", {{"NextToken", "garbage"}}), "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("GetJobs", {{"MaxResults", 0}}), "InvalidInputException");
}

TEST(GlueJobOpsTest, ListJobsFiltersByTags) {
  GlueWorld w;
  w.Ok("CreateJob", JobRequest("nightly", {{"Tags", {{"team", "data"}, {"env", "prod"}}}}));
  w.Ok("CreateJob", JobRequest("adhoc", {{"Tags", {{"team", "data"}}}}));
  w.Ok("CreateJob", JobRequest("other"));
  EXPECT_EQ(w.Ok("ListJobs", {{"Tags", {{"team", "data"}}}})["JobNames"],
            Json::array({"adhoc", "nightly"}));
  EXPECT_EQ(w.Ok("ListJobs", {{"Tags", {{"env", "prod"}}}})["JobNames"], Json::array({"nightly"}));
  EXPECT_EQ(w.ErrorOf("ListJobs", {{"Tags", {{"env", 1}}}}), "InvalidInputException");
}

TEST(GlueJobOpsTest, BatchGetJobsSplitsFoundAndNotFound) {
  GlueWorld w;
  w.Ok("CreateJob", JobRequest("a"));
  Json got = w.Ok("BatchGetJobs", {{"JobNames", {"a", "missing"}}});
  ASSERT_EQ(got["Jobs"].size(), 1u);
  EXPECT_EQ(got["Jobs"][0]["Name"], "a");
  EXPECT_EQ(got["JobsNotFound"], Json::array({"missing"}));
  EXPECT_EQ(w.ErrorOf("BatchGetJobs", Json::object()), "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("BatchGetJobs", {{"JobNames", "a"}}), "InvalidInputException");
}

TEST(GlueJobOpsTest, UpdateReplacesTheDefinitionAndKeepsCreatedOn) {
  GlueWorld w;
  w.Ok("CreateJob", JobRequest("j", {{"Description", "old"}, {"Timeout", 30}}));
  w.Advance(60);
  EXPECT_EQ(w.Ok("UpdateJob", {{"JobName", "j"},
                               {"JobUpdate",
                                {{"Role", "r2"},
                                 {"Command", {{"Name", "glueetl"}}},
                                 {"ExecutionProperty", {{"MaxConcurrentRuns", 3}}}}}}),
            Json({{"JobName", "j"}}));
  Json job = w.Ok("GetJob", {{"JobName", "j"}})["Job"];
  EXPECT_EQ(job["Role"], "r2");
  EXPECT_FALSE(job.contains("Description"));  // overwritten, not merged
  EXPECT_EQ(job["Timeout"], 2880);
  EXPECT_EQ(job["ExecutionProperty"]["MaxConcurrentRuns"], 3);
  EXPECT_EQ(job["CreatedOn"], static_cast<double>(kStart));
  EXPECT_EQ(job["LastModifiedOn"], static_cast<double>(kStart + 60));
  EXPECT_EQ(w.world().fakes().glue().Job("j").max_concurrent_runs, 3);

  EXPECT_EQ(w.ErrorOf("UpdateJob", {{"JobName", "nope"}, {"JobUpdate", Json::object()}}),
            "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("UpdateJob", {{"JobName", "j"}}), "InvalidInputException");
  std::string message;
  EXPECT_EQ(w.ErrorOf("UpdateJob", {{"JobName", "j"}, {"JobUpdate", {{"Timeout", 0}}}}, &message),
            "InvalidInputException");
  EXPECT_NE(message.find("'jobUpdate.timeout'"), std::string::npos) << message;
}

TEST(GlueJobOpsTest, DeleteIsIdempotent) {
  GlueWorld w;
  w.Ok("CreateJob", JobRequest("j"));
  EXPECT_EQ(w.Ok("DeleteJob", {{"JobName", "j"}}), Json({{"JobName", "j"}}));
  EXPECT_EQ(w.ErrorOf("GetJob", {{"JobName", "j"}}), "EntityNotFoundException");
  EXPECT_EQ(w.Ok("DeleteJob", {{"JobName", "j"}}), Json({{"JobName", "j"}}));
  EXPECT_EQ(w.ErrorOf("DeleteJob", Json::object()), "InvalidInputException");
  w.Ok("CreateJob", JobRequest("j"));  // the name is free again
}

TEST(GlueJobOpsTest, AnUnknownOperationIsUnknownOperationException) {
  GlueWorld w;
  EXPECT_EQ(w.ErrorOf("CreateCrawler", {{"Name", "c"}}), "UnknownOperationException");
}

}  // namespace
}  // namespace timeslip::services::glue
