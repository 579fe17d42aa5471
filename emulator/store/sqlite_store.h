#pragma once
// SqliteStore: timeslip's state in one SQLite file (or ":memory:"): state machines with every
// revision, activities, executions and their histories.
//
// Writes of what the engine produces (history events, execution status) are group-committed:
// Append() queues them, Flush() writes the whole batch in one transaction. The serve loop calls
// Flush() once per loop turn and acknowledges an API call only after the Flush that carries its
// effects. Definitions and activities are rare and written at once by Save*/Delete*.
//
// Threads: not thread-safe; the engine's thread calls everything.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "emulator/engine/emulator.h"
#include "emulator/engine/execution.h"
#include "emulator/engine/history_event.h"
#include "emulator/json/result.h"
#include "emulator/store/db.h"
#include "emulator/time/clock.h"

namespace timeslip::store {

// An execution as DescribeExecution and ListExecutions show it.
struct ExecutionRow {
  std::string arn;
  std::string state_machine_arn;
  std::string name;
  engine::ExecutionStatus status = engine::ExecutionStatus::kRunning;
  engine::MachineType type = engine::MachineType::kStandard;
  std::string input;                  // JSON text
  std::optional<std::string> output;  // JSON text
  std::string error;
  std::string cause;
  time::Instant start_date;
  std::optional<time::Instant> stop_date;
  int redrive_count = 0;
  std::optional<time::Instant> redrive_date;

  static ExecutionRow From(const engine::Execution& execution);
  friend bool operator==(const ExecutionRow&, const ExecutionRow&) = default;
};

// One revision of a state machine's definition, oldest first.
struct StateMachineRevision {
  std::string revision_id;
  std::string definition;
  std::string role_arn;
  std::string description;
  time::Instant created;
};

struct ExecutionQuery {
  std::string state_machine_arn;
  std::optional<engine::ExecutionStatus> status;
  int limit = 100;         // REQUIRES: > 0
  std::string next_token;  // from the previous page; empty: the first page
};

struct ExecutionPage {
  std::vector<ExecutionRow> executions;  // newest first (start date, then start order)
  std::string next_token;                // empty: this was the last page
};

struct HistoryQuery {
  std::string execution_arn;
  int limit = 1000;           // REQUIRES: > 0
  bool reverse = false;       // newest first
  std::int64_t after_id = 0;  // forward: ids > after_id; reverse: ids < after_id (0: from the end)
};

class SqliteStore {
 public:
  // Opens `path` (a file, created if missing, or ":memory:") and brings its schema up to date.
  // Errors (StoreError): not a database, locked by another connection, written by a newer
  // timeslip ("database schema version N is newer than this timeslip (M)").
  static json::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                         DbOptions options = {});
  ~SqliteStore();

  Db& db() { return *db_; }

  // ---- State machines and activities: written at once ----
  // Upserts the machine and records its revision (revision_id) if it is new.
  json::Status SaveStateMachine(const engine::StateMachineRecord& record);
  json::Status DeleteStateMachine(const std::string& arn);
  // By ARN; `machine` is left null: the caller compiles `definition` again.
  json::Result<std::vector<engine::StateMachineRecord>> LoadStateMachines();
  json::Result<std::vector<StateMachineRevision>> LoadRevisions(const std::string& arn);

  json::Status SaveActivity(const engine::ActivityRecord& record);
  json::Status DeleteActivity(const std::string& arn);
  json::Result<std::vector<engine::ActivityRecord>> LoadActivities();  // by ARN

  // ---- Group commit ----
  // Queues an execution's row (insert, or update by ARN; the last queued wins).
  void Append(ExecutionRow row);
  // Queues a history event.
  void Append(const std::string& execution_arn, engine::HistoryEvent event);
  // Queues `execution`'s row as it will be at the next Flush(). `execution` must outlive it.
  void Touch(const engine::Execution& execution);
  // For Engine::AddListener: queues every event and touches its execution.
  std::function<void(const engine::Execution&, const engine::HistoryEvent&)> Listener();
  // Writes everything queued in one transaction. On failure nothing is written and the batch
  // stays queued, so the next Flush() tries again.
  json::Status Flush();
  std::size_t pending_events() const { return pending_events_.size(); }

  // ---- Queries (committed data only) ----
  json::Result<std::optional<ExecutionRow>> GetExecution(const std::string& arn);
  // Errors: InvalidToken (a next_token this store did not give).
  json::Result<ExecutionPage> ListExecutions(const ExecutionQuery& query);
  json::Result<std::vector<engine::HistoryEvent>> GetExecutionHistory(const HistoryQuery& query);

 private:
  struct Statements;
  explicit SqliteStore(std::unique_ptr<Db> db);

  std::unique_ptr<Db> db_;
  std::unique_ptr<Statements> st_;
  std::vector<ExecutionRow> pending_rows_;
  std::unordered_map<std::string, std::size_t> pending_row_index_;  // ARN -> pending_rows_
  std::vector<const engine::Execution*> touched_;
  std::unordered_map<const engine::Execution*, bool> touched_set_;
  std::vector<std::pair<std::string, engine::HistoryEvent>> pending_events_;
};

}  // namespace timeslip::store
