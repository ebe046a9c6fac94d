// IpamStore: the node's pod address allocations, durable in sqlite (state dir ipam.db), so
// that an agent restart neither loses nor leaks an address. One row per (attachment, family).
// Allocation picks the next free address round-robin per pod CIDR (core/ipam), so an address
// just released is not handed to the next pod at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/store_sqlite/sqlite_db.h"
#include "model/net.h"

namespace egret::agent {

struct Allocation {
  std::string container_id;
  std::string ifname;
  std::string netns;
  model::IpAddress ip;
  model::Cidr cidr;
};

class IpamStore {
 public:
  static StatusOr<std::unique_ptr<IpamStore>> Open(const std::string& path);

  // The attachment's addresses: its existing ones when it has any (a repeated ADD), else one
  // new address from each CIDR, all in one transaction. FailedPrecondition when a CIDR is full.
  StatusOr<std::vector<Allocation>> Allocate(const std::string& container_id,
                                             const std::string& ifname, const std::string& netns,
                                             const std::vector<model::Cidr>& cidrs);
  // Releases every address of the attachment; Ok when it had none.
  Status Release(const std::string& container_id, const std::string& ifname);
  StatusOr<std::vector<Allocation>> Find(const std::string& container_id, const std::string& ifname);
  StatusOr<std::vector<Allocation>> All();

 private:
  explicit IpamStore(adapters::sqlite::Db db) : db_(std::move(db)) {}
  StatusOr<std::vector<Allocation>> Query(std::string_view where, const std::string& a,
                                          const std::string& b);
  adapters::sqlite::Db db_;
};

}  // namespace egret::agent
