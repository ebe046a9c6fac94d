// SqliteStore: opening the file, the schema, reads and compaction. Writes live in
// sqlite_store_write.cc, watches in sqlite_watch.cc, leases in sqlite_lease.cc.
#include "adapters/store_sqlite/sqlite_store.h"

#include <chrono>

#include "adapters/store_sqlite/store_core.h"
#include "common/strings.h"

namespace egret::adapters {

using sqlite::Db;
using sqlite::Stmt;
using sqlite::StoreCore;
using sqlite::Transaction;

namespace {

// Objects keep body and status apart so that Put and PutStatus never touch each other's part.
// Events hold the full rendered document of each version: the watch log.
constexpr char kSchema[] = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE objects (
  kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  uid TEXT NOT NULL, resource_version INTEGER NOT NULL, generation INTEGER NOT NULL,
  created TEXT NOT NULL, body TEXT NOT NULL, status TEXT,
  PRIMARY KEY (kind, namespace, name)) WITHOUT ROWID;
CREATE TABLE events (
  rv INTEGER PRIMARY KEY, type TEXT NOT NULL, kind TEXT NOT NULL, namespace TEXT NOT NULL,
  name TEXT NOT NULL, document TEXT NOT NULL);
CREATE INDEX events_by_kind ON events (kind, rv);
CREATE TABLE leases (
  name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_unix_ms INTEGER NOT NULL,
  resource_version INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES
  ('schema_version', 1), ('current_version', 0), ('compacted_version', 0);
)sql";

int64_t SystemClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

StatusOr<int64_t> QueryInt(Db& db, std::string_view sql) {
  ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || stmt.IsNull(0)) return int64_t{0};
  return stmt.Int(0);
}

// Runs a PRAGMA and returns its answer (empty when it has none). Errors carry only sqlite's
// message: Open puts "sqlite open PATH" in front, which is all a reader needs.
StatusOr<std::string> Pragma(Db& db, const std::string& sql) {
  std::string answer;
  auto first_column = [](void* out, int columns, char** values, char**) {
    if (columns > 0 && values[0] != nullptr) *static_cast<std::string*>(out) = values[0];
    return 0;
  };
  int rc = sqlite3_exec(db.get(), sql.c_str(), first_column, &answer, nullptr);
  if (rc != SQLITE_OK) return sqlite::SqliteError("", rc, db.get());
  return answer;
}

// Exclusive locking before WAL: the WAL index then lives in heap memory and the file stays
// locked while we hold it, so no other process can write behind our cached counters.
Status Configure(Db& db, std::chrono::milliseconds busy_timeout) {
  sqlite3_busy_timeout(db.get(), static_cast<int>(busy_timeout.count()));
  RETURN_IF_ERROR(Pragma(db, "PRAGMA locking_mode = EXCLUSIVE").status());
  ASSIGN_OR_RETURN(std::string mode, Pragma(db, "PRAGMA journal_mode = WAL"));
  if (mode != "wal") {
    return FailedPreconditionError("cannot switch to WAL journal mode (got " + Quote(mode) +
                                   "); put the store on a local filesystem");
  }
  return Pragma(db, "PRAGMA synchronous = FULL").status();
}

// Creates the schema in an empty file; refuses databases that are not Egret stores.
Status InitSchema(Db& db) {
  ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(&db));
  ASSIGN_OR_RETURN(int64_t tables,
                   QueryInt(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"));
  ASSIGN_OR_RETURN(int64_t has_meta, QueryInt(db,
                                              "SELECT count(*) FROM sqlite_master "
                                              "WHERE type = 'table' AND name = 'meta'"));
  if (tables > 0 && has_meta == 0) {
    return FailedPreconditionError(
        "the file is an sqlite database but not an Egret store (no meta table); choose another "
        "path");
  }
  if (tables == 0) RETURN_IF_ERROR(db.Exec(kSchema));
  ASSIGN_OR_RETURN(int64_t schema,
                   QueryInt(db, "SELECT value FROM meta WHERE key = 'schema_version'"));
  if (schema != sqlite::kSchemaVersion) {
    return FailedPreconditionError("schema version " + std::to_string(schema) +
                                   " is not supported (this build reads version " +
                                   std::to_string(sqlite::kSchemaVersion) + ")");
  }
  return txn.Commit();
}

// Loads the counters and checks the invariants a crash must not break.
Status LoadMeta(StoreCore& core) {
  Db& db = core.db;
  ASSIGN_OR_RETURN(core.version,
                   QueryInt(db, "SELECT value FROM meta WHERE key = 'current_version'"));
  ASSIGN_OR_RETURN(core.compacted,
                   QueryInt(db, "SELECT value FROM meta WHERE key = 'compacted_version'"));
  ASSIGN_OR_RETURN(core.event_count, QueryInt(db, "SELECT count(*) FROM events"));
  ASSIGN_OR_RETURN(int64_t max_event, QueryInt(db, "SELECT max(rv) FROM events"));
  ASSIGN_OR_RETURN(int64_t max_object, QueryInt(db, "SELECT max(resource_version) FROM objects"));
  ASSIGN_OR_RETURN(int64_t min_event, QueryInt(db, "SELECT min(rv) FROM events"));
  bool consistent = max_event <= core.version && max_object <= core.version &&
                    core.compacted <= core.version &&
                    (core.event_count == 0 || min_event > core.compacted);
  if (!consistent) {
    return FailedPreconditionError("the store is inconsistent (current version " +
                                   std::to_string(core.version) + ", newest event " +
                                   std::to_string(max_event) + ", newest object " +
                                   std::to_string(max_object) + "); restore it from a backup");
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, Options options) {
  std::string context = "sqlite open " + path;
  if (options.retained_events < 1) {
    return InvalidError(context + ": retained_events must be at least 1, got " +
                        std::to_string(options.retained_events));
  }
  if (!options.clock) options.clock = SystemClockMs;
  auto core = std::make_shared<StoreCore>();
  core->options = std::move(options);
  ASSIGN_OR_RETURN(core->db, Db::Open(path));
  RETURN_IF_ERROR(Configure(core->db, core->options.busy_timeout).WithContext(context));
  RETURN_IF_ERROR(InitSchema(core->db).WithContext(context));
  RETURN_IF_ERROR(LoadMeta(*core).WithContext(context));
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(core)));
}

SqliteStore::SqliteStore(std::shared_ptr<StoreCore> core) : core_(std::move(core)) {}

SqliteStore::~SqliteStore() {
  std::lock_guard lock(core_->mu);
  core_->closed = true;
  core_->db.Close();  // releases the file lock even while watch streams live on
  core_->changed.notify_all();
}

StatusOr<ports::StoredObject> SqliteStore::Get(const ports::ObjectKey& key) {
  std::lock_guard lock(core_->mu);
  RETURN_IF_ERROR(core_->CheckOpen());
  ASSIGN_OR_RETURN(std::optional<sqlite::ObjectRow> row, sqlite::LoadRow(*core_, key));
  if (!row) return NotFoundError(sqlite::ObjectRef(key) + " not found");
  return sqlite::RowToObject(*row);
}

StatusOr<ports::ListResult> SqliteStore::List(const std::string& kind,
                                              const std::string& namespace_) {
  std::lock_guard lock(core_->mu);
  RETURN_IF_ERROR(core_->CheckOpen());
  ASSIGN_OR_RETURN(Stmt stmt,
                   core_->db.Prepare("SELECT namespace, name, uid, resource_version, generation, "
                                     "created, body, status FROM objects WHERE kind = ?1 AND "
                                     "(?2 = '' OR namespace = ?2) ORDER BY namespace, name"));
  stmt.Bind(1, kind).Bind(2, namespace_);
  ports::ListResult result;
  result.resource_version = core_->version;
  while (true) {
    ASSIGN_OR_RETURN(bool more, stmt.Step());
    if (!more) break;
    sqlite::ObjectRow row{.key = {kind, stmt.Text(0), stmt.Text(1)},
                          .uid = stmt.Text(2),
                          .resource_version = stmt.Int(3),
                          .generation = stmt.Int(4),
                          .created = stmt.Text(5),
                          .body = stmt.Text(6),
                          .status = stmt.IsNull(7) ? "" : stmt.Text(7)};
    ASSIGN_OR_RETURN(ports::StoredObject object, sqlite::RowToObject(row));
    result.items.push_back(std::move(object));
  }
  return result;
}

int64_t SqliteStore::CurrentVersion() {
  std::lock_guard lock(core_->mu);
  return core_->version;
}

int64_t SqliteStore::CompactedVersion() {
  std::lock_guard lock(core_->mu);
  return core_->compacted;
}

Status SqliteStore::Compact(int64_t version) {
  std::lock_guard lock(core_->mu);
  RETURN_IF_ERROR(core_->CheckOpen());
  if (version < 0 || version > core_->version) {
    return InvalidError("compact sqlite store " + core_->path() + ": version " +
                        std::to_string(version) + " is outside 0.." +
                        std::to_string(core_->version) + " (the current version)");
  }
  if (version <= core_->compacted) return Status::Ok();
  ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(&core_->db));
  sqlite::PendingWrite pending(*core_);
  RETURN_IF_ERROR(sqlite::TrimLog(*core_, pending, version));
  return sqlite::FinishWrite(*core_, txn, pending);
}

}  // namespace egret::adapters
