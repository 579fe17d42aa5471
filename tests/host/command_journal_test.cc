// Commands are what the journal keeps, whoever sends them: here a C++ caller with no HTTP in
// sight, whose calls a fresh world rebuilds by replaying them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "emulator/host/recovery.h"
#include "emulator/store/memory_store.h"
#include "emulator/time/rfc3339.h"
#include "emulator/world/world.h"

namespace timeslip::host {
namespace {

using Json = nlohmann::ordered_json;

world::WorldOptions Options(Store& store) {
  world::WorldOptions options;
  options.emulator.clock = engine::ClockMode::kManual;  // the day's Wait waits
  options.emulator.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
  options.emulator.seed = 3;
  options.store = &store;
  return options;
}

constexpr std::string_view kWaitDay =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"End":true}}})";

TEST(CommandJournalTest, CommandsFromCppAreJournaledAndReplayed) {
  store::MemoryStore store;
  std::string arn;
  {
    world::World world(Options(store));
    Outcome created = world.host().Call({.service = "states",
                                         .operation = "CreateStateMachine",
                                         .input = {{"name", "m"},
                                                   {"definition", std::string(kWaitDay)},
                                                   {"roleArn", "arn:aws:iam::123456789012:role/r"},
                                                   {"type", "STANDARD"}}});
    ASSERT_TRUE(created.ok()) << created.error().message;
    Outcome started = world.host().Call(
        {.service = "states",
         .operation = "StartExecution",
         .input = {{"stateMachineArn", created.value()["stateMachineArn"]}, {"name", "day"}},
         .region = "us-east-1"});
    ASSERT_TRUE(started.ok()) << started.error().message;
    arn = started.value()["executionArn"];
    // A read that moved nothing is not journaled; an unknown operation answers as AWS does.
    ASSERT_TRUE(world.host()
                    .Call({.service = "states",
                           .operation = "DescribeExecution",
                           .input = {{"executionArn", arn}}})
                    .ok());
    Outcome unknown = world.host().Call({.service = "states", .operation = "Nope"});
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().name, "UnknownOperationException");
  }

  std::vector<std::string> kinds;
  ASSERT_TRUE(store
                  .ForEachJournal([&](const JournalRow& row) {
                    kinds.push_back(row.kind == "command"
                                        ? Json::parse(row.payload)["operation"].get<std::string>()
                                        : row.kind);
                    return json::Ok();
                  })
                  .ok());
  EXPECT_EQ(kinds, (std::vector<std::string>{"CreateStateMachine", "StartExecution", "release"}));

  world::World again(Options(store));
  json::Result<RecoveryReport> report = Recover(again.host());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report.value().executions, 1u);
  EXPECT_EQ(report.value().running, 1u);
  Outcome described = again.host().Call(
      {.service = "states", .operation = "DescribeExecution", .input = {{"executionArn", arn}}});
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(described.value()["status"], "RUNNING");
}

}  // namespace
}  // namespace timeslip::host
