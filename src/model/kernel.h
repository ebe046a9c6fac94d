// Kernel objects as values: what the agent's core plans and the netlink adapter programs.
// Every object Egret creates carries its tag (docs/design/architecture.md, "ownership"):
// routes have protocol kRouteProtocol, rules a priority in [kRulePriorityMin, kRulePriorityMax],
// links a name starting with kLinkPrefix. Only tagged objects are ever changed or deleted.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>

#include "model/net.h"

namespace egret::model {

inline constexpr uint8_t kRouteProtocol = 147;  // RTPROT value owned by Egret
inline constexpr uint32_t kRulePriorityMin = 10000;
inline constexpr uint32_t kRulePriorityMax = 10999;
inline constexpr std::string_view kLinkPrefix = "egret";

using MacAddress = std::array<uint8_t, 6>;
std::string MacToString(const MacAddress& mac);
std::optional<MacAddress> ParseMac(std::string_view text);

// An address on an interface: 10.244.1.1/24.
struct InterfaceAddress {
  IpAddress ip;
  int prefix_len = 0;
  friend auto operator<=>(const InterfaceAddress&, const InterfaceAddress&) = default;
};

struct Link {
  enum class Kind { kOther, kVeth, kBridge, kVxlan };
  std::string name;
  int index = 0;  // filled in by the kernel / adapter
  Kind kind = Kind::kOther;
  std::optional<MacAddress> mac;
  int mtu = 0;  // 0 = kernel default
  bool up = false;
  std::string master;  // bridge the link is enslaved to, "" = none
  // VXLAN only.
  uint32_t vxlan_id = 0;
  uint16_t vxlan_port = 4789;
  std::optional<IpAddress> vxlan_local;
  std::string vxlan_underlay;  // underlay device name ("" = route lookup)
  bool vxlan_learning = false;
};

struct Route {
  Cidr dst;
  std::optional<IpAddress> gateway;
  std::string device;  // output interface name ("" = resolved from gateway)
  uint32_t table = 254;  // main
  uint8_t protocol = kRouteProtocol;
  enum class Scope : uint8_t { kUniverse = 0, kLink = 253, kHost = 254 } scope = Scope::kUniverse;
  bool onlink = false;
  uint32_t metric = 0;
  std::optional<IpAddress> preferred_source;
  friend bool operator==(const Route&, const Route&) = default;
};

struct Rule {
  Family family = Family::kV4;
  uint32_t priority = kRulePriorityMin;
  std::optional<uint32_t> fwmark;
  uint32_t fwmask = 0xffffffff;
  std::optional<Cidr> from;
  std::optional<Cidr> to;
  // Input interface; "lo" matches packets this host originates (not forwarded ones).
  std::string iif;
  uint32_t table = 254;
  friend bool operator==(const Rule&, const Rule&) = default;
};

// A neighbour entry, or (bridge = true) a forwarding-database entry of a VXLAN device:
// "frames for `mac` go to underlay address `ip`".
struct Neighbor {
  std::string device;
  std::optional<IpAddress> ip;
  MacAddress mac{};
  bool fdb = false;
  bool permanent = true;
  friend bool operator==(const Neighbor&, const Neighbor&) = default;
};

}  // namespace egret::model
