#pragma once
// Store: where the endpoint's durable state goes. Two implementations: SqliteStore (a file, or
// ":memory:") and MemoryStore (plain containers, for tests and scenarios that want the same
// interface without SQLite).
//
// What is kept:
//   - the journal: every input that changed the emulator (an API request, a wall-clock wake-up, a
//     long poll's timeout), in the order the engine thread applied it, with the virtual instant it
//     was applied at. The engine is deterministic, so replaying the journal on a fresh emulator
//     with the same options rebuilds everything that lives only in memory: running executions,
//     pending task tokens and their deadlines, timers, fake runs in flight, the generator.
//   - what the engine produced, as queryable rows: executions and their history events.
//   - meta: small named values (the emulator's options; the clock's position and the generator's
//     state after the last commit, which recovery checks the replay against).
//
// Writes are group-committed: Append*/SetMeta queue; TakeBatch() takes the whole queue as one
// Batch, which Write() writes atomically, on the engine thread (Flush) or on a writer thread of
// its own, so the engine goes on while the disk works (host/journal.h). A batch that fails to be
// written is put back, and the next commit writes it again.
//
// Threads: the engine thread queues and takes batches; Write may run on one other thread at a
// time; reads run when no Write does (recovery, before serving; tests).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "emulator/engine/emulator.h"
#include "emulator/engine/execution.h"
#include "emulator/engine/history_event.h"
#include "emulator/json/result.h"
#include "emulator/time/clock.h"

namespace timeslip::host {

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

// One journal entry. `kind` and `payload` are the writer's (host/journal.h); the store keeps them
// as they are.
struct JournalRow {
  std::int64_t seq = 0;  // 1, 2, 3, ... in the order appended
  time::Instant at;      // the virtual instant the input was applied at
  std::string kind;
  std::string payload;
  friend bool operator==(const JournalRow&, const JournalRow&) = default;
};

// What recovery checks a replay against: per execution, its status and how many events it has.
struct ExecutionSummary {
  std::string arn;
  engine::ExecutionStatus status = engine::ExecutionStatus::kRunning;
  std::int64_t events = 0;  // history events stored
  friend bool operator==(const ExecutionSummary&, const ExecutionSummary&) = default;
};

// A state machine or an activity as it changed: saved (created, updated, tagged) or deleted.
struct CatalogChange {
  enum class Kind { kSaveMachine, kDeleteMachine, kSaveActivity, kDeleteActivity };
  Kind kind = Kind::kSaveMachine;
  engine::StateMachineRecord machine;  // kSaveMachine
  engine::ActivityRecord activity;     // kSaveActivity
  std::string arn;                     // kDelete*
};

// What one commit writes: everything queued since the last one.
struct Batch {
  std::vector<CatalogChange> catalog;  // in the order they happened
  std::vector<ExecutionRow> rows;      // one per execution, in the order first queued
  std::vector<std::pair<std::string, engine::HistoryEvent>> events;  // (execution ARN, event)
  std::vector<JournalRow> journal;
  std::map<std::string, std::string> meta;  // the last value set wins
  bool empty() const {
    return catalog.empty() && rows.empty() && events.empty() && journal.empty() && meta.empty();
  }
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- Group commit, on the engine thread: queued until taken ----
  // An execution's row (insert, or update by ARN; the last queued wins).
  void Append(ExecutionRow row);
  void Append(const std::string& execution_arn, engine::HistoryEvent event);
  // Queues `execution`'s row as it will be when the batch is taken. `execution` must outlive it.
  void Touch(const engine::Execution& execution);
  // Entries are written in the order appended; their seqs go 1, 2, 3, ... (the Journal's care).
  void AppendJournal(JournalRow row);
  void SetMeta(const std::string& key, std::string value);
  // A machine with its current revision (every revision it had is kept), an activity.
  void SaveStateMachine(const engine::StateMachineRecord& record);
  void DeleteStateMachine(const std::string& arn);
  void SaveActivity(const engine::ActivityRecord& record);
  void DeleteActivity(const std::string& arn);
  // For Engine::AddListener: queues every event and touches its execution.
  std::function<void(const engine::Execution&, const engine::HistoryEvent&)> Listener();
  std::size_t pending_events() const { return queued_.events.size(); }
  // Drops everything queued and not yet taken.
  void DiscardPending();

  // Everything queued, as one batch; touched executions are read now, with the status the loop
  // turn left them in.
  Batch TakeBatch();
  // Puts back a batch whose Write failed, before what was queued since, so the next commit
  // writes it again.
  void PutBack(Batch batch);
  // TakeBatch, Write, and PutBack on failure: a commit on the calling thread.
  json::Status Flush();

  // ---- Writing: on the engine thread, or on one writer thread of its own ----
  // Writes `batch` atomically: all of it or nothing. While a Write runs on another thread, the
  // engine thread may queue and take batches but must not read.
  virtual json::Status Write(const Batch& batch) = 0;
  // True when Write waits on a disk: the journal then writes on a thread of its own, beside the
  // engine; false when a Write costs less than handing it to another thread would.
  virtual bool WritesWait() const { return true; }

  // ---- Reads: committed data only ----
  virtual json::Result<std::optional<std::string>> GetMeta(const std::string& key) = 0;
  // By ARN; `machine` is left null: the caller compiles `definition` again.
  virtual json::Result<std::vector<engine::StateMachineRecord>> LoadStateMachines() = 0;
  virtual json::Result<std::vector<engine::ActivityRecord>> LoadActivities() = 0;  // by ARN
  // The journal in order, from the first entry. Stops at (and returns) the first error `fn` gives.
  // `fn` may queue (Append*, SetMeta, DiscardPending) but must not Flush or Write.
  virtual json::Status ForEachJournal(const std::function<json::Status(const JournalRow&)>& fn) = 0;
  // The seq of the last stored entry; 0 for an empty journal. Queued entries do not count.
  virtual json::Result<std::int64_t> LastJournalSeq() = 0;
  // Every execution, in start order.
  virtual json::Result<std::vector<ExecutionSummary>> ExecutionSummaries() = 0;
  virtual json::Result<std::optional<ExecutionRow>> GetExecution(const std::string& arn) = 0;
  // Errors: InvalidToken (a next_token this store did not give).
  virtual json::Result<ExecutionPage> ListExecutions(const ExecutionQuery& query) = 0;
  virtual json::Result<std::vector<engine::HistoryEvent>> GetExecutionHistory(
      const HistoryQuery& query) = 0;

 private:
  Batch queued_;
  std::unordered_map<std::string, std::size_t> queued_row_index_;  // ARN -> queued_.rows
  std::vector<const engine::Execution*> touched_;
  std::unordered_set<const engine::Execution*> touched_set_;
};

}  // namespace timeslip::host
