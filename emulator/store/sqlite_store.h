#pragma once
// SqliteStore: the Store (store.h) in one SQLite file (or ":memory:"): the journal, meta,
// executions and their histories; and, outside the Store interface, state machines with every
// revision and activities.
//
// Writes of what the engine produces (history events, execution status, journal, meta) are
// group-committed: Append*/SetMeta queue them, Flush() writes the whole batch in one transaction.
// The serve loop calls Flush() once per loop turn and acknowledges an API call only after the
// Flush that carries its effects. Definitions and activities are rare and written at once by
// Save*/Delete*.
//
// Threads: not thread-safe; the engine's thread calls everything.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "emulator/engine/emulator.h"
#include "emulator/engine/execution.h"
#include "emulator/engine/history_event.h"
#include "emulator/json/result.h"
#include "emulator/store/db.h"
#include "emulator/store/store_interface.h"
#include "emulator/time/clock.h"

namespace timeslip::store {

// One revision of a state machine's definition, oldest first.
struct StateMachineRevision {
  std::string revision_id;
  std::string definition;
  std::string role_arn;
  std::string description;
  time::Instant created;
};

class SqliteStore final : public Store {
 public:
  // Opens `path` (a file, created if missing, or ":memory:") and brings its schema up to date.
  // Errors (StoreError): not a database, locked by another connection, written by a newer
  // timeslip ("database schema version N is newer than this timeslip (M)").
  static json::Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                         DbOptions options = {});
  ~SqliteStore() override;

  Db& db() { return *db_; }

  // Reads every page (SQLite's quick_check): a damaged index or table is found now, not at the
  // first commit that touches it. Errors (StoreError): "the database is damaged: ...".
  json::Status CheckIntegrity();

  // Every revision a machine had, oldest first (a deleted machine's are deleted with it).
  json::Result<std::vector<StateMachineRevision>> LoadRevisions(const std::string& arn);
  json::Result<std::vector<engine::StateMachineRecord>> LoadStateMachines() override;
  json::Result<std::vector<engine::ActivityRecord>> LoadActivities() override;

  // ---- Store: writing ----
  // One transaction: rows, then events, journal and meta. On failure (StoreError) nothing is
  // written.
  json::Status Write(const Batch& batch) override;

  // ---- Store: reads (committed data only) ----
  json::Result<std::optional<std::string>> GetMeta(const std::string& key) override;
  // Streams the rows through one prepared statement: the journal is never all in memory.
  json::Status ForEachJournal(const std::function<json::Status(const JournalRow&)>& fn) override;
  // Committed entries only: a queued, unflushed entry does not count.
  json::Result<std::int64_t> LastJournalSeq() override;
  // One query: the executions in seq order, each with a count over its history's primary key.
  json::Result<std::vector<ExecutionSummary>> ExecutionSummaries() override;
  json::Result<std::optional<ExecutionRow>> GetExecution(const std::string& arn) override;
  json::Result<ExecutionPage> ListExecutions(const ExecutionQuery& query) override;
  json::Result<std::vector<engine::HistoryEvent>> GetExecutionHistory(
      const HistoryQuery& query) override;

 private:
  struct Statements;
  explicit SqliteStore(std::unique_ptr<Db> db);
  // Inside Write's transaction.
  json::Status Apply(const CatalogChange& change);

  std::unique_ptr<Db> db_;
  std::unique_ptr<Statements> st_;
  std::int64_t committed_journal_seq_ = 0;  // the last journal entry written
};

}  // namespace timeslip::store
