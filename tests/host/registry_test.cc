// The registry: operations by service and name, each declaring whether it only reads.
#include "emulator/host/registry.h"

#include <gtest/gtest.h>

namespace timeslip::host {
namespace {

TEST(RegistryTest, FindsWhatWasAddedAndListsAServicesOperations) {
  Registry registry;
  registry.AddSync("states", "DescribeExecution", Access::kReads, [](const Command&) {
    return Outcome(nlohmann::ordered_json{{"a", 1}});
  });
  registry.AddSync("states", "StartExecution", Access::kWrites,
                   [](const Command&) { return Outcome(nlohmann::ordered_json::object()); });
  const Registry::Entry* describe = registry.Find("states", "DescribeExecution");
  ASSERT_NE(describe, nullptr);
  EXPECT_EQ(describe->access, Access::kReads);
  Outcome got = json::Error{"none", ""};
  describe->run(Command{}, [&](Outcome o) { got = std::move(o); });
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value(), (nlohmann::ordered_json{{"a", 1}}));
  EXPECT_EQ(registry.Find("states", "Nope"), nullptr);
  EXPECT_EQ(registry.Find("sns", "DescribeExecution"), nullptr);
  EXPECT_EQ(registry.Operations("states"),
            (std::vector<std::string>{"DescribeExecution", "StartExecution"}));
  EXPECT_TRUE(registry.Operations("glue").empty());
}

TEST(RegistryTest, ALaterRegistrationReplacesTheFirst) {
  Registry registry;
  registry.AddSync("s", "Op", Access::kWrites, [](const Command&) { return Outcome(1); });
  registry.AddSync("s", "Op", Access::kReads, [](const Command&) { return Outcome(2); });
  Outcome got = json::Error{"none", ""};
  registry.Find("s", "Op")->run(Command{}, [&](Outcome o) { got = std::move(o); });
  EXPECT_EQ(got.value(), 2);
  EXPECT_EQ(registry.Find("s", "Op")->access, Access::kReads);
}

}  // namespace
}  // namespace timeslip::host
