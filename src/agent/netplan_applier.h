// NetplanApplier: the adapter between the pure network plan (core/netplan) and the kernel.
// Observe() reads back only what the plan manages — the links egret0 and egret.vxlan, their
// addresses and neighbours, and routes of Egret's protocol in the main table — so foreign
// objects are never part of a diff and never touched. Apply() runs a plan in order.
#pragma once

#include <vector>

#include "adapters/netlink/rtnl.h"
#include "core/netplan/netplan.h"

namespace egret::agent {

class NetplanApplier {
 public:
  explicit NetplanApplier(netlink::Rtnl* rtnl) : rtnl_(rtnl) {}

  StatusOr<core::netplan::NodeState> Observe();
  // Applies the operations in order and stops at the first failure (the next reconcile starts
  // again from what is observed then). Every applied operation is logged.
  Status Apply(const std::vector<core::netplan::Op>& plan);

 private:
  Status ApplyOne(const core::netplan::Op& op);
  netlink::Rtnl* rtnl_;
};

}  // namespace egret::agent
