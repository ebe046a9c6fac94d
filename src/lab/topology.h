// The lab's kernel topology, built in-process through the netns and rtnetlink adapters:
//
//   <L>-ul   underlay: bridge br0 holding the router addresses (172.18.0.1/24, fd00:18::1/64)
//   <L>-nK   node: eth0 (veth; peer "nK" on br0), addresses of the plan, default routes via
//            the router, forwarding on, rp_filter loose
//   <L>-x-E  external host: eth0 (veth; peer "xJ" on br0), addresses, default routes
//   <L>-cp   control plane: loopback only (the controller is reached through a unix socket)
//
// The underlay namespace has no uplink: nothing a lab sends can leave the machine.
// Every call is idempotent enough to be repeated after a failure half-way.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "lab/lab_plan.h"
#include "model/kernel.h"

namespace egret::lab {

// How a host (node or external) hangs off the underlay.
struct HostAttachment {
  std::string netns;  // "<L>-n1"
  std::string port;   // its veth end on the bridge, in the underlay namespace: "n1"
  std::vector<model::InterfaceAddress> addresses;  // on eth0
  bool forwarding = false;                         // nodes route pod traffic; external hosts do not
};

// Creates <L>-ul's bridge with the router addresses.
Status BuildUnderlay(const std::string& underlay_netns, const AddressPlan& plan);

// Creates the host's namespace contents: sysctls, the veth into the underlay bridge, eth0's
// addresses and default routes via the router. Returns once both ends of the pair pass
// traffic (a link that just came up drops packets for up to a second).
Status AttachHost(const std::string& underlay_netns, const AddressPlan& plan,
                  const HostAttachment& host);

// Sets eth0 of the host down (the node is cut off the underlay), or up again with its
// addresses and default routes restored (the kernel drops routes, and IPv6 addresses, of a
// link that goes down), returning once it passes traffic.
Status SetHostLink(const std::string& underlay_netns, const AddressPlan& plan,
                   const HostAttachment& host, bool up);

// The protocol number of the lab's own routes (RTPROT_BOOT, as `ip route add` uses): never
// Egret's tag, so an agent running in a node namespace leaves them alone.
inline constexpr uint8_t kLabRouteProtocol = 3;

}  // namespace egret::lab
