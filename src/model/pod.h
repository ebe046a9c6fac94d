// core/v1 Pod: the fields Egret consumes. Pods are written by the orchestrator (Kubernetes, or
// `egret lab`); Egret reads where a pod runs, its addresses, and the named ports Services refer
// to. Every other Pod field is rejected as unknown so that nothing is silently ignored.
#pragma once

#include <array>
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

struct ContainerPort {
  std::string name;  // IANA service name; empty when unnamed
  int container_port = 0;
  Protocol protocol = Protocol::kTCP;
  // Defaults to container_port on host-network pods, as upstream.
  std::optional<int> host_port;
  friend bool operator==(const ContainerPort&, const ContainerPort&) = default;
};

struct Container {
  std::string name;   // DNS label, unique within the pod
  std::string image;  // optional: Egret does not run images
  std::vector<ContainerPort> ports;
  friend bool operator==(const Container&, const Container&) = default;
};

struct PodSpec {
  std::string node_name;  // empty until scheduled
  bool host_network = false;
  std::vector<Container> containers;  // at least one
  friend bool operator==(const PodSpec&, const PodSpec&) = default;
};

enum class PodPhase { kPending, kRunning, kSucceeded, kFailed, kUnknown };
inline constexpr std::array<std::string_view, 5> kPodPhaseNames = {
    "Pending", "Running", "Succeeded", "Failed", "Unknown"};
constexpr std::string_view PodPhaseName(PodPhase p) {
  return kPodPhaseNames[static_cast<size_t>(p)];
}

struct PodStatus {
  std::optional<PodPhase> phase;
  std::optional<IpAddress> host_ip;
  // status.podIPs; at most one per family. status.podIP is always pod_ips[0].
  std::vector<IpAddress> pod_ips;
  friend bool operator==(const PodStatus&, const PodStatus&) = default;
};

struct Pod {
  ObjectMeta metadata;
  PodSpec spec;
  PodStatus status;
  friend bool operator==(const Pod&, const Pod&) = default;
};

// Strict decode plus single-object validation; every problem is added to `errs`.
Pod DecodePod(const doc::Value& v, FieldErrors* errs);
// Canonical document: defaults written out (protocol, host-network hostPort), podIP derived
// from podIPs, IP addresses in canonical text.
doc::Value EncodePod(const Pod& pod);

// The container port a Service's named targetPort refers to: the port called `name` with
// protocol `protocol` in any container. nullopt when the pod has no such port.
std::optional<int> ResolveNamedPort(const Pod& pod, std::string_view name, Protocol protocol);

}  // namespace egret::model
