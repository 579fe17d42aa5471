// MemoryStore answers exactly as SqliteStore does: the same workload, fed to both, gives the same
// rows, pages and next tokens.

#include "emulator/store/memory_store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulator/store/sqlite_store.h"
#include "emulator/time/rng.h"

namespace timeslip::store {
namespace {

using engine::ExecutionStatus;
using engine::HistoryEvent;

constexpr ExecutionStatus kStatuses[] = {ExecutionStatus::kRunning, ExecutionStatus::kSucceeded,
                                         ExecutionStatus::kFailed, ExecutionStatus::kTimedOut,
                                         ExecutionStatus::kAborted};
const std::string kMachines[] = {"arn:aws:states:us-east-1:123456789012:stateMachine:a",
                                 "arn:aws:states:us-east-1:123456789012:stateMachine:b"};

time::Instant At(std::int64_t ms) { return time::Instant(time::Duration(ms)); }

// 400 executions over two machines, start dates with many ties and not in start order, events
// in several flushes, and later status changes.
void Feed(Store& store, std::uint64_t seed) {
  time::Rng rng(seed);
  std::vector<ExecutionRow> rows;
  std::vector<std::int64_t> next_id;
  for (int turn = 0; turn < 60; ++turn) {
    for (int n = rng.UniformInt(0, 10); n > 0; --n) {
      ExecutionRow row;
      int i = static_cast<int>(rows.size());
      row.arn = fmt::format("arn:aws:states:us-east-1:123456789012:execution:x:e{}", i);
      row.state_machine_arn = kMachines[rng.UniformInt(0, 1)];
      row.name = fmt::format("e{}", i);
      row.input = fmt::format(R"({{"i":{}}})", i);
      row.start_date = At(1000 + rng.UniformInt(0, 40));
      rows.push_back(row);
      next_id.push_back(1);
      store.Append(row);
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (rng.UniformInt(0, 3) != 0) continue;
      for (int n = rng.UniformInt(1, 4); n > 0; --n) {
        std::int64_t id = next_id[i]++;
        store.Append(rows[i].arn, HistoryEvent{id,
                                               id - 1,
                                               At(2000 + id),
                                               "PassStateExited",
                                               "stateExitedEventDetails",
                                               {{"name", "P"}, {"output", "{}"}}});
      }
      if (rng.UniformInt(0, 5) == 0) {
        rows[i].status = kStatuses[rng.UniformInt(0, 4)];
        rows[i].stop_date = At(3000 + turn);
        store.Append(rows[i]);
      }
    }
    store.AppendJournal(JournalRow{turn + 1, At(turn), "turn", fmt::format("{}", turn)});
    store.SetMeta("turn", fmt::format("{}", turn));
    ASSERT_TRUE(store.Flush().ok());
  }
}

struct Pages {
  std::vector<std::vector<std::string>> arns;
  std::vector<std::string> tokens;
  friend bool operator==(const Pages&, const Pages&) = default;
};

Pages AllPages(Store& store, ExecutionQuery query) {
  Pages pages;
  for (;;) {
    ExecutionPage page = store.ListExecutions(query).value();
    pages.arns.emplace_back();
    for (const ExecutionRow& row : page.executions) pages.arns.back().push_back(row.arn);
    pages.tokens.push_back(page.next_token);
    if (page.next_token.empty()) return pages;
    query.next_token = page.next_token;
  }
}

TEST(MemoryStoreTest, AnswersAsSqliteStoreDoes) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    MemoryStore memory;
    std::unique_ptr<SqliteStore> sqlite = SqliteStore::Open(":memory:").value();
    Feed(memory, seed);
    Feed(*sqlite, seed);

    std::vector<ExecutionSummary> summaries = memory.ExecutionSummaries().value();
    ASSERT_GT(summaries.size(), 100u) << seed;
    EXPECT_EQ(summaries, sqlite->ExecutionSummaries().value()) << seed;

    std::vector<std::optional<ExecutionStatus>> statuses = {std::nullopt};
    statuses.insert(statuses.end(), std::begin(kStatuses), std::end(kStatuses));
    for (const std::string& machine : kMachines) {
      for (const std::optional<ExecutionStatus>& status : statuses) {
        for (int limit : {1, 3, 10, 1000}) {
          ExecutionQuery query{.state_machine_arn = machine, .status = status, .limit = limit};
          EXPECT_EQ(AllPages(memory, query), AllPages(*sqlite, query))
              << seed << " " << machine << " " << (status ? engine::StatusName(*status) : "any")
              << " " << limit;
        }
      }
    }
    for (const ExecutionSummary& s : summaries) {
      EXPECT_EQ(memory.GetExecution(s.arn).value(), sqlite->GetExecution(s.arn).value());
      for (bool reverse : {false, true}) {
        for (std::int64_t after : {0, 2, 5}) {
          HistoryQuery query{
              .execution_arn = s.arn, .limit = 3, .reverse = reverse, .after_id = after};
          std::vector<HistoryEvent> a = memory.GetExecutionHistory(query).value();
          std::vector<HistoryEvent> b = sqlite->GetExecutionHistory(query).value();
          ASSERT_EQ(a.size(), b.size()) << s.arn;
          for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(ToWireJson(a[i]), ToWireJson(b[i]));
        }
      }
    }
    EXPECT_EQ(memory.LastJournalSeq().value(), sqlite->LastJournalSeq().value());
    EXPECT_EQ(memory.GetMeta("turn").value(), sqlite->GetMeta("turn").value());
  }
}

TEST(MemoryStoreTest, AnEventWithAStoredIdReplacesIt) {
  MemoryStore store;
  std::string arn = "arn:aws:states:us-east-1:123456789012:execution:x:e";
  for (std::int64_t id : {1, 3, 2, 3}) {
    store.Append(arn, HistoryEvent{id, id - 1, At(id), fmt::format("T{}", id), "", nullptr});
  }
  store.Append(arn, HistoryEvent{3, 2, At(3), "Again", "", nullptr});
  ASSERT_TRUE(store.Flush().ok());
  std::vector<HistoryEvent> history = store.GetExecutionHistory({.execution_arn = arn}).value();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].type, "T1");
  EXPECT_EQ(history[1].type, "T2");
  EXPECT_EQ(history[2].type, "Again");
}

}  // namespace
}  // namespace timeslip::store
