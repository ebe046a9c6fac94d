// PodNetwork: the agent's side of CNI — it plumbs pods into this node's pod network.
//   ADD:   allocates one address per pod CIDR family (IPAM state in sqlite under the state
//          dir, so it survives restarts), creates a veth pair (host side "egret" + a hash of
//          container id and ifname, enslaved to the egret0 bridge; pod side named CNI_IFNAME,
//          created directly in the pod's netns), sets addresses, MTU and a default route via
//          the pod gateway in the pod's netns.
//   DEL:   idempotent: deletes the host veth (the pair goes with it) and releases addresses.
//   CHECK: compares the kernel and IPAM with prevResult.
//   GC:    releases what no valid attachment owns: IPAM records and orphan host veths.
//   STATUS: ready once this node has pod CIDRs and free addresses.
// Thread-safe: requests arrive on several connections at once.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cni/cni_backend.h"
#include "core/netpol/render_nft.h"
#include "model/net.h"

namespace egret::agent {

struct PodNetworkConfig {
  std::string state_dir;       // holds ipam.db
  int pod_mtu = 1450;
  std::string bridge = "egret0";
};

// Policy hooks. ADD records which pod an attachment belongs to (PodBindings) and calls
// `on_add` after allocating its addresses and before the pod's interface exists: the agent
// attaches the pod's policy (or holds the pod as pending) there, so the pod never sends or
// receives a packet unprotected. An error fails the ADD (nothing is left behind). `on_remove`
// runs after DEL and GC, so that the agent drops what it held for the pods that went.
struct PodHooks {
  std::function<Status(const core::netpol::LocalPod&)> on_add;
  std::function<void()> on_remove;
};

class PodNetwork : public cni::CniBackend {
 public:
  // `pod_cidrs` returns this node's current pod CIDRs (empty until the controller assigned
  // them); `gateway_of` is not needed: the gateway is the first address of each CIDR.
  static StatusOr<std::unique_ptr<PodNetwork>> Create(
      PodNetworkConfig config, std::function<std::vector<model::Cidr>()> pod_cidrs,
      PodHooks hooks = {});

  // The pods this node plumbed (from ADDs carrying K8S_POD_NAMESPACE / K8S_POD_NAME) with
  // their addresses. Does not wait for requests in progress; callable from the hooks.
  virtual std::vector<core::netpol::LocalPod> LocalPods() const = 0;
};

// The host-side veth name of an attachment: "egret" + 8 hex digits of a hash of
// (container id, ifname). Stable, at most 15 characters.
std::string HostVethName(std::string_view container_id, std::string_view ifname);

}  // namespace egret::agent
