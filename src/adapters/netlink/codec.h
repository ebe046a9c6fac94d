// rtnetlink requests and replies for Egret's kernel objects (src/model/kernel.h), as pure
// functions: encoders return a request message (sequence number 0, set by the socket),
// decoders read one reply message. The kernel speaks of other links by index, so these
// structs carry indexes where the model has names; Rtnl (rtnl.h) translates.
//
// Decoders accept any bytes: a malformed reply gives Invalid, unknown attributes are ignored.
// Decoders do not filter: callers drop what they do not manage (route types, rule actions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/netlink/message.h"
#include "model/kernel.h"

namespace egret::netlink {

// ---- links (RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK) ----

// A link name the kernel accepts: 1..15 bytes, no '/', ':' or whitespace, not "." or "..".
// Invalid otherwise, saying what is wrong.
Status ValidateLinkName(std::string_view name);

// Options of a VXLAN device that the model does not carry.
struct VxlanOptions {
  // Compute UDP checksums on the outer packet (IPv4: IFLA_VXLAN_UDP_CSUM; IPv6: not
  // IFLA_VXLAN_UDP_ZERO_CSUM6_TX/RX). Needed when the underlay drops zero-checksum UDP.
  bool udp_csum = true;
};

// A link to create. From `link`: name, kind (veth, bridge or vxlan), mtu (0 = default), mac,
// up, and for VXLAN id, port, local address and learning. `link.master` and
// `link.vxlan_underlay` are given as indexes here.
struct LinkCreate {
  model::Link link;
  int master_index = 0;          // 0 = not enslaved
  int vxlan_underlay_index = 0;  // 0 = the underlay is found by route lookup
  VxlanOptions vxlan;
  std::string veth_peer;     // veth: the peer's name
  int veth_peer_ns_fd = -1;  // veth: namespace file of the peer; -1 = same namespace
  int veth_peer_mtu = 0;     // veth: 0 = same as link.mtu
};
// `flags` are the creation flags: NLM_F_CREATE | NLM_F_EXCL to fail on an existing name.
std::vector<uint8_t> EncodeCreateLink(const LinkCreate& spec, uint16_t flags);

// Changes to an existing link, by index. Unset fields are left alone.
struct LinkChange {
  int index = 0;
  std::optional<bool> up;
  std::optional<int> master_index;  // 0 = release from its master
  std::optional<int> mtu;
  std::optional<model::MacAddress> mac;
  int ns_fd = -1;        // move into the namespace of this file; -1 = stay
  std::string new_name;  // rename; "" = keep
};
std::vector<uint8_t> EncodeChangeLink(const LinkChange& change);
std::vector<uint8_t> EncodeDeleteLink(std::string_view name);
std::vector<uint8_t> EncodeGetLink(std::string_view name);
std::vector<uint8_t> EncodeGetLinkByIndex(int index);
std::vector<uint8_t> EncodeDumpLinks();

// A link as the kernel reports it.
struct LinkInfo {
  model::Link link;       // master and vxlan_underlay empty: see the indexes
  std::string kind_name;  // IFLA_INFO_KIND ("veth", "bridge", "vxlan", "macvlan"...)
  int master_index = 0;
  int peer_index = 0;             // IFLA_LINK (a veth's peer), 0 = none
  bool peer_in_other_ns = false;  // IFLA_LINK_NETNSID present: peer_index is not ours
  int vxlan_underlay_index = 0;
  VxlanOptions vxlan;
};
StatusOr<LinkInfo> DecodeLink(const Message& m);

// ---- addresses (RTM_NEWADDR / RTM_DELADDR / RTM_GETADDR) ----

// Adds or replaces (NLM_F_CREATE | NLM_F_REPLACE) an address. IPv6 addresses get IFA_F_NODAD:
// Egret assigns unique addresses itself and cannot wait seconds for duplicate detection.
// `deprecated`: preferred lifetime 0 (valid forever), so the kernel never picks the address as
// the source of a new connection, while it still accepts traffic to it and SNAT may use it.
std::vector<uint8_t> EncodeAddAddress(int index, const model::InterfaceAddress& a,
                                      bool deprecated = false);
std::vector<uint8_t> EncodeDeleteAddress(int index, const model::InterfaceAddress& a);
std::vector<uint8_t> EncodeDumpAddresses(model::Family family);

struct AddressInfo {
  int index = 0;
  model::InterfaceAddress address;
  uint32_t flags = 0;  // IFA_F_*
  uint8_t scope = 0;   // RT_SCOPE_*
};
StatusOr<AddressInfo> DecodeAddress(const Message& m);

// ---- routes (RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE) ----

// Invalid when the gateway or preferred source is of another family than the destination, or
// the table is 0.
Status ValidateRoute(const model::Route& r);
// Creates or replaces (NLM_F_CREATE | NLM_F_REPLACE) a unicast route. Tables above 255 go in
// RTA_TABLE (rtm_table is then RT_TABLE_UNSPEC). `oif_index` 0 = no RTA_OIF.
std::vector<uint8_t> EncodeReplaceRoute(const model::Route& r, int oif_index);
// Deletes the route matching dst, table, protocol (only our own, when set), and the gateway,
// device and metric when given.
std::vector<uint8_t> EncodeDeleteRoute(const model::Route& r, int oif_index);
std::vector<uint8_t> EncodeDumpRoutes(model::Family family);

struct RouteInfo {
  model::Route route;  // device empty: see oif_index
  int oif_index = 0;
  uint8_t type = 0;        // RTN_* (RTN_UNICAST for ordinary routes)
  uint32_t flags = 0;      // rtm_flags (RTM_F_CLONED marks cache entries)
  bool multipath = false;  // RTA_MULTIPATH: gateway and device are not represented
};
StatusOr<RouteInfo> DecodeRoute(const Message& m);

// ---- rules (RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE) ----

// Invalid when `from` or `to` is of another family than the rule.
Status ValidateRule(const model::Rule& r);
// Adds a "lookup <table>" rule with NLM_F_CREATE | NLM_F_EXCL: the kernel otherwise adds
// duplicates, so EEXIST means "already there".
std::vector<uint8_t> EncodeAddRule(const model::Rule& r);
std::vector<uint8_t> EncodeDeleteRule(const model::Rule& r);
std::vector<uint8_t> EncodeDumpRules(model::Family family);

struct RuleInfo {
  model::Rule rule;
  uint8_t action = 0;  // FR_ACT_* (FR_ACT_TO_TBL for lookup rules)
};
StatusOr<RuleInfo> DecodeRule(const Message& m);

// ---- neighbours and FDB (RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH) ----

// Invalid when a neighbour (not FDB) entry has no IP address.
Status ValidateNeighbor(const model::Neighbor& n);
// Creates or replaces a neighbour (family of n.ip) or, when n.fdb, an AF_BRIDGE FDB entry of
// the device itself (NTF_SELF) with NDA_DST = n.ip, as a VXLAN device needs. An FDB entry with
// the all-zero MAC (flooding) may have several destinations: it is appended
// (NLM_F_CREATE | NLM_F_APPEND), so EEXIST means "already there".
std::vector<uint8_t> EncodeReplaceNeighbor(const model::Neighbor& n, int index);
std::vector<uint8_t> EncodeDeleteNeighbor(const model::Neighbor& n, int index);
std::vector<uint8_t> EncodeDumpNeighbors(bool fdb);

struct NeighborInfo {
  model::Neighbor neighbor;  // device empty: see index
  int index = 0;
  uint16_t state = 0;    // NUD_*
  uint8_t flags = 0;     // NTF_*
  int master_index = 0;  // FDB entries of a bridge port: the bridge (NDA_MASTER)
};
StatusOr<NeighborInfo> DecodeNeighbor(const Message& m);

// True when the MAC is all zeros (a VXLAN flooding entry).
bool IsZeroMac(const model::MacAddress& mac);

}  // namespace egret::netlink
