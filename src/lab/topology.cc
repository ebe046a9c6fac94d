#include "lab/topology.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <thread>
#include <utility>

#include "adapters/netlink/rtnl.h"
#include "adapters/netns/netns.h"
#include "common/strings.h"

namespace egret::lab {
namespace {

// Sysctls every lab namespace gets before any link exists, so that new links inherit the
// "default" values. No duplicate address detection: the plan hands out unique addresses, and
// DAD would leave IPv6 addresses tentative (unusable) for a second or two.
Status SetCommonSysctls(const netns::NetNs& ns) {
  for (const char* key : {"net/ipv6/conf/all/accept_dad", "net/ipv6/conf/default/accept_dad"}) {
    RETURN_IF_ERROR(netns::SetSysctl(ns, key, "0"));
  }
  return Status::Ok();
}

// A node routes pod traffic: forwarding on, and loose reverse-path filtering because replies
// arrive on tunnels and veths from addresses routed elsewhere (KERNEL-NOTES.md).
Status SetNodeSysctls(const netns::NetNs& ns) {
  const std::pair<const char*, const char*> kSettings[] = {
      {"net/ipv4/ip_forward", "1"},
      {"net/ipv6/conf/all/forwarding", "1"},
      {"net/ipv6/conf/default/forwarding", "1"},
      {"net/ipv4/conf/all/rp_filter", "2"},
      {"net/ipv4/conf/default/rp_filter", "2"},
  };
  for (const auto& [key, value] : kSettings) RETURN_IF_ERROR(netns::SetSysctl(ns, key, value));
  return Status::Ok();
}

model::Route DefaultRoute(const model::IpAddress& gateway) {
  model::Route r;
  r.dst = model::Cidr(
      gateway.is_v4() ? *model::IpAddress::Parse("0.0.0.0") : *model::IpAddress::Parse("::"), 0);
  r.gateway = gateway;
  r.device = std::string(kHostInterface);
  r.protocol = kLabRouteProtocol;
  return r;
}

Status ConfigureHostInterface(netlink::Rtnl& rtnl, const AddressPlan& plan,
                              const HostAttachment& host) {
  const std::string eth0(kHostInterface);
  RETURN_IF_ERROR(rtnl.SetLinkUp(eth0, true));
  for (const model::InterfaceAddress& a : host.addresses) {
    RETURN_IF_ERROR(rtnl.AddAddress(eth0, a));
  }
  for (const model::IpAddress& gw : plan.RouterIps()) {
    RETURN_IF_ERROR(rtnl.ReplaceRoute(DefaultRoute(gw)));
  }
  return Status::Ok();
}

// Waits until `link` in `ns` is operationally up (IFF_RUNNING). The kernel turns a link's
// carrier on, and with it the link's queue, asynchronously (linkwatch, up to a second after
// "up"); until then it drops what is sent, so a probe right after `ext add` would fail.
Status WaitUntilRunning(const netns::NetNs& ns, const std::string& link) {
  UniqueFd sock;
  RETURN_IF_ERROR(netns::RunIn(ns, [&]() -> Status {
    sock.reset(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    return sock.valid() ? Status::Ok() : ErrnoError("socket", errno);
  }));
  ifreq req{};
  std::strncpy(req.ifr_name, link.c_str(), IFNAMSIZ - 1);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (true) {
    // The socket belongs to `ns`, so the ioctl asks about the link there.
    if (::ioctl(sock.get(), SIOCGIFFLAGS, &req) != 0) {
      return ErrnoError("link " + Quote(link) + " in " + ns.path(), errno);
    }
    if (req.ifr_flags & IFF_RUNNING) return Status::Ok();
    if (std::chrono::steady_clock::now() > deadline) {
      return DeadlineExceededError("link " + Quote(link) + " in " + ns.path() +
                                   " did not come up within 5 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // no event to wait on here
  }
}

}  // namespace

Status BuildUnderlay(const std::string& underlay_netns, const AddressPlan& plan) {
  ASSIGN_OR_RETURN(netns::NetNs ns, netns::NetNs::Open(underlay_netns));
  RETURN_IF_ERROR(SetCommonSysctls(ns));
  ASSIGN_OR_RETURN(netlink::Rtnl rtnl, netlink::Rtnl::Open(&ns));
  const std::string bridge(kUnderlayBridge);
  RETURN_IF_ERROR(rtnl.CreateBridge(bridge));
  for (const model::InterfaceAddress& a : plan.RouterAddresses()) {
    RETURN_IF_ERROR(rtnl.AddAddress(bridge, a));
  }
  return rtnl.SetLinkUp(bridge, true);
}

Status AttachHost(const std::string& underlay_netns, const AddressPlan& plan,
                  const HostAttachment& host) {
  ASSIGN_OR_RETURN(netns::NetNs ul, netns::NetNs::Open(underlay_netns));
  ASSIGN_OR_RETURN(netns::NetNs ns, netns::NetNs::Open(host.netns));
  RETURN_IF_ERROR(SetCommonSysctls(ns));
  if (host.forwarding) RETURN_IF_ERROR(SetNodeSysctls(ns));
  ASSIGN_OR_RETURN(netlink::Rtnl ul_rtnl, netlink::Rtnl::Open(&ul));
  Status created = ul_rtnl.CreateVeth(host.port, std::string(kHostInterface), ns.fd());
  // A repeated attach finds the pair in place; anything else is an error.
  if (!created.ok() && created.code() != Code::kAlreadyExists) return created;
  RETURN_IF_ERROR(ul_rtnl.SetMaster(host.port, std::string(kUnderlayBridge)));
  RETURN_IF_ERROR(ul_rtnl.SetLinkUp(host.port, true));
  ASSIGN_OR_RETURN(netlink::Rtnl rtnl, netlink::Rtnl::Open(&ns));
  RETURN_IF_ERROR(ConfigureHostInterface(rtnl, plan, host));
  RETURN_IF_ERROR(WaitUntilRunning(ul, host.port));
  return WaitUntilRunning(ns, std::string(kHostInterface));
}

Status SetHostLink(const std::string& underlay_netns, const AddressPlan& plan,
                   const HostAttachment& host, bool up) {
  ASSIGN_OR_RETURN(netns::NetNs ul, netns::NetNs::Open(underlay_netns));
  ASSIGN_OR_RETURN(netns::NetNs ns, netns::NetNs::Open(host.netns));
  ASSIGN_OR_RETURN(netlink::Rtnl rtnl, netlink::Rtnl::Open(&ns));
  if (!up) return rtnl.SetLinkUp(std::string(kHostInterface), false);
  RETURN_IF_ERROR(ConfigureHostInterface(rtnl, plan, host));
  RETURN_IF_ERROR(WaitUntilRunning(ul, host.port));
  return WaitUntilRunning(ns, std::string(kHostInterface));
}

}  // namespace egret::lab
