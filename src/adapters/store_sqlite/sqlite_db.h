// Thin RAII layer over the sqlite3 C API: one owner for a connection (Db), one for a prepared
// statement (Stmt), a transaction guard that rolls back unless committed, and the mapping of
// sqlite result codes to Status. Nothing here knows about Egret objects.
//
// Not thread-safe by itself: the store serialises every use of a Db behind its own mutex.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace egret::adapters::sqlite {

// A Status for a failed sqlite call: "<context>: <sqlite message>" (just the message when
// `context` is empty). The code says what the
// caller can do: kUnavailable (busy, locked, disk full, I/O error: retry or free space),
// kFailedPrecondition (not a database, corrupt, cannot open, read-only: an operator must act),
// kInternal (misuse or anything else: a bug).
Status SqliteError(std::string_view context, int rc, sqlite3* db);

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}

  // Binds parameter `index` (1-based). Binding errors surface at Step().
  Stmt& Bind(int index, std::string_view text);
  Stmt& Bind(int index, int64_t value);
  Stmt& BindNull(int index);

  // Runs one step: true when a row is available, false when the statement is done.
  StatusOr<bool> Step();
  // Steps a statement that must not return rows (INSERT/UPDATE/DELETE).
  Status Run();

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_.get(), column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL; }
  std::string Text(int column) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  sqlite3* db_ = nullptr;  // not owned: for error messages
};

class Db {
 public:
  // Opens (creating if needed) the database file at `path`. The file is not read yet: sqlite
  // reads lazily, so "not a database" surfaces at the first statement.
  static StatusOr<Db> Open(const std::string& path);

  Db() = default;
  bool is_open() const { return db_ != nullptr; }
  void Close() { db_.reset(); }
  sqlite3* get() const { return db_.get(); }
  const std::string& path() const { return path_; }

  // Runs one or more statements that return no rows the caller needs.
  Status Exec(const std::string& sql);
  StatusOr<Stmt> Prepare(std::string_view sql);
  // The single-row, single-column result of `sql` as text (PRAGMA answers).
  StatusOr<std::string> QueryText(std::string_view sql);
  // Rows changed by the last INSERT/UPDATE/DELETE.
  int64_t Changes() const { return sqlite3_changes64(db_.get()); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  std::unique_ptr<sqlite3, Closer> db_;
  std::string path_;
};

// BEGIN IMMEDIATE on construction (via Begin); ROLLBACK on destruction unless Commit succeeded.
// IMMEDIATE takes the write lock up front, so a transaction never fails half-way with BUSY.
class Transaction {
 public:
  static StatusOr<Transaction> Begin(Db* db);
  Transaction(Transaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  // COMMIT; with synchronous=FULL it returns once the write-ahead log is on disk.
  Status Commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_ = nullptr;  // null once committed or moved from
};

}  // namespace egret::adapters::sqlite
