#include "adapters/store_sqlite/sqlite_db.h"

namespace egret::adapters::sqlite {

Status SqliteError(std::string_view context, int rc, sqlite3* db) {
  std::string msg(context);
  if (!msg.empty()) msg += ": ";
  // The connection's message is more specific ("no such table: x") when it belongs to rc.
  if (db != nullptr && sqlite3_errcode(db) == rc) {
    msg += sqlite3_errmsg(db);
  } else {
    msg += sqlite3_errstr(rc);
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      msg += " (the store is in use by another process or connection)";
      return UnavailableError(std::move(msg));
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return UnavailableError(std::move(msg));
    case SQLITE_NOTADB:
      msg += " (the file exists but is not an sqlite database)";
      return FailedPreconditionError(std::move(msg));
    case SQLITE_CORRUPT:
      msg += " (the file is damaged; restore it from a backup)";
      return FailedPreconditionError(std::move(msg));
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return FailedPreconditionError(std::move(msg));
    default:
      return InternalError(std::move(msg));
  }
}

Stmt& Stmt::Bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_.get(), index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Stmt& Stmt::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
  return *this;
}

Stmt& Stmt::BindNull(int index) {
  sqlite3_bind_null(stmt_.get(), index);
  return *this;
}

StatusOr<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string context = "sqlite step";
  if (const char* sql = sqlite3_sql(stmt_.get())) {
    context += " \"";
    context += std::string_view(sql).substr(0, 60);
    context += "\"";
  }
  return SqliteError(context, rc, db_);
}

Status Stmt::Run() {
  ASSIGN_OR_RETURN(bool row, Step());
  if (row) return InternalError("sqlite: statement returned a row where none was expected");
  return Status::Ok();
}

std::string Stmt::Text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_.get(), column);
  if (p == nullptr) return {};
  int n = sqlite3_column_bytes(stmt_.get(), column);
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n));
}

StatusOr<Db> Db::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Db db;
  db.db_.reset(raw);  // sqlite allocates a handle even on failure; it must be closed
  db.path_ = path;
  if (rc != SQLITE_OK) return SqliteError("sqlite open " + path, rc, raw);
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Status Db::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);  // the connection keeps the same message for SqliteError
  if (rc != SQLITE_OK) {
    return SqliteError("sqlite exec \"" + sql.substr(0, 60) + "\"", rc, db_.get());
  }
  return Status::Ok();
}

StatusOr<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return SqliteError("sqlite prepare \"" + std::string(sql.substr(0, 60)) + "\"", rc, db_.get());
  }
  return Stmt(raw, db_.get());
}

StatusOr<std::string> Db::QueryText(std::string_view sql) {
  ASSIGN_OR_RETURN(Stmt stmt, Prepare(sql));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return InternalError("sqlite: \"" + std::string(sql) + "\" returned no row");
  return stmt.Text(0);
}

StatusOr<Transaction> Transaction::Begin(Db* db) {
  RETURN_IF_ERROR(db->Exec("BEGIN IMMEDIATE"));
  return Transaction(db);
}

Transaction::~Transaction() {
  // ROLLBACK can only fail when sqlite already rolled back on its own (after an I/O error),
  // which leaves the database in the state we want.
  if (db_ != nullptr && sqlite3_get_autocommit(db_->get()) == 0) {
    (void)db_->Exec("ROLLBACK");
  }
}

Status Transaction::Commit() {
  Status st = db_->Exec("COMMIT");
  if (st.ok()) db_ = nullptr;
  return st;
}

}  // namespace egret::adapters::sqlite
