// The Store contract (emulator/host/store.h), run against every implementation: MemoryStore,
// SqliteStore on ":memory:" and SqliteStore on a file.

#include "emulator/host/store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "emulator/engine/emulator.h"
#include "emulator/store/memory_store.h"
#include "emulator/store/sqlite_store.h"
#include "tests/store/temp_db_internal.h"

namespace timeslip::store {
namespace {

using engine::ExecutionStatus;
using engine::HistoryEvent;

constexpr std::string_view kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

time::Instant At(std::int64_t ms) { return time::Instant(time::Duration(ms)); }

ExecutionRow Row(int i, ExecutionStatus status = ExecutionStatus::kRunning,
                 std::int64_t start_ms = 1000) {
  ExecutionRow r;
  r.arn = fmt::format("arn:aws:states:us-east-1:123456789012:execution:m:e{}", i);
  r.state_machine_arn = std::string(kMachineArn);
  r.name = fmt::format("e{}", i);
  r.status = status;
  r.input = R"({"i":1})";
  r.start_date = At(start_ms);
  return r;
}

HistoryEvent Event(std::int64_t id) {
  return HistoryEvent{
      id, id - 1, At(1000 + id), "PassStateEntered", "stateEnteredEventDetails", {{"name", "P"}}};
}

JournalRow Journal(std::int64_t seq) {
  return JournalRow{seq, At(5000 + seq), seq % 2 ? "request" : "wake",
                    fmt::format(R"({{"n":{}}})", seq)};
}

// ---- The implementations ----

struct MemoryFactory {
  std::unique_ptr<Store> Open() { return std::make_unique<MemoryStore>(); }
};

struct SqliteMemoryFactory {
  std::unique_ptr<Store> Open() {
    json::Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(":memory:");
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
    return store.ok() ? std::move(store).value() : nullptr;
  }
};

struct SqliteFileFactory {
  testing::TempDbPath file;
  std::unique_ptr<Store> Open() {
    json::Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(file.path());
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
    return store.ok() ? std::move(store).value() : nullptr;
  }
};

struct FactoryNames {
  template <typename T>
  static std::string GetName(int) {
    if (std::is_same_v<T, MemoryFactory>) return "Memory";
    if (std::is_same_v<T, SqliteMemoryFactory>) return "SqliteInMemory";
    return "SqliteFile";
  }
};

template <typename Factory>
class StoreTest : public ::testing::Test {
 protected:
  StoreTest() : store_(factory_.Open()) {}

  std::vector<JournalRow> JournalRows() {
    std::vector<JournalRow> rows;
    json::Status s = store_->ForEachJournal([&](const JournalRow& row) {
      rows.push_back(row);
      return json::Ok();
    });
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
    return rows;
  }

  std::vector<std::int64_t> HistoryIds(const std::string& arn) {
    std::vector<HistoryEvent> events =
        store_->GetExecutionHistory({.execution_arn = arn, .limit = 100000}).value();
    std::vector<std::int64_t> ids;
    for (const HistoryEvent& e : events) ids.push_back(e.id);
    return ids;
  }

  Factory factory_;
  std::unique_ptr<Store> store_;
};

using Factories = ::testing::Types<MemoryFactory, SqliteMemoryFactory, SqliteFileFactory>;
TYPED_TEST_SUITE(StoreTest, Factories, FactoryNames);

TYPED_TEST(StoreTest, NothingIsVisibleBeforeFlushThenEverything) {
  Store& store = *this->store_;
  ExecutionRow row = Row(1);
  store.Append(row);
  for (int id = 1; id <= 3; ++id) store.Append(row.arn, Event(id));
  store.AppendJournal(Journal(1));
  store.AppendJournal(Journal(2));
  store.SetMeta("clock", "1000");
  EXPECT_EQ(store.pending_events(), 3u);

  EXPECT_FALSE(store.GetExecution(row.arn).value().has_value());
  EXPECT_TRUE(store.GetExecutionHistory({.execution_arn = row.arn}).value().empty());
  EXPECT_TRUE(store.ListExecutions({.state_machine_arn = std::string(kMachineArn)})
                  .value()
                  .executions.empty());
  EXPECT_TRUE(store.ExecutionSummaries().value().empty());
  EXPECT_TRUE(this->JournalRows().empty());
  EXPECT_EQ(store.LastJournalSeq().value(), 0);  // queued entries do not count
  EXPECT_EQ(store.GetMeta("clock").value(), std::nullopt);

  ASSERT_TRUE(store.Flush().ok());
  EXPECT_EQ(store.pending_events(), 0u);
  EXPECT_EQ(store.GetExecution(row.arn).value(), row);
  EXPECT_EQ(this->HistoryIds(row.arn), (std::vector<std::int64_t>{1, 2, 3}));
  EXPECT_EQ(this->JournalRows(), (std::vector<JournalRow>{Journal(1), Journal(2)}));
  EXPECT_EQ(store.LastJournalSeq().value(), 2);
  EXPECT_EQ(store.GetMeta("clock").value(), "1000");
  EXPECT_EQ(store.ExecutionSummaries().value(),
            (std::vector<ExecutionSummary>{{row.arn, ExecutionStatus::kRunning, 3}}));
  ASSERT_TRUE(store.Flush().ok());  // nothing queued: nothing changes
  EXPECT_EQ(store.LastJournalSeq().value(), 2);
}

TYPED_TEST(StoreTest, ExecutionsAndEventsRoundTrip) {
  Store& store = *this->store_;
  ExecutionRow done = Row(1, ExecutionStatus::kFailed);
  done.type = engine::MachineType::kExpress;
  done.output = R"({"o":[1,2]})";
  done.error = "States.TaskFailed";
  done.cause = "boom";
  done.stop_date = At(9000);
  done.redrive_count = 2;
  done.redrive_date = At(8000);
  HistoryEvent started{1,
                       0,
                       At(1000),
                       "ExecutionStarted",
                       "executionStartedEventDetails",
                       {{"input", R"({"i":1})"}, {"roleArn", "r"}}};
  HistoryEvent no_details{2, 1, At(1001), "PassStateEntered", "", nullptr};
  store.Append(Row(1));
  store.Append(done);  // replaces the queued row
  store.Append(done.arn, started);
  store.Append(done.arn, no_details);
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_EQ(store.GetExecution(done.arn).value(), done);
  EXPECT_EQ(store.GetExecution("arn:nope").value(), std::nullopt);
  std::vector<HistoryEvent> history =
      store.GetExecutionHistory({.execution_arn = done.arn}).value();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(ToWireJson(history[0]), ToWireJson(started));
  EXPECT_EQ(ToWireJson(history[1]), ToWireJson(no_details));
  EXPECT_EQ(history[1].details, nullptr);
}

TYPED_TEST(StoreTest, AnUpdateChangesStatusAndOutcomeButNotIdentity) {
  Store& store = *this->store_;
  ExecutionRow first = Row(1, ExecutionStatus::kRunning, 1000);
  store.Append(first);
  ASSERT_TRUE(store.Flush().ok());

  ExecutionRow update = Row(1, ExecutionStatus::kSucceeded, 7000);
  update.name = "renamed";
  update.input = R"({"other":true})";
  update.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:other";
  update.output = "{}";
  update.stop_date = At(9000);
  update.redrive_count = 1;
  store.Append(update);
  ASSERT_TRUE(store.Flush().ok());

  ExecutionRow want = first;
  want.status = ExecutionStatus::kSucceeded;
  want.output = "{}";
  want.stop_date = At(9000);
  want.redrive_count = 1;
  EXPECT_EQ(store.GetExecution(first.arn).value(), want);
  EXPECT_EQ(store.ListExecutions({.state_machine_arn = std::string(kMachineArn)})
                .value()
                .executions.size(),
            1u);
}

TYPED_TEST(StoreTest, JournalKeepsOrderAndSeqAcrossFlushes) {
  Store& store = *this->store_;
  std::vector<JournalRow> want;
  std::int64_t seq = 0;
  for (int batch : {1, 3, 0, 5}) {
    for (int i = 0; i < batch; ++i) {
      JournalRow row = Journal(++seq);
      store.AppendJournal(row);
      want.push_back(row);
    }
    ASSERT_TRUE(store.Flush().ok());
    EXPECT_EQ(store.LastJournalSeq().value(), seq);
  }
  JournalRow odd{++seq, At(-5), "", std::string("with\0nul", 8)};  // empty kind, a NUL
  store.AppendJournal(odd);
  want.push_back(odd);
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_EQ(this->JournalRows(), want);

  // fn's first error stops the walk and is returned.
  int seen = 0;
  json::Status stopped = store.ForEachJournal([&](const JournalRow& row) -> json::Status {
    ++seen;
    if (row.seq == 4) return json::Error{"Replay.Mismatch", "at 4"};
    return json::Ok();
  });
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().name, "Replay.Mismatch");
  EXPECT_EQ(seen, 4);
  EXPECT_EQ(this->JournalRows().size(), want.size());  // usable again after a stop
}

TYPED_TEST(StoreTest, CatalogChangesApplyInTheOrderTheyHappened) {
  Store& store = *this->store_;
  engine::StateMachineRecord machine;
  machine.arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
  machine.name = "m";
  machine.definition = R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})";
  machine.revision_id = "r1";
  store.SaveStateMachine(machine);
  machine.revision_id = "r2";
  machine.tags = {{"team", "data"}};
  store.SaveStateMachine(machine);
  const std::string gone = "arn:aws:states:us-east-1:123456789012:activity:gone";
  store.SaveActivity({gone, "gone", {}, {}});
  store.SaveActivity({"arn:aws:states:us-east-1:123456789012:activity:kept", "kept", {}, {}});
  store.DeleteActivity(gone);
  EXPECT_TRUE(store.LoadStateMachines().value().empty());  // not before the commit
  ASSERT_TRUE(store.Flush().ok());

  std::vector<engine::StateMachineRecord> machines = store.LoadStateMachines().value();
  ASSERT_EQ(machines.size(), 1u);
  EXPECT_EQ(machines[0].revision_id, "r2");
  EXPECT_EQ(machines[0].tags, machine.tags);
  std::vector<engine::ActivityRecord> activities = store.LoadActivities().value();
  ASSERT_EQ(activities.size(), 1u);
  EXPECT_EQ(activities[0].name, "kept");

  store.DeleteStateMachine(machine.arn);
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_TRUE(store.LoadStateMachines().value().empty());
}

TYPED_TEST(StoreTest, MetaIsUpsertedAndTheLastQueuedValueWins) {
  Store& store = *this->store_;
  store.SetMeta("a", "1");
  store.SetMeta("b", "");
  store.SetMeta("a", "2");
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_EQ(store.GetMeta("a").value(), "2");
  EXPECT_EQ(store.GetMeta("b").value(), "");
  EXPECT_EQ(store.GetMeta("c").value(), std::nullopt);
  store.SetMeta("a", R"({"seed":7})");
  EXPECT_EQ(store.GetMeta("a").value(), "2");
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_EQ(store.GetMeta("a").value(), R"({"seed":7})");
  EXPECT_EQ(store.GetMeta("b").value(), "");
}

TYPED_TEST(StoreTest, SummariesListEveryExecutionInStartOrderWithItsEventCount) {
  Store& store = *this->store_;
  // Start dates go down while start order goes up: summaries follow start order.
  for (int i = 0; i < 4; ++i) store.Append(Row(i, ExecutionStatus::kRunning, 9000 - i));
  for (int id = 1; id <= 5; ++id) store.Append(Row(0).arn, Event(id));
  store.Append(Row(2).arn, Event(1));
  store.Append("arn:no-such-execution", Event(1));  // events alone make no summary
  ASSERT_TRUE(store.Flush().ok());
  store.Append(Row(1, ExecutionStatus::kAborted, 8999));
  store.Append(Row(2).arn, Event(2));
  ExecutionRow other = Row(9, ExecutionStatus::kTimedOut);
  other.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:other";
  store.Append(other);
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_EQ(store.ExecutionSummaries().value(),
            (std::vector<ExecutionSummary>{{Row(0).arn, ExecutionStatus::kRunning, 5},
                                           {Row(1).arn, ExecutionStatus::kAborted, 0},
                                           {Row(2).arn, ExecutionStatus::kRunning, 2},
                                           {Row(3).arn, ExecutionStatus::kRunning, 0},
                                           {other.arn, ExecutionStatus::kTimedOut, 0}}));
}

TYPED_TEST(StoreTest, ListsExecutionsInPagesNewestFirst) {
  Store& store = *this->store_;
  constexpr int kExecutions = 1000;
  for (int i = 0; i < kExecutions; ++i) {
    // Ten executions share each start instant: among them, the later started comes first.
    ExecutionStatus status = i % 3 == 0 ? ExecutionStatus::kSucceeded : ExecutionStatus::kRunning;
    store.Append(Row(i, status, 1000 + i / 10));
  }
  ExecutionRow other = Row(-1);
  other.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:other";
  store.Append(other);
  ASSERT_TRUE(store.Flush().ok());

  struct Case {
    std::optional<ExecutionStatus> status;
    int limit;
  };
  for (const Case& c : {Case{std::nullopt, 1000}, Case{std::nullopt, 333}, Case{std::nullopt, 100},
                        Case{ExecutionStatus::kSucceeded, 100}, Case{ExecutionStatus::kRunning, 7},
                        Case{ExecutionStatus::kFailed, 5}}) {
    std::string label = fmt::format("status {} limit {}",
                                    c.status ? engine::StatusName(*c.status) : "any", c.limit);
    std::vector<int> want;
    for (int i = kExecutions - 1; i >= 0; --i) {
      ExecutionStatus status = i % 3 == 0 ? ExecutionStatus::kSucceeded : ExecutionStatus::kRunning;
      if (!c.status || *c.status == status) want.push_back(i);
    }
    std::vector<int> got;
    ExecutionQuery query{
        .state_machine_arn = std::string(kMachineArn), .status = c.status, .limit = c.limit};
    int pages = 0;
    for (;;) {
      json::Result<ExecutionPage> page = store.ListExecutions(query);
      ASSERT_TRUE(page.ok()) << label << ": " << page.error().message;
      ++pages;
      ASSERT_LE(static_cast<int>(page.value().executions.size()), c.limit) << label;
      for (const ExecutionRow& r : page.value().executions) {
        got.push_back(std::stoi(r.name.substr(1)));
      }
      if (page.value().next_token.empty()) break;
      query.next_token = page.value().next_token;
    }
    EXPECT_EQ(got, want) << label;
    // A last page is never empty: a token is given only when another row exists.
    EXPECT_EQ(pages, std::max<int>(1, (static_cast<int>(want.size()) + c.limit - 1) / c.limit))
        << label;
  }
  EXPECT_TRUE(store.ListExecutions({.state_machine_arn = "arn:none"}).value().executions.empty());
}

TYPED_TEST(StoreTest, ANextTokenTheStoreDidNotGiveIsInvalidToken) {
  Store& store = *this->store_;
  store.Append(Row(1));
  ASSERT_TRUE(store.Flush().ok());
  for (const char* token : {"x", "1.", ".1", "1.2.3", "abc.def", "99999999999999999999.1", " 1.2",
                            "+1.2", "1.-2", "1 .2", "1.2 "}) {
    json::Result<ExecutionPage> page =
        store.ListExecutions({.state_machine_arn = std::string(kMachineArn), .next_token = token});
    ASSERT_FALSE(page.ok()) << token;
    EXPECT_EQ(page.error().name, "InvalidToken") << token;
    EXPECT_EQ(page.error().message, fmt::format("Invalid Token: '{}'", token)) << token;
  }
  EXPECT_EQ(
      store.ListExecutions({.state_machine_arn = std::string(kMachineArn)}).value().executions,
      (std::vector<ExecutionRow>{Row(1)}));
}

TYPED_TEST(StoreTest, HistoryPagesForwardAndReverse) {
  Store& store = *this->store_;
  ExecutionRow row = Row(1);
  store.Append(row);
  for (int id = 1; id <= 25; ++id) store.Append(row.arn, Event(id));
  store.Append(Row(2).arn, Event(1));
  ASSERT_TRUE(store.Flush().ok());
  struct Case {
    bool reverse;
    int limit;
    std::int64_t after_id;
    std::vector<std::int64_t> first_page;
  };
  const Case cases[] = {
      {false, 3, 0, {1, 2, 3}}, {true, 3, 0, {25, 24, 23}}, {false, 3, 10, {11, 12, 13}},
      {true, 3, 10, {9, 8, 7}}, {false, 5, 24, {25}},       {true, 5, 2, {1}},
      {false, 5, 25, {}},       {true, 5, 1, {}},           {false, 2, -3, {1, 2}},
      {true, 2, 100, {25, 24}},
  };
  for (const Case& c : cases) {
    std::vector<HistoryEvent> page = store
                                         .GetExecutionHistory({.execution_arn = row.arn,
                                                               .limit = c.limit,
                                                               .reverse = c.reverse,
                                                               .after_id = c.after_id})
                                         .value();
    std::vector<std::int64_t> got;
    for (const HistoryEvent& e : page) got.push_back(e.id);
    EXPECT_EQ(got, c.first_page) << c.reverse << " " << c.limit << " " << c.after_id;
  }
  // Paging through all of it, forward and back, with pages that do and do not divide 25.
  for (auto [reverse, limit] :
       {std::pair{false, 10}, std::pair{true, 10}, std::pair{false, 25}, std::pair{true, 1}}) {
    std::vector<std::int64_t> got;
    HistoryQuery query{.execution_arn = row.arn, .limit = limit, .reverse = reverse};
    for (;;) {
      std::vector<HistoryEvent> page = store.GetExecutionHistory(query).value();
      if (page.empty()) break;
      for (const HistoryEvent& e : page) got.push_back(e.id);
      query.after_id = page.back().id;
    }
    ASSERT_EQ(got.size(), 25u) << reverse << limit;
    for (int i = 0; i < 25; ++i) EXPECT_EQ(got[i], reverse ? 25 - i : i + 1);
  }
  EXPECT_TRUE(store.GetExecutionHistory({.execution_arn = "arn:none"}).value().empty());
}

TYPED_TEST(StoreTest, DiscardPendingDropsTheWholeBatch) {
  Store& store = *this->store_;
  store.Append(Row(1));
  store.Append(Row(1).arn, Event(1));
  store.AppendJournal(Journal(1));
  store.SetMeta("k", "committed");
  ASSERT_TRUE(store.Flush().ok());

  engine::Emulator emulator(engine::EmulatorOptions{.start_time = At(1'700'000'000'000)});
  const engine::StateMachineRecord* machine =
      emulator
          .CreateStateMachine({.name = "m",
                               .definition = R"({"StartAt":"P","States":{
                                   "P":{"Type":"Pass","End":true}}})",
                               .role_arn = "arn:aws:iam::123456789012:role/r"})
          .value();
  engine::Execution* run = emulator.StartExecution({.state_machine_arn = machine->arn}).value();
  store.Touch(*run);
  store.Append(Row(2));
  store.Append(Row(1).arn, Event(2));
  store.AppendJournal(Journal(2));
  store.AppendJournal(Journal(3));
  store.SetMeta("k", "discarded");
  store.SetMeta("new", "discarded");
  store.DiscardPending();
  EXPECT_EQ(store.pending_events(), 0u);
  ASSERT_TRUE(store.Flush().ok());

  EXPECT_EQ(store.GetExecution(run->arn()).value(), std::nullopt);
  EXPECT_EQ(store.GetExecution(Row(2).arn).value(), std::nullopt);
  EXPECT_EQ(this->HistoryIds(Row(1).arn), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(this->JournalRows(), (std::vector<JournalRow>{Journal(1)}));
  EXPECT_EQ(store.GetMeta("k").value(), "committed");
  EXPECT_EQ(store.GetMeta("new").value(), std::nullopt);

  // The journal goes on from the last stored entry.
  store.AppendJournal(Journal(2));
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_EQ(store.LastJournalSeq().value(), 2);
}

TYPED_TEST(StoreTest, TouchReadsTheExecutionAtFlushTime) {
  Store& store = *this->store_;
  engine::Emulator emulator(
      engine::EmulatorOptions{.start_time = At(1'700'000'000'000), .seed = 7});
  emulator.engine().AddListener(store.Listener());
  const engine::StateMachineRecord* machine =
      emulator
          .CreateStateMachine({.name = "m",
                               .definition = R"({"StartAt":"A","States":{
                                   "A":{"Type":"Pass","Result":{"x":1},"Next":"W"},
                                   "W":{"Type":"Wait","Seconds":60,"End":true}}})",
                               .role_arn = "arn:aws:iam::123456789012:role/r"})
          .value();
  engine::Execution* run =
      emulator.StartExecution({.state_machine_arn = machine->arn, .input = R"({"in":true})"})
          .value();
  emulator.RunUntil(At(1'700'000'000'000));  // up to the Wait
  ASSERT_EQ(run->status(), ExecutionStatus::kRunning);
  std::int64_t events_while_waiting = static_cast<std::int64_t>(run->history().size());
  ASSERT_GT(events_while_waiting, 0);
  EXPECT_EQ(store.pending_events(), run->history().size());
  ASSERT_TRUE(store.Flush().ok());
  EXPECT_EQ(store.GetExecution(run->arn()).value(), ExecutionRow::From(*run));
  EXPECT_EQ(store.ExecutionSummaries().value(),
            (std::vector<ExecutionSummary>{
                {run->arn(), ExecutionStatus::kRunning, events_while_waiting}}));

  emulator.RunToCompletion();
  ASSERT_EQ(run->status(), ExecutionStatus::kSucceeded);
  EXPECT_EQ(store.GetExecution(run->arn()).value()->status, ExecutionStatus::kRunning);
  ASSERT_TRUE(store.Flush().ok());
  // The last event came before the engine set the final status; Flush read it after.
  EXPECT_EQ(store.GetExecution(run->arn()).value(), ExecutionRow::From(*run));
  EXPECT_EQ(store.GetExecution(run->arn()).value()->status, ExecutionStatus::kSucceeded);
  EXPECT_EQ(store.ExecutionSummaries().value(),
            (std::vector<ExecutionSummary>{{run->arn(), ExecutionStatus::kSucceeded,
                                            static_cast<std::int64_t>(run->history().size())}}));
  std::vector<HistoryEvent> history =
      store.GetExecutionHistory({.execution_arn = run->arn()}).value();
  ASSERT_EQ(history.size(), run->history().size());
  for (std::size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(ToWireJson(history[i]), ToWireJson(run->history()[i])) << i;
  }
}

}  // namespace
}  // namespace timeslip::store
