// egret.io/v1 EgressGateway (cluster-scoped): a set of gateway nodes (by label selector) and
// the pools of egress IPs (EIPs) they may SNAT to. Reference: docs/reference/egress.md.
//
// Single-object rules checked here: pool entries parse and belong to their list's family, no
// two entries of one list overlap, a default EIP lies inside its family's pool, and in dual
// stack both pools hold the same number of addresses (EIPs pair up by index). Rules that need
// other objects (pools shared between gateways, one cluster default, addresses in use) live in
// src/core/admission.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "doc/value.h"
#include "model/field_errors.h"
#include "model/meta.h"
#include "model/net.h"

namespace egret::model {

// One entry of an EIP pool: a single address, an inclusive range "a-b" or a CIDR. Encoded in
// canonical text (RFC 5952 for IPv6), keeping the form the user chose.
struct IpPoolEntry {
  IpRange range;
  std::optional<int> prefix_len;  // set when written as a CIDR

  // nullopt on failure; *error (when given) then says why, in words fit for a field error.
  static std::optional<IpPoolEntry> Parse(std::string_view text, std::string* error = nullptr);
  std::string ToString() const;
  friend bool operator==(const IpPoolEntry&, const IpPoolEntry&) = default;
};

// Pool arithmetic. A pool is a list of non-overlapping entries of one family; its addresses
// are numbered in list order, entry by entry (this numbering pairs IPv4 and IPv6 EIPs).
// Indexes are exact for pools of fewer than 2^64 addresses (every pool that can be paired).
uint64_t PoolSize(std::span<const IpPoolEntry> pool);  // saturates at UINT64_MAX
bool PoolContains(std::span<const IpPoolEntry> pool, const IpAddress& ip);
// nullopt when ip is not in the pool / index is past its end.
std::optional<uint64_t> PoolIndexOf(std::span<const IpPoolEntry> pool, const IpAddress& ip);
std::optional<IpAddress> PoolAddressAt(std::span<const IpPoolEntry> pool, uint64_t index);

struct EgressGatewayPools {
  std::vector<IpPoolEntry> ipv4;
  std::vector<IpPoolEntry> ipv6;
  // Absent: the controller picks one (in dual stack, the partner of the other family's default
  // EIP when that is given); the canonical form keeps it absent.
  std::optional<IpAddress> ipv4_default_eip;
  std::optional<IpAddress> ipv6_default_eip;

  const std::vector<IpPoolEntry>& Of(Family f) const { return f == Family::kV4 ? ipv4 : ipv6; }
  friend bool operator==(const EgressGatewayPools&, const EgressGatewayPools&) = default;
};

struct EgressGatewaySpec {
  LabelSelector node_selector;  // spec.nodeSelector.selector: which nodes are gateway nodes
  EgressGatewayPools ippools;
  bool cluster_default = false;  // serves policies that name no gateway (see egress_policy.h)
  friend bool operator==(const EgressGatewaySpec&, const EgressGatewaySpec&) = default;
};

// A reference from an EIP to a policy using it; namespace_ is empty for EgressClusterPolicy.
struct EgressPolicyRef {
  std::string name;
  std::string namespace_;
  friend bool operator==(const EgressPolicyRef&, const EgressPolicyRef&) = default;
};

struct EgressGatewayEip {
  std::optional<IpAddress> ipv4;
  std::optional<IpAddress> ipv6;
  std::vector<EgressPolicyRef> policies;
  friend bool operator==(const EgressGatewayEip&, const EgressGatewayEip&) = default;
};

struct EgressGatewayNodeStatus {
  std::string name;
  bool ready = false;
  std::vector<EgressGatewayEip> eips;
  friend bool operator==(const EgressGatewayNodeStatus&, const EgressGatewayNodeStatus&) = default;
};

// Address counts of the pools. IPv6 pools can exceed int64: counts saturate at INT64_MAX.
struct EgressGatewayIpUsage {
  int64_t ipv4_total = 0;
  int64_t ipv4_free = 0;
  int64_t ipv6_total = 0;
  int64_t ipv6_free = 0;
  friend bool operator==(const EgressGatewayIpUsage&, const EgressGatewayIpUsage&) = default;
};

// Written by the controller only.
struct EgressGatewayStatus {
  std::vector<EgressGatewayNodeStatus> node_list;
  std::optional<EgressGatewayIpUsage> ip_usage;
  friend bool operator==(const EgressGatewayStatus&, const EgressGatewayStatus&) = default;
};

struct EgressGateway {
  ObjectMeta metadata;
  EgressGatewaySpec spec;
  EgressGatewayStatus status;
  friend bool operator==(const EgressGateway&, const EgressGateway&) = default;
};

EgressGateway DecodeEgressGateway(const doc::Value& v, FieldErrors* errs);
doc::Value EncodeEgressGateway(const EgressGateway& gw);

}  // namespace egret::model
