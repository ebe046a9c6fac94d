// Real packets through the rendered node firewall (root only). Three namespaces joined by veths:
//
//   [pod] eth0 ────────── egret0 [node] ext0 ──────────── eth0 [out]
//         10.244.1.2        10.244.1.1    172.31.0.1        172.31.0.2
//         fd00:10:244:1::2  ...:1::1      fd00:172:31::1    fd00:172:31::2
//
// The node routes between pod and out; `out` routes the cluster's pod range back via the node.
// (The node's pod-facing veth stands in for the pod bridge, so it carries the bridge's name.)
// A UDP datagram from the pod to `out` must arrive from the node's address while `out` is
// outside the cluster, and from the pod's own address once `out` is inside internal4/6.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>

#include "adapters/nftables/nft_driver.h"
#include "adapters/nftables/nft_test_util.h"
#include "common/unique_fd.h"
#include "core/nodefw/node_firewall.h"

namespace egret::nftables {
namespace {

using testing::DriverIn;
using testing::Sh;

model::Cidr C(std::string_view text) { return *model::Cidr::Parse(text); }

struct Lab {
  netns::TempNetNs pod, node, out;
  std::unique_ptr<NftDriver> nft;  // in node
};

Status Ip(const netns::TempNetNs& ns, const std::string& args) {
  StatusOr<std::string> r = Sh("ip -n " + ns.name() + " " + args);
  return r.ok() ? Status::Ok() : r.status();
}

Status Wire(const Lab& lab) {
  const std::vector<std::pair<const netns::TempNetNs*, std::string>> steps = {
      {&lab.node, "link add egret0 type veth peer name eth0 netns " + lab.pod.name()},
      {&lab.node, "link add ext0 type veth peer name eth0 netns " + lab.out.name()},
      {&lab.pod, "addr add 10.244.1.2/24 dev eth0"},
      {&lab.pod, "addr add fd00:10:244:1::2/64 dev eth0 nodad"},
      {&lab.pod, "link set eth0 up"},
      {&lab.pod, "route add default via 10.244.1.1"},
      {&lab.pod, "-6 route add default via fd00:10:244:1::1"},
      {&lab.node, "addr add 10.244.1.1/24 dev egret0"},
      {&lab.node, "addr add fd00:10:244:1::1/64 dev egret0 nodad"},
      {&lab.node, "link set egret0 up"},
      {&lab.node, "addr add 172.31.0.1/24 dev ext0"},
      {&lab.node, "addr add fd00:172:31::1/64 dev ext0 nodad"},
      {&lab.node, "link set ext0 up"},
      {&lab.out, "addr add 172.31.0.2/24 dev eth0"},
      {&lab.out, "addr add fd00:172:31::2/64 dev eth0 nodad"},
      {&lab.out, "link set eth0 up"},
      {&lab.out, "route add 10.244.0.0/16 via 172.31.0.1"},
      {&lab.out, "-6 route add fd00:10:244::/56 via fd00:172:31::1"},
  };
  for (const auto& [ns, args] : steps) RETURN_IF_ERROR(Ip(*ns, args));
  // New namespaces start with forwarding off, whatever the root namespace says.
  RETURN_IF_ERROR(netns::SetSysctl(lab.node.ns(), "net/ipv4/ip_forward", "1"));
  return netns::SetSysctl(lab.node.ns(), "net/ipv6/conf/all/forwarding", "1");
}

StatusOr<Lab> NewLab() {
  ASSIGN_OR_RETURN(netns::TempNetNs pod, netns::TempNetNs::Create("fw-pod"));
  ASSIGN_OR_RETURN(netns::TempNetNs node, netns::TempNetNs::Create("fw-node"));
  ASSIGN_OR_RETURN(netns::TempNetNs out, netns::TempNetNs::Create("fw-out"));
  Lab lab{std::move(pod), std::move(node), std::move(out), nullptr};
  RETURN_IF_ERROR(Wire(lab));
  ASSIGN_OR_RETURN(lab.nft, DriverIn(lab.node.ns()));
  return lab;
}

// A socket address from text ("10.244.1.2" or "fd00::2") and a port.
sockaddr_storage Addr(const std::string& ip, uint16_t port, socklen_t* len) {
  sockaddr_storage ss{};
  if (ip.find(':') == std::string::npos) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(port);
    inet_pton(AF_INET, ip.c_str(), &sin->sin_addr);
    *len = sizeof(sockaddr_in);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(port);
    inet_pton(AF_INET6, ip.c_str(), &sin6->sin6_addr);
    *len = sizeof(sockaddr_in6);
  }
  return ss;
}

// A UDP socket bound to ip:port, opened inside ns (it stays there on any thread).
StatusOr<UniqueFd> UdpSocketIn(const netns::NetNs& ns, const std::string& ip, uint16_t port) {
  UniqueFd fd;
  Status st = netns::RunIn(ns, [&]() -> Status {
    socklen_t len = 0;
    sockaddr_storage addr = Addr(ip, port, &len);
    fd.reset(::socket(addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return ErrnoError("socket", errno);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0) {
      return ErrnoError("bind " + ip, errno);
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return fd;
}

// Sends one datagram from the pod (from `src_port`, so each probe is a new conntrack entry) to
// `out` and returns the source address `out` saw.
StatusOr<std::string> ProbeSource(const Lab& lab, const std::string& pod_ip,
                                  const std::string& out_ip, uint16_t src_port) {
  constexpr uint16_t kPort = 7777;
  ASSIGN_OR_RETURN(UniqueFd rx, UdpSocketIn(lab.out.ns(), out_ip, kPort));
  ASSIGN_OR_RETURN(UniqueFd tx, UdpSocketIn(lab.pod.ns(), pod_ip, src_port));
  socklen_t len = 0;
  sockaddr_storage dst = Addr(out_ip, kPort, &len);
  const char kPayload[] = "egret-probe";
  if (::sendto(tx.get(), kPayload, sizeof(kPayload), 0, reinterpret_cast<sockaddr*>(&dst), len) <
      0) {
    return ErrnoError("sendto " + out_ip, errno);
  }
  // Wait for the datagram with a deadline (neighbour resolution comes first).
  pollfd pfd{.fd = rx.get(), .events = POLLIN, .revents = 0};
  if (::poll(&pfd, 1, /*timeout_ms=*/5000) != 1) {
    return DeadlineExceededError("no datagram reached " + out_ip + " within 5 s");
  }
  char buf[64];
  sockaddr_storage from{};
  socklen_t from_len = sizeof(from);
  if (::recvfrom(rx.get(), buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&from), &from_len) <
      0) {
    return ErrnoError("recvfrom", errno);
  }
  char text[INET6_ADDRSTRLEN] = {};
  const void* raw = from.ss_family == AF_INET
                        ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&from)->sin_addr)
                        : &reinterpret_cast<sockaddr_in6*>(&from)->sin6_addr;
  inet_ntop(from.ss_family, raw, text, sizeof(text));
  return std::string(text);
}

nodefw::NodeFirewallConfig LabConfig() {
  return {
      .cluster_pod_cidrs = {C("10.244.0.0/16"), C("fd00:10:244::/56")},
      .node_pod_cidrs = {C("10.244.1.0/24"), C("fd00:10:244:1::/64")},
      .service_cidrs = {C("10.96.0.0/12"), C("fd00:10:96::/112")},
      .node_addresses = {*model::IpAddress::Parse("172.31.0.1"),
                         *model::IpAddress::Parse("fd00:172:31::1")},
      .extra_internal_cidrs = {},
      .pod_bridge = "egret0",
  };
}

TEST(KernelNodeFirewallPackets, MasqueradesPodsLeavingTheClusterOnly) {
  EGRET_SKIP_UNLESS_ROOT();
  StatusOr<Lab> lab = NewLab();
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();

  // `out` is outside the cluster: the pod's datagrams leave with the node's address.
  nodefw::NodeFirewallConfig cfg = LabConfig();
  ASSERT_TRUE(nodefw::ValidateNodeFirewallConfig(cfg).ok());
  Status st = lab->nft->Apply(nodefw::RenderNodeFirewall(cfg));
  ASSERT_TRUE(st.ok()) << st.ToString();
  StatusOr<std::string> seen = ProbeSource(*lab, "10.244.1.2", "172.31.0.2", 40001);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(*seen, "172.31.0.1");
  seen = ProbeSource(*lab, "fd00:10:244:1::2", "fd00:172:31::2", 40001);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(*seen, "fd00:172:31::1");

  // `out` becomes internal (extra internal CIDRs): the pod's own address is kept. New source
  // ports, so that conntrack does not reuse the NAT decision of the first flows.
  cfg.extra_internal_cidrs = {C("172.31.0.2/32"), C("fd00:172:31::/64")};
  st = lab->nft->Apply(nodefw::RenderNodeFirewall(cfg));
  ASSERT_TRUE(st.ok()) << st.ToString();
  seen = ProbeSource(*lab, "10.244.1.2", "172.31.0.2", 40002);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(*seen, "10.244.1.2");
  seen = ProbeSource(*lab, "fd00:10:244:1::2", "fd00:172:31::2", 40002);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(*seen, "fd00:10:244:1::2");
}

}  // namespace
}  // namespace egret::nftables
