#include "emulator/store/schema.h"

#include <fmt/format.h>

#include <array>
#include <string>

namespace timeslip::store {
namespace {

// Append only: a released migration never changes.
constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE state_machines (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  definition TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  creation_ms INTEGER NOT NULL,
  update_ms INTEGER,
  revision_id TEXT NOT NULL,
  description TEXT NOT NULL,
  logging_configuration TEXT NOT NULL,
  tracing_configuration TEXT NOT NULL,
  tags TEXT NOT NULL
);
CREATE TABLE state_machine_revisions (
  seq INTEGER PRIMARY KEY,
  state_machine_arn TEXT NOT NULL,
  revision_id TEXT NOT NULL,
  definition TEXT NOT NULL,
  role_arn TEXT NOT NULL,
  description TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  UNIQUE (state_machine_arn, revision_id)
);
CREATE TABLE activities (
  arn TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  creation_ms INTEGER NOT NULL,
  tags TEXT NOT NULL
);
CREATE TABLE executions (
  seq INTEGER PRIMARY KEY,
  arn TEXT NOT NULL UNIQUE,
  state_machine_arn TEXT NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  type TEXT NOT NULL,
  input TEXT NOT NULL,
  output TEXT,
  error TEXT NOT NULL,
  cause TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  stop_ms INTEGER,
  redrive_count INTEGER NOT NULL,
  redrive_ms INTEGER
);
CREATE INDEX executions_by_machine
  ON executions (state_machine_arn, start_ms DESC, seq DESC);
CREATE INDEX executions_by_machine_status
  ON executions (state_machine_arn, status, start_ms DESC, seq DESC);
CREATE TABLE history_events (
  execution_arn TEXT NOT NULL,
  id INTEGER NOT NULL,
  previous_id INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  type TEXT NOT NULL,
  details_key TEXT NOT NULL,
  details TEXT NOT NULL,
  PRIMARY KEY (execution_arn, id)
) WITHOUT ROWID;
)sql";

// The journal of inputs that recovery replays, and small named values (options, the clock's
// position and the generator's state at the last commit).
constexpr std::string_view kMigration2 = R"sql(
CREATE TABLE journal (
  seq INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql";

constexpr std::array<std::string_view, 2> kMigrations = {kMigration1, kMigration2};

}  // namespace

std::span<const std::string_view> Migrations() { return kMigrations; }

int CurrentSchemaVersion() { return static_cast<int>(kMigrations.size()); }

json::Result<int> SchemaVersion(Db& db) {
  json::Result<Statement> has_table = db.Prepare(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (!has_table.ok()) return has_table.error();
  json::Result<bool> row = has_table.value().Step();
  if (!row.ok()) return row.error();
  if (has_table.value().ColumnInt(0) == 0) return 0;

  json::Result<Statement> version = db.Prepare("SELECT max(version) FROM schema_version");
  if (!version.ok()) return version.error();
  row = version.value().Step();
  if (!row.ok()) return row.error();
  return static_cast<int>(version.value().ColumnOptionalInt(0).value_or(0));
}

json::Status Migrate(Db& db, int target) {
  // The write lock first: two processes never migrate at once, and a database another process
  // holds is reported as locked rather than half-read.
  json::Result<Transaction> tx = Transaction::Begin(db);
  if (!tx.ok()) {
    return StoreError(fmt::format("cannot use database '{}': {}", db.path(), tx.error().message));
  }
  json::Result<int> version = SchemaVersion(db);
  if (!version.ok()) return version.error();
  if (version.value() > CurrentSchemaVersion()) {
    return StoreError(fmt::format("database schema version {} is newer than this timeslip ({})",
                                  version.value(), CurrentSchemaVersion()));
  }
  if (version.value() >= target) return json::Ok();  // rolled back: nothing was written

  if (json::Status s =
          db.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      !s.ok()) {
    return s;
  }
  for (int v = version.value() + 1; v <= target; ++v) {
    json::Status applied = db.Exec(kMigrations[static_cast<std::size_t>(v - 1)]);
    if (!applied.ok()) {
      return StoreError(fmt::format("schema migration {} failed: {}", v, applied.error().message));
    }
  }
  json::Result<Statement> set = db.Prepare("DELETE FROM schema_version; ");
  if (!set.ok()) return set.error();
  if (json::Status s = set.value().Run(); !s.ok()) return s;
  set = db.Prepare("INSERT INTO schema_version (version) VALUES (?1)");
  if (!set.ok()) return set.error();
  if (json::Status s = set.value().Bind(1, std::int64_t{target}).Run(); !s.ok()) return s;
  return tx.value().Commit();
}

}  // namespace timeslip::store
