// AddressAllocator: picks pod addresses inside one node's pod CIDR. Pure: the caller owns the
// allocation state (the set of addresses in use and the last address handed out) and persists
// it; this class only decides.
//
// Addresses are handed out round-robin from the last allocated one, so an address released by
// a deleted pod is reused only after the rest of the CIDR has been used: connections and
// caches that still name the old pod do not reach a new one by accident.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "common/status.h"
#include "model/net.h"

namespace egret::core::ipam {

class AddressAllocator {
 public:
  // Ok for an IPv4 CIDR of /30 or shorter and an IPv6 CIDR of /126 or shorter (longer ones
  // hold no address besides the reserved ones); Invalid otherwise.
  static StatusOr<AddressAllocator> Create(const model::Cidr& pod_cidr);

  const model::Cidr& cidr() const { return cidr_; }
  // The first host address: the node side of every pod's default route.
  model::IpAddress gateway() const { return FromOffset(1); }
  // The addresses never handed out: the network address, the gateway and, for IPv4, the
  // broadcast address.
  std::vector<model::IpAddress> Reserved() const;
  bool IsReserved(const model::IpAddress& ip) const;
  // How many addresses can be handed out (saturating at UINT64_MAX). For an IPv6 CIDR with
  // more than 64 host bits only the first 2^64 addresses are used: no node runs that many pods.
  uint64_t Capacity() const;

  // The next free address after `last` (round-robin, wrapping to the start of the CIDR),
  // skipping reserved addresses and those in `allocated` (addresses outside the CIDR are
  // ignored). Without `last`, or with one outside the CIDR, the search starts at the first
  // usable address. FailedPrecondition, naming the CIDR, when every address is taken.
  StatusOr<model::IpAddress> Next(const std::set<model::IpAddress>& allocated,
                                  const std::optional<model::IpAddress>& last) const;

  // Ok when `ip` may be handed out: inside the CIDR, not reserved, not in `allocated`.
  // Invalid (outside, reserved) or AlreadyExists (in use) saying why. For requests of a
  // specific address and for adopting state found after a restart.
  Status CheckAvailable(const model::IpAddress& ip,
                        const std::set<model::IpAddress>& allocated) const;

 private:
  explicit AddressAllocator(const model::Cidr& cidr);
  // Offsets count host addresses from the network address, over the pool's bits.
  std::optional<uint64_t> OffsetOf(const model::IpAddress& ip) const;
  model::IpAddress FromOffset(uint64_t offset) const;
  uint64_t first_usable() const { return 2; }
  uint64_t last_usable() const { return cidr_.address().is_v4() ? last_offset_ - 1 : last_offset_; }

  model::Cidr cidr_;
  int pool_bits_;         // host bits in use: min(host bits, 64)
  uint64_t last_offset_;  // the pool's last offset (the broadcast address for IPv4)
};

}  // namespace egret::core::ipam
