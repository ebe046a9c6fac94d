// SqliteStore writes: Commit (create / put / delete batches) and PutStatus. Each call is one
// transaction; any failing write rolls back the whole call, versions and events included.
#include "adapters/store_sqlite/sqlite_store.h"
#include "adapters/store_sqlite/store_core.h"
#include "doc/json.h"

namespace egret::adapters {

using sqlite::ObjectRow;
using sqlite::PendingWrite;
using sqlite::StoreCore;
using sqlite::Transaction;

namespace {

std::string VersionText(int64_t v) { return std::to_string(v); }

// kConflict when `expected` is set and does not match what is stored (0 = absent).
Status CheckPrecondition(const ports::ObjectKey& key, const std::optional<ObjectRow>& row,
                         std::optional<int64_t> expected) {
  if (!expected) return Status::Ok();
  int64_t stored = row ? row->resource_version : 0;
  if (stored == *expected) return Status::Ok();
  std::string msg = sqlite::ObjectRef(key) + ": resourceVersion precondition failed: ";
  if (*expected == 0) {
    msg += "expected the object to be absent, but it exists at version " + VersionText(stored);
  } else if (stored == 0) {
    msg += "expected version " + VersionText(*expected) + ", but the object does not exist";
  } else {
    msg +=
        "expected version " + VersionText(*expected) + ", stored version is " + VersionText(stored);
  }
  return ConflictError(msg + "; read the object again and retry");
}

// Writes `row` with the next version and logs the event. Returns what the port hands back.
StatusOr<ports::StoredObject> SaveWithEvent(StoreCore& core, PendingWrite& pending, ObjectRow row,
                                            ports::EventType type) {
  row.resource_version = pending.NextVersion();
  RETURN_IF_ERROR(sqlite::SaveRow(core, row));
  ASSIGN_OR_RETURN(ports::StoredObject object, sqlite::RowToObject(row));
  RETURN_IF_ERROR(sqlite::AppendEvent(core, pending, type, object));
  return object;
}

StatusOr<ports::StoredObject> ApplyDelete(StoreCore& core, PendingWrite& pending, ObjectRow row) {
  RETURN_IF_ERROR(sqlite::DeleteRow(core, row.key));
  // The DELETED event carries the last state, stamped with the deletion's version.
  row.resource_version = pending.NextVersion();
  ASSIGN_OR_RETURN(ports::StoredObject object, sqlite::RowToObject(row));
  RETURN_IF_ERROR(sqlite::AppendEvent(core, pending, ports::EventType::kDeleted, object));
  return object;
}

// Create or update of the body. An unchanged document returns the stored object untouched.
StatusOr<ports::StoredObject> ApplyPut(StoreCore& core, PendingWrite& pending,
                                       const ports::ObjectKey& key, doc::Value body,
                                       std::optional<ObjectRow> row) {
  if (!row) {
    ObjectRow created{.key = key,
                      .uid = sqlite::NewUid(),
                      .generation = 1,
                      .created = sqlite::FormatRfc3339(core.options.clock()),
                      .body = doc::ToJson(body),
                      .status = {}};
    return SaveWithEvent(core, pending, std::move(created), ports::EventType::kAdded);
  }
  auto stored = doc::ParseJson(row->body);
  if (!stored.ok()) {
    return InternalError("stored body of " + sqlite::ObjectRef(key) + " is damaged");
  }
  if (sqlite::SameJson(*stored, body)) return sqlite::RowToObject(*row);
  if (!sqlite::SameSpec(*stored, body)) ++row->generation;
  row->body = doc::ToJson(body);
  return SaveWithEvent(core, pending, std::move(*row), ports::EventType::kModified);
}

StatusOr<ports::StoredObject> ApplyWrite(StoreCore& core, PendingWrite& pending,
                                         const ports::Write& w) {
  RETURN_IF_ERROR(sqlite::CheckKey(w.key));
  doc::Value body;
  if (w.op != ports::Write::Op::kDelete) {
    ASSIGN_OR_RETURN(body, sqlite::PrepareBody(w.key, w.json));
  }
  ASSIGN_OR_RETURN(std::optional<ObjectRow> row, sqlite::LoadRow(core, w.key));
  if (w.op == ports::Write::Op::kCreate && row) {
    return AlreadyExistsError(sqlite::ObjectRef(w.key) + " already exists (resourceVersion " +
                              VersionText(row->resource_version) + ")");
  }
  if (w.op == ports::Write::Op::kDelete && !row) {
    return NotFoundError(sqlite::ObjectRef(w.key) + " not found");
  }
  RETURN_IF_ERROR(CheckPrecondition(w.key, row, w.expected_version));
  if (w.op == ports::Write::Op::kDelete) return ApplyDelete(core, pending, std::move(*row));
  return ApplyPut(core, pending, w.key, std::move(body), std::move(row));
}

}  // namespace

StatusOr<std::vector<ports::StoredObject>> SqliteStore::Commit(
    const std::vector<ports::Write>& writes) {
  std::lock_guard lock(core_->mu);
  RETURN_IF_ERROR(core_->CheckOpen());
  std::vector<ports::StoredObject> out;
  if (writes.empty()) return out;
  ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(&core_->db));
  PendingWrite pending(*core_);
  for (const ports::Write& w : writes) {
    ASSIGN_OR_RETURN(ports::StoredObject object, ApplyWrite(*core_, pending, w));
    out.push_back(std::move(object));
  }
  RETURN_IF_ERROR(sqlite::FinishWrite(*core_, txn, pending));
  return out;
}

StatusOr<ports::StoredObject> SqliteStore::PutStatus(const ports::ObjectKey& key,
                                                     const std::string& status_json,
                                                     std::optional<int64_t> expected_version) {
  std::lock_guard lock(core_->mu);
  RETURN_IF_ERROR(core_->CheckOpen());
  RETURN_IF_ERROR(sqlite::CheckKey(key));
  ASSIGN_OR_RETURN(doc::Value status, sqlite::PrepareStatus(key, status_json));
  ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(&core_->db));
  ASSIGN_OR_RETURN(std::optional<ObjectRow> row, sqlite::LoadRow(*core_, key));
  if (!row) return NotFoundError(sqlite::ObjectRef(key) + " not found");
  RETURN_IF_ERROR(CheckPrecondition(key, row, expected_version));
  if (!row->status.empty()) {
    auto stored = doc::ParseJson(row->status);
    if (stored.ok() && sqlite::SameJson(*stored, status)) return sqlite::RowToObject(*row);
  }
  row->status = doc::ToJson(status);
  PendingWrite pending(*core_);
  ASSIGN_OR_RETURN(ports::StoredObject object,
                   SaveWithEvent(*core_, pending, std::move(*row), ports::EventType::kModified));
  RETURN_IF_ERROR(sqlite::FinishWrite(*core_, txn, pending));
  return object;
}

}  // namespace egret::adapters
