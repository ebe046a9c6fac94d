#include "core/netplan/netplan.h"

#include <algorithm>
#include <map>
#include <set>

namespace egret::core::netplan {
namespace {

using model::Cidr;
using model::Family;
using model::IpAddress;

bool IsLinkLocal(const IpAddress& ip) {
  return !ip.is_v4() && ip.bytes()[0] == 0xfe && (ip.bytes()[1] & 0xc0) == 0x80;
}

std::optional<IpAddress> OwnGateway(const NodeNet& self, Family f) {
  for (const Cidr& c : self.pod_cidrs) {
    if (c.family() == f) return PodGateway(c);
  }
  return std::nullopt;
}

void AddPeer(const NetConfig& cfg, const NodeNet& self, const NodeNet& peer, Family tunnel_family,
             NodeState* out) {
  std::optional<IpAddress> peer_tunnel = TunnelAddress(peer, tunnel_family);
  for (const Cidr& cidr : peer.pod_cidrs) {
    model::Route r;
    r.dst = cidr;
    // The kernel stores IPv6 routes added without a metric as 1024: say so, or every
    // reconcile would see a difference.
    r.metric = cidr.family() == Family::kV6 ? kIpv6DefaultMetric : 0;
    if (cfg.mode == Mode::kEncap) {
      if (!peer_tunnel) continue;
      r.gateway = PodGateway(cidr);
      r.device = std::string(kVxlan);
      r.onlink = true;
      r.preferred_source = OwnGateway(self, cidr.family());
      out->neighbors.push_back({std::string(kVxlan), PodGateway(cidr), VxlanMac(*peer_tunnel),
                                /*fdb=*/false, /*permanent=*/true});
    } else {
      // Routed mode needs an underlay address of the pod CIDR's family on the peer.
      std::optional<IpAddress> via = TunnelAddress(peer, cidr.family());
      if (!via) continue;
      r.gateway = via;
      r.device = cfg.underlay_device;
    }
    out->routes.push_back(std::move(r));
  }
  if (cfg.mode == Mode::kEncap && peer_tunnel && !peer.pod_cidrs.empty()) {
    out->neighbors.push_back({std::string(kVxlan), *peer_tunnel, VxlanMac(*peer_tunnel),
                              /*fdb=*/true, /*permanent=*/true});
  }
}

bool SameLink(const model::Link& a, const model::Link& b) {
  if (a.kind != b.kind) return false;
  if (a.kind != model::Link::Kind::kVxlan) return true;
  return a.vxlan_id == b.vxlan_id && a.vxlan_port == b.vxlan_port &&
         a.vxlan_local == b.vxlan_local && a.mac == b.mac &&
         (a.mtu == 0 || b.mtu == 0 || a.mtu == b.mtu);
}

struct RouteKey {
  uint32_t table;
  Cidr dst;
  auto operator<=>(const RouteKey&) const = default;
};

std::string NeighborText(const model::Neighbor& n) {
  std::string s = n.fdb ? "fdb " : "neighbor ";
  if (n.fdb) {
    s += model::MacToString(n.mac) + " dst " + (n.ip ? n.ip->ToString() : "?");
  } else {
    s += (n.ip ? n.ip->ToString() : "?") + " lladdr " + model::MacToString(n.mac);
  }
  return s + " dev " + n.device;
}

std::string RouteText(const model::Route& r) {
  std::string s = r.dst.ToString();
  if (r.gateway) s += " via " + r.gateway->ToString();
  if (!r.device.empty()) s += " dev " + r.device;
  if (r.onlink) s += " onlink";
  if (r.table != 254) s += " table " + std::to_string(r.table);
  return s;
}

}  // namespace

IpAddress PodGateway(const Cidr& pod_cidr) { return pod_cidr.address().Plus(1); }

model::MacAddress VxlanMac(const IpAddress& underlay) {
  const auto& b = underlay.bytes();
  size_t off = underlay.is_v4() ? 0 : 12;
  return {0x0a, static_cast<uint8_t>(underlay.is_v4() ? 0x58 : 0x59), b[off], b[off + 1],
          b[off + 2], b[off + 3]};
}

int PodMtu(const NetConfig& cfg, Family underlay_family) {
  if (cfg.mode == Mode::kNoEncap) return cfg.underlay_mtu;
  return cfg.underlay_mtu - (underlay_family == Family::kV4 ? 50 : 70);
}

std::optional<IpAddress> TunnelAddress(const NodeNet& node, Family family) {
  for (const IpAddress& ip : node.underlay) {
    if (ip.family() == family) return ip;
  }
  return std::nullopt;
}

Family TunnelFamily(const NodeNet& self) {
  return TunnelAddress(self, Family::kV4) ? Family::kV4 : Family::kV6;
}

NodeState Desired(const NetConfig& cfg, const NodeNet& self, const std::vector<NodeNet>& peers) {
  NodeState out;
  model::Link bridge;
  bridge.name = std::string(kBridge);
  bridge.kind = model::Link::Kind::kBridge;
  bridge.up = true;
  out.links.push_back(bridge);
  for (const Cidr& c : self.pod_cidrs) {
    out.addresses.push_back({std::string(kBridge), {PodGateway(c), c.prefix_len()}});
  }
  Family tunnel_family = TunnelFamily(self);
  std::optional<IpAddress> local = TunnelAddress(self, tunnel_family);
  if (cfg.mode == Mode::kEncap && local) {
    model::Link vx;
    vx.name = std::string(kVxlan);
    vx.kind = model::Link::Kind::kVxlan;
    vx.up = true;
    vx.vxlan_id = cfg.vni;
    vx.vxlan_port = cfg.vxlan_port;
    vx.vxlan_local = local;
    vx.vxlan_underlay = cfg.underlay_device;
    vx.mac = VxlanMac(*local);
    vx.mtu = PodMtu(cfg, tunnel_family);
    out.links.push_back(vx);
    // An IPv4 address on the tunnel device, so that loose reverse-path filtering accepts
    // replies of egress traffic arriving through it from external sources: the kernel rejects
    // every source on a device without an IPv4 address when rp_filter is on.
    if (std::optional<IpAddress> gw = OwnGateway(self, Family::kV4)) {
      out.addresses.push_back({std::string(kVxlan), {*gw, 32}});
    }
  }
  for (const NodeNet& peer : peers) {
    if (peer.name == self.name) continue;
    AddPeer(cfg, self, peer, tunnel_family, &out);
  }
  return out;
}

std::vector<Op> Diff(const NodeState& desired, const NodeState& observed) {
  std::vector<Op> creates, updates, deletes;
  std::set<std::string> recreated, desired_links;
  for (const model::Link& want : desired.links) {
    desired_links.insert(want.name);
    auto have = std::find_if(observed.links.begin(), observed.links.end(),
                             [&](const model::Link& l) { return l.name == want.name; });
    if (have != observed.links.end() && !SameLink(want, *have)) {
      creates.push_back(DeleteLink{want.name});
      recreated.insert(want.name);
      have = observed.links.end();
    }
    if (have == observed.links.end()) {
      creates.push_back(CreateLink{want});
    } else if (want.up && !have->up) {
      creates.push_back(SetLinkUp{want.name});
    }
  }
  auto gone = [&](const std::string& device) { return recreated.contains(device); };

  std::set<AddressOn> have_addrs;
  for (const AddressOn& a : observed.addresses) {
    if (!gone(a.device) && !IsLinkLocal(a.address.ip)) have_addrs.insert(a);
  }
  std::set<AddressOn> want_addrs(desired.addresses.begin(), desired.addresses.end());
  for (const AddressOn& a : want_addrs) {
    if (!have_addrs.contains(a)) updates.push_back(AddAddress{a});
  }
  for (const AddressOn& a : have_addrs) {
    if (!want_addrs.contains(a) && desired_links.contains(a.device)) {
      deletes.push_back(DeleteAddress{a});
    }
  }

  auto neighbor_in = [](const std::vector<model::Neighbor>& list, const model::Neighbor& n) {
    return std::find(list.begin(), list.end(), n) != list.end();
  };
  std::vector<model::Neighbor> have_neigh;
  for (const model::Neighbor& n : observed.neighbors) {
    if (!gone(n.device)) have_neigh.push_back(n);
  }
  for (const model::Neighbor& n : desired.neighbors) {
    if (!neighbor_in(have_neigh, n)) updates.push_back(ReplaceNeighbor{n});
  }

  std::map<RouteKey, const model::Route*> have_routes, want_routes;
  for (const model::Route& r : observed.routes) {
    if (!gone(r.device)) have_routes[{r.table, r.dst}] = &r;
  }
  for (const model::Route& r : desired.routes) want_routes[{r.table, r.dst}] = &r;
  for (const auto& [key, r] : want_routes) {
    auto it = have_routes.find(key);
    if (it == have_routes.end() || !(*it->second == *r)) updates.push_back(ReplaceRoute{*r});
  }
  for (const auto& [key, r] : have_routes) {
    if (!want_routes.contains(key)) deletes.push_back(DeleteRoute{*r});
  }
  for (const model::Neighbor& n : have_neigh) {
    if (!neighbor_in(desired.neighbors, n)) deletes.push_back(DeleteNeighbor{n});
  }
  for (const model::Link& l : observed.links) {
    if (!desired_links.contains(l.name)) deletes.push_back(DeleteLink{l.name});
  }

  std::vector<Op> plan = std::move(creates);
  plan.insert(plan.end(), updates.begin(), updates.end());
  plan.insert(plan.end(), deletes.begin(), deletes.end());
  return plan;
}

std::string Describe(const Op& op) {
  struct Visitor {
    std::string operator()(const CreateLink& o) const { return "create link " + o.link.name; }
    std::string operator()(const DeleteLink& o) const { return "delete link " + o.name; }
    std::string operator()(const SetLinkUp& o) const { return "set link " + o.name + " up"; }
    std::string operator()(const AddAddress& o) const {
      return "add address " + o.address.address.ip.ToString() + "/" +
             std::to_string(o.address.address.prefix_len) + " dev " + o.address.device;
    }
    std::string operator()(const DeleteAddress& o) const {
      return "delete address " + o.address.address.ip.ToString() + "/" +
             std::to_string(o.address.address.prefix_len) + " dev " + o.address.device;
    }
    std::string operator()(const ReplaceNeighbor& o) const {
      return "replace " + NeighborText(o.neighbor);
    }
    std::string operator()(const DeleteNeighbor& o) const {
      return "delete " + NeighborText(o.neighbor);
    }
    std::string operator()(const ReplaceRoute& o) const { return "replace route " + RouteText(o.route); }
    std::string operator()(const DeleteRoute& o) const { return "delete route " + RouteText(o.route); }
  };
  return std::visit(Visitor{}, op);
}

}  // namespace egret::core::netplan
