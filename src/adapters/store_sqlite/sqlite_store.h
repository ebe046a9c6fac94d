// SqliteStore: the embedded Datastore backend (ARCHITECTURE.md §2), one sqlite file held by one
// process. It implements the contract in ports/datastore.h; what this backend adds or chooses:
//
// - Durability: WAL journal, synchronous=FULL, one transaction per call. A write returns only
//   after COMMIT, i.e. after the log is fsync'ed: acknowledged writes survive kill -9.
// - One holder: the file is opened in sqlite's exclusive locking mode, so a second process (or
//   a second SqliteStore on the same file) fails at Open with kUnavailable after the busy
//   timeout. Other processes reach the store through the process that holds it.
// - Versions: one counter (meta.current_version) gives every write, status write and lease
//   change the next resourceVersion. In a Commit each write gets its own version, in order.
// - Documents: Put and kCreate ignore `status` and the store-managed metadata (uid,
//   resourceVersion, generation, creationTimestamp) in the incoming document; metadata.name and
//   metadata.namespace must match the key (they are filled in when absent). A Put equal to the
//   stored object (as JSON, ignoring managed metadata) is a no-op: no new version, no event.
//   generation is 1 on create and moves when anything outside metadata changes. PutStatus with
//   an unchanged status is a no-op too.
// - Check order in a write: kCreate of a present object → kAlreadyExists, kDelete of an absent
//   one → kNotFound, then the expected_version precondition → kConflict.
// - Watch: events come from the `events` table (the log), so a stream resumes across restarts.
//   Watch(kind, 0) streams the whole log when nothing was compacted yet, else fails kGone (relist
//   first). A from_version above the current version is allowed: the stream waits for it.
//   A stream blocks on a condition variable that this process's commits notify. Streams outlive
//   the store object safely: after it is destroyed, Next fails with kUnavailable.
// - Compaction: Compact(v) forgets events at or below v (v may not exceed the current version).
//   After each commit the log is trimmed to the newest `retained_events` events.
// - Leases use the injected clock. A lease is free when absent or expired; ReleaseLease deletes
//   it (kNotFound when absent, kConflict when someone else holds it).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ports/datastore.h"

namespace egret::adapters {

namespace sqlite {
struct StoreCore;
}

class SqliteStore : public ports::Datastore {
 public:
  struct Options {
    // Unix time in milliseconds: leases and creationTimestamp. Defaults to the system clock.
    std::function<int64_t()> clock;
    // Automatic compaction keeps this many newest events (at least 1).
    int64_t retained_events = 100000;
    // How long Open and each call wait for a lock held by another connection.
    std::chrono::milliseconds busy_timeout{5000};
  };

  // Opens or creates the store at `path`. Errors name the path: kFailedPrecondition when the
  // file is not an sqlite database, is damaged, belongs to something else or has a newer schema;
  // kUnavailable when another process holds it.
  static StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path, Options options);
  static StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path) {
    return Open(path, Options{});
  }

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  StatusOr<ports::StoredObject> Get(const ports::ObjectKey& key) override;
  StatusOr<ports::ListResult> List(const std::string& kind, const std::string& namespace_) override;
  StatusOr<std::vector<ports::StoredObject>> Commit(
      const std::vector<ports::Write>& writes) override;
  StatusOr<ports::StoredObject> PutStatus(const ports::ObjectKey& key,
                                          const std::string& status_json,
                                          std::optional<int64_t> expected_version) override;
  StatusOr<std::unique_ptr<ports::WatchStream>> Watch(const std::string& kind,
                                                      int64_t from_version) override;
  Status Compact(int64_t version) override;
  int64_t CurrentVersion() override;
  // The compaction horizon: watches from below it fail with kGone.
  int64_t CompactedVersion();

  StatusOr<ports::Lease> AcquireLease(const std::string& name, const std::string& holder,
                                      std::chrono::milliseconds ttl) override;
  Status ReleaseLease(const std::string& name, const std::string& holder) override;
  StatusOr<ports::Lease> GetLease(const std::string& name) override;

 private:
  explicit SqliteStore(std::shared_ptr<sqlite::StoreCore> core);
  std::shared_ptr<sqlite::StoreCore> core_;  // shared with watch streams
};

}  // namespace egret::adapters
