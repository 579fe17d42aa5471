#pragma once
// MemoryStore: the Store (store.h) in plain containers, for tests and scenarios that want the
// store's behaviour without SQLite. It answers exactly as SqliteStore does: the same rows, the
// same pages (ListExecutions newest first by start date, then start order; the same next_token
// format), the same upsert rule (an update keeps an execution's ARN, machine, name, type, input
// and start date; the rest is replaced). Nothing outlives the object.
//
// Flush() applies the queued batch and cannot fail.
//
// Threads: not thread-safe; one thread (the engine's) calls everything.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "emulator/engine/execution.h"
#include "emulator/engine/history_event.h"
#include "emulator/json/result.h"
#include "emulator/store/store_interface.h"

namespace timeslip::store {

class MemoryStore : public Store {
 public:
  MemoryStore() = default;

  // ---- Writing ----
  // Always ok. An event with the id of a stored one of the same execution replaces it.
  json::Status Write(const Batch& batch) override;
  bool WritesWait() const override { return false; }

  // ---- Reads (committed data only) ----
  json::Result<std::optional<std::string>> GetMeta(const std::string& key) override;
  json::Result<std::vector<engine::StateMachineRecord>> LoadStateMachines() override;
  json::Result<std::vector<engine::ActivityRecord>> LoadActivities() override;
  json::Status ForEachJournal(const std::function<json::Status(const JournalRow&)>& fn) override;
  // Committed entries only: a queued, unflushed entry does not count.
  json::Result<std::int64_t> LastJournalSeq() override;
  json::Result<std::vector<ExecutionSummary>> ExecutionSummaries() override;
  json::Result<std::optional<ExecutionRow>> GetExecution(const std::string& arn) override;
  json::Result<ExecutionPage> ListExecutions(const ExecutionQuery& query) override;
  json::Result<std::vector<engine::HistoryEvent>> GetExecutionHistory(
      const HistoryQuery& query) override;

 private:
  // (start ms, seq): ListExecutions' order, walked from the end.
  using ExecutionKey = std::pair<std::int64_t, std::int64_t>;

  void Commit(ExecutionRow row);
  void Commit(const std::string& execution_arn, engine::HistoryEvent event);

  // Committed.
  std::map<std::string, engine::StateMachineRecord> machines_;    // by ARN, `machine` null
  std::map<std::string, engine::ActivityRecord> activities_;      // by ARN
  std::vector<ExecutionRow> executions_;                          // seq - 1 -> row
  std::unordered_map<std::string, std::size_t> execution_index_;  // ARN -> executions_
  std::map<std::string, std::set<ExecutionKey>> by_machine_;      // machine ARN -> its executions
  std::unordered_map<std::string, std::vector<engine::HistoryEvent>> history_;  // by id
  std::vector<JournalRow> journal_;
  std::map<std::string, std::string> meta_;
};

}  // namespace timeslip::store
