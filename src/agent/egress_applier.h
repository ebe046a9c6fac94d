// EgressApplier: programs the kernel part of the egress datapath (core/egress/datapath.h) that
// is not nftables: the egress ip rules and route tables, and the EIPs this node holds on its
// underlay device, announced (gratuitous ARP / unsolicited NA) the moment they are added.
// Level-triggered: every call converges the kernel to the given plan, touching only Egret's
// rules (priorities 10000–10999), routes (protocol 147 in the egress tables) and the EIPs it
// added itself (remembered in a state file, so a restarted agent can release them).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "adapters/netlink/rtnl.h"
#include "core/egress/datapath.h"

namespace egret::agent {

class EgressApplier {
 public:
  EgressApplier(netlink::Rtnl* rtnl, std::string underlay_device, std::string held_path);

  // Converges rules, routes and held EIPs (on `underlay_device`) to `dp`. Tries every step and
  // returns the first error. A changed device releases every EIP from the old one first.
  Status Apply(const core::egress::EgressDatapath& dp, const std::string& underlay_device);

  // The EIPs currently held (added by this agent and not yet released).
  const std::set<model::IpAddress>& held() const { return held_; }

 private:
  Status ApplyRules(const std::vector<model::Rule>& want);
  Status ApplyRoutes(const std::vector<model::Route>& want);
  Status ApplyEips(const std::vector<model::IpAddress>& want);
  void SaveHeld();

  netlink::Rtnl* rtnl_;
  std::string device_;
  std::string held_path_;
  std::set<model::IpAddress> held_;
  // The EIPs wanted on the previous pass: one newly wanted is announced even when the address
  // is still on the device (left from before a restart), since neighbours may point elsewhere.
  std::set<model::IpAddress> wanted_;
};

}  // namespace egret::agent
