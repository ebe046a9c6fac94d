// The fixed plan of an `egret lab`: what its network namespaces are called and which addresses
// its underlay, nodes, external hosts and egress-IP pool use. Pure values, no kernel access,
// so that the whole layout is unit-tested and documented in one place (docs/reference/lab.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "model/kernel.h"
#include "model/net.h"

namespace egret::lab {

enum class IpFamilyMode { kIpv4, kIpv6, kDual };
std::string_view IpFamilyModeName(IpFamilyMode mode);  // "ipv4" | "ipv6" | "dual"
std::optional<IpFamilyMode> ParseIpFamilyMode(std::string_view text);

enum class NetMode { kEncap, kNoEncap };
std::string_view NetModeName(NetMode mode);  // "encap" | "noencap"
std::optional<NetMode> ParseNetMode(std::string_view text);

inline constexpr int kMaxNodes = 64;
inline constexpr int kMaxExternals = 99;
inline constexpr size_t kMaxLabNameLength = 32;
// A network namespace name is a file name under /run/netns.
inline constexpr size_t kMaxNetnsNameLength = 255;
inline constexpr std::string_view kLabRoot = "/run/egret/lab";
inline constexpr std::string_view kDefaultLabName = "egret";
inline constexpr std::string_view kUnderlayBridge = "br0";
inline constexpr std::string_view kHostInterface = "eth0";

// Lab names are DNS labels of at most 32 characters: they prefix namespace names and paths.
Status ValidateLabName(std::string_view name);
// Two labs whose names extend one another with '-' ("a" and "a-x") could claim each other's
// namespaces ("a-x-ul" reads as lab "a"'s external host "ul"), so they may not coexist.
bool LabNamesOverlap(std::string_view a, std::string_view b);

// "n1" for index 1; NodeIndex is its inverse (nullopt for anything else, e.g. "n01", "n0").
std::string NodeName(int index);
std::optional<int> NodeIndex(std::string_view name);

// 16 lower-case hex digits of the 64-bit FNV-1a hash: short, stable ids for long names.
std::string HashHex(std::string_view text);

// Names of the host network namespaces of lab `lab`. All start with "<lab>-".
class LabNames {
 public:
  explicit LabNames(std::string lab) : lab_(std::move(lab)) {}
  const std::string& lab() const { return lab_; }
  std::string Prefix() const { return lab_ + "-"; }
  std::string Underlay() const { return lab_ + "-ul"; }
  std::string ControlPlane() const { return lab_ + "-cp"; }
  std::string Node(std::string_view node) const { return lab_ + "-" + std::string(node); }
  std::string External(std::string_view ext) const { return lab_ + "-x-" + std::string(ext); }
  // "<lab>-p-<ns>.<pod>" ('.' cannot occur in a namespace name, so the split is unambiguous).
  // Names longer than a file name allows are cut and end in "-<HashHex(ns/pod)>".
  std::string Pod(std::string_view ns, std::string_view pod) const;
  // Whether `netns` has the shape of one of this lab's namespaces.
  bool Owns(std::string_view netns) const;

 private:
  std::string lab_;
};

// Filesystem layout of a lab: /run/egret/lab/<lab>/...
struct LabPaths {
  std::string dir;
  static LabPaths For(std::string_view lab);
  std::string State() const { return dir + "/state.json"; }
  std::string Lock() const { return dir + "/lock"; }
  std::string ApiSocket() const { return dir + "/egret.sock"; }
  std::string Store() const { return dir + "/controller.db"; }
  std::string Logs() const { return dir + "/logs"; }
  std::string Log(std::string_view name) const { return Logs() + "/" + std::string(name) + ".log"; }
  std::string NodeDir(std::string_view node) const { return dir + "/nodes/" + std::string(node); }
  std::string AgentSocket(std::string_view node) const { return NodeDir(node) + "/agent.sock"; }
  std::string AgentState(std::string_view node) const { return NodeDir(node) + "/state"; }
};

// The address plan. The underlay carries the families the cluster uses:
//   underlay   172.18.0.0/24, fd00:18::/64; router (bridge br0) .1 / ::1
//   node nK    172.18.0.(10+K), fd00:18::(10+K)      (K = 1..64)
//   external J 172.18.0.(100+J), fd00:18::(100+J)    (J = 1..99)
//   eipPool    172.18.0.200-172.18.0.250, fd00:18::200-fd00:18::250 (left free)
//   cluster    10.244.0.0/16, fd00:10:244::/56; services 10.96.0.0/16, fd00:10:96::/112
// The IPv6 host parts are the IPv4 ones written with the same digits, so n3 is .13 and ::13.
class AddressPlan {
 public:
  explicit AddressPlan(IpFamilyMode mode) : mode_(mode) {}
  IpFamilyMode mode() const { return mode_; }
  std::vector<model::Family> Families() const;

  std::vector<model::Cidr> UnderlayCidrs() const;
  std::vector<model::InterfaceAddress> RouterAddresses() const;
  std::vector<model::IpAddress> RouterIps() const;
  // index is 1-based; the caller keeps it within kMaxNodes / kMaxExternals.
  std::vector<model::InterfaceAddress> NodeAddresses(int index) const;
  std::vector<model::InterfaceAddress> ExternalAddresses(int index) const;
  std::vector<model::IpRange> EipPool() const;
  std::vector<model::Cidr> ClusterCidrs() const;
  std::vector<model::Cidr> ServiceCidrs() const;

 private:
  std::vector<model::InterfaceAddress> HostAddresses(int host) const;
  IpFamilyMode mode_;
};

// "a,b" of CIDRs, as the controller's --cluster-cidr / --service-cidr flags take them.
std::string CidrListText(const std::vector<model::Cidr>& cidrs);

}  // namespace egret::lab
