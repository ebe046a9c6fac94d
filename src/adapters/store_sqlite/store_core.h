// Internals shared by the parts of SqliteStore (objects, watch, leases): the state behind the
// store's mutex and the row-level operations every write path uses. Not part of the port.
//
// Locking: every function here expects `StoreCore::mu` held by the caller. Write helpers also
// expect an open Transaction; their effects become visible (cache, watchers) only through
// FinishWrite, after COMMIT succeeded.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "adapters/store_sqlite/object_doc.h"
#include "adapters/store_sqlite/sqlite_db.h"
#include "adapters/store_sqlite/sqlite_store.h"
#include "ports/datastore.h"

namespace egret::adapters::sqlite {

inline constexpr int64_t kSchemaVersion = 1;

struct StoreCore {
  std::mutex mu;
  std::condition_variable changed;  // notified after each commit and when the store closes
  Db db;                            // closed when the SqliteStore is destroyed
  SqliteStore::Options options;
  // Cached copies of the meta table. The store is the only writer of the file (exclusive
  // locking), so the cache cannot go stale.
  int64_t version = 0;
  int64_t compacted = 0;
  int64_t event_count = 0;  // rows in `events`, for automatic compaction without COUNT(*)
  bool closed = false;

  const std::string& path() const { return db.path(); }
  // kUnavailable once the store was destroyed (streams may outlive it).
  Status CheckOpen() const;
};

// One row of `objects`.
struct ObjectRow {
  ports::ObjectKey key;
  std::string uid;
  int64_t resource_version = 0;
  int64_t generation = 0;
  std::string created;
  std::string body;    // JSON without status and without managed metadata
  std::string status;  // JSON object, empty when no status was ever written
};

// What one write transaction has done so far; published into StoreCore by FinishWrite.
struct PendingWrite {
  explicit PendingWrite(const StoreCore& core)
      : version(core.version), compacted(core.compacted), event_count(core.event_count) {}
  int64_t NextVersion() { return ++version; }
  int64_t version;
  int64_t compacted;
  int64_t event_count;
};

StatusOr<std::optional<ObjectRow>> LoadRow(StoreCore& core, const ports::ObjectKey& key);
Status SaveRow(StoreCore& core, const ObjectRow& row);  // insert or replace
Status DeleteRow(StoreCore& core, const ports::ObjectKey& key);
// The port's view of a row (rendered document with managed metadata and status).
StatusOr<ports::StoredObject> RowToObject(const ObjectRow& row);

// Appends one event to the log.
Status AppendEvent(StoreCore& core, PendingWrite& pending, ports::EventType type,
                   const ports::StoredObject& object);
// Forgets events at or below `version` (within the open transaction).
Status TrimLog(StoreCore& core, PendingWrite& pending, int64_t version);

// Persists the meta counters, applies the retention policy, commits, publishes the new state
// to the cache and wakes watchers. On error nothing is published (the transaction rolls back
// when `txn` is destroyed).
Status FinishWrite(StoreCore& core, Transaction& txn, PendingWrite& pending);

}  // namespace egret::adapters::sqlite
