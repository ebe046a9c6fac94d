// core/v1 Service: the fields Egret's service datapath implements (ClusterIP, NodePort,
// LoadBalancer ingress addresses, ExternalName, headless). Every other Service field is rejected
// as unknown, so a user never relies on a field that Egret would silently ignore.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "doc/value.h"
#include "model/field_errors.h"
#include "model/meta.h"
#include "model/net.h"
#include "model/protocol.h"

namespace egret::model {

enum class ServiceType { kClusterIP, kNodePort, kLoadBalancer, kExternalName };
inline constexpr std::array<std::string_view, 4> kServiceTypeNames = {
    "ClusterIP", "NodePort", "LoadBalancer", "ExternalName"};

enum class IpFamilyPolicy { kSingleStack, kPreferDualStack, kRequireDualStack };
inline constexpr std::array<std::string_view, 3> kIpFamilyPolicyNames = {
    "SingleStack", "PreferDualStack", "RequireDualStack"};

enum class SessionAffinity { kNone, kClientIP };
inline constexpr std::array<std::string_view, 2> kSessionAffinityNames = {"None", "ClientIP"};

enum class TrafficPolicy { kCluster, kLocal };
inline constexpr std::array<std::string_view, 2> kTrafficPolicyNames = {"Cluster", "Local"};

// A port of the backing pods: a number, or the name of a container port (see ResolveNamedPort).
struct TargetPort {
  int number = 0;    // used when name is empty
  std::string name;  // IANA service name
  friend bool operator==(const TargetPort&, const TargetPort&) = default;
};

struct ServicePort {
  std::string name;  // DNS label; required when the service has several ports
  Protocol protocol = Protocol::kTCP;
  int port = 0;
  TargetPort target_port;        // defaults to {port}
  std::optional<int> node_port;  // NodePort and LoadBalancer only; unset until allocated
  friend bool operator==(const ServicePort&, const ServicePort&) = default;
};

struct ServiceSpec {
  ServiceType type = ServiceType::kClusterIP;
  std::map<std::string, std::string> selector;
  bool headless = false;  // clusterIP: None
  // spec.clusterIPs: empty when headless or not yet allocated; at most one per family.
  // spec.clusterIP is always cluster_ips[0] (or "None").
  std::vector<IpAddress> cluster_ips;
  std::vector<Family> ip_families;  // filled from cluster_ips when not given
  // Unset only for ExternalName; otherwise defaults to SingleStack, or RequireDualStack when
  // two families are given.
  std::optional<IpFamilyPolicy> ip_family_policy;
  std::vector<ServicePort> ports;
  SessionAffinity session_affinity = SessionAffinity::kNone;
  // Set (default Cluster) exactly for NodePort and LoadBalancer services.
  std::optional<TrafficPolicy> external_traffic_policy;
  // Set (default Cluster) for every type but ExternalName.
  std::optional<TrafficPolicy> internal_traffic_policy;
  std::string external_name;  // ExternalName only: the DNS name clients are sent to
  friend bool operator==(const ServiceSpec&, const ServiceSpec&) = default;
};

struct LoadBalancerIngress {
  std::optional<IpAddress> ip;
  std::string hostname;
  friend bool operator==(const LoadBalancerIngress&, const LoadBalancerIngress&) = default;
};

struct ServiceStatus {
  std::vector<LoadBalancerIngress> load_balancer_ingress;  // status.loadBalancer.ingress
  friend bool operator==(const ServiceStatus&, const ServiceStatus&) = default;
};

struct Service {
  ObjectMeta metadata;
  ServiceSpec spec;
  ServiceStatus status;
  friend bool operator==(const Service&, const Service&) = default;
};

// Strict decode plus single-object validation; every problem is added to `errs`.
Service DecodeService(const doc::Value& v, FieldErrors* errs);
// Canonical document: every default written out (type, protocol, targetPort, ipFamilies,
// ipFamilyPolicy, sessionAffinity, traffic policies), clusterIP derived from clusterIPs.
doc::Value EncodeService(const Service& svc);

}  // namespace egret::model
