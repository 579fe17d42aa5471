// EventBridge putEvents: entries answered in order, failed entries fail the task.
#include "fakes/events.h"

#include <gtest/gtest.h>

#include "tests/fakes/fakes_harness.h"

namespace timeslip::fakes {
namespace {

using engine::ExecutionStatus;

constexpr const char* kPut = "arn:aws:states:::events:putEvents";

TEST(EventsTest, PutsEveryEntryAndAnswersTheirIds) {
  FakesHarness h(R"({"events": {"default": {"latency": "1s"}}})");
  engine::Execution& run = h.Run(OneTask(kPut, R"({"Entries":[
      {"Source":"s","DetailType":"t","Detail":{"a":1}},
      {"Source":"s","DetailType":"t","Detail":"{\"b\": 2}"}]})"));
  ASSERT_EQ(run.status(), ExecutionStatus::kSucceeded) << run.cause();
  const nlohmann::ordered_json out = Output(run);
  EXPECT_EQ(out["FailedEntryCount"], 0);
  ASSERT_EQ(out["Entries"].size(), 2u);
  ASSERT_EQ(h.fakes().events().events().size(), 2u);
  const PutEvent& first = h.fakes().events().events()[0];
  EXPECT_EQ(out["Entries"][0], nlohmann::ordered_json({{"EventId", first.event_id}}));
  EXPECT_EQ(first.detail, R"({"a":1})");  // an object is sent as its text
  EXPECT_EQ(first.event_bus_name, "default");
  EXPECT_EQ(h.fakes().events().events()[1].detail, R"({"b": 2})");
  EXPECT_EQ(first.put_at, *run.stop_date());
  EXPECT_EQ(*run.stop_date() - run.start_date(), std::chrono::seconds(1));
}

struct EntryCase {
  const char* entry;
  const char* code;
  const char* message;
};
constexpr EntryCase kBadEntries[] = {
    {R"({"DetailType":"t","Detail":{}})", "InvalidArgument",
     "Parameter Source is not valid. Reason: Source is a required argument."},
    {R"({"Source":"s","Detail":{}})", "InvalidArgument",
     "Parameter DetailType is not valid. Reason: DetailType is a required argument."},
    {R"({"Source":"s","DetailType":"t","Detail":"\"jsonstring\""})", "MalformedDetail",
     "Detail is malformed."},
    {R"({"Source":"s","DetailType":"t","Detail":[1]})", "MalformedDetail", "Detail is malformed."},
};

TEST(EventsTest, AFailedEntryFailsTheTaskWithTheWholeAnswer) {
  for (const EntryCase& c : kBadEntries) {
    FakesHarness h;
    engine::Execution& run = h.Run(
        OneTask(kPut, std::string(R"({"Entries":[{"Source":"s","DetailType":"t","Detail":{}},)") +
                          c.entry + "]}"));
    ASSERT_EQ(run.status(), ExecutionStatus::kFailed) << c.entry;
    EXPECT_EQ(run.error(), "EventBridge.FailedEntry") << c.entry;
    const nlohmann::ordered_json cause = nlohmann::ordered_json::parse(run.cause());
    EXPECT_EQ(cause["FailedEntryCount"], 1) << c.entry;
    EXPECT_TRUE(cause["Entries"][0].contains("EventId")) << c.entry;
    EXPECT_EQ(cause["Entries"][1],
              nlohmann::ordered_json({{"ErrorCode", c.code}, {"ErrorMessage", c.message}}))
        << c.entry;
    EXPECT_EQ(h.fakes().events().events().size(), 1u) << c.entry;  // the good one is put
  }
}

TEST(EventsTest, EntriesMustBeOneToTen) {
  FakesHarness h;
  EXPECT_EQ(h.Run(OneTask(kPut, "{}")).error(), "EventBridge.ValidationException");
  std::string eleven = R"({"Entries":[)";
  for (int i = 0; i < 11; ++i) {
    eleven += std::string(i ? "," : "") + R"({"Source":"s","DetailType":"t","Detail":{}})";
  }
  EXPECT_EQ(h.Run(OneTask(kPut, eleven + "]}")).error(), "EventBridge.ValidationException");
  EXPECT_TRUE(h.fakes().events().events().empty());
}

TEST(EventsTest, ScriptedByEventBus) {
  FakesHarness h(R"({"events": {"audit": {"throttle": true}}})");
  engine::Execution& run = h.Run(OneTask(
      kPut, R"({"Entries":[{"Source":"s","DetailType":"t","Detail":{},"EventBusName":"audit"}]})"));
  EXPECT_EQ(run.error(), "EventBridge.ThrottlingException");
}

}  // namespace
}  // namespace timeslip::fakes
