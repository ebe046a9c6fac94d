#include "adapters/store_sqlite/store_core.h"

#include <algorithm>

namespace egret::adapters::sqlite {
namespace {

Status SaveMeta(StoreCore& core, std::string_view key, int64_t value) {
  ASSIGN_OR_RETURN(Stmt stmt, core.db.Prepare("UPDATE meta SET value = ?1 WHERE key = ?2"));
  stmt.Bind(1, value).Bind(2, key);
  return stmt.Run();
}

// Keeps the newest `retained_events` events. Finds the horizon by skipping the excess from the
// oldest end, so the cost is proportional to what is removed, not to the log's length.
Status ApplyRetention(StoreCore& core, PendingWrite& pending) {
  int64_t excess = pending.event_count - std::max<int64_t>(core.options.retained_events, 1);
  if (excess <= 0) return Status::Ok();
  ASSIGN_OR_RETURN(Stmt stmt,
                   core.db.Prepare("SELECT rv FROM events ORDER BY rv LIMIT 1 OFFSET ?1"));
  stmt.Bind(1, excess - 1);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return InternalError("sqlite store " + core.path() + ": event count out of step");
  return TrimLog(core, pending, stmt.Int(0));
}

}  // namespace

Status StoreCore::CheckOpen() const {
  if (closed) return UnavailableError("sqlite store " + path() + " is closed");
  return Status::Ok();
}

StatusOr<std::optional<ObjectRow>> LoadRow(StoreCore& core, const ports::ObjectKey& key) {
  ASSIGN_OR_RETURN(
      Stmt stmt, core.db.Prepare("SELECT uid, resource_version, generation, created, body, status "
                                 "FROM objects WHERE kind = ?1 AND namespace = ?2 AND name = ?3"));
  stmt.Bind(1, key.kind).Bind(2, key.namespace_).Bind(3, key.name);
  ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::optional<ObjectRow>();
  ObjectRow row;
  row.key = key;
  row.uid = stmt.Text(0);
  row.resource_version = stmt.Int(1);
  row.generation = stmt.Int(2);
  row.created = stmt.Text(3);
  row.body = stmt.Text(4);
  if (!stmt.IsNull(5)) row.status = stmt.Text(5);
  return std::optional<ObjectRow>(std::move(row));
}

Status SaveRow(StoreCore& core, const ObjectRow& row) {
  ASSIGN_OR_RETURN(Stmt stmt,
                   core.db.Prepare("INSERT OR REPLACE INTO objects (kind, namespace, name, uid, "
                                   "resource_version, generation, created, body, status) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  stmt.Bind(1, row.key.kind).Bind(2, row.key.namespace_).Bind(3, row.key.name);
  stmt.Bind(4, row.uid).Bind(5, row.resource_version).Bind(6, row.generation);
  stmt.Bind(7, row.created).Bind(8, row.body);
  if (row.status.empty()) {
    stmt.BindNull(9);
  } else {
    stmt.Bind(9, row.status);
  }
  return stmt.Run();
}

Status DeleteRow(StoreCore& core, const ports::ObjectKey& key) {
  ASSIGN_OR_RETURN(Stmt stmt, core.db.Prepare("DELETE FROM objects WHERE kind = ?1 AND "
                                              "namespace = ?2 AND name = ?3"));
  stmt.Bind(1, key.kind).Bind(2, key.namespace_).Bind(3, key.name);
  return stmt.Run();
}

StatusOr<ports::StoredObject> RowToObject(const ObjectRow& row) {
  ManagedMeta meta{.uid = row.uid,
                   .resource_version = row.resource_version,
                   .generation = row.generation,
                   .creation_timestamp = row.created};
  ASSIGN_OR_RETURN(std::string json, RenderObject(row.key, row.body, meta, row.status));
  return ports::StoredObject{
      .key = row.key, .resource_version = row.resource_version, .json = std::move(json)};
}

Status AppendEvent(StoreCore& core, PendingWrite& pending, ports::EventType type,
                   const ports::StoredObject& object) {
  ASSIGN_OR_RETURN(Stmt stmt, core.db.Prepare("INSERT INTO events (rv, type, kind, namespace, "
                                              "name, document) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  stmt.Bind(1, object.resource_version).Bind(2, ports::EventTypeName(type));
  stmt.Bind(3, object.key.kind).Bind(4, object.key.namespace_).Bind(5, object.key.name);
  stmt.Bind(6, object.json);
  RETURN_IF_ERROR(stmt.Run());
  ++pending.event_count;
  return Status::Ok();
}

Status TrimLog(StoreCore& core, PendingWrite& pending, int64_t version) {
  if (version <= pending.compacted) return Status::Ok();
  ASSIGN_OR_RETURN(Stmt stmt, core.db.Prepare("DELETE FROM events WHERE rv <= ?1"));
  stmt.Bind(1, version);
  RETURN_IF_ERROR(stmt.Run());
  pending.event_count -= core.db.Changes();
  pending.compacted = version;
  return Status::Ok();
}

Status FinishWrite(StoreCore& core, Transaction& txn, PendingWrite& pending) {
  RETURN_IF_ERROR(ApplyRetention(core, pending));
  if (pending.version != core.version) {
    RETURN_IF_ERROR(SaveMeta(core, "current_version", pending.version));
  }
  if (pending.compacted != core.compacted) {
    RETURN_IF_ERROR(SaveMeta(core, "compacted_version", pending.compacted));
  }
  RETURN_IF_ERROR(txn.Commit().WithContext("sqlite store " + core.path()));
  core.version = pending.version;
  core.compacted = pending.compacted;
  core.event_count = pending.event_count;
  // Also after a pure compaction: watchers behind the new horizon must learn of kGone.
  core.changed.notify_all();
  return Status::Ok();
}

}  // namespace egret::adapters::sqlite
