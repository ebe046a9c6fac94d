// The node's pod network as a pure function: from this node and its peers (names, underlay
// addresses, pod CIDRs) to the kernel objects that connect pods across nodes, and from desired
// and observed kernel state to an ordered plan of operations. The agent's adapters apply the
// plan; nothing here touches the kernel (docs/design/datapath.md).
//
// encap:    one VXLAN device (`egret.vxlan`). For each peer: an FDB entry "peer's VXLAN MAC →
//           peer's underlay address", a permanent neighbour "peer's pod gateway → peer's VXLAN
//           MAC", and a route to the peer's pod CIDR via its pod gateway, onlink, through the
//           VXLAN device. The MAC is derived from the peer's underlay address, so no
//           coordination is needed.
// noencap:  a route to each peer's pod CIDR via the peer's underlay address (one L2 segment).
// Both:     the bridge `egret0` holds this node's pod gateways (first address of each pod CIDR).
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/kernel.h"
#include "model/net.h"

namespace egret::core::netplan {

inline constexpr std::string_view kBridge = "egret0";
inline constexpr std::string_view kVxlan = "egret.vxlan";
inline constexpr uint32_t kIpv6DefaultMetric = 1024;

enum class Mode { kEncap, kNoEncap };

struct NodeNet {
  std::string name;
  std::vector<model::IpAddress> underlay;  // the node's InternalIP addresses
  std::vector<model::Cidr> pod_cidrs;
};

struct NetConfig {
  Mode mode = Mode::kEncap;
  std::string underlay_device = "eth0";
  int underlay_mtu = 1500;
  uint32_t vni = 1;
  uint16_t vxlan_port = 4789;
};

struct AddressOn {
  std::string device;
  model::InterfaceAddress address;
  friend auto operator<=>(const AddressOn&, const AddressOn&) = default;
};

struct NodeState {
  std::vector<model::Link> links;        // only Egret's (name prefix "egret")
  std::vector<AddressOn> addresses;      // on Egret's links
  std::vector<model::Route> routes;      // protocol kRouteProtocol
  std::vector<model::Neighbor> neighbors;  // on Egret's links
};

// The first host address of a pod CIDR: the pods' default gateway on this node.
model::IpAddress PodGateway(const model::Cidr& pod_cidr);
// A locally administered, unicast MAC derived from an underlay address.
model::MacAddress VxlanMac(const model::IpAddress& underlay);
// MTU of pod interfaces: the underlay's minus the VXLAN overhead in encap mode.
int PodMtu(const NetConfig& cfg, model::Family underlay_family);

// The underlay address a node uses for tunnels: the first of the family all nodes share,
// preferring IPv4. Empty when self has none.
std::optional<model::IpAddress> TunnelAddress(const NodeNet& node, model::Family family);
model::Family TunnelFamily(const NodeNet& self);

NodeState Desired(const NetConfig& cfg, const NodeNet& self, const std::vector<NodeNet>& peers);

// One step of a plan, applied in order.
struct CreateLink { model::Link link; };
struct DeleteLink { std::string name; };
struct SetLinkUp { std::string name; };
struct AddAddress { AddressOn address; };
struct DeleteAddress { AddressOn address; };
struct ReplaceNeighbor { model::Neighbor neighbor; };
struct DeleteNeighbor { model::Neighbor neighbor; };
struct ReplaceRoute { model::Route route; };
struct DeleteRoute { model::Route route; };
using Op = std::variant<CreateLink, DeleteLink, SetLinkUp, AddAddress, DeleteAddress,
                        ReplaceNeighbor, DeleteNeighbor, ReplaceRoute, DeleteRoute>;

// The operations that turn `observed` into `desired`: links first (a changed VXLAN link is
// recreated), then addresses, neighbours, routes to add/replace, and deletions last, so that
// traffic keeps flowing while the plan runs. Objects not in `observed` are never deleted, and
// an empty plan means converged.
std::vector<Op> Diff(const NodeState& desired, const NodeState& observed);
std::string Describe(const Op& op);  // "replace route 10.244.2.0/24 via 10.244.2.1 dev egret.vxlan"

}  // namespace egret::core::netplan
