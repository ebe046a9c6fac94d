// The Datastore port (docs/design/architecture.md §2): Kubernetes-API semantics over whatever
// backend holds the objects (sqlite embedded, etcd, the Kubernetes API).
//
// Contract shared by every backend:
// - Objects are keyed by kind/namespace/name and stored as canonical JSON documents (the model
//   layer validates before anything reaches a store; the store does not interpret spec).
// - Every successful write gets a new, strictly increasing resourceVersion (cluster-wide), which
//   the store writes into metadata.resourceVersion of what it returns. uid, generation and
//   creationTimestamp are set by the store too.
// - Spec and status are written separately: Put keeps the stored status; PutStatus changes only
//   status and does not bump generation.
// - A precondition (expected resourceVersion) that does not match fails with kConflict and
//   changes nothing. Commit applies a batch atomically: all writes or none.
// - Watch delivers every change after `from_version` in resourceVersion order, without gaps,
//   also across restarts of the process holding the store. A version older than the
//   compaction horizon fails with kGone: the caller relists and watches from the list's version.
// - A write is acknowledged (the call returns ok) only once it is durable: it survives a crash
//   (kill -9) of the process holding the store.
// Every method is thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace egret::ports {

struct ObjectKey {
  std::string kind;  // "EgressGateway"
  std::string namespace_;  // empty for cluster-scoped kinds
  std::string name;
  friend bool operator==(const ObjectKey&, const ObjectKey&) = default;
  friend auto operator<=>(const ObjectKey&, const ObjectKey&) = default;
};

struct StoredObject {
  ObjectKey key;
  int64_t resource_version = 0;
  std::string json;  // canonical document incl. metadata (with resourceVersion) and status
};

struct ListResult {
  std::vector<StoredObject> items;  // ordered by namespace, then name
  int64_t resource_version = 0;     // the store's version at the time of the list
};

enum class EventType { kAdded, kModified, kDeleted };
std::string_view EventTypeName(EventType t);  // "ADDED" | "MODIFIED" | "DELETED"

struct WatchEvent {
  EventType type = EventType::kAdded;
  StoredObject object;  // for kDeleted: the last state, with the deletion's resourceVersion
};

class WatchStream {
 public:
  virtual ~WatchStream() = default;
  // Waits up to `timeout` for the next events; returns them in order (possibly empty on
  // timeout). kGone when the stream fell behind the compaction horizon.
  virtual StatusOr<std::vector<WatchEvent>> Next(std::chrono::milliseconds timeout) = 0;
};

// One write of a batch.
struct Write {
  enum class Op {
    kCreate,  // fails kAlreadyExists if present
    kPut,     // create or update the spec (status kept)
    kDelete,  // fails kNotFound if absent
  };
  Op op = Op::kPut;
  ObjectKey key;
  std::string json;  // the document for kCreate / kPut
  // When set, the write applies only if the stored object has this resourceVersion
  // (0 = "must not exist").
  std::optional<int64_t> expected_version;
};

struct Lease {
  std::string name;
  std::string holder;
  int64_t expires_unix_ms = 0;
  int64_t resource_version = 0;
};

class Datastore {
 public:
  virtual ~Datastore() = default;

  virtual StatusOr<StoredObject> Get(const ObjectKey& key) = 0;
  // All objects of a kind; `namespace_` empty = all namespaces.
  virtual StatusOr<ListResult> List(const std::string& kind, const std::string& namespace_) = 0;

  // Applies all writes atomically; returns the stored objects in order (for kDelete: the
  // deleted object's last state).
  virtual StatusOr<std::vector<StoredObject>> Commit(const std::vector<Write>& writes) = 0;

  // Replaces the status of one object.
  virtual StatusOr<StoredObject> PutStatus(const ObjectKey& key, const std::string& status_json,
                                           std::optional<int64_t> expected_version) = 0;

  // Changes of `kind` (empty = all kinds) after from_version.
  virtual StatusOr<std::unique_ptr<WatchStream>> Watch(const std::string& kind,
                                                       int64_t from_version) = 0;

  // Forgets history at or below `version`; watches from older versions then fail with kGone.
  virtual Status Compact(int64_t version) = 0;
  virtual int64_t CurrentVersion() = 0;

  // Leases: leader election and liveness. Acquire succeeds when the lease is free, expired, or
  // already held by `holder` (which renews it). Fails kConflict when another holder has it.
  virtual StatusOr<Lease> AcquireLease(const std::string& name, const std::string& holder,
                                       std::chrono::milliseconds ttl) = 0;
  virtual Status ReleaseLease(const std::string& name, const std::string& holder) = 0;
  virtual StatusOr<Lease> GetLease(const std::string& name) = 0;
};

}  // namespace egret::ports
