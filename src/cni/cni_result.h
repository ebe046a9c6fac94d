// The CNI result (interfaces, IP configs, routes, DNS) as a value, its decoding from any
// supported spec version (a prevResult, an agent reply) and its encoding in a chosen version:
//   0.4.0  ips carry "version": "4"|"6"; no 1.1 fields
//   1.0.0  no "version"; no 1.1 fields
//   1.1.0  interfaces add mtu, socketPath, pciID; routes add mtu, advmss, priority, table, scope
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/value.h"
#include "model/field_errors.h"
#include "model/net.h"

namespace egret::cni {

struct CniInterface {
  std::string name;
  std::string mac;          // lower-case "0a:58:..."; empty when L2 addresses mean nothing
  std::optional<int> mtu;   // 1.1.0
  std::string sandbox;      // the netns path for a container interface; empty for a host one
  std::string socket_path;  // 1.1.0
  std::string pci_id;       // 1.1.0
  friend bool operator==(const CniInterface&, const CniInterface&) = default;
};

struct CniIpConfig {
  model::IpAddress address;  // the interface's address ...
  int prefix_len = 0;        // ... and the prefix of its subnet ("10.244.1.5/24")
  std::optional<model::IpAddress> gateway;
  std::optional<int> interface;  // index into CniResult::interfaces
  friend bool operator==(const CniIpConfig&, const CniIpConfig&) = default;
};

struct CniRoute {
  model::Cidr dst;
  std::optional<model::IpAddress> gw;
  std::optional<int> mtu;           // 1.1.0
  std::optional<int> advmss;        // 1.1.0
  std::optional<int64_t> priority;  // 1.1.0
  std::optional<int64_t> table;     // 1.1.0
  std::optional<int> scope;         // 1.1.0
  friend bool operator==(const CniRoute&, const CniRoute&) = default;
};

struct CniDns {
  std::vector<std::string> nameservers;  // canonical IP text
  std::string domain;
  std::vector<std::string> search;
  std::vector<std::string> options;
  friend bool operator==(const CniDns&, const CniDns&) = default;
};

struct CniResult {
  std::vector<CniInterface> interfaces;
  std::vector<CniIpConfig> ips;
  std::vector<CniRoute> routes;
  CniDns dns;
  friend bool operator==(const CniResult&, const CniResult&) = default;
};

// Decodes a result in any supported version's shape; `v` is the result object, errors are
// added below `path` ("prevResult"). Fields the spec does not define are ignored (a chained
// plugin may add its own), but every defined field is checked: addresses, CIDRs, interface
// indexes, an ips[].version that contradicts the address, a gateway of the wrong family.
CniResult DecodeCniResult(const doc::Value& v, const std::string& path, model::FieldErrors* errs);

// The result document for spec `version` (one of kSupportedVersions), "cniVersion" first.
// Fields the version does not define are left out; so are empty lists and unset options.
doc::Value EncodeCniResult(const CniResult& r, std::string_view version);

}  // namespace egret::cni
