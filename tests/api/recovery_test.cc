// Durable endpoints: the journal (api/journal.h) and recovery by replay (api/recovery.h). Each
// test runs an endpoint on a store, stops it (gracefully, or "crashes" it by keeping only what
// was committed), then rebuilds a second endpoint from the same store and checks what it has.
#include "emulator/host/recovery.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "emulator/api/endpoint.h"
#include "emulator/api/protocols.h"
#include "emulator/engine/emulator.h"
#include "emulator/host/journal.h"
#include "emulator/store/memory_store.h"
#include "emulator/store/sqlite_store.h"
#include "emulator/time/rfc3339.h"
#include "emulator/world/world.h"
#include "tests/api/http_client.h"
#include "tests/store/temp_db_internal.h"

namespace timeslip::api {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kRole = "arn:aws:iam::123456789012:role/test";
constexpr std::string_view kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

// Waits on an SNS publish for its token, then an hour.
constexpr std::string_view kTokenThenWait = R"({"StartAt":"Approve","States":{
  "Approve":{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken",
    "Parameters":{"TopicArn":"arn:aws:sns:us-east-1:123456789012:approvals",
                  "Message":{"token.$":"$$.Task.Token"}},"Next":"Later"},
  "Later":{"Type":"Wait","Seconds":3600,"End":true}}})";

constexpr std::string_view kActivityArn = "arn:aws:states:us-east-1:123456789012:activity:work";
constexpr std::string_view kActivityMachine = R"({"StartAt":"Work","States":{
  "Work":{"Type":"Task","Resource":"arn:aws:states:us-east-1:123456789012:activity:work",
          "End":true}}})";

engine::EmulatorOptions Options(engine::ClockMode mode = engine::ClockMode::kVirtual,
                                std::uint64_t seed = 1) {
  engine::EmulatorOptions options;
  options.clock = mode;
  options.start_time = *time::ParseRfc3339("2024-01-01T00:00:00Z");
  options.seed = seed;
  options.time_scale = 1000;  // wall mode: a virtual second is a wall millisecond
  return options;
}

Request SfnRequest(std::string_view operation, const Json& input) {
  Request request;
  request.method = "POST";
  request.target = "/";
  request.amz_target = fmt::format("AWSStepFunctions.{}", operation);
  request.content_type = std::string(kAmzJson10);
  request.body = input.dump();
  return request;
}

Request ControlRequest(std::string_view method, std::string_view path, const Json& input = {}) {
  Request request;
  request.method = std::string(method);
  request.target = std::string(path);
  request.content_type = std::string(kJson);
  if (!input.is_null()) request.body = input.dump();
  return request;
}

// An emulator and its endpoint on `store`, driven through Endpoint::Call (no network).
struct Node {
  explicit Node(host::Store& store, engine::EmulatorOptions options = Options(),
                services::stepfunctions::Options sfn = {})
      : world({.emulator = options, .stepfunctions = sfn, .store = &store}),
        emulator(world.emulator()),
        endpoint(world.host()) {}

  Json Sfn(std::string_view operation, const Json& input, int want_status = 200) {
    Response response = endpoint.Call(SfnRequest(operation, input));
    EXPECT_EQ(response.status, want_status) << operation << ": " << response.body;
    return Json::parse(response.body, nullptr, false);
  }

  // The token the last SNS publish carried.
  std::string LastPublishedToken() {
    Response calls = endpoint.Call(ControlRequest("GET", "/_timeslip/fakes/calls"));
    Json body = Json::parse(calls.body);
    std::string token;
    for (const Json& call : body["calls"]) {
      if (call["operation"] == "publish") token = call["arguments"]["Message"]["token"];
    }
    return token;
  }

  world::World world;
  engine::Emulator& emulator;
  Endpoint endpoint;
};

void CreateMachine(Node& node, std::string_view definition) {
  node.Sfn("CreateStateMachine",
           {{"name", "m"}, {"roleArn", kRole}, {"definition", std::string(definition)}});
}

std::string Start(Node& node, std::string_view name) {
  return node.Sfn("StartExecution",
                  {{"stateMachineArn", kMachineArn}, {"name", name}})["executionArn"];
}

// Event ids 1..N, each previousEventId an earlier one.
void ExpectContiguousHistory(const engine::Execution& execution) {
  const auto& history = execution.history();
  for (std::size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(history[i].id, static_cast<std::int64_t>(i + 1)) << execution.arn();
    EXPECT_LT(history[i].previous_event_id, history[i].id) << execution.arn();
  }
}

// A copy of what `store` committed, as a crash would leave it: nothing queued survives.
std::unique_ptr<store::MemoryStore> Crash(const store::MemoryStore& store) {
  auto crashed = std::make_unique<store::MemoryStore>(store);
  crashed->DiscardPending();
  return crashed;
}

TEST(RecoveryTest, APausedTaskAcceptsTheTokenHandedOutBeforeACrash) {
  store::MemoryStore store;
  auto first = std::make_unique<Node>(store);
  CreateMachine(*first, kTokenThenWait);
  const std::string arn = Start(*first, "nightly");
  const std::string token = first->LastPublishedToken();
  ASSERT_FALSE(token.empty());

  std::unique_ptr<store::MemoryStore> crashed = Crash(store);
  Node second(*crashed);
  json::Result<host::RecoveryReport> report = host::Recover(second.endpoint.host());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report.value().executions, 1u);
  EXPECT_EQ(report.value().running, 1u);

  second.Sfn("SendTaskSuccess", {{"taskToken", token}, {"output", "{}"}});
  engine::Execution* execution = second.emulator.engine().Find(arn);
  ASSERT_NE(execution, nullptr);
  EXPECT_EQ(execution->status(), engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(execution->stop_date(), *time::ParseRfc3339("2024-01-01T01:00:00Z"));
  ExpectContiguousHistory(*execution);
  EXPECT_EQ(second.emulator.rng().state(), first->emulator.rng().state());
}

// Express executions keep no history and reach the store not at all: the journal alone replays
// them (the generator must come out the same), and recovery compares only the Standard ones.
TEST(RecoveryTest, ExpressExecutionsComeBackFromTheJournalAlone) {
  store::MemoryStore store;
  auto first = std::make_unique<Node>(store);
  const std::string express =
      first->Sfn("CreateStateMachine",
                 {{"name", "fast"},
                  {"type", "EXPRESS"},
                  {"roleArn", kRole},
                  {"definition", R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,
                                     "End":true}}})"}})["stateMachineArn"];
  CreateMachine(*first, kTokenThenWait);
  const std::string standard = Start(*first, "nightly");
  first->Sfn("StartExecution", {{"stateMachineArn", express}, {"input", "{}"}});
  Json done = first->Sfn("StartSyncExecution", {{"stateMachineArn", express}, {"input", "{}"}});
  EXPECT_EQ(done["status"], "SUCCEEDED");
  auto summaries = store.ExecutionSummaries();
  ASSERT_TRUE(summaries.ok());
  ASSERT_EQ(summaries.value().size(), 1u);
  EXPECT_EQ(summaries.value()[0].arn, standard);

  std::unique_ptr<store::MemoryStore> crashed = Crash(store);
  Node second(*crashed);
  json::Result<host::RecoveryReport> report = host::Recover(second.endpoint.host());
  ASSERT_TRUE(report.ok()) << report.error().message;
  // A virtual clock jumps the Express waits (no outside actor can beat them): both Express
  // executions ended, and were let go of, before the crash as after the replay.
  EXPECT_EQ(report.value().running, 1u);
  EXPECT_EQ(second.emulator.engine().executions().size(), 1u);
  EXPECT_EQ(second.emulator.rng().state(), first->emulator.rng().state());
}

TEST(RecoveryTest, AFileDatabaseResumesAfterAGracefulStop) {
  store::testing::TempDbPath path;
  std::string token, arn;
  {
    auto opened = store::SqliteStore::Open(path.path());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    Node node(*opened.value());
    CreateMachine(node, kTokenThenWait);
    arn = Start(node, "nightly");
    token = node.LastPublishedToken();
  }  // the endpoint stops, then the store closes
  auto opened = store::SqliteStore::Open(path.path());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Node node(*opened.value());
  ASSERT_TRUE(host::Recover(node.endpoint.host()).ok());
  node.Sfn("SendTaskSuccess", {{"taskToken", token}, {"output", "{}"}});
  Json described = node.Sfn("DescribeExecution", {{"executionArn", arn}});
  EXPECT_EQ(described["status"], "SUCCEEDED");
  // What the store holds matches what the engine has.
  auto stored = opened.value()->GetExecution(arn);
  ASSERT_TRUE(stored.ok() && stored.value());
  EXPECT_EQ(stored.value()->status, engine::ExecutionStatus::kSucceeded);
  auto events = opened.value()->GetExecutionHistory({.execution_arn = arn});
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events.value().size(), node.emulator.engine().Find(arn)->history().size());
}

TEST(RecoveryTest, TheStoreKeepsEveryRevisionOfAMachineAndItsActivities) {
  store::testing::TempDbPath path;
  auto opened = store::SqliteStore::Open(path.path());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  store::SqliteStore& store = *opened.value();
  {
    Node node(store);
    CreateMachine(node, kTokenThenWait);
    node.Sfn("UpdateStateMachine",
             {{"stateMachineArn", kMachineArn}, {"definition", std::string(kActivityMachine)}});
    node.Sfn("TagResource",
             {{"resourceArn", kMachineArn}, {"tags", {{{"key", "team"}, {"value", "data"}}}}});
    node.Sfn("CreateActivity", {{"name", "work"}});
    node.Sfn("CreateActivity", {{"name", "gone"}});
    node.Sfn("DeleteActivity",
             {{"activityArn", "arn:aws:states:us-east-1:123456789012:activity:gone"}});
  }
  auto machines = store.LoadStateMachines();
  ASSERT_TRUE(machines.ok());
  ASSERT_EQ(machines.value().size(), 1u);
  EXPECT_EQ(machines.value()[0].definition, kActivityMachine);
  EXPECT_EQ(machines.value()[0].tags, (engine::Tags{{"team", "data"}}));
  auto revisions = store.LoadRevisions(std::string(kMachineArn));
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions.value().size(), 2u);
  EXPECT_EQ(revisions.value()[0].definition, kTokenThenWait);
  auto activities = store.LoadActivities();
  ASSERT_TRUE(activities.ok());
  ASSERT_EQ(activities.value().size(), 1u);
  EXPECT_EQ(activities.value()[0].arn, kActivityArn);

  // A restart rebuilds the same catalogue and checks it against these rows.
  Node node(store);
  ASSERT_TRUE(host::Recover(node.endpoint.host()).ok());
  EXPECT_EQ(node.emulator.ListStateMachines().size(), 1u);
}

TEST(RecoveryTest, ConcurrentCallsOnAFileAreCommittedBeforeTheyAreAnswered) {
  store::testing::TempDbPath path;
  auto opened = store::SqliteStore::Open(path.path());
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::vector<std::string> acknowledged[4];
  {
    Node node(*opened.value());
    CreateMachine(node, kTokenThenWait);
    ASSERT_TRUE(node.endpoint.Start().ok());  // batches go to the journal's writer thread
    std::vector<std::thread> clients;
    for (int c = 0; c < 4; ++c) {
      clients.emplace_back([&, c] {
        testing::HttpClient client(node.endpoint.port());
        for (int i = 0; i < 25; ++i) {
          testing::HttpReply started = client.StepFunctions(
              "StartExecution",
              {{"stateMachineArn", kMachineArn}, {"name", fmt::format("c{}-{}", c, i)}});
          if (started.status == 200) acknowledged[c].push_back(started.json()["executionArn"]);
        }
      });
    }
    for (std::thread& client : clients) client.join();
    node.endpoint.Stop();
  }
  std::size_t count = 0;
  for (const auto& arns : acknowledged) {
    for (const std::string& arn : arns) {
      auto stored = opened.value()->GetExecution(arn);
      ASSERT_TRUE(stored.ok() && stored.value()) << arn;
      EXPECT_EQ(stored.value()->status, engine::ExecutionStatus::kRunning);
      ++count;
    }
  }
  EXPECT_EQ(count, 100u);
  Node node(*opened.value());
  json::Result<host::RecoveryReport> report = host::Recover(node.endpoint.host());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report.value().running, 100u);
}

TEST(RecoveryTest, CallsThatOnlyReadAreNotJournaled) {
  store::MemoryStore store;
  Node node(store);
  CreateMachine(node, kTokenThenWait);
  const std::string arn = Start(node, "nightly");
  auto before = store.LastJournalSeq();
  ASSERT_TRUE(before.ok());
  node.Sfn("DescribeExecution", {{"executionArn", arn}});
  node.Sfn("ListExecutions", {{"stateMachineArn", kMachineArn}});
  node.Sfn("GetExecutionHistory", {{"executionArn", arn}});
  node.endpoint.Call(ControlRequest("GET", "/_timeslip/clock"));
  EXPECT_EQ(store.LastJournalSeq().value(), before.value());
  // A call that failed still is an input, replayed the same way.
  node.Sfn("SendTaskSuccess", {{"taskToken", "nope"}, {"output", "{}"}}, 400);
  EXPECT_EQ(store.LastJournalSeq().value(), before.value() + 1);
}

TEST(RecoveryTest, AManualClockResumesWhereItWasAdvancedTo) {
  store::MemoryStore store;
  {
    Node node(store, Options(engine::ClockMode::kManual));
    CreateMachine(node,
                  R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}})");
    Start(node, "a");
    Response advanced =
        node.endpoint.Call(ControlRequest("POST", "/_timeslip/clock/advance", {{"seconds", 90}}));
    ASSERT_EQ(advanced.status, 200) << advanced.body;
  }
  Node node(store, Options(engine::ClockMode::kManual));
  ASSERT_TRUE(host::Recover(node.endpoint.host()).ok());
  EXPECT_EQ(node.emulator.clock().Now(), *time::ParseRfc3339("2024-01-01T00:01:30Z"));
  EXPECT_EQ(node.emulator.engine().executions().at(0)->status(),
            engine::ExecutionStatus::kSucceeded);
}

TEST(RecoveryTest, APollWaitingAtTheCrashDoesNotSwallowTheNextTask) {
  store::MemoryStore store;
  auto first = std::make_unique<Node>(store);
  first->Sfn("CreateActivity", {{"name", "work"}});
  CreateMachine(*first, kActivityMachine);
  // A worker polls; nothing is there, so the poll waits (Call answers InternalFailure: no answer
  // came while it ran).
  first->endpoint.Call(SfnRequest("GetActivityTask", {{"activityArn", kActivityArn}}));

  std::unique_ptr<store::MemoryStore> crashed = Crash(store);
  Node second(*crashed);
  ASSERT_TRUE(host::Recover(second.endpoint.host()).ok());
  Start(second, "after");
  Json task = second.Sfn("GetActivityTask", {{"activityArn", kActivityArn}});
  ASSERT_TRUE(task.contains("taskToken")) << task;
  second.Sfn("SendTaskSuccess", {{"taskToken", task["taskToken"]}, {"output", "{}"}});
  EXPECT_EQ(second.emulator.engine().executions().at(0)->status(),
            engine::ExecutionStatus::kSucceeded);

  // The release is journaled: a third life replays it and agrees.
  Node third(*crashed);
  ASSERT_TRUE(host::Recover(third.endpoint.host()).ok());
  EXPECT_EQ(third.emulator.engine().executions().at(0)->status(),
            engine::ExecutionStatus::kSucceeded);
}

TEST(RecoveryTest, ATimedOutPollIsReplayedAsATimeout) {
  store::MemoryStore store;
  {
    Node node(store, Options(), {.activity_poll_timeout = std::chrono::milliseconds(1)});
    node.Sfn("CreateActivity", {{"name", "work"}});
    CreateMachine(node, kActivityMachine);
    ASSERT_TRUE(node.endpoint.Start().ok());
    testing::HttpClient client(node.endpoint.port());
    testing::HttpReply polled =
        client.StepFunctions("GetActivityTask", {{"activityArn", kActivityArn}});
    ASSERT_EQ(polled.status, 200) << polled.body;
    EXPECT_FALSE(polled.json().contains("taskToken"));
    // The timed-out poll takes nothing: the task goes to the next one.
    client.StepFunctions("StartExecution", {{"stateMachineArn", kMachineArn}, {"name", "x"}});
    node.endpoint.Stop();
  }
  bool has_timer = false;
  ASSERT_TRUE(store
                  .ForEachJournal([&](const host::JournalRow& row) {
                    has_timer = has_timer || row.kind == "timer";
                    return json::Ok();
                  })
                  .ok());
  EXPECT_TRUE(has_timer);
  Node node(store, Options(), {.activity_poll_timeout = std::chrono::milliseconds(1)});
  ASSERT_TRUE(host::Recover(node.endpoint.host()).ok());
  Json task = node.Sfn("GetActivityTask", {{"activityArn", kActivityArn}});
  EXPECT_TRUE(task.contains("taskToken")) << task;
}

TEST(RecoveryTest, AWallClockIsPinnedToEachEntryAndResumesFromTheLast) {
  store::MemoryStore store;
  std::string arn;
  std::size_t events = 0;
  {
    Node node(store, Options(engine::ClockMode::kWall));
    CreateMachine(node, R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":2,"End":true}}})");
    ASSERT_TRUE(node.endpoint.Start().ok());
    testing::HttpClient client(node.endpoint.port());
    arn = client.StepFunctions("StartExecution", {{"stateMachineArn", kMachineArn}})
              .json()["executionArn"];
    // Two virtual seconds are two wall milliseconds at this scale.
    std::string status;
    for (int i = 0; i < 500 && status != "SUCCEEDED"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      status = client.StepFunctions("DescribeExecution", {{"executionArn", arn}}).json()["status"];
    }
    ASSERT_EQ(status, "SUCCEEDED");
    node.endpoint.Stop();
    events = node.emulator.engine().Find(arn)->history().size();
  }
  Node node(store, Options(engine::ClockMode::kWall));
  json::Result<host::RecoveryReport> report = host::Recover(node.endpoint.host());
  ASSERT_TRUE(report.ok()) << report.error().message;
  const engine::Execution* execution = node.emulator.engine().Find(arn);
  ASSERT_NE(execution, nullptr);
  EXPECT_EQ(execution->status(), engine::ExecutionStatus::kSucceeded);
  EXPECT_EQ(execution->history().size(), events);
  EXPECT_GE(node.emulator.clock().Now(), *report.value().last_at);
}

TEST(RecoveryTest, AJournalReplayedUnderOtherOptionsIsRefused) {
  store::MemoryStore store;
  {
    Node node(store);
    CreateMachine(node, kTokenThenWait);
    node.Sfn("StartExecution", {{"stateMachineArn", kMachineArn}});  // a name from the generator
  }
  Node node(store, Options(engine::ClockMode::kVirtual, /*seed=*/2));
  json::Result<host::RecoveryReport> report = host::Recover(node.endpoint.host());
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().name, "StoreError");
  EXPECT_NE(report.error().message.find("rebuilt a different state"), std::string::npos)
      << report.error().message;
}

TEST(RecoveryTest, ACorruptEntryIsRefused) {
  for (host::JournalRow row : {host::JournalRow{.seq = 1, .kind = "bogus"},
                               host::JournalRow{.seq = 1, .kind = "request", .payload = "[1"},
                               host::JournalRow{.seq = 1, .kind = "timer", .payload = "x"},
                               host::JournalRow{.seq = 1, .kind = "timer", .payload = "7"}}) {
    store::MemoryStore store;
    row.at = *time::ParseRfc3339("2024-01-01T00:00:00Z");
    store.AppendJournal(row);
    ASSERT_TRUE(store.Flush().ok());
    Node node(store);
    json::Result<host::RecoveryReport> report = host::Recover(node.endpoint.host());
    ASSERT_FALSE(report.ok()) << row.kind << " " << row.payload;
    EXPECT_EQ(report.error().name, "StoreError");
  }
}

// A store whose disk is gone: every Flush fails.
class FailingStore final : public host::Store {
 public:
  json::Status Write(const host::Batch&) override { return Broken(); }
  json::Result<std::optional<std::string>> GetMeta(const std::string&) override { return Broken(); }
  json::Result<std::vector<engine::StateMachineRecord>> LoadStateMachines() override {
    return Broken();
  }
  json::Result<std::vector<engine::ActivityRecord>> LoadActivities() override { return Broken(); }
  json::Status ForEachJournal(
      const std::function<json::Status(const host::JournalRow&)>&) override {
    return Broken();
  }
  json::Result<std::int64_t> LastJournalSeq() override { return Broken(); }
  json::Result<std::vector<host::ExecutionSummary>> ExecutionSummaries() override {
    return Broken();
  }
  json::Result<std::optional<host::ExecutionRow>> GetExecution(const std::string&) override {
    return Broken();
  }
  json::Result<host::ExecutionPage> ListExecutions(const host::ExecutionQuery&) override {
    return Broken();
  }
  json::Result<std::vector<engine::HistoryEvent>> GetExecutionHistory(
      const host::HistoryQuery&) override {
    return Broken();
  }

 private:
  static json::Error Broken() { return json::Error{"StoreError", "disk I/O error"}; }
};

TEST(RecoveryTest, ACallWhoseEffectsCannotBeSavedIsNotAcknowledged) {
  FailingStore store;
  Node node(store);
  Response response = node.endpoint.Call(
      SfnRequest("CreateStateMachine",
                 {{"name", "m"}, {"roleArn", kRole}, {"definition", std::string(kTokenThenWait)}}));
  EXPECT_EQ(response.status, 500);
  EXPECT_NE(response.body.find("InternalFailure"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("disk I/O error"), std::string::npos) << response.body;
}

TEST(JournalTest, EveryKindOfTurnRoundTrips) {
  auto command = std::make_shared<host::Command>(
      host::Command{"states", "StartExecution", {{"stateMachineArn", "x"}}, "eu-west-1"});
  for (const host::TurnCause& cause :
       {host::TurnCause{.kind = host::TurnCause::Kind::kCommand, .command = command},
        host::TurnCause{.kind = host::TurnCause::Kind::kTimer, .timer = 42},
        host::TurnCause{.kind = host::TurnCause::Kind::kTick},
        host::TurnCause{.kind = host::TurnCause::Kind::kRelease}}) {
    json::Result<host::TurnCause> decoded = host::DecodeTurn(host::EncodeTurn(cause));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    EXPECT_EQ(decoded.value().kind, cause.kind);
    EXPECT_EQ(decoded.value().timer, cause.timer);
    if (cause.command) {
      const host::Command& got = *decoded.value().command;
      EXPECT_EQ(got.service, command->service);
      EXPECT_EQ(got.operation, command->operation);
      EXPECT_EQ(got.input, command->input);
      EXPECT_EQ(got.region, command->region);
    }
  }
}

// Which calls only read is declared by each operation; the wire's requests reach them.
TEST(JournalTest, TellsReadsFromWrites) {
  world::World world;
  host::RequestDecoder decode = RequestDecoderFor(world.host().registry());
  struct Case {
    std::string method, path, amz_target, body;
    bool reads;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"POST", "/", "AWSStepFunctions.DescribeExecution", "", true},
           {"POST", "/", "AWSStepFunctions.ListExecutions", "", true},
           {"POST", "/", "AWSStepFunctions.GetExecutionHistory", "", true},
           {"POST", "/", "AWSStepFunctions.ValidateStateMachineDefinition", "", true},
           {"POST", "/", "AWSStepFunctions.GetActivityTask", "", false},
           {"POST", "/", "AWSStepFunctions.DescribeStateMachineForExecution", "", true},
           {"POST", "/", "AWSStepFunctions.StartExecution", "", false},
           {"GET", "/_timeslip/clock", "", "", true},
           {"GET", "/_timeslip/fakes/calls", "", "", true},
           {"POST", "/_timeslip/clock/advance", "", "", false},
           {"POST", "/", "", "Action=ListTopics&Version=2010-03-31", true},
           {"POST", "/", "", "Version=2010-03-31&Action=Publish", false}}) {
    host::RecordedRequest request{
        c.method,
        c.path,
        "",
        c.amz_target,
        c.body.empty() ? "application/x-amz-json-1.0" : "application/x-www-form-urlencoded",
        "us-east-1",
        c.body};
    auto command = decode(request);
    ASSERT_TRUE(command.ok() && command.value()) << c.path << " " << c.amz_target << " " << c.body;
    const host::Registry::Entry* entry =
        world.host().registry().Find(command.value()->service, command.value()->operation);
    ASSERT_NE(entry, nullptr) << command.value()->operation;
    EXPECT_EQ(entry->access == host::Access::kReads, c.reads)
        << c.method << " " << c.path << " " << c.amz_target << " " << c.body;
  }
}

}  // namespace
}  // namespace timeslip::api
