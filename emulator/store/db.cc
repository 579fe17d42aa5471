#include "emulator/store/db.h"

#include <fmt/format.h>
#include <sqlite3.h>

namespace timeslip::store {

json::Error StoreError(std::string message) {
  return json::Error{std::string(kStoreError), std::move(message)};
}

// ---- Statement ----

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), bind_error_(std::move(other.bind_error_)) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    bind_error_ = std::move(other.bind_error_);
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::BindFailed(int rc) {
  if (rc != SQLITE_OK && !bind_error_) {
    bind_error_ = StoreError(fmt::format("bind: {}", sqlite3_errmsg(db_)));
  }
}

Statement& Statement::Bind(int index, std::int64_t value) {
  BindFailed(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  BindFailed(
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8));
  return *this;
}

Statement& Statement::BindNull(int index) {
  BindFailed(sqlite3_bind_null(stmt_, index));
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<std::int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Statement& Statement::Bind(int index, const std::optional<std::string>& text) {
  return text ? Bind(index, std::string_view(*text)) : BindNull(index);
}

json::Result<bool> Statement::Step() {
  if (bind_error_) {
    json::Error error = *bind_error_;
    Reset();
    return error;
  }
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  json::Error error = StoreError(
      fmt::format("{}: {}", sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "step", sqlite3_errmsg(db_)));
  Reset();
  return error;
}

json::Status Statement::Run() {
  for (;;) {
    json::Result<bool> row = Step();
    if (!row.ok()) return row.error();
    if (!row.value()) break;
  }
  Reset();
  return json::Ok();
}

void Statement::Reset() {
  // sqlite3_reset repeats the last step's error code, which Step already reported.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_.reset();
}

std::int64_t Statement::ColumnInt(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<std::int64_t> Statement::ColumnOptionalInt(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnInt(column);
}

std::optional<std::string> Statement::ColumnOptionalText(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnText(column);
}

// ---- Db ----

json::Result<std::unique_ptr<Db>> Db::Open(const std::string& path, DbOptions options) {
  sqlite3* handle = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &handle,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = fmt::format("cannot open database '{}': {}", path,
                                      handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc));
    sqlite3_close(handle);
    return StoreError(std::move(message));
  }
  std::unique_ptr<Db> db(new Db(handle, path));
  sqlite3_extended_result_codes(handle, 1);
  if (sqlite3_busy_timeout(handle, options.busy_timeout_ms) != SQLITE_OK) {
    return db->Error(fmt::format("cannot open database '{}'", path));
  }
  // Reading the schema makes SQLite look at the file's header now, so a file that is not a
  // database fails here rather than at the first query.
  std::string setup = fmt::format(
      "{}PRAGMA journal_mode=WAL; PRAGMA synchronous={}; PRAGMA foreign_keys=ON;"
      "SELECT count(*) FROM sqlite_master;",
      options.exclusive ? "PRAGMA locking_mode=EXCLUSIVE; " : "",
      options.durable ? "FULL" : "NORMAL");
  if (char* err = nullptr;
      sqlite3_exec(handle, setup.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message =
        fmt::format("cannot open database '{}': {}", path, err ? err : sqlite3_errmsg(handle));
    sqlite3_free(err);
    return StoreError(std::move(message));
  }
  return db;
}

Db::~Db() { sqlite3_close_v2(db_); }

json::Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return StoreError(std::move(message));
  }
  return json::Ok();
}

json::Result<Statement> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(fmt::format("prepare '{}'", sql));
  }
  return Statement(db_, stmt);
}

json::Error Db::Error(std::string_view what) const {
  return StoreError(fmt::format("{}: {}", what, sqlite3_errmsg(db_)));
}

// ---- Transaction ----

json::Result<Transaction> Transaction::Begin(Db& db) {
  json::Status begun = db.Exec("BEGIN IMMEDIATE");
  if (!begun.ok()) return begun.error();
  return Transaction(db);
}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->Exec("ROLLBACK");
}

json::Status Transaction::Commit() {
  json::Status committed = db_->Exec("COMMIT");
  if (!committed.ok()) return committed;  // still open: the destructor rolls back
  db_ = nullptr;
  return json::Ok();
}

}  // namespace timeslip::store
