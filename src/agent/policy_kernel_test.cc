// NetworkPolicy in the kernel (root only): the node firewall with rendered policy fragments,
// applied in throwaway namespaces.
//  - Every conformance scenario's state of every node is accepted by nftables.
//  - Real packets over a bridge (same-node pods: br_netfilter takes bridged traffic through
//    the inet forward hook):
//
//      [x/a] eth0 ─┐                       x/a 10.244.1.10   selected: ingress from pod=b on
//      [x/b] eth0 ─┼─ egret0 [node]        x/b 10.244.1.11   UDP 80 only, egress denied
//      [x/c] eth0 ─┤                       x/c 10.244.1.12
//      [x/d] eth0 ─┘                       x/d 10.244.1.13   plumbed, not yet in the state
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "adapters/nftables/nft_test_util.h"
#include "common/unique_fd.h"
#include "core/netpol/netpol_test_util.h"
#include "core/netpol/render_nft.h"
#include "core/netpol/scenarios.h"
#include "core/nodefw/node_firewall.h"

namespace egret::agent {
namespace {

namespace np = core::netpol;
using nftables::testing::DriverIn;
using nftables::testing::Sh;

#define SKIP_UNLESS_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: network namespaces and nftables"

model::Cidr C(std::string_view text) { return *model::Cidr::Parse(text); }

nodefw::NodeFirewallConfig BaseConfig() {
  return {.cluster_pod_cidrs = {C("10.244.0.0/16"), C("fd00:244::/48")},
          .node_pod_cidrs = {C("10.244.1.0/24"), C("fd00:244:1::/64")},
          .service_cidrs = {C("10.96.0.0/12")},
          .node_addresses = {},
          .extra_internal_cidrs = {},
          .pod_bridge = "egret0"};
}

std::string Script(const np::PolicyRenderInput& in) {
  np::PolicyNft nft = np::RenderPolicy(in);
  nodefw::NodeFirewallConfig cfg = BaseConfig();
  cfg.policy_definitions = nft.definitions;
  cfg.policy_rules = nft.rules;
  return nodefw::RenderNodeFirewall(cfg);
}

TEST(KernelPolicyRender, EveryConformanceScenarioIsAccepted) {
  SKIP_UNLESS_ROOT();
  auto ns = nftables::testing::NewNftNs("np-render");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  for (const np::testing::Scenario& sc : np::testing::Scenarios()) {
    np::PolicyCluster c = np::testing::ConformanceCluster();
    np::testing::AddPolicies(&c, sc.yaml);
    for (const np::NodePolicyState& st : np::testing::CompileAll(c)) {
      Status applied =
          ns->nft->Apply(Script({st, {{"x", "new", {np::testing::Ip("10.244.1.99")}}}}));
      EXPECT_TRUE(applied.ok()) << sc.name << " " << st.node << ": " << applied.ToString();
    }
  }
}

// --- packets ---------------------------------------------------------------------------------

constexpr const char* kPods[] = {"a", "b", "c", "d"};

struct BridgeLab {
  netns::TempNetNs node;
  std::vector<netns::TempNetNs> pods;  // x/a, x/b, x/c, x/d
  std::unique_ptr<nftables::NftDriver> nft;
};

std::string PodIp(size_t i) { return "10.244.1." + std::to_string(10 + i); }

Status Ip(const netns::TempNetNs& ns, const std::string& args) {
  StatusOr<std::string> r = Sh("ip -n " + ns.name() + " " + args);
  return r.ok() ? Status::Ok() : r.status();
}

StatusOr<BridgeLab> NewBridgeLab() {
  ASSIGN_OR_RETURN(netns::TempNetNs node, netns::TempNetNs::Create("np-node"));
  BridgeLab lab{std::move(node), {}, nullptr};
  RETURN_IF_ERROR(Ip(lab.node, "link add egret0 type bridge"));
  RETURN_IF_ERROR(Ip(lab.node, "addr add 10.244.1.1/24 dev egret0"));
  RETURN_IF_ERROR(Ip(lab.node, "link set egret0 up"));
  for (size_t i = 0; i < std::size(kPods); ++i) {
    ASSIGN_OR_RETURN(netns::TempNetNs pod, netns::TempNetNs::Create("np-pod"));
    std::string host = "veth" + std::to_string(i);
    RETURN_IF_ERROR(
        Ip(lab.node, "link add " + host + " type veth peer name eth0 netns " + pod.name()));
    RETURN_IF_ERROR(Ip(lab.node, "link set " + host + " master egret0 up"));
    RETURN_IF_ERROR(Ip(pod, "addr add " + PodIp(i) + "/24 dev eth0"));
    RETURN_IF_ERROR(Ip(pod, "link set eth0 up"));
    RETURN_IF_ERROR(Ip(pod, "link set lo up"));
    lab.pods.push_back(std::move(pod));
  }
  ASSIGN_OR_RETURN(lab.nft, DriverIn(lab.node.ns()));
  return lab;
}

sockaddr_in Addr(const std::string& ip, uint16_t port) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(port);
  inet_pton(AF_INET, ip.c_str(), &sin.sin_addr);
  return sin;
}

StatusOr<UniqueFd> Udp(const netns::TempNetNs& ns, const std::string& ip, uint16_t port) {
  UniqueFd fd;
  Status st = netns::RunIn(ns.ns(), [&]() -> Status {
    fd.reset(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return ErrnoError("socket", errno);
    sockaddr_in a = Addr(ip, port);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      return ErrnoError("bind " + ip, errno);
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return fd;
}

// Whether a datagram sent on `tx` to ip:port arrives on `rx` within `ms`.
bool Arrives(const UniqueFd& tx, const UniqueFd& rx, const std::string& ip, uint16_t port, int ms) {
  sockaddr_in dst = Addr(ip, port);
  const char kPayload[] = "np";
  if (::sendto(tx.get(), kPayload, sizeof kPayload, 0, reinterpret_cast<sockaddr*>(&dst),
               sizeof dst) < 0) {
    return false;
  }
  pollfd pfd{.fd = rx.get(), .events = POLLIN, .revents = 0};
  if (::poll(&pfd, 1, ms) != 1) return false;
  char buf[16];
  return ::recv(rx.get(), buf, sizeof buf, 0) > 0;
}

constexpr const char* kPolicy = R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a-only-from-b, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{podSelector: {matchLabels: {pod: b}}}], ports: [{protocol: UDP, port: 80}]}]
)";

np::NodePolicyState Compile(bool with_d) {
  np::PolicyCluster c;
  c.namespaces.push_back(np::testing::MakeNamespace("x", {{"ns", "x"}}));
  for (size_t i = 0; i < std::size(kPods); ++i) {
    if (i == 3 && !with_d) continue;
    c.pods.push_back(np::testing::MakePod("x", kPods[i], "n1", {np::testing::Ip(PodIp(i))},
                                          {{"pod", kPods[i]}}));
  }
  np::testing::AddPolicies(&c, kPolicy);
  return np::PolicyCompiler(c).CompileNode("n1");
}

TEST(KernelPolicyPackets, SameNodeTrafficFollowsThePolicyAndRepliesPass) {
  SKIP_UNLESS_ROOT();
  auto lab = NewBridgeLab();
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  std::vector<np::LocalPod> local;
  for (size_t i = 0; i < std::size(kPods); ++i) {
    local.push_back({"x", kPods[i], {np::testing::Ip(PodIp(i))}});
  }
  Status st = lab->nft->Apply(Script({Compile(false), local}));
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto a80 = Udp(lab->pods[0], PodIp(0), 80), a81 = Udp(lab->pods[0], PodIp(0), 81);
  auto b = Udp(lab->pods[1], PodIp(1), 5001), c = Udp(lab->pods[2], PodIp(2), 5001);
  auto d = Udp(lab->pods[3], PodIp(3), 5001);
  ASSERT_TRUE(a80.ok() && a81.ok() && b.ok() && c.ok() && d.ok());
  // b -> a:80 allowed; a's reply to b passes as part of the connection although a's egress is
  // denied.
  EXPECT_TRUE(Arrives(*b, *a80, PodIp(0), 80, 3000));
  EXPECT_TRUE(Arrives(*a80, *b, PodIp(1), 5001, 3000)) << "the reply was dropped";
  EXPECT_FALSE(Arrives(*b, *a81, PodIp(0), 81, 500)) << "port 81 is not allowed";
  EXPECT_FALSE(Arrives(*c, *a80, PodIp(0), 80, 500)) << "x/c is not pod=b";
  EXPECT_FALSE(Arrives(*a81, *c, PodIp(2), 5001, 500)) << "a's egress is denied";
  // x/d is held: the state does not list it yet.
  EXPECT_FALSE(Arrives(*d, *c, PodIp(2), 5001, 500)) << "a pending pod sent";
  EXPECT_FALSE(Arrives(*c, *d, PodIp(3), 5001, 500)) << "a pending pod was reached";
  // Once the state lists it (selected by nothing), it talks.
  st = lab->nft->Apply(Script({Compile(true), local}));
  ASSERT_TRUE(st.ok()) << st.ToString();
  auto c2 = Udp(lab->pods[2], PodIp(2), 5002);
  auto d2 = Udp(lab->pods[3], PodIp(3), 5002);
  ASSERT_TRUE(c2.ok() && d2.ok());
  EXPECT_TRUE(Arrives(*d2, *c2, PodIp(2), 5002, 3000));
}

// The CNI ADD path: a pod plumbed between two full renders is held by a delta alone.
TEST(KernelPolicyPackets, DispatchDeltaHoldsANewPodAtOnce) {
  SKIP_UNLESS_ROOT();
  auto lab = NewBridgeLab();
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  np::PolicyRenderInput before{Compile(false), {{"x", "b", {np::testing::Ip(PodIp(1))}}}};
  ASSERT_TRUE(lab->nft->Apply(Script(before)).ok());
  auto b = Udp(lab->pods[1], PodIp(1), 6001), d = Udp(lab->pods[3], PodIp(3), 6001);
  ASSERT_TRUE(b.ok() && d.ok());
  EXPECT_TRUE(Arrives(*d, *b, PodIp(1), 6001, 3000)) << "before: x/d is not known at all";
  np::PolicyRenderInput after = before;
  after.local_pods.push_back({"x", "d", {np::testing::Ip(PodIp(3))}});
  std::string delta = np::RenderDispatchDelta(np::DispatchOf(before), np::DispatchOf(after));
  Status st = lab->nft->Apply(delta);
  ASSERT_TRUE(st.ok()) << st.ToString() << "\n" << delta;
  auto b2 = Udp(lab->pods[1], PodIp(1), 6002), d2 = Udp(lab->pods[3], PodIp(3), 6002);
  ASSERT_TRUE(b2.ok() && d2.ok());
  EXPECT_FALSE(Arrives(*d2, *b2, PodIp(1), 6002, 500)) << "x/d sent while pending";
}

}  // namespace
}  // namespace egret::agent
