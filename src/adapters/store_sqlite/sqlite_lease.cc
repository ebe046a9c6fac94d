// SqliteStore leases: leader election and liveness, timed by the injected clock. A lease row
// exists while someone holds (or held, until expiry) the lease; release deletes it.
#include "adapters/store_sqlite/sqlite_store.h"
#include "adapters/store_sqlite/store_core.h"
#include "common/strings.h"

namespace egret::adapters {

using sqlite::Stmt;
using sqlite::StoreCore;
using sqlite::Transaction;

namespace {

StatusOr<std::optional<ports::Lease>> LoadLease(StoreCore& core, const std::string& name) {
  ASSIGN_OR_RETURN(Stmt stmt, core.db.Prepare("SELECT holder, expires_unix_ms, resource_version "
                                              "FROM leases WHERE name = ?1"));
  stmt.Bind(1, name);
  ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::optional<ports::Lease>();
  return std::optional<ports::Lease>(ports::Lease{.name = name,
                                                  .holder = stmt.Text(0),
                                                  .expires_unix_ms = stmt.Int(1),
                                                  .resource_version = stmt.Int(2)});
}

Status SaveLease(StoreCore& core, const ports::Lease& lease) {
  ASSIGN_OR_RETURN(Stmt stmt, core.db.Prepare("INSERT OR REPLACE INTO leases (name, holder, "
                                              "expires_unix_ms, resource_version) "
                                              "VALUES (?1, ?2, ?3, ?4)"));
  stmt.Bind(1, lease.name).Bind(2, lease.holder).Bind(3, lease.expires_unix_ms);
  stmt.Bind(4, lease.resource_version);
  return stmt.Run();
}

std::string LeaseRef(const std::string& name) { return "lease " + Quote(name); }

Status HeldByOther(const ports::Lease& lease, int64_t now) {
  return ConflictError(LeaseRef(lease.name) + " is held by " + Quote(lease.holder) + " until " +
                       sqlite::FormatRfc3339(lease.expires_unix_ms) + " (" +
                       std::to_string(lease.expires_unix_ms - now) +
                       " ms from now); retry after it expires");
}

Status CheckLeaseArgs(const std::string& name, const std::string& holder) {
  if (name.empty()) return InvalidError("a lease needs a name");
  if (holder.empty()) return InvalidError(LeaseRef(name) + ": the holder must not be empty");
  return Status::Ok();
}

}  // namespace

StatusOr<ports::Lease> SqliteStore::AcquireLease(const std::string& name, const std::string& holder,
                                                 std::chrono::milliseconds ttl) {
  RETURN_IF_ERROR(CheckLeaseArgs(name, holder));
  if (ttl.count() <= 0) {
    return InvalidError(LeaseRef(name) + ": ttl must be positive, got " +
                        std::to_string(ttl.count()) + " ms");
  }
  std::lock_guard lock(core_->mu);
  RETURN_IF_ERROR(core_->CheckOpen());
  ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(&core_->db));
  ASSIGN_OR_RETURN(std::optional<ports::Lease> current, LoadLease(*core_, name));
  int64_t now = core_->options.clock();
  // Expired means "expires at or before now": a lease of ttl t taken at T is free at T + t.
  if (current && current->holder != holder && current->expires_unix_ms > now) {
    return HeldByOther(*current, now);
  }
  sqlite::PendingWrite pending(*core_);
  ports::Lease lease{.name = name,
                     .holder = holder,
                     .expires_unix_ms = now + ttl.count(),
                     .resource_version = pending.NextVersion()};
  RETURN_IF_ERROR(SaveLease(*core_, lease));
  RETURN_IF_ERROR(sqlite::FinishWrite(*core_, txn, pending));
  return lease;
}

Status SqliteStore::ReleaseLease(const std::string& name, const std::string& holder) {
  RETURN_IF_ERROR(CheckLeaseArgs(name, holder));
  std::lock_guard lock(core_->mu);
  RETURN_IF_ERROR(core_->CheckOpen());
  ASSIGN_OR_RETURN(Transaction txn, Transaction::Begin(&core_->db));
  ASSIGN_OR_RETURN(std::optional<ports::Lease> current, LoadLease(*core_, name));
  if (!current) return NotFoundError(LeaseRef(name) + " is not held by anyone");
  if (current->holder != holder) {
    return ConflictError(LeaseRef(name) + " is held by " + Quote(current->holder) + ", not by " +
                         Quote(holder) + "; only the holder can release it");
  }
  ASSIGN_OR_RETURN(Stmt stmt, core_->db.Prepare("DELETE FROM leases WHERE name = ?1"));
  stmt.Bind(1, name);
  RETURN_IF_ERROR(stmt.Run());
  sqlite::PendingWrite pending(*core_);
  pending.NextVersion();  // a release is a change of the lease too
  return sqlite::FinishWrite(*core_, txn, pending);
}

StatusOr<ports::Lease> SqliteStore::GetLease(const std::string& name) {
  std::lock_guard lock(core_->mu);
  RETURN_IF_ERROR(core_->CheckOpen());
  ASSIGN_OR_RETURN(std::optional<ports::Lease> current, LoadLease(*core_, name));
  if (!current) return NotFoundError(LeaseRef(name) + " is not held by anyone");
  return *current;
}

}  // namespace egret::adapters
