#include "emulator/store/db.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "emulator/store/schema.h"
#include "emulator/store/sqlite_store.h"
#include "tests/store/temp_db_internal.h"

namespace timeslip::store {
namespace {

using testing::TempDbPath;

std::unique_ptr<Db> OpenOrDie(const std::string& path, DbOptions options = {}) {
  json::Result<std::unique_ptr<Db>> db = Db::Open(path, options);
  EXPECT_TRUE(db.ok()) << (db.ok() ? "" : db.error().message);
  return db.ok() ? std::move(db).value() : nullptr;
}

TEST(DbTest, StatementIsReusedAndBindsEveryKind) {
  std::unique_ptr<Db> db = OpenOrDie(":memory:");
  ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER, s TEXT)").ok());
  json::Result<Statement> insert = db->Prepare("INSERT INTO t (i, s) VALUES (?1, ?2)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert.value().Bind(1, std::int64_t{1}).Bind(2, std::string_view("a")).Run().ok());
  ASSERT_TRUE(insert.value()
                  .Bind(1, std::optional<std::int64_t>())
                  .Bind(2, std::optional<std::string>(std::in_place, "b\0c", 3))
                  .Run()
                  .ok());
  json::Result<Statement> select = db->Prepare("SELECT i, s FROM t ORDER BY rowid");
  ASSERT_TRUE(select.ok());
  Statement& s = select.value();
  ASSERT_TRUE(s.Step().value());
  EXPECT_EQ(s.ColumnInt(0), 1);
  EXPECT_EQ(s.ColumnText(1), "a");
  ASSERT_TRUE(s.Step().value());
  EXPECT_EQ(s.ColumnOptionalInt(0), std::nullopt);
  EXPECT_EQ(s.ColumnText(1), std::string("b\0c", 3));
  EXPECT_FALSE(s.Step().value());
}

TEST(DbTest, ErrorsCarrySqliteMessage) {
  std::unique_ptr<Db> db = OpenOrDie(":memory:");
  json::Status bad = db->Exec("SELEKT 1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().name, "StoreError");
  EXPECT_NE(bad.error().message.find("syntax error"), std::string::npos) << bad.error().message;

  json::Result<Statement> missing = db->Prepare("SELECT * FROM nowhere");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("no such table: nowhere"), std::string::npos);

  ASSERT_TRUE(db->Exec("CREATE TABLE u (k INTEGER PRIMARY KEY)").ok());
  json::Result<Statement> insert = db->Prepare("INSERT INTO u (k) VALUES (?1)");
  ASSERT_TRUE(insert.value().Bind(1, std::int64_t{7}).Run().ok());
  json::Status dup = insert.value().Bind(1, std::int64_t{7}).Run();
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("UNIQUE constraint failed"), std::string::npos);
  // The statement is usable again after a failure.
  EXPECT_TRUE(insert.value().Bind(1, std::int64_t{8}).Run().ok());

  json::Status out_of_range = insert.value().Bind(9, std::int64_t{1}).Run();
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_NE(out_of_range.error().message.find("bind"), std::string::npos);
}

TEST(DbTest, TransactionRollsBackUnlessCommitted) {
  std::unique_ptr<Db> db = OpenOrDie(":memory:");
  ASSERT_TRUE(db->Exec("CREATE TABLE t (i INTEGER)").ok());
  {
    json::Result<Transaction> tx = Transaction::Begin(*db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (1)").ok());
  }  // rolled back
  {
    json::Result<Transaction> tx = Transaction::Begin(*db);
    ASSERT_TRUE(db->Exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(tx.value().Commit().ok());
  }
  json::Result<Statement> sum = db->Prepare("SELECT count(*), sum(i) FROM t");
  ASSERT_TRUE(sum.value().Step().value());
  EXPECT_EQ(sum.value().ColumnInt(0), 1);
  EXPECT_EQ(sum.value().ColumnInt(1), 2);
}

TEST(SchemaTest, MigratesOnceAndRecordsTheVersion) {
  TempDbPath file;
  for (int i = 0; i < 2; ++i) {
    std::unique_ptr<Db> db = OpenOrDie(file.path());
    ASSERT_TRUE(Migrate(*db).ok());
    EXPECT_EQ(SchemaVersion(*db).value(), CurrentSchemaVersion());
  }
  std::unique_ptr<Db> db = OpenOrDie(file.path());
  json::Result<Statement> mode = db->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.value().Step().value());
  EXPECT_EQ(mode.value().ColumnText(0), "wal");
}

TEST(SchemaTest, NewerSchemaIsRefused) {
  TempDbPath file;
  {
    std::unique_ptr<SqliteStore> store = SqliteStore::Open(file.path()).value();
    ASSERT_TRUE(store->db().Exec("UPDATE schema_version SET version = 99").ok());
  }
  json::Result<std::unique_ptr<SqliteStore>> reopened = SqliteStore::Open(file.path());
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.error(),
            (json::Error{"StoreError", fmt::format("database schema version 99 is newer than "
                                                   "this timeslip ({})",
                                                   CurrentSchemaVersion())}));
}

TEST(SchemaTest, CorruptFileIsRefused) {
  TempDbPath file;
  {
    std::ofstream out(file.path(), std::ios::binary);
    for (int i = 0; i < 4096; ++i) out.put(static_cast<char>((i * 131 + 7) % 251));
  }
  json::Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(file.path());
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().name, "StoreError");
  EXPECT_EQ(store.error().message,
            fmt::format("cannot open database '{}': file is not a database", file.path()));
}

TEST(SchemaTest, LockedFileIsRefusedWithoutHanging) {
  TempDbPath file;
  { ASSERT_TRUE(SqliteStore::Open(file.path()).ok()); }
  std::unique_ptr<Db> holder = OpenOrDie(file.path());
  ASSERT_TRUE(holder->Exec("BEGIN EXCLUSIVE").ok());

  json::Result<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(file.path(), DbOptions{.busy_timeout_ms = 10});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().name, "StoreError");
  EXPECT_EQ(store.error().message,
            fmt::format("cannot use database '{}': database is locked", file.path()));

  ASSERT_TRUE(holder->Exec("COMMIT").ok());
  EXPECT_TRUE(SqliteStore::Open(file.path(), DbOptions{.busy_timeout_ms = 10}).ok());
}

TEST(SchemaTest, LockedFreshFileIsRefused) {
  // A database another connection locked before any schema was written.
  TempDbPath file;
  std::unique_ptr<Db> holder = OpenOrDie(file.path());
  ASSERT_TRUE(holder->Exec("BEGIN EXCLUSIVE; CREATE TABLE x (i INTEGER);").ok());
  json::Result<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open(file.path(), DbOptions{.busy_timeout_ms = 10});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().message.find("database is locked"), std::string::npos)
      << store.error().message;
}

}  // namespace
}  // namespace timeslip::store
