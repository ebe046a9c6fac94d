#include "agent/ipam_store.h"

#include <set>

#include "core/ipam/address_allocator.h"

namespace egret::agent {

StatusOr<std::unique_ptr<IpamStore>> IpamStore::Open(const std::string& path) {
  ASSIGN_OR_RETURN(adapters::sqlite::Db db, adapters::sqlite::Db::Open(path));
  RETURN_IF_ERROR(db.Exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;"
      "CREATE TABLE IF NOT EXISTS allocations (ip TEXT PRIMARY KEY, cidr TEXT NOT NULL,"
      " container_id TEXT NOT NULL, ifname TEXT NOT NULL, netns TEXT NOT NULL);"
      "CREATE INDEX IF NOT EXISTS allocations_owner ON allocations (container_id, ifname);"
      "CREATE TABLE IF NOT EXISTS cursors (cidr TEXT PRIMARY KEY, last TEXT NOT NULL);"));
  return std::unique_ptr<IpamStore>(new IpamStore(std::move(db)));
}

StatusOr<std::vector<Allocation>> IpamStore::Query(std::string_view where, const std::string& a,
                                                   const std::string& b) {
  std::string sql = "SELECT container_id, ifname, netns, ip, cidr FROM allocations";
  sql += where;
  sql += " ORDER BY container_id, ifname, ip";
  ASSIGN_OR_RETURN(adapters::sqlite::Stmt st, db_.Prepare(sql));
  if (!a.empty()) st.Bind(1, a).Bind(2, b);
  std::vector<Allocation> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    auto ip = model::IpAddress::Parse(st.Text(3));
    auto cidr = model::Cidr::Parse(st.Text(4));
    if (!ip || !cidr) return InternalError("ipam.db holds a malformed row for " + st.Text(3));
    out.push_back({st.Text(0), st.Text(1), st.Text(2), *ip, *cidr});
  }
  return out;
}

StatusOr<std::vector<Allocation>> IpamStore::Find(const std::string& container_id,
                                                  const std::string& ifname) {
  return Query(" WHERE container_id = ?1 AND ifname = ?2", container_id, ifname);
}

StatusOr<std::vector<Allocation>> IpamStore::All() { return Query("", "", ""); }

StatusOr<std::vector<Allocation>> IpamStore::Allocate(const std::string& container_id,
                                                      const std::string& ifname,
                                                      const std::string& netns,
                                                      const std::vector<model::Cidr>& cidrs) {
  ASSIGN_OR_RETURN(std::vector<Allocation> existing, Find(container_id, ifname));
  if (!existing.empty()) return existing;
  // Rolls back on every early return; only the COMMIT below keeps the writes.
  ASSIGN_OR_RETURN(adapters::sqlite::Transaction txn, adapters::sqlite::Transaction::Begin(&db_));
  ASSIGN_OR_RETURN(std::vector<Allocation> all, All());
  std::set<model::IpAddress> used;
  for (const Allocation& a : all) used.insert(a.ip);
  std::vector<Allocation> out;
  for (const model::Cidr& cidr : cidrs) {
    auto alloc = core::ipam::AddressAllocator::Create(cidr);
    if (!alloc.ok()) return alloc.status();
    std::optional<model::IpAddress> last;
    auto cur = db_.Prepare("SELECT last FROM cursors WHERE cidr = ?1");
    if (!cur.ok()) return cur.status();
    cur->Bind(1, cidr.ToString());
    auto has = cur->Step();
    if (!has.ok()) return has.status();
    if (*has) last = model::IpAddress::Parse(cur->Text(0));
    auto ip = alloc->Next(used, last);
    if (!ip.ok()) return ip.status();
    auto ins = db_.Prepare(
        "INSERT INTO allocations (ip, cidr, container_id, ifname, netns) VALUES (?1,?2,?3,?4,?5)");
    if (!ins.ok()) return ins.status();
    ins->Bind(1, ip->ToString()).Bind(2, cidr.ToString()).Bind(3, container_id).Bind(4, ifname);
    ins->Bind(5, netns);
    if (Status st = ins->Run(); !st.ok()) return st;
    auto upd = db_.Prepare("INSERT OR REPLACE INTO cursors (cidr, last) VALUES (?1, ?2)");
    if (!upd.ok()) return upd.status();
    upd->Bind(1, cidr.ToString()).Bind(2, ip->ToString());
    if (Status st = upd->Run(); !st.ok()) return st;
    used.insert(*ip);
    out.push_back({container_id, ifname, netns, *ip, cidr});
  }
  RETURN_IF_ERROR(txn.Commit());
  return out;
}

Status IpamStore::Release(const std::string& container_id, const std::string& ifname) {
  ASSIGN_OR_RETURN(adapters::sqlite::Stmt st,
                   db_.Prepare("DELETE FROM allocations WHERE container_id = ?1 AND ifname = ?2"));
  st.Bind(1, container_id).Bind(2, ifname);
  return st.Run();
}

}  // namespace egret::agent
