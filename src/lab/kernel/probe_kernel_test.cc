// The probe server and client against the real kernel (root only), in throwaway namespaces.
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>

#include "adapters/netlink/rtnl.h"
#include "adapters/netns/netns.h"
#include "adapters/netns/temp_netns.h"
#include "lab/probe.h"

namespace egret::lab {
namespace {

#define SKIP_UNLESS_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces"

using std::chrono::milliseconds;

model::IpAddress Ip(std::string_view s) { return *model::IpAddress::Parse(s); }

// Starts a probe server inside `ns` (its sockets stay there whatever thread serves them).
std::unique_ptr<ProbeServer> ServeIn(const netns::NetNs& ns, const std::vector<ServePort>& ports) {
  std::unique_ptr<ProbeServer> server;
  Status st = netns::RunIn(ns, [&]() -> Status {
    auto s = ProbeServer::Start(ports);
    if (!s.ok()) return s.status();
    server = std::move(*s);
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return server;
}

ProbeResult ProbeIn(const netns::NetNs& ns, model::Protocol proto, std::string_view ip, int port,
                    milliseconds timeout = milliseconds(1000)) {
  return RunProbes({{ns.fd(), {proto, Ip(ip), port, timeout}}}, 1).front();
}

const std::vector<ServePort> kPorts = {{model::Protocol::kTCP, 8080, ""},
                                       {model::Protocol::kUDP, 8080, ""}};

TEST(KernelLabProbe, AnswersTcpAndUdpWithTheSourceOverLoopback) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("probe-lo");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  auto server = ServeIn(ns->ns(), kPorts);
  ASSERT_TRUE(server);
  for (auto proto : {model::Protocol::kTCP, model::Protocol::kUDP}) {
    ProbeResult v4 = ProbeIn(ns->ns(), proto, "127.0.0.1", 8080);
    EXPECT_TRUE(v4.connected) << v4.error;
    EXPECT_EQ(v4.source, "127.0.0.1");
    ProbeResult v6 = ProbeIn(ns->ns(), proto, "::1", 8080);
    EXPECT_TRUE(v6.connected) << v6.error;
    EXPECT_EQ(v6.source, "::1");
  }
}

TEST(KernelLabProbe, ReportsRefusedAndUnreachable) {
  SKIP_UNLESS_ROOT();
  auto ns = netns::TempNetNs::Create("probe-refused");
  ASSERT_TRUE(ns.ok()) << ns.status().ToString();
  ProbeResult tcp = ProbeIn(ns->ns(), model::Protocol::kTCP, "127.0.0.1", 9);
  EXPECT_FALSE(tcp.connected);
  EXPECT_EQ(tcp.error, "connection refused");
  EXPECT_EQ(tcp.source, "");
  ProbeResult udp = ProbeIn(ns->ns(), model::Protocol::kUDP, "127.0.0.1", 9);
  EXPECT_FALSE(udp.connected);
  EXPECT_EQ(udp.error, "connection refused");
  ProbeResult none = ProbeIn(ns->ns(), model::Protocol::kTCP, "10.9.9.9", 80);
  EXPECT_FALSE(none.connected);
  EXPECT_EQ(none.error, "network is unreachable");
}

// Two namespaces joined by a veth pair: the server sees the client's address on the wire.
struct VethPair {
  netns::TempNetNs a, b;
};

StatusOr<VethPair> MakePair() {
  ASSIGN_OR_RETURN(netns::TempNetNs a, netns::TempNetNs::Create("probe-a"));
  ASSIGN_OR_RETURN(netns::TempNetNs b, netns::TempNetNs::Create("probe-b"));
  for (const auto& ns : {&a.ns(), &b.ns()}) {
    RETURN_IF_ERROR(netns::SetSysctl(*ns, "net/ipv6/conf/default/accept_dad", "0"));
  }
  ASSIGN_OR_RETURN(netlink::Rtnl ra, netlink::Rtnl::Open(&a.ns()));
  ASSIGN_OR_RETURN(netlink::Rtnl rb, netlink::Rtnl::Open(&b.ns()));
  RETURN_IF_ERROR(ra.CreateVeth("eth0", "eth0", b.ns().fd()));
  RETURN_IF_ERROR(ra.AddAddress("eth0", {Ip("10.0.0.1"), 24}));
  RETURN_IF_ERROR(ra.AddAddress("eth0", {Ip("fd00:99::1"), 64}));
  RETURN_IF_ERROR(rb.AddAddress("eth0", {Ip("10.0.0.2"), 24}));
  RETURN_IF_ERROR(rb.AddAddress("eth0", {Ip("fd00:99::2"), 64}));
  RETURN_IF_ERROR(ra.SetLinkUp("eth0", true));
  RETURN_IF_ERROR(rb.SetLinkUp("eth0", true));
  return VethPair{std::move(a), std::move(b)};
}

TEST(KernelLabProbe, ServerSeesTheClientAddressAcrossNamespaces) {
  SKIP_UNLESS_ROOT();
  auto pair = MakePair();
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  auto server = ServeIn(pair->b.ns(), kPorts);
  ASSERT_TRUE(server);
  for (auto proto : {model::Protocol::kTCP, model::Protocol::kUDP}) {
    ProbeResult v4 = ProbeIn(pair->a.ns(), proto, "10.0.0.2", 8080, milliseconds(3000));
    EXPECT_TRUE(v4.connected) << v4.error;
    EXPECT_EQ(v4.source, "10.0.0.1");
    ProbeResult v6 = ProbeIn(pair->a.ns(), proto, "fd00:99::2", 8080, milliseconds(3000));
    EXPECT_TRUE(v6.connected) << v6.error;
    EXPECT_EQ(v6.source, "fd00:99::1");
  }
}

TEST(KernelLabProbe, ManyProbesRunInParallelAndTimeOut) {
  SKIP_UNLESS_ROOT();
  auto pair = MakePair();
  ASSERT_TRUE(pair.ok()) << pair.status().ToString();
  auto server = ServeIn(pair->b.ns(), kPorts);
  ASSERT_TRUE(server);
  // A link that just came up drops packets until the kernel activates its queue (linkwatch,
  // up to a second): one patient probe first.
  ProbeResult first =
      ProbeIn(pair->a.ns(), model::Protocol::kTCP, "10.0.0.2", 8080, milliseconds(5000));
  ASSERT_TRUE(first.connected) << first.error;
  // Half the probes go to a neighbour that does not exist (no ARP answer): they time out.
  std::vector<ProbeTask> tasks;
  for (int i = 0; i < 64; ++i) {
    tasks.push_back(
        {pair->a.ns().fd(),
         {model::Protocol::kTCP, Ip(i % 2 ? "10.0.0.99" : "10.0.0.2"), 8080, milliseconds(300)}});
  }
  std::vector<ProbeResult> results = RunProbes(tasks, 32);
  ASSERT_EQ(results.size(), tasks.size());
  for (size_t i = 0; i < results.size(); ++i) {
    if (i % 2) {
      EXPECT_FALSE(results[i].connected);
      EXPECT_EQ(results[i].error, "timed out after 300 ms");
    } else {
      EXPECT_TRUE(results[i].connected) << results[i].error;
      EXPECT_EQ(results[i].source, "10.0.0.1");
    }
  }
}

}  // namespace
}  // namespace egret::lab
