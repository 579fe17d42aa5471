#include "emulator/store/sqlite_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "emulator/engine/emulator.h"
#include "emulator/store/schema.h"
#include "tests/store/temp_db_internal.h"

namespace timeslip::store {
namespace {

using engine::ExecutionStatus;
using engine::HistoryEvent;
using testing::TempDbPath;

constexpr std::string_view kMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";

time::Instant At(std::int64_t ms) { return time::Instant(time::Duration(ms)); }

std::unique_ptr<SqliteStore> OpenOrDie(const std::string& path) {
  json::Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message);
  return store.ok() ? std::move(store).value() : nullptr;
}

std::int64_t Count(SqliteStore& store, const std::string& table) {
  json::Result<Statement> s = store.db().Prepare(fmt::format("SELECT count(*) FROM {}", table));
  EXPECT_TRUE(s.value().Step().value());
  return s.value().ColumnInt(0);
}

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

TEST(SqliteStoreTest, StateMachinesWithRevisionsRoundTrip) {
  TempDbPath file;
  engine::StateMachineRecord m;
  m.arn = std::string(kMachineArn);
  m.name = "m";
  m.definition = R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})";
  m.role_arn = "arn:aws:iam::123456789012:role/r";
  m.type = engine::MachineType::kExpress;
  m.creation_date = At(1000);
  m.revision_id = "rev-1";
  m.description = "first";
  m.logging_configuration = {{"level", "OFF"}};
  m.tags = {{"team", "data"}, {"env", "dev"}};
  {
    std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
    store->SaveStateMachine(m);
    ASSERT_TRUE(store->Flush().ok());
    m.definition = R"({"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}})";
    m.update_date = At(2000);
    m.revision_id = "rev-2";
    store->SaveStateMachine(m);
    ASSERT_TRUE(store->Flush().ok());
    store->SaveStateMachine(m);
    ASSERT_TRUE(store->Flush().ok());  // same revision: recorded once
  }
  std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
  json::Result<std::vector<engine::StateMachineRecord>> machines = store->LoadStateMachines();
  ASSERT_TRUE(machines.ok());
  ASSERT_EQ(machines.value().size(), 1u);
  const engine::StateMachineRecord& got = machines.value()[0];
  EXPECT_EQ(got.arn, m.arn);
  EXPECT_EQ(got.name, m.name);
  EXPECT_EQ(got.definition, m.definition);
  EXPECT_EQ(got.role_arn, m.role_arn);
  EXPECT_EQ(got.type, engine::MachineType::kExpress);
  EXPECT_EQ(got.creation_date, At(1000));
  EXPECT_EQ(got.update_date, At(2000));
  EXPECT_EQ(got.revision_id, "rev-2");
  EXPECT_EQ(got.description, "first");
  EXPECT_EQ(got.logging_configuration, m.logging_configuration);
  EXPECT_EQ(got.tracing_configuration, nlohmann::ordered_json::object());
  EXPECT_EQ(got.tags, m.tags);
  EXPECT_EQ(got.machine, nullptr);

  json::Result<std::vector<StateMachineRevision>> revisions = store->LoadRevisions(m.arn);
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions.value().size(), 2u);
  EXPECT_EQ(revisions.value()[0].revision_id, "rev-1");
  EXPECT_NE(revisions.value()[0].definition.find("\"P\""), std::string::npos);
  EXPECT_EQ(revisions.value()[0].created, At(1000));
  EXPECT_EQ(revisions.value()[1].revision_id, "rev-2");
  EXPECT_EQ(revisions.value()[1].created, At(2000));

  store->DeleteStateMachine(m.arn);
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_TRUE(store->LoadStateMachines().value().empty());
  EXPECT_TRUE(store->LoadRevisions(m.arn).value().empty());
}

TEST(SqliteStoreTest, ActivitiesRoundTrip) {
  TempDbPath file;
  engine::ActivityRecord a{"arn:aws:states:us-east-1:123456789012:activity:b", "b", At(5), {}};
  engine::ActivityRecord c{
      "arn:aws:states:us-east-1:123456789012:activity:a", "a", At(7), {{"k", "v"}}};
  {
    std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
    store->SaveActivity(a);
    ASSERT_TRUE(store->Flush().ok());
    store->SaveActivity(c);
    ASSERT_TRUE(store->Flush().ok());
  }
  std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
  std::vector<engine::ActivityRecord> got = store->LoadActivities().value();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].arn, c.arn);  // by ARN
  EXPECT_EQ(got[0].tags, c.tags);
  EXPECT_EQ(got[0].creation_date, At(7));
  EXPECT_EQ(got[1].name, "b");
  store->DeleteActivity(c.arn);
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(store->LoadActivities().value().size(), 1u);
}

TEST(SqliteStoreTest, ExecutionsAndHistoryRoundTrip) {
  TempDbPath file;
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
  {
    std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
    store->Append(Row(1));
    store->Append(done);  // replaces the queued row
    store->Append(done.arn, started);
    store->Append(done.arn, no_details);
    ASSERT_TRUE(store->Flush().ok());
  }
  std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
  json::Result<std::optional<ExecutionRow>> got = store->GetExecution(done.arn);
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got.value().has_value());
  EXPECT_EQ(*got.value(), done);
  EXPECT_FALSE(store->GetExecution("arn:nope").value().has_value());

  std::vector<HistoryEvent> history =
      store->GetExecutionHistory(HistoryQuery{.execution_arn = done.arn}).value();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(ToWireJson(history[0]), ToWireJson(started));
  EXPECT_EQ(ToWireJson(history[1]), ToWireJson(no_details));
  EXPECT_EQ(history[1].details_key, "");

  // A later status change updates the row in place.
  done.status = ExecutionStatus::kRunning;
  done.redrive_count = 3;
  store->Append(done);
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(*store->GetExecution(done.arn).value(), done);
  EXPECT_EQ(Count(*store, "executions"), 1);
}

TEST(SqliteStoreTest, GroupCommitWritesNothingUntilFlushThenAllInOneTransaction) {
  TempDbPath file;
  std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
  // A second connection sees only what was committed.
  std::unique_ptr<Db> reader = Db::Open(file.path()).value();
  json::Result<Statement> count = reader->Prepare("SELECT count(*) FROM history_events");
  auto committed = [&] {
    EXPECT_TRUE(count.value().Step().value());
    std::int64_t n = count.value().ColumnInt(0);
    count.value().Reset();
    return n;
  };
  // Counts transactions that changed the database, as another connection sees them.
  json::Result<Statement> data_version = reader->Prepare("PRAGMA data_version");
  auto version = [&] {
    EXPECT_TRUE(data_version.value().Step().value());
    std::int64_t v = data_version.value().ColumnInt(0);
    data_version.value().Reset();
    return v;
  };

  ExecutionRow row = Row(1);
  store->Append(row);
  constexpr int kEvents = 250;
  for (int id = 1; id <= kEvents; ++id) {
    store->Append(row.arn, HistoryEvent{id,
                                        id - 1,
                                        At(1000 + id),
                                        "PassStateEntered",
                                        "stateEnteredEventDetails",
                                        {{"name", "P"}}});
  }
  EXPECT_EQ(store->pending_events(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(committed(), 0);
  EXPECT_FALSE(store->GetExecution(row.arn).value().has_value());
  std::int64_t before = version();

  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(version(), before + 1);  // one transaction
  EXPECT_EQ(committed(), kEvents);
  EXPECT_EQ(store->pending_events(), 0u);
  ASSERT_TRUE(store->Flush().ok());  // nothing queued: no transaction
  EXPECT_EQ(version(), before + 1);
}

std::vector<JournalRow> Journal(SqliteStore& store) {
  std::vector<JournalRow> rows;
  EXPECT_TRUE(store
                  .ForEachJournal([&](const JournalRow& row) {
                    rows.push_back(row);
                    return json::Ok();
                  })
                  .ok());
  return rows;
}

TEST(SqliteStoreTest, FailedFlushWritesNothingAndKeepsTheBatch) {
  std::unique_ptr<SqliteStore> store = OpenOrDie(":memory:");
  ExecutionRow row = Row(1);
  store->Append(row);
  store->Append(row.arn, HistoryEvent{1, 0, At(1), "ExecutionStarted", "", nullptr});
  store->AppendJournal(JournalRow{1, At(1), "request", "{}"});
  store->SetMeta("clock", "1");
  ASSERT_TRUE(store->Flush().ok());
  // Event 2 is new; event 1 again violates the primary key: the whole batch rolls back.
  ExecutionRow done = Row(1, ExecutionStatus::kSucceeded);
  store->Append(done);
  store->Append(row.arn, HistoryEvent{2, 1, At(2), "PassStateEntered", "", nullptr});
  store->Append(row.arn, HistoryEvent{1, 0, At(1), "ExecutionStarted", "", nullptr});
  store->AppendJournal(JournalRow{2, At(2), "request", "{}"});
  store->SetMeta("clock", "2");
  store->SetMeta("rng", "x");
  json::Status flushed = store->Flush();
  ASSERT_FALSE(flushed.ok());
  EXPECT_EQ(flushed.error().name, "StoreError");
  EXPECT_NE(flushed.error().message.find("UNIQUE constraint failed"), std::string::npos);
  EXPECT_EQ(Count(*store, "history_events"), 1);
  EXPECT_EQ(Count(*store, "journal"), 1);
  EXPECT_EQ(store->LastJournalSeq().value(), 1);
  EXPECT_EQ(store->GetMeta("clock").value(), "1");
  EXPECT_EQ(store->GetMeta("rng").value(), std::nullopt);
  EXPECT_EQ(store->GetExecution(row.arn).value()->status, ExecutionStatus::kRunning);
  EXPECT_EQ(store->pending_events(), 2u);
  // Still queued: the next Flush fails the same way.
  EXPECT_FALSE(store->Flush().ok());
  store->DiscardPending();
  EXPECT_TRUE(store->Flush().ok());
  EXPECT_EQ(Count(*store, "journal"), 1);
}

TEST(SqliteStoreTest, FlushThatMeetsALockKeepsTheBatchForTheNextFlush) {
  TempDbPath file;
  std::unique_ptr<SqliteStore> store =
      SqliteStore::Open(file.path(), DbOptions{.busy_timeout_ms = 0}).value();
  std::unique_ptr<Db> other = Db::Open(file.path(), DbOptions{.busy_timeout_ms = 0}).value();
  ExecutionRow row = Row(1);
  store->Append(row);
  store->Append(row.arn, HistoryEvent{1, 0, At(1), "ExecutionStarted", "", nullptr});
  store->AppendJournal(JournalRow{1, At(1), "request", R"({"op":"StartExecution"})"});
  store->SetMeta("clock", "1");

  json::Result<Transaction> lock = Transaction::Begin(*other);
  ASSERT_TRUE(lock.ok());
  json::Status flushed = store->Flush();
  ASSERT_FALSE(flushed.ok());
  EXPECT_EQ(flushed.error().name, "StoreError");
  EXPECT_NE(flushed.error().message.find("locked"), std::string::npos) << flushed.error().message;
  EXPECT_EQ(store->pending_events(), 1u);
  ASSERT_TRUE(lock.value().Commit().ok());

  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(store->pending_events(), 0u);
  EXPECT_EQ(store->GetExecution(row.arn).value(), row);
  EXPECT_EQ(Count(*store, "history_events"), 1);
  EXPECT_EQ(Journal(*store),
            (std::vector<JournalRow>{{1, At(1), "request", R"({"op":"StartExecution"})"}}));
  EXPECT_EQ(store->GetMeta("clock").value(), "1");
}

TEST(SqliteStoreTest, AVersionOneDatabaseMigratesToVersionTwo) {
  TempDbPath file;
  {
    std::unique_ptr<Db> db = Db::Open(file.path()).value();
    ASSERT_TRUE(Migrate(*db, 1).ok());
    ASSERT_EQ(SchemaVersion(*db).value(), 1);
    ASSERT_TRUE(db->Exec("INSERT INTO executions (arn, state_machine_arn, name, status, type, "
                         "input, error, cause, start_ms, redrive_count) VALUES ('arn:e', "
                         "'arn:m', 'e', 'SUCCEEDED', 'STANDARD', '{}', '', '', 5, 0)")
                    .ok());
    json::Result<Statement> tables =
        db->Prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('journal', 'meta')");
    ASSERT_TRUE(tables.value().Step().value());
    EXPECT_EQ(tables.value().ColumnInt(0), 0);
  }
  std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
  EXPECT_EQ(CurrentSchemaVersion(), 2);
  EXPECT_EQ(SchemaVersion(store->db()).value(), 2);
  EXPECT_EQ(Count(*store, "journal"), 0);
  EXPECT_EQ(Count(*store, "meta"), 0);
  // What version 1 held is still there; what version 2 adds works.
  EXPECT_EQ(store->ExecutionSummaries().value(),
            (std::vector<ExecutionSummary>{{"arn:e", ExecutionStatus::kSucceeded, 0}}));
  EXPECT_EQ(store->LastJournalSeq().value(), 0);
  store->AppendJournal(JournalRow{1, At(9), "request", "{}"});
  store->SetMeta("options", "{}");
  ASSERT_TRUE(store->Flush().ok());
  store.reset();
  store = OpenOrDie(file.path());
  EXPECT_EQ(SchemaVersion(store->db()).value(), 2);
  EXPECT_EQ(store->LastJournalSeq().value(), 1);
  EXPECT_EQ(store->GetMeta("options").value(), "{}");
}

TEST(SqliteStoreTest, AReopenedFileHasEverythingFlushedAndNothingElse) {
  TempDbPath file;
  ExecutionRow row = Row(1);
  {
    std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
    store->Append(row);
    store->Append(row.arn, HistoryEvent{1, 0, At(1), "ExecutionStarted", "", nullptr});
    store->AppendJournal(JournalRow{1, At(1), "request", "a"});
    store->AppendJournal(JournalRow{2, At(2), "wake", "b"});
    store->SetMeta("clock", "2");
    ASSERT_TRUE(store->Flush().ok());
    // Queued and never flushed: gone with the process.
    store->Append(Row(2));
    store->Append(row.arn, HistoryEvent{2, 1, At(3), "PassStateEntered", "", nullptr});
    store->AppendJournal(JournalRow{3, At(3), "request", "c"});
    store->SetMeta("clock", "3");
    store->SetMeta("rng", "r");
  }
  std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
  EXPECT_EQ(store->GetExecution(row.arn).value(), row);
  EXPECT_EQ(store->GetExecution(Row(2).arn).value(), std::nullopt);
  EXPECT_EQ(store->ExecutionSummaries().value(),
            (std::vector<ExecutionSummary>{{row.arn, ExecutionStatus::kRunning, 1}}));
  EXPECT_EQ(Journal(*store),
            (std::vector<JournalRow>{{1, At(1), "request", "a"}, {2, At(2), "wake", "b"}}));
  EXPECT_EQ(store->LastJournalSeq().value(), 2);
  EXPECT_EQ(store->GetMeta("clock").value(), "2");
  EXPECT_EQ(store->GetMeta("rng").value(), std::nullopt);
  // The journal goes on from the stored end.
  store->AppendJournal(JournalRow{3, At(3), "request", "c"});
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(store->LastJournalSeq().value(), 3);
}

TEST(SqliteStoreTest, ForEachJournalStreamsAHundredThousandEntries) {
  std::unique_ptr<SqliteStore> store = OpenOrDie(":memory:");
  constexpr std::int64_t kEntries = 100000;
  for (std::int64_t seq = 1; seq <= kEntries; ++seq) {
    store->AppendJournal(JournalRow{seq, At(seq), "request", fmt::format("{}", seq)});
    if (seq % 10000 == 0) {
      ASSERT_TRUE(store->Flush().ok());
    }
  }
  std::int64_t want = 1;
  ASSERT_TRUE(store
                  ->ForEachJournal([&](const JournalRow& row) -> json::Status {
                    if (row.seq != want || row.payload != fmt::format("{}", want)) {
                      return json::Error{"Mismatch", fmt::format("at {}", want)};
                    }
                    ++want;
                    return json::Ok();
                  })
                  .ok());
  EXPECT_EQ(want, kEntries + 1);
}

TEST(SqliteStoreTest, ListsTenThousandExecutionsInPagesNewestFirst) {
  TempDbPath file;
  std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
  constexpr int kExecutions = 10000;
  for (int i = 0; i < kExecutions; ++i) {
    // Ten executions share each start instant: order among them is start order, reversed.
    ExecutionStatus status = i % 3 == 0 ? ExecutionStatus::kSucceeded : ExecutionStatus::kRunning;
    store->Append(Row(i, status, 1000 + i / 10));
  }
  ExecutionRow other = Row(-1);
  other.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:other";
  store->Append(other);
  ASSERT_TRUE(store->Flush().ok());

  struct Case {
    std::optional<ExecutionStatus> status;
    int limit;
  };
  for (const Case& c :
       {Case{std::nullopt, 1000}, Case{std::nullopt, 333}, Case{ExecutionStatus::kSucceeded, 100},
        Case{ExecutionStatus::kRunning, 7}}) {
    std::vector<int> want;
    for (int i = kExecutions - 1; i >= 0; --i) {
      bool succeeded = i % 3 == 0;
      if (!c.status || (*c.status == ExecutionStatus::kSucceeded) == succeeded) want.push_back(i);
    }
    std::vector<int> got;
    ExecutionQuery query{
        .state_machine_arn = std::string(kMachineArn), .status = c.status, .limit = c.limit};
    int pages = 0;
    for (;;) {
      json::Result<ExecutionPage> page = store->ListExecutions(query);
      ASSERT_TRUE(page.ok()) << page.error().message;
      ++pages;
      ASSERT_LE(static_cast<int>(page.value().executions.size()), c.limit);
      for (const ExecutionRow& r : page.value().executions)
        got.push_back(std::stoi(r.name.substr(1)));
      if (page.value().next_token.empty()) break;
      query.next_token = page.value().next_token;
    }
    EXPECT_EQ(got, want) << "limit " << c.limit;
    EXPECT_EQ(pages, (static_cast<int>(want.size()) + c.limit - 1) / c.limit +
                         (want.size() % c.limit == 0 ? 0 : 0))
        << "limit " << c.limit;
  }
}

TEST(SqliteStoreTest, ListenerStoresAnEmulatorRunAsItsHistory) {
  TempDbPath file;
  Emulator emulator(engine::EmulatorOptions{.start_time = At(1'700'000'000'000), .seed = 7});
  std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
  emulator.engine().AddListener(store->Listener());
  const engine::StateMachineRecord* machine =
      emulator
          .CreateStateMachine({.name = "m",
                               .definition = R"({"StartAt":"A","States":{
                                   "A":{"Type":"Pass","Result":{"x":1},"Next":"W"},
                                   "W":{"Type":"Wait","Seconds":60,"End":true}}})",
                               .role_arn = "arn:aws:iam::123456789012:role/r"})
          .value();
  store->SaveStateMachine(*machine);
  ASSERT_TRUE(store->Flush().ok());
  engine::Execution* run =
      emulator.StartExecution({.state_machine_arn = machine->arn, .input = R"({"in":true})"})
          .value();
  emulator.RunToCompletion();
  ASSERT_EQ(run->status(), ExecutionStatus::kSucceeded);
  ASSERT_TRUE(store->Flush().ok());
  store.reset();

  store = OpenOrDie(file.path());
  std::optional<ExecutionRow> row = store->GetExecution(run->arn()).value();
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(*row, ExecutionRow::From(*run));
  EXPECT_EQ(row->status, ExecutionStatus::kSucceeded);  // read at Flush, after the last event
  std::vector<HistoryEvent> history =
      store->GetExecutionHistory({.execution_arn = run->arn()}).value();
  ASSERT_EQ(history.size(), run->history().size());
  for (std::size_t i = 0; i < history.size(); ++i) {
    EXPECT_EQ(ToWireJson(history[i]), ToWireJson(run->history()[i])) << i;
  }
  EXPECT_EQ(store->LoadStateMachines().value().at(0).definition, machine->definition);
}

}  // namespace
}  // namespace timeslip::store

namespace timeslip::store {
namespace {

TEST(SqliteStoreIntegrityTest, ADamagedIndexPageIsFoundBeforeAnyCommitTouchesIt) {
  testing::TempDbPath file;
  std::int64_t page = 0, page_size = 0;
  {
    std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
    for (int i = 0; i < 50; ++i) {
      ExecutionRow row;
      row.arn = fmt::format("arn:aws:states:us-east-1:123456789012:execution:m:e{}", i);
      row.state_machine_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:m";
      row.name = fmt::format("e{}", i);
      row.input = "{}";
      store->Append(std::move(row));
    }
    ASSERT_TRUE(store->Flush().ok());
    EXPECT_TRUE(store->CheckIntegrity().ok());
    auto root = store->db().Prepare(
        "SELECT rootpage FROM sqlite_schema WHERE name = 'executions_by_machine'");
    ASSERT_TRUE(root.ok() && root.value().Step().value());
    page = root.value().ColumnInt(0);
    auto size = store->db().Prepare("PRAGMA page_size");
    ASSERT_TRUE(size.ok() && size.value().Step().value());
    page_size = size.value().ColumnInt(0);
  }
  {
    std::fstream f(file.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((page - 1) * page_size + page_size - 256);
    std::string garbage(256, '\x5a');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  std::unique_ptr<SqliteStore> store = OpenOrDie(file.path());
  json::Status intact = store->CheckIntegrity();
  ASSERT_FALSE(intact.ok());
  EXPECT_EQ(intact.error().name, "StoreError");
  EXPECT_NE(intact.error().message.find("the database is damaged"), std::string::npos)
      << intact.error().message;
}

}  // namespace
}  // namespace timeslip::store
