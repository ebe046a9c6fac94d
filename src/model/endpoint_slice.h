// discovery.k8s.io/v1 EndpointSlice: the backends of a Service, as the service datapath consumes
// them. Unlike most kinds its fields sit at the top level (addressType, endpoints, ports), not
// under spec. Every other EndpointSlice field is rejected as unknown.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/value.h"
#include "model/field_errors.h"
#include "model/meta.h"
#include "model/protocol.h"

namespace egret::model {

// The label through which a slice names the Service it belongs to (in its own namespace).
inline constexpr std::string_view kServiceNameLabel = "kubernetes.io/service-name";

enum class AddressType { kIPv4, kIPv6, kFQDN };
inline constexpr std::array<std::string_view, 3> kAddressTypeNames = {"IPv4", "IPv6", "FQDN"};

// Unset conditions mean "unknown"; consumers treat an unknown ready as ready (see IsReady).
struct EndpointConditions {
  std::optional<bool> ready;
  std::optional<bool> serving;
  std::optional<bool> terminating;
  friend bool operator==(const EndpointConditions&, const EndpointConditions&) = default;
};

struct ObjectReference {
  std::string kind;
  std::string namespace_;
  std::string name;
  std::string uid;
  friend bool operator==(const ObjectReference&, const ObjectReference&) = default;
};

struct Endpoint {
  // 1..100 addresses of the slice's address type; IPs in canonical text.
  std::vector<std::string> addresses;
  EndpointConditions conditions;
  std::string node_name;
  std::optional<ObjectReference> target_ref;
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

struct EndpointPort {
  std::string name;  // DNS label or empty; unique within the slice
  Protocol protocol = Protocol::kTCP;
  std::optional<int> port;  // unset: the port is not restricted
  friend bool operator==(const EndpointPort&, const EndpointPort&) = default;
};

struct EndpointSlice {
  ObjectMeta metadata;
  AddressType address_type = AddressType::kIPv4;
  std::vector<Endpoint> endpoints;  // at most 1000
  std::vector<EndpointPort> ports;
  friend bool operator==(const EndpointSlice&, const EndpointSlice&) = default;
};

// Strict decode plus single-object validation; every problem is added to `errs`.
EndpointSlice DecodeEndpointSlice(const doc::Value& v, FieldErrors* errs);
// Canonical document: apiVersion, kind, metadata, addressType, endpoints, ports, with protocol
// defaults written out.
doc::Value EncodeEndpointSlice(const EndpointSlice& slice);

// The Service the slice belongs to (its kubernetes.io/service-name label); "" when unlabelled.
std::string_view ServiceNameOf(const EndpointSlice& slice);

// Whether traffic may be sent to the endpoint: ready, or not saying otherwise.
inline bool IsReady(const Endpoint& e) { return e.conditions.ready.value_or(true); }

}  // namespace egret::model
