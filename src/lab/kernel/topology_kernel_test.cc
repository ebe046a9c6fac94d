// The lab topology against the real kernel (root only): an underlay bridge, a node and an
// external host in throwaway namespaces, and probes between them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>

#include "adapters/netns/netns.h"
#include "adapters/netns/temp_netns.h"
#include "lab/probe.h"
#include "lab/topology.h"

namespace egret::lab {
namespace {

#define SKIP_UNLESS_ROOT() \
  if (::geteuid() != 0) GTEST_SKIP() << "needs root: creates network namespaces"

using std::chrono::milliseconds;

struct MiniLab {
  AddressPlan plan{IpFamilyMode::kDual};
  netns::TempNetNs ul, node, ext;
  HostAttachment node_attach, ext_attach;
  std::unique_ptr<ProbeServer> server;
};

StatusOr<std::unique_ptr<MiniLab>> BuildMiniLab() {
  ASSIGN_OR_RETURN(netns::TempNetNs ul, netns::TempNetNs::Create("topo-ul"));
  ASSIGN_OR_RETURN(netns::TempNetNs node, netns::TempNetNs::Create("topo-n1"));
  ASSIGN_OR_RETURN(netns::TempNetNs ext, netns::TempNetNs::Create("topo-x"));
  auto lab = std::unique_ptr<MiniLab>(new MiniLab{AddressPlan(IpFamilyMode::kDual),
                                                  std::move(ul),
                                                  std::move(node),
                                                  std::move(ext),
                                                  {},
                                                  {},
                                                  nullptr});
  lab->node_attach = {lab->node.name(), "n1", lab->plan.NodeAddresses(1), true};
  lab->ext_attach = {lab->ext.name(), "x1", lab->plan.ExternalAddresses(1), false};
  RETURN_IF_ERROR(BuildUnderlay(lab->ul.name(), lab->plan));
  RETURN_IF_ERROR(AttachHost(lab->ul.name(), lab->plan, lab->node_attach));
  RETURN_IF_ERROR(AttachHost(lab->ul.name(), lab->plan, lab->ext_attach));
  RETURN_IF_ERROR(netns::RunIn(lab->ext.ns(), [&]() -> Status {
    ASSIGN_OR_RETURN(lab->server, ProbeServer::Start({{model::Protocol::kTCP, 80, ""}}));
    return Status::Ok();
  }));
  return lab;
}

ProbeResult NodeToExt(const MiniLab& lab, std::string_view ip) {
  return RunProbes(
             {{lab.node.ns().fd(),
               {model::Protocol::kTCP, *model::IpAddress::Parse(ip), 80, milliseconds(2000)}}},
             1)
      .front();
}

TEST(KernelLabTopology, NodeReachesExternalHostOverTheUnderlay) {
  SKIP_UNLESS_ROOT();
  auto lab = BuildMiniLab();
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  ProbeResult v4 = NodeToExt(**lab, "172.18.0.101");
  EXPECT_TRUE(v4.connected) << v4.error;
  EXPECT_EQ(v4.source, "172.18.0.11");
  ProbeResult v6 = NodeToExt(**lab, "fd00:18::101");
  EXPECT_TRUE(v6.connected) << v6.error;
  EXPECT_EQ(v6.source, "fd00:18::11");
  auto forwarding = netns::GetSysctl((*lab)->node.ns(), "net/ipv4/ip_forward");
  EXPECT_EQ(forwarding.ok() ? *forwarding : "", "1");
  auto ext_forwarding = netns::GetSysctl((*lab)->ext.ns(), "net/ipv4/ip_forward");
  EXPECT_EQ(ext_forwarding.ok() ? *ext_forwarding : "", "0");
}

TEST(KernelLabTopology, AttachingTwiceIsHarmless) {
  SKIP_UNLESS_ROOT();
  auto lab = BuildMiniLab();
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  EXPECT_TRUE(BuildUnderlay((*lab)->ul.name(), (*lab)->plan).ok());
  Status again = AttachHost((*lab)->ul.name(), (*lab)->plan, (*lab)->node_attach);
  EXPECT_TRUE(again.ok()) << again.ToString();
  EXPECT_TRUE(NodeToExt(**lab, "172.18.0.101").connected);
}

TEST(KernelLabTopology, StoppedHostIsCutOffAndComesBackWithItsAddresses) {
  SKIP_UNLESS_ROOT();
  auto lab = BuildMiniLab();
  ASSERT_TRUE(lab.ok()) << lab.status().ToString();
  ASSERT_TRUE(SetHostLink((*lab)->ul.name(), (*lab)->plan, (*lab)->node_attach, false).ok());
  EXPECT_FALSE(NodeToExt(**lab, "172.18.0.101").connected);
  EXPECT_FALSE(NodeToExt(**lab, "fd00:18::101").connected);
  Status up = SetHostLink((*lab)->ul.name(), (*lab)->plan, (*lab)->node_attach, true);
  ASSERT_TRUE(up.ok()) << up.ToString();
  ProbeResult v4 = NodeToExt(**lab, "172.18.0.101");
  EXPECT_TRUE(v4.connected) << v4.error;
  ProbeResult v6 = NodeToExt(**lab, "fd00:18::101");
  EXPECT_TRUE(v6.connected) << v6.error;
  EXPECT_EQ(v6.source, "fd00:18::11");
}

}  // namespace
}  // namespace egret::lab
