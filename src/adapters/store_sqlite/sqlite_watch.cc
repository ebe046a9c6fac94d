// SqliteStore::Watch: a cursor over the `events` table. The log is the single source of what a
// stream delivers, so a stream started after a restart sees exactly the events a stream in the
// previous process would have seen; the condition variable only says "look again".
#include <chrono>

#include "adapters/store_sqlite/sqlite_store.h"
#include "adapters/store_sqlite/store_core.h"

namespace egret::adapters {
namespace {

using sqlite::Stmt;
using sqlite::StoreCore;

// Bounds the memory of one Next() when a stream is far behind; the rest comes next call.
constexpr int kMaxBatch = 512;

constexpr char kAllKinds[] =
    "SELECT rv, type, kind, namespace, name, document FROM events WHERE rv > ?1 "
    "ORDER BY rv LIMIT ?2";
constexpr char kOneKind[] =
    "SELECT rv, type, kind, namespace, name, document FROM events WHERE kind = ?3 AND rv > ?1 "
    "ORDER BY rv LIMIT ?2";

Status CompactedError(const StoreCore& core, int64_t from) {
  return GoneError("watch from resourceVersion " + std::to_string(from) + " of sqlite store " +
                   core.path() + ": history up to version " + std::to_string(core.compacted) +
                   " was compacted; relist and watch from the list's resourceVersion");
}

StatusOr<ports::EventType> ParseEventType(std::string_view name) {
  for (auto t :
       {ports::EventType::kAdded, ports::EventType::kModified, ports::EventType::kDeleted}) {
    if (ports::EventTypeName(t) == name) return t;
  }
  return InternalError("event log holds an unknown event type " + std::string(name));
}

class SqliteWatchStream : public ports::WatchStream {
 public:
  SqliteWatchStream(std::shared_ptr<StoreCore> core, std::string kind, int64_t from)
      : core_(std::move(core)), kind_(std::move(kind)), cursor_(from) {}

  StatusOr<std::vector<ports::WatchEvent>> Next(std::chrono::milliseconds timeout) override {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(core_->mu);
    bool last_look = false;
    while (true) {
      RETURN_IF_ERROR(core_->CheckOpen());
      if (cursor_ < core_->compacted) return CompactedError(*core_, cursor_);
      if (core_->version > cursor_) {
        ASSIGN_OR_RETURN(std::vector<ports::WatchEvent> events, ReadLog());
        if (!events.empty()) {
          cursor_ = events.back().object.resource_version;
          return events;
        }
        // Nothing of our kind up to the current version: skip ahead, so that a later
        // compaction of versions we have already passed does not fail this stream.
        cursor_ = core_->version;
      }
      if (last_look) return std::vector<ports::WatchEvent>{};
      // After the deadline, look once more: a commit may have raced with the timeout.
      last_look = core_->changed.wait_until(lock, deadline) == std::cv_status::timeout;
    }
  }

 private:
  // Events after the cursor, oldest first (mu held).
  StatusOr<std::vector<ports::WatchEvent>> ReadLog() {
    // Two statements rather than "(?2 = '' OR kind = ?2)": the OR would hide events_by_kind
    // from the query planner.
    ASSIGN_OR_RETURN(Stmt stmt, core_->db.Prepare(kind_.empty() ? kAllKinds : kOneKind));
    stmt.Bind(1, cursor_).Bind(2, int64_t{kMaxBatch});
    if (!kind_.empty()) stmt.Bind(3, kind_);
    std::vector<ports::WatchEvent> events;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(ports::EventType type, ParseEventType(stmt.Text(1)));
      events.push_back(
          ports::WatchEvent{.type = type,
                            .object = {.key = {stmt.Text(2), stmt.Text(3), stmt.Text(4)},
                                       .resource_version = stmt.Int(0),
                                       .json = stmt.Text(5)}});
    }
    return events;
  }

  std::shared_ptr<StoreCore> core_;
  std::string kind_;
  int64_t cursor_;  // the newest version this stream has delivered or skipped
};

}  // namespace

StatusOr<std::unique_ptr<ports::WatchStream>> SqliteStore::Watch(const std::string& kind,
                                                                 int64_t from_version) {
  std::lock_guard lock(core_->mu);
  RETURN_IF_ERROR(core_->CheckOpen());
  if (from_version < 0) {
    return InvalidError("watch sqlite store " + core_->path() + ": resourceVersion " +
                        std::to_string(from_version) + " is negative");
  }
  if (from_version < core_->compacted) return CompactedError(*core_, from_version);
  return std::unique_ptr<ports::WatchStream>(
      std::make_unique<SqliteWatchStream>(core_, kind, from_version));
}

}  // namespace egret::adapters
