// Rtnl: Egret's kernel objects (src/model/kernel.h) programmed over one rtnetlink socket, by
// name. Links are named in the model and indexed in the kernel; Rtnl translates both ways.
//
// Contract of every call:
// - Acts on the namespace the socket was opened in (Open(&ns)); never on another.
// - Changes are idempotent where the kernel allows: addresses, routes and neighbours are
//   create-or-replace (NLM_F_REPLACE); adding a rule or flooding-FDB entry that exists is a
//   success; Create* of an existing link of the same kind and settings is a success.
// - Deletes report NotFound when the object is absent, so a reconciler can tell "gone" from
//   "failed"; callers that only want it gone treat NotFound as success.
// - Errors name the operation and the object in `ip` words, then the kernel's reason and its
//   extended-ack text: "add route 10.244.2.0/24 via 10.0.0.2 dev egret.vxlan: Network is
//   unreachable (Nexthop has invalid gateway)". Codes follow KernelError (message.h).
// - Lists return only what the model can represent (unicast routes, lookup rules) and resolve
//   link indexes to names; a link in another namespace (a veth peer) has no name here.
//
// Not thread-safe (one socket); callers serialise, or open one Rtnl per thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "adapters/netlink/codec.h"
#include "adapters/netlink/socket.h"
#include "adapters/netns/netns.h"
#include "model/kernel.h"

namespace egret::netlink {

// An address with the device it is on (the model's InterfaceAddress has no device).
struct DeviceAddress {
  std::string device;
  model::InterfaceAddress address;
  friend bool operator==(const DeviceAddress&, const DeviceAddress&) = default;
};

struct RouteFilter {
  std::optional<uint32_t> table;    // only routes of this table
  std::optional<uint8_t> protocol;  // only routes of this protocol (model::kRouteProtocol: ours)
};

class Rtnl {
 public:
  // Opens a socket in `ns` (nullptr: the caller's namespace).
  static StatusOr<Rtnl> Open(const netns::NetNs* ns = nullptr);
  explicit Rtnl(NetlinkSocket socket) : socket_(std::move(socket)) {}

  // ---- links ----
  StatusOr<std::vector<model::Link>> ListLinks();
  // NotFound: `link "NAME" not found`.
  StatusOr<model::Link> GetLink(const std::string& name);
  // A veth pair; the peer goes into the namespace of `peer_ns_fd` (-1: this one). AlreadyExists
  // when `name` exists: the kernel cannot change a veth's peer, so the caller decides.
  Status CreateVeth(const std::string& name, const std::string& peer_name, int peer_ns_fd = -1,
                    int mtu = 0);
  // Create-or-update: an existing bridge gets `mtu` (when not 0); another kind is AlreadyExists.
  Status CreateBridge(const std::string& name, int mtu = 0);
  // From `spec`: name, vxlan id, port, local, underlay, learning, and mtu, mac, master, up.
  // An existing VXLAN device with the same id, port, local, underlay, learning and checksum
  // setting is updated (mtu, mac, master, up); one that differs in those is AlreadyExists
  // naming the difference (they cannot change in place: delete and create it).
  Status CreateVxlan(const model::Link& spec, VxlanOptions options = {});
  Status SetLinkUp(const std::string& name, bool up);
  // `master` "" releases the link from its bridge.
  Status SetMaster(const std::string& name, const std::string& master);
  Status SetMtu(const std::string& name, int mtu);
  Status SetMac(const std::string& name, const model::MacAddress& mac);
  // Moves the link into the namespace of `ns_fd`, renamed to `new_name` when not "".
  Status MoveLink(const std::string& name, int ns_fd, const std::string& new_name = "");
  // Deleting one end of a veth pair deletes both. NotFound when absent.
  Status DeleteLink(const std::string& name);

  // ---- addresses ----
  // Addresses of `device` ("" = of every link), IPv4 and IPv6; NotFound for an unknown device.
  StatusOr<std::vector<DeviceAddress>> ListAddresses(const std::string& device = "");
  // `deprecated`: never chosen as a source address (see EncodeAddAddress); for EIPs.
  Status AddAddress(const std::string& device, const model::InterfaceAddress& address,
                    bool deprecated = false);
  Status DeleteAddress(const std::string& device, const model::InterfaceAddress& address);

  // ---- routes ----
  // Unicast routes of `family` (cache entries excluded), filtered.
  StatusOr<std::vector<model::Route>> ListRoutes(model::Family family, RouteFilter filter = {});
  Status ReplaceRoute(const model::Route& route);
  // Deletes the route with route's dst, table, protocol, and gateway/device/metric when set.
  Status DeleteRoute(const model::Route& route);

  // ---- rules ----
  // "lookup <table>" rules of `family` (other actions are left out).
  StatusOr<std::vector<model::Rule>> ListRules(model::Family family);
  Status AddRule(const model::Rule& rule);
  Status DeleteRule(const model::Rule& rule);

  // ---- neighbours and FDB ----
  // Neighbours (fdb = false: IPv4 and IPv6) or FDB entries (fdb = true) of `device`
  // ("" = every link).
  StatusOr<std::vector<model::Neighbor>> ListNeighbors(const std::string& device, bool fdb);
  Status ReplaceNeighbor(const model::Neighbor& neighbor);
  // NotFound when absent; except that the kernel accepts deleting an absent destination of a
  // flooding (all-zero MAC) FDB entry that has other destinations.
  Status DeleteNeighbor(const model::Neighbor& neighbor);

  NetlinkSocket& socket() { return socket_; }

 private:
  StatusOr<LinkInfo> QueryLink(const std::string& name);
  // The index of `name`; errors carry `context` ("add route ...: link "x" not found").
  StatusOr<int> IndexOf(const std::string& name, std::string_view context);
  // IndexOf, or 0 for "" (no link).
  StatusOr<int> IndexOrZero(const std::string& name, std::string_view context);
  StatusOr<std::map<int, std::string>> LinkNames();
  Status ChangeLink(const LinkChange& change, std::string_view context);
  StatusOr<model::Link> ToModel(const LinkInfo& info);

  NetlinkSocket socket_;
};

}  // namespace egret::netlink
