#include "emulator/store/sqlite_store.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cassert>
#include <charconv>
#include <limits>
#include <string_view>

#include "emulator/store/page_token_internal.h"
#include "emulator/store/schema.h"

namespace timeslip::store {
namespace {

using internal::ExecutionToken;
using internal::ParseExecutionToken;

using engine::ExecutionStatus;
using engine::MachineType;

std::int64_t Ms(time::Instant t) { return t.time_since_epoch().count(); }
time::Instant FromMs(std::int64_t ms) { return time::Instant(time::Duration(ms)); }
std::optional<std::int64_t> Ms(const std::optional<time::Instant>& t) {
  if (!t) return std::nullopt;
  return Ms(*t);
}
std::optional<time::Instant> FromMs(const std::optional<std::int64_t>& ms) {
  if (!ms) return std::nullopt;
  return FromMs(*ms);
}

json::Result<ExecutionStatus> ParseStatus(std::string_view text) {
  for (ExecutionStatus s :
       {ExecutionStatus::kRunning, ExecutionStatus::kSucceeded, ExecutionStatus::kFailed,
        ExecutionStatus::kTimedOut, ExecutionStatus::kAborted}) {
    if (engine::StatusName(s) == text) return s;
  }
  return StoreError(fmt::format("corrupt row: unknown execution status '{}'", text));
}

json::Result<MachineType> ParseType(std::string_view text) {
  for (MachineType t : {MachineType::kStandard, MachineType::kExpress}) {
    if (engine::MachineTypeName(t) == text) return t;
  }
  return StoreError(fmt::format("corrupt row: unknown state machine type '{}'", text));
}

json::Result<nlohmann::ordered_json> ParseJson(const std::string& text, std::string_view column) {
  nlohmann::ordered_json value = nlohmann::ordered_json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return StoreError(fmt::format("corrupt row: {} is not JSON", column));
  return value;
}

json::Result<engine::Tags> ParseTags(const std::string& text) {
  json::Result<nlohmann::ordered_json> value = ParseJson(text, "tags");
  if (!value.ok()) return value.error();
  engine::Tags tags;
  if (!value.value().is_object()) return StoreError("corrupt row: tags is not an object");
  for (const auto& [key, v] : value.value().items()) {
    if (!v.is_string()) return StoreError("corrupt row: a tag value is not a string");
    tags[key] = v.get<std::string>();
  }
  return tags;
}

std::string TagsText(const engine::Tags& tags) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [key, value] : tags) out[key] = value;
  return out.dump();
}

// Keyset cursor of ListExecutions: the last row's start and insertion order.

constexpr std::string_view kExecutionColumns =
    "seq, arn, state_machine_arn, name, status, type, input, output, error, cause, start_ms, "
    "stop_ms, redrive_count, redrive_ms";

json::Result<ExecutionRow> ReadExecution(const Statement& s) {
  ExecutionRow row;
  row.arn = s.ColumnText(1);
  row.state_machine_arn = s.ColumnText(2);
  row.name = s.ColumnText(3);
  json::Result<ExecutionStatus> status = ParseStatus(s.ColumnText(4));
  if (!status.ok()) return status.error();
  row.status = status.value();
  json::Result<MachineType> type = ParseType(s.ColumnText(5));
  if (!type.ok()) return type.error();
  row.type = type.value();
  row.input = s.ColumnText(6);
  row.output = s.ColumnOptionalText(7);
  row.error = s.ColumnText(8);
  row.cause = s.ColumnText(9);
  row.start_date = FromMs(s.ColumnInt(10));
  row.stop_date = FromMs(s.ColumnOptionalInt(11));
  row.redrive_count = static_cast<int>(s.ColumnInt(12));
  row.redrive_date = FromMs(s.ColumnOptionalInt(13));
  return row;
}

}  // namespace

// Prepared once at Open, reused for every call.
struct SqliteStore::Statements {
  Statement upsert_machine;
  Statement insert_revision;
  Statement delete_machine;
  Statement delete_revisions;
  Statement select_machines;
  Statement select_revisions;
  Statement upsert_activity;
  Statement delete_activity;
  Statement select_activities;
  Statement upsert_execution;
  Statement insert_event;
  Statement select_execution;
  Statement list_executions;
  Statement list_executions_by_status;
  Statement history_forward;
  Statement history_reverse;
  Statement insert_journal;
  Statement select_journal;
  Statement last_journal_seq;
  Statement upsert_meta;
  Statement select_meta;
  Statement summaries;
};

SqliteStore::SqliteStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}
SqliteStore::~SqliteStore() = default;

json::Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                             DbOptions options) {
  json::Result<std::unique_ptr<Db>> db = Db::Open(path, options);
  if (!db.ok()) return db.error();
  if (json::Status migrated = Migrate(*db.value()); !migrated.ok()) return migrated.error();

  std::unique_ptr<SqliteStore> store(new SqliteStore(std::move(db).value()));
  std::optional<json::Error> failed;
  auto prepare = [&](std::string_view sql) -> Statement {
    json::Result<Statement> s = store->db_->Prepare(sql);
    if (s.ok()) return std::move(s).value();
    if (!failed) failed = s.error();
    // Keep going with a placeholder; the error is returned below.
    return std::move(store->db_->Prepare("SELECT 1")).value();
  };
  std::string list_base = fmt::format(
      "SELECT {} FROM executions WHERE state_machine_arn = ?1 {{}} AND start_ms <= ?2 AND "
      "(start_ms < ?2 OR seq < ?3) ORDER BY start_ms DESC, seq DESC LIMIT ?4",
      kExecutionColumns);
  store->st_.reset(new Statements{
      prepare("INSERT INTO state_machines (arn, name, type, definition, role_arn, creation_ms, "
              "update_ms, revision_id, description, logging_configuration, tracing_configuration, "
              "tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
              "ON CONFLICT (arn) DO UPDATE SET name = excluded.name, type = excluded.type, "
              "definition = excluded.definition, role_arn = excluded.role_arn, "
              "creation_ms = excluded.creation_ms, update_ms = excluded.update_ms, "
              "revision_id = excluded.revision_id, description = excluded.description, "
              "logging_configuration = excluded.logging_configuration, "
              "tracing_configuration = excluded.tracing_configuration, tags = excluded.tags"),
      prepare("INSERT OR IGNORE INTO state_machine_revisions (state_machine_arn, revision_id, "
              "definition, role_arn, description, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
      prepare("DELETE FROM state_machines WHERE arn = ?1"),
      prepare("DELETE FROM state_machine_revisions WHERE state_machine_arn = ?1"),
      prepare("SELECT arn, name, type, definition, role_arn, creation_ms, update_ms, revision_id, "
              "description, logging_configuration, tracing_configuration, tags "
              "FROM state_machines ORDER BY arn"),
      prepare("SELECT revision_id, definition, role_arn, description, created_ms "
              "FROM state_machine_revisions WHERE state_machine_arn = ?1 ORDER BY seq"),
      prepare("INSERT INTO activities (arn, name, creation_ms, tags) VALUES (?1, ?2, ?3, ?4) "
              "ON CONFLICT (arn) DO UPDATE SET name = excluded.name, "
              "creation_ms = excluded.creation_ms, tags = excluded.tags"),
      prepare("DELETE FROM activities WHERE arn = ?1"),
      prepare("SELECT arn, name, creation_ms, tags FROM activities ORDER BY arn"),
      prepare("INSERT INTO executions (arn, state_machine_arn, name, status, type, input, output, "
              "error, cause, start_ms, stop_ms, redrive_count, redrive_ms) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) "
              "ON CONFLICT (arn) DO UPDATE SET status = excluded.status, "
              "output = excluded.output, error = excluded.error, cause = excluded.cause, "
              "stop_ms = excluded.stop_ms, redrive_count = excluded.redrive_count, "
              "redrive_ms = excluded.redrive_ms "
              // A running execution is touched every turn it moves, mostly unchanged: leaving
              // such a row alone keeps its pages (and the status index's) out of the commit.
              "WHERE status IS NOT excluded.status OR output IS NOT excluded.output OR "
              "error IS NOT excluded.error OR cause IS NOT excluded.cause OR "
              "stop_ms IS NOT excluded.stop_ms OR redrive_count IS NOT excluded.redrive_count OR "
              "redrive_ms IS NOT excluded.redrive_ms"),
      prepare("INSERT INTO history_events (execution_arn, id, previous_id, timestamp_ms, type, "
              "details_key, details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
      prepare(fmt::format("SELECT {} FROM executions WHERE arn = ?1", kExecutionColumns)),
      prepare(fmt::format(fmt::runtime(list_base), "")),
      prepare(fmt::format(fmt::runtime(list_base), "AND status = ?5")),
      prepare("SELECT id, previous_id, timestamp_ms, type, details_key, details FROM "
              "history_events WHERE execution_arn = ?1 AND id > ?2 ORDER BY id LIMIT ?3"),
      prepare("SELECT id, previous_id, timestamp_ms, type, details_key, details FROM "
              "history_events WHERE execution_arn = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3"),
      prepare("INSERT INTO journal (seq, at_ms, kind, payload) VALUES (?1, ?2, ?3, ?4)"),
      prepare("SELECT seq, at_ms, kind, payload FROM journal ORDER BY seq"),
      prepare("SELECT max(seq) FROM journal"),
      prepare("INSERT INTO meta (key, value) VALUES (?1, ?2) "
              "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      prepare("SELECT value FROM meta WHERE key = ?1"),
      // A correlated count: each one a range of history_events' primary key (execution_arn, id).
      prepare("SELECT e.arn, e.status, (SELECT count(*) FROM history_events h "
              "WHERE h.execution_arn = e.arn) FROM executions e ORDER BY e.seq"),
  });
  if (failed) return *failed;
  json::Result<std::int64_t> last = store->LastJournalSeq();
  if (!last.ok()) return last.error();
  store->committed_journal_seq_ = last.value();
  return store;
}

// ---- State machines and activities ----

json::Status SqliteStore::CheckIntegrity() {
  json::Result<Statement> check = db_->Prepare("PRAGMA quick_check(5)");
  if (!check.ok()) return check.error();
  std::vector<std::string> problems;
  for (;;) {
    json::Result<bool> row = check.value().Step();
    if (!row.ok())
      return StoreError(fmt::format("the database is damaged: {}", row.error().message));
    if (!row.value()) break;
    std::string line = check.value().ColumnText(0);
    if (line != "ok") problems.push_back(std::move(line));
  }
  if (problems.empty()) return json::Ok();
  return StoreError(fmt::format("the database is damaged: {}", fmt::join(problems, "; ")));
}

json::Status SqliteStore::Apply(const CatalogChange& change) {
  switch (change.kind) {
    case CatalogChange::Kind::kSaveMachine: {
      // The machine as it is now, and its revision (revision_id) if it is new.
      const engine::StateMachineRecord& r = change.machine;
      json::Status s = st_->upsert_machine.Bind(1, std::string_view(r.arn))
                           .Bind(2, std::string_view(r.name))
                           .Bind(3, engine::MachineTypeName(r.type))
                           .Bind(4, std::string_view(r.definition))
                           .Bind(5, std::string_view(r.role_arn))
                           .Bind(6, Ms(r.creation_date))
                           .Bind(7, Ms(r.update_date))
                           .Bind(8, std::string_view(r.revision_id))
                           .Bind(9, std::string_view(r.description))
                           .Bind(10, std::string_view(r.logging_configuration.dump()))
                           .Bind(11, std::string_view(r.tracing_configuration.dump()))
                           .Bind(12, std::string_view(TagsText(r.tags)))
                           .Run();
      if (!s.ok()) return s;
      return st_->insert_revision.Bind(1, std::string_view(r.arn))
          .Bind(2, std::string_view(r.revision_id))
          .Bind(3, std::string_view(r.definition))
          .Bind(4, std::string_view(r.role_arn))
          .Bind(5, std::string_view(r.description))
          .Bind(6, Ms(r.update_date.value_or(r.creation_date)))
          .Run();
    }
    case CatalogChange::Kind::kDeleteMachine: {
      json::Status s = st_->delete_machine.Bind(1, std::string_view(change.arn)).Run();
      if (!s.ok()) return s;
      return st_->delete_revisions.Bind(1, std::string_view(change.arn)).Run();
    }
    case CatalogChange::Kind::kSaveActivity: {
      const engine::ActivityRecord& r = change.activity;
      return st_->upsert_activity.Bind(1, std::string_view(r.arn))
          .Bind(2, std::string_view(r.name))
          .Bind(3, Ms(r.creation_date))
          .Bind(4, std::string_view(TagsText(r.tags)))
          .Run();
    }
    case CatalogChange::Kind::kDeleteActivity:
      return st_->delete_activity.Bind(1, std::string_view(change.arn)).Run();
  }
  return json::Ok();
}

json::Result<std::vector<engine::StateMachineRecord>> SqliteStore::LoadStateMachines() {
  Statement& s = st_->select_machines;
  std::vector<engine::StateMachineRecord> out;
  for (;;) {
    json::Result<bool> row = s.Step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
    engine::StateMachineRecord r;
    r.arn = s.ColumnText(0);
    r.name = s.ColumnText(1);
    json::Result<MachineType> type = ParseType(s.ColumnText(2));
    json::Result<nlohmann::ordered_json> logging = ParseJson(s.ColumnText(9), "logging_configuration");
    json::Result<nlohmann::ordered_json> tracing = ParseJson(s.ColumnText(10), "tracing_configuration");
    json::Result<engine::Tags> tags = ParseTags(s.ColumnText(11));
    for (const json::Error* e :
         {type.ok() ? nullptr : &type.error(), logging.ok() ? nullptr : &logging.error(),
          tracing.ok() ? nullptr : &tracing.error(), tags.ok() ? nullptr : &tags.error()}) {
      if (e != nullptr) {
        s.Reset();
        return *e;
      }
    }
    r.type = type.value();
    r.definition = s.ColumnText(3);
    r.role_arn = s.ColumnText(4);
    r.creation_date = FromMs(s.ColumnInt(5));
    r.update_date = FromMs(s.ColumnOptionalInt(6));
    r.revision_id = s.ColumnText(7);
    r.description = s.ColumnText(8);
    r.logging_configuration = std::move(logging).value();
    r.tracing_configuration = std::move(tracing).value();
    r.tags = std::move(tags).value();
    out.push_back(std::move(r));
  }
  s.Reset();
  return out;
}

json::Result<std::vector<StateMachineRevision>> SqliteStore::LoadRevisions(const std::string& arn) {
  Statement& s = st_->select_revisions;
  s.Bind(1, std::string_view(arn));
  std::vector<StateMachineRevision> out;
  for (;;) {
    json::Result<bool> row = s.Step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
    out.push_back(StateMachineRevision{s.ColumnText(0), s.ColumnText(1), s.ColumnText(2),
                                       s.ColumnText(3), FromMs(s.ColumnInt(4))});
  }
  s.Reset();
  return out;
}

json::Result<std::vector<engine::ActivityRecord>> SqliteStore::LoadActivities() {
  Statement& s = st_->select_activities;
  std::vector<engine::ActivityRecord> out;
  for (;;) {
    json::Result<bool> row = s.Step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
    json::Result<engine::Tags> tags = ParseTags(s.ColumnText(3));
    if (!tags.ok()) {
      s.Reset();
      return tags.error();
    }
    out.push_back(engine::ActivityRecord{s.ColumnText(0), s.ColumnText(1), FromMs(s.ColumnInt(2)),
                                         std::move(tags).value()});
  }
  s.Reset();
  return out;
}

// ---- Group commit ----

json::Status SqliteStore::Write(const Batch& batch) {
  if (batch.empty()) return json::Ok();

  json::Result<Transaction> tx = Transaction::Begin(*db_);
  if (!tx.ok()) return tx.error();
  for (const CatalogChange& change : batch.catalog) {
    if (json::Status s = Apply(change); !s.ok()) return s;
  }
  // Rows first: an execution's row is there before its first event.
  for (const ExecutionRow& r : batch.rows) {
    json::Status s = st_->upsert_execution.Bind(1, std::string_view(r.arn))
                         .Bind(2, std::string_view(r.state_machine_arn))
                         .Bind(3, std::string_view(r.name))
                         .Bind(4, engine::StatusName(r.status))
                         .Bind(5, engine::MachineTypeName(r.type))
                         .Bind(6, std::string_view(r.input))
                         .Bind(7, r.output)
                         .Bind(8, std::string_view(r.error))
                         .Bind(9, std::string_view(r.cause))
                         .Bind(10, Ms(r.start_date))
                         .Bind(11, Ms(r.stop_date))
                         .Bind(12, std::int64_t{r.redrive_count})
                         .Bind(13, Ms(r.redrive_date))
                         .Run();
    if (!s.ok()) return s;
  }
  for (const auto& [arn, e] : batch.events) {
    json::Status s = st_->insert_event.Bind(1, std::string_view(arn))
                         .Bind(2, e.id)
                         .Bind(3, e.previous_event_id)
                         .Bind(4, Ms(e.timestamp))
                         .Bind(5, std::string_view(e.type))
                         .Bind(6, std::string_view(e.details_key))
                         .Bind(7, std::string_view(e.details_key.empty() ? std::string("null")
                                                                         : e.details.dump()))
                         .Run();
    if (!s.ok()) return s;
  }
  for (const JournalRow& j : batch.journal) {
    json::Status s = st_->insert_journal.Bind(1, j.seq)
                         .Bind(2, Ms(j.at))
                         .Bind(3, std::string_view(j.kind))
                         .Bind(4, std::string_view(j.payload))
                         .Run();
    if (!s.ok()) return s;
  }
  for (const auto& [key, value] : batch.meta) {
    json::Status s =
        st_->upsert_meta.Bind(1, std::string_view(key)).Bind(2, std::string_view(value)).Run();
    if (!s.ok()) return s;
  }
  if (json::Status s = tx.value().Commit(); !s.ok()) return s;
  if (!batch.journal.empty()) committed_journal_seq_ = batch.journal.back().seq;
  return json::Ok();
}

// ---- Reads ----

json::Result<std::optional<std::string>> SqliteStore::GetMeta(const std::string& key) {
  Statement& s = st_->select_meta;
  s.Bind(1, std::string_view(key));
  json::Result<bool> row = s.Step();
  if (!row.ok()) return row.error();
  std::optional<std::string> value;
  if (row.value()) value = s.ColumnText(0);
  s.Reset();
  return value;
}

json::Status SqliteStore::ForEachJournal(const std::function<json::Status(const JournalRow&)>& fn) {
  Statement& s = st_->select_journal;
  JournalRow row;
  for (;;) {
    json::Result<bool> step = s.Step();
    if (!step.ok()) return step.error();
    if (!step.value()) break;
    row.seq = s.ColumnInt(0);
    row.at = FromMs(s.ColumnInt(1));
    row.kind = s.ColumnText(2);
    row.payload = s.ColumnText(3);
    if (json::Status done = fn(row); !done.ok()) {
      s.Reset();
      return done;
    }
  }
  s.Reset();
  return json::Ok();
}

json::Result<std::int64_t> SqliteStore::LastJournalSeq() {
  Statement& s = st_->last_journal_seq;
  json::Result<bool> row = s.Step();
  if (!row.ok()) return row.error();
  std::int64_t seq = row.value() ? s.ColumnOptionalInt(0).value_or(0) : 0;
  s.Reset();
  return seq;
}

json::Result<std::vector<ExecutionSummary>> SqliteStore::ExecutionSummaries() {
  Statement& s = st_->summaries;
  std::vector<ExecutionSummary> out;
  for (;;) {
    json::Result<bool> row = s.Step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
    json::Result<ExecutionStatus> status = ParseStatus(s.ColumnText(1));
    if (!status.ok()) {
      s.Reset();
      return status.error();
    }
    out.push_back(ExecutionSummary{s.ColumnText(0), status.value(), s.ColumnInt(2)});
  }
  s.Reset();
  return out;
}

json::Result<std::optional<ExecutionRow>> SqliteStore::GetExecution(const std::string& arn) {
  Statement& s = st_->select_execution;
  s.Bind(1, std::string_view(arn));
  json::Result<bool> row = s.Step();
  if (!row.ok()) return row.error();
  if (!row.value()) {
    s.Reset();
    return std::optional<ExecutionRow>();
  }
  json::Result<ExecutionRow> r = ReadExecution(s);
  s.Reset();
  if (!r.ok()) return r.error();
  return std::optional<ExecutionRow>(std::move(r).value());
}

json::Result<ExecutionPage> SqliteStore::ListExecutions(const ExecutionQuery& query) {
  std::int64_t start_ms = std::numeric_limits<std::int64_t>::max();
  std::int64_t seq = std::numeric_limits<std::int64_t>::max();
  if (!query.next_token.empty() && !ParseExecutionToken(query.next_token, start_ms, seq)) {
    return json::Error{"InvalidToken", fmt::format("Invalid Token: '{}'", query.next_token)};
  }
  Statement& s = query.status ? st_->list_executions_by_status : st_->list_executions;
  s.Bind(1, std::string_view(query.state_machine_arn))
      .Bind(2, start_ms)
      .Bind(3, seq)
      .Bind(4, std::int64_t{query.limit} + 1);  // one more says whether a next page exists
  if (query.status) s.Bind(5, engine::StatusName(*query.status));
  ExecutionPage page;
  std::int64_t last_start = 0;
  std::int64_t last_seq = 0;
  for (;;) {
    json::Result<bool> row = s.Step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
    if (static_cast<int>(page.executions.size()) == query.limit) {
      page.next_token = ExecutionToken(last_start, last_seq);
      break;
    }
    json::Result<ExecutionRow> r = ReadExecution(s);
    if (!r.ok()) {
      s.Reset();
      return r.error();
    }
    last_start = s.ColumnInt(10);
    last_seq = s.ColumnInt(0);
    page.executions.push_back(std::move(r).value());
  }
  s.Reset();
  return page;
}

json::Result<std::vector<engine::HistoryEvent>> SqliteStore::GetExecutionHistory(
    const HistoryQuery& query) {
  Statement& s = query.reverse ? st_->history_reverse : st_->history_forward;
  std::int64_t bound = query.after_id;
  if (query.reverse && bound == 0) bound = std::numeric_limits<std::int64_t>::max();
  s.Bind(1, std::string_view(query.execution_arn))
      .Bind(2, bound)
      .Bind(3, std::int64_t{query.limit});
  std::vector<engine::HistoryEvent> out;
  for (;;) {
    json::Result<bool> row = s.Step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
    engine::HistoryEvent e;
    e.id = s.ColumnInt(0);
    e.previous_event_id = s.ColumnInt(1);
    e.timestamp = FromMs(s.ColumnInt(2));
    e.type = s.ColumnText(3);
    e.details_key = s.ColumnText(4);
    if (!e.details_key.empty()) {
      json::Result<nlohmann::ordered_json> details = ParseJson(s.ColumnText(5), "details");
      if (!details.ok()) {
        s.Reset();
        return details.error();
      }
      e.details = std::move(details).value();
    }
    out.push_back(std::move(e));
  }
  s.Reset();
  return out;
}

}  // namespace timeslip::store
