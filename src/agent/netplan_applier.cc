#include "agent/netplan_applier.h"

#include "common/log.h"

namespace egret::agent {
namespace {

namespace np = core::netplan;

bool Managed(const std::string& name) { return name == np::kBridge || name == np::kVxlan; }

}  // namespace

StatusOr<np::NodeState> NetplanApplier::Observe() {
  np::NodeState s;
  ASSIGN_OR_RETURN(std::vector<model::Link> links, rtnl_->ListLinks());
  for (model::Link& l : links) {
    if (Managed(l.name)) s.links.push_back(std::move(l));
  }
  for (const model::Link& l : s.links) {
    ASSIGN_OR_RETURN(auto addrs, rtnl_->ListAddresses(l.name));
    for (const netlink::DeviceAddress& a : addrs) s.addresses.push_back({a.device, a.address});
    if (l.name != np::kVxlan) continue;
    for (bool fdb : {false, true}) {
      ASSIGN_OR_RETURN(auto neigh, rtnl_->ListNeighbors(l.name, fdb));
      for (model::Neighbor& n : neigh) {
        if (n.permanent) s.neighbors.push_back(std::move(n));
      }
    }
  }
  for (model::Family f : {model::Family::kV4, model::Family::kV6}) {
    ASSIGN_OR_RETURN(auto routes,
                     rtnl_->ListRoutes(f, {.table = 254, .protocol = model::kRouteProtocol}));
    for (model::Route& r : routes) s.routes.push_back(std::move(r));
  }
  return s;
}

Status NetplanApplier::ApplyOne(const np::Op& op) {
  if (auto* o = std::get_if<np::CreateLink>(&op)) {
    if (o->link.kind == model::Link::Kind::kVxlan) return rtnl_->CreateVxlan(o->link);
    RETURN_IF_ERROR(rtnl_->CreateBridge(o->link.name, o->link.mtu));
    return rtnl_->SetLinkUp(o->link.name, true);
  }
  if (auto* o = std::get_if<np::DeleteLink>(&op)) return IgnoreNotFound(rtnl_->DeleteLink(o->name));
  if (auto* o = std::get_if<np::SetLinkUp>(&op)) return rtnl_->SetLinkUp(o->name, true);
  if (auto* o = std::get_if<np::AddAddress>(&op)) {
    return rtnl_->AddAddress(o->address.device, o->address.address);
  }
  if (auto* o = std::get_if<np::DeleteAddress>(&op)) {
    return IgnoreNotFound(rtnl_->DeleteAddress(o->address.device, o->address.address));
  }
  if (auto* o = std::get_if<np::ReplaceNeighbor>(&op)) return rtnl_->ReplaceNeighbor(o->neighbor);
  if (auto* o = std::get_if<np::DeleteNeighbor>(&op)) {
    return IgnoreNotFound(rtnl_->DeleteNeighbor(o->neighbor));
  }
  if (auto* o = std::get_if<np::ReplaceRoute>(&op)) return rtnl_->ReplaceRoute(o->route);
  if (auto* o = std::get_if<np::DeleteRoute>(&op)) {
    return IgnoreNotFound(rtnl_->DeleteRoute(o->route));
  }
  return InternalError("unknown plan operation");
}

Status NetplanApplier::Apply(const std::vector<np::Op>& plan) {
  for (const np::Op& op : plan) {
    Status st = ApplyOne(op);
    if (!st.ok()) return st.WithContext(np::Describe(op));
    EGRET_LOG(kInfo, "datapath") << np::Describe(op);
  }
  return Status::Ok();
}

}  // namespace egret::agent
