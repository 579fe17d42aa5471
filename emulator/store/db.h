#pragma once
// Db, Statement, Transaction: RAII over SQLite's C API. Every return code is checked and becomes
// json::Error{"StoreError", "<what>: <sqlite3_errmsg>"}.
//
// Threads: a Db and its statements belong to one thread (the engine's).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/json/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace timeslip::store {

inline constexpr std::string_view kStoreError = "StoreError";

// A StoreError with `message` as is.
json::Error StoreError(std::string message);

// One prepared statement, prepared once and reused: Bind*, then Step() row by row (or Run()),
// then Reset() before the next use. A failed Bind is remembered and returned by the next Step.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQLite. Text is copied (SQLITE_TRANSIENT).
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<std::int64_t>& value);
  Statement& Bind(int index, const std::optional<std::string>& text);

  // true: a row is ready for Column*; false: the statement is done.
  json::Result<bool> Step();
  // Steps to the end (for statements that return no rows), then resets.
  json::Status Run();
  // Ready for new bindings; the old ones are cleared.
  void Reset();

  // Columns are 0-based. REQUIRES: the last Step() returned true.
  std::int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;
  std::optional<std::int64_t> ColumnOptionalInt(int column) const;
  std::optional<std::string> ColumnOptionalText(int column) const;

 private:
  friend class Db;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  void BindFailed(int rc);

  sqlite3* db_ = nullptr;         // Not owned; the Db must outlive its statements.
  sqlite3_stmt* stmt_ = nullptr;  // Owned.
  std::optional<json::Error> bind_error_;
};

struct DbOptions {
  // How long a statement waits for another connection's lock before failing with
  // "database is locked".
  int busy_timeout_ms = 5000;
  // true: synchronous=FULL, a commit survives power loss. false: synchronous=NORMAL, a commit
  // survives a crash of the process (SIGKILL) but the last ones may be lost with the machine.
  bool durable = true;
  // true: the first write takes a lock the connection keeps until it closes, so a second process
  // (another `timeslip serve` on the same file) is refused as "database is locked".
  bool exclusive = false;
};

class Db {
 public:
  // Opens (creating if missing) a database file, or a private in-memory one for ":memory:",
  // and switches a file to WAL with synchronous=NORMAL. Errors (StoreError): the file cannot be
  // opened, is not a database ("file is not a database"), or is locked by another connection.
  static json::Result<std::unique_ptr<Db>> Open(const std::string& path, DbOptions options = {});
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Runs one or more statements that return no rows.
  json::Status Exec(std::string_view sql);
  json::Result<Statement> Prepare(std::string_view sql);

  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }
  // A StoreError: "<what>: <sqlite3_errmsg>".
  json::Error Error(std::string_view what) const;

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;  // Owned.
  std::string path_;
};

// BEGIN IMMEDIATE (the write lock, taken now) ... Commit(). Rolls back in its destructor unless
// Commit() ran.
class Transaction {
 public:
  static json::Result<Transaction> Begin(Db& db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  json::Status Commit();

 private:
  explicit Transaction(Db& db) : db_(&db) {}
  Db* db_;  // Not owned; null once committed or rolled back.
};

}  // namespace timeslip::store
