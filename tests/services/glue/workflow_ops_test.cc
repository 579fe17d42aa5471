// Glue workflows: their shape, their graph of triggers and jobs, listings and refusals.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "tests/services/glue/workflow_fixture.h"

namespace timeslip::services::glue {
namespace {

using testing::CreateNightly;
using testing::GlueWorld;
using testing::Json;
using testing::kStart;

TEST(GlueWorkflowOpsTest, GetWorkflowShowsItsGraphOfTriggersAndJobs) {
  GlueWorld w;
  CreateNightly(w, "nightly", {{"Description", "the warehouse"}, {"MaxConcurrentRuns", 2}});
  Json plain = w.Ok("GetWorkflow", {{"Name", "nightly"}})["Workflow"];
  EXPECT_EQ(plain.dump(), Json({{"Name", "nightly"},
                                {"Description", "the warehouse"},
                                {"DefaultRunProperties", {{"day", "today"}, {"env", "dev"}}},
                                {"CreatedOn", static_cast<double>(kStart)},
                                {"LastModifiedOn", static_cast<double>(kStart)},
                                {"MaxConcurrentRuns", 2}})
                              .dump());

  Json graph =
      w.Ok("GetWorkflow", {{"Name", "nightly"}, {"IncludeGraph", true}})["Workflow"]["Graph"];
  ASSERT_EQ(graph["Nodes"].size(), 4u);
  ASSERT_EQ(graph["Edges"].size(), 3u);
  std::map<std::string, std::string> id;  // node name -> UniqueId
  for (const Json& node : graph["Nodes"]) {
    id[node["Name"].get<std::string>()] = node["UniqueId"].get<std::string>();
    EXPECT_TRUE(node["UniqueId"].get<std::string>().starts_with("wnode_")) << node.dump();
  }
  EXPECT_EQ(graph["Nodes"][0]["Type"], "TRIGGER");
  EXPECT_EQ(graph["Nodes"][0]["Name"], "start");
  EXPECT_EQ(graph["Nodes"][0]["TriggerDetails"]["Trigger"]["WorkflowName"], "nightly");
  EXPECT_EQ(graph["Nodes"][1]["Name"], "then");
  EXPECT_EQ(graph["Nodes"][2]["Type"], "JOB");
  EXPECT_EQ(graph["Nodes"][2]["Name"], "extract");
  EXPECT_EQ(graph["Nodes"][3]["Name"], "load");
  std::set<std::pair<std::string, std::string>> edges;
  for (const Json& e : graph["Edges"]) {
    edges.emplace(e["SourceId"].get<std::string>(), e["DestinationId"].get<std::string>());
  }
  EXPECT_EQ(edges, (std::set<std::pair<std::string, std::string>>{{id["start"], id["extract"]},
                                                                  {id["extract"], id["then"]},
                                                                  {id["then"], id["load"]}}));
  // The ids are the workflow's: the same on every read.
  EXPECT_EQ(w.Ok("GetWorkflow", {{"Name", "nightly"}, {"IncludeGraph", true}})["Workflow"]["Graph"],
            graph);
}

TEST(GlueWorkflowOpsTest, UpdateListBatchGetAndDelete) {
  GlueWorld w;
  CreateNightly(w);
  w.Ok("CreateWorkflow", {{"Name", "other"}});
  w.Advance(60);
  EXPECT_EQ(
      w.Ok("UpdateWorkflow",
           {{"Name", "other"}, {"DefaultRunProperties", {{"k", "v"}}}, {"MaxConcurrentRuns", 3}}),
      Json({{"Name", "other"}}));
  Json other = w.Ok("GetWorkflow", {{"Name", "other"}})["Workflow"];
  EXPECT_EQ(other["DefaultRunProperties"], Json({{"k", "v"}}));
  EXPECT_EQ(other["MaxConcurrentRuns"], 3);
  EXPECT_EQ(other["LastModifiedOn"], static_cast<double>(kStart + 60));
  EXPECT_EQ(other["CreatedOn"], static_cast<double>(kStart));

  EXPECT_EQ(w.Ok("ListWorkflows", Json::object())["Workflows"], Json({"nightly", "other"}));
  Json first = w.Ok("ListWorkflows", {{"MaxResults", 1}});
  EXPECT_EQ(first["Workflows"], Json({"nightly"}));
  EXPECT_EQ(
      w.Ok("ListWorkflows", {{"MaxResults", 1}, {"NextToken", first["NextToken"]}})["Workflows"],
      Json({"other"}));

  Json batch = w.Ok("BatchGetWorkflows", {{"Names", {"other", "nope"}}, {"IncludeGraph", true}});
  ASSERT_EQ(batch["Workflows"].size(), 1u);
  EXPECT_EQ(batch["Workflows"][0]["Graph"],
            Json({{"Nodes", Json::array()}, {"Edges", Json::array()}}));
  EXPECT_EQ(batch["MissingWorkflows"], Json({"nope"}));

  // Deleting a workflow deletes its triggers; deleting a missing one is no error.
  EXPECT_EQ(w.Ok("DeleteWorkflow", {{"Name", "nightly"}}), Json({{"Name", "nightly"}}));
  EXPECT_EQ(w.ErrorOf("GetTrigger", {{"Name", "start"}}), "EntityNotFoundException");
  EXPECT_EQ(w.Ok("DeleteWorkflow", {{"Name", "nightly"}}), Json({{"Name", "nightly"}}));
  EXPECT_EQ(w.Ok("ListWorkflows", Json::object())["Workflows"], Json({"other"}));
}

TEST(GlueWorkflowOpsTest, RefusalsCarryGluesNames) {
  GlueWorld w;
  CreateNightly(w);
  std::string message;
  EXPECT_EQ(w.ErrorOf("CreateWorkflow", {{"Name", "nightly"}}, &message), "AlreadyExistsException");
  EXPECT_NE(message.find("nightly"), std::string::npos);
  EXPECT_EQ(w.ErrorOf("CreateWorkflow", {{"Name", ""}}, &message), "InvalidInputException");
  EXPECT_NE(message.find("'name'"), std::string::npos) << message;
  EXPECT_EQ(w.ErrorOf("CreateWorkflow", {{"Name", "w"}, {"MaxConcurrentRuns", 0}}, &message),
            "InvalidInputException");
  EXPECT_NE(message.find("'maxConcurrentRuns'"), std::string::npos) << message;
  EXPECT_EQ(
      w.ErrorOf("CreateWorkflow", {{"Name", "w"}, {"DefaultRunProperties", {{"k", 1}}}}, &message),
      "InvalidInputException");
  EXPECT_NE(message.find("'defaultRunProperties'"), std::string::npos) << message;
  EXPECT_EQ(w.ErrorOf("GetWorkflow", {{"Name", "nope"}}), "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("UpdateWorkflow", {{"Name", "nope"}}), "EntityNotFoundException");
  EXPECT_EQ(w.ErrorOf("BatchGetWorkflows", {{"Names", Json::array()}}), "InvalidInputException");
  EXPECT_EQ(w.ErrorOf("ListWorkflows", {{"NextToken", "nope"}}), "InvalidInputException");
  EXPECT_EQ(w.Ok("ListWorkflows", Json::object())["Workflows"], Json({"nightly"}));
}

}  // namespace
}  // namespace timeslip::services::glue
