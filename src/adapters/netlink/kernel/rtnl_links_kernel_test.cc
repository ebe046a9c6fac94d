// Rtnl links against the real kernel (root only, throwaway namespaces): veth pairs across
// namespaces, bridges and enslaving, link settings, moving and renaming, VXLAN devices.
#include "adapters/netlink/kernel/kernel_test_util.h"

namespace egret::netlink {
namespace {

using namespace testing;  // NOLINT: test helpers
using model::Link;

TEST(KernelRtnl, CreatesVethPairAcrossNamespaces) {
  SKIP_UNLESS_ROOT();
  auto a = Lab::Make("veth-a");
  auto b = Lab::Make("veth-b");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->rtnl.CreateVeth("eg-a0", "eg-b0", b->ns.ns().fd(), 1400).ok());

  auto here = a->rtnl.GetLink("eg-a0");
  ASSERT_TRUE(here.ok()) << here.status().ToString();
  EXPECT_EQ(here->kind, Link::Kind::kVeth);
  EXPECT_EQ(here->mtu, 1400);
  EXPECT_GT(here->index, 0);
  EXPECT_TRUE(here->mac.has_value());
  auto there = b->rtnl.GetLink("eg-b0");
  ASSERT_TRUE(there.ok()) << there.status().ToString();
  EXPECT_EQ(there->kind, Link::Kind::kVeth);
  EXPECT_EQ(there->mtu, 1400);
  EXPECT_EQ(a->rtnl.GetLink("eg-b0").status().code(), Code::kNotFound);
  EXPECT_NE(Observe("ip -n " + b->ns.name() + " -o link show eg-b0").find("eg-b0@"),
            std::string::npos);

  Status again = a->rtnl.CreateVeth("eg-a0", "eg-b0", b->ns.ns().fd());
  EXPECT_EQ(again.code(), Code::kAlreadyExists);
  EXPECT_NE(again.message().find("create veth eg-a0 peer eg-b0: File exists"), std::string::npos)
      << again.message();

  ASSERT_TRUE(a->rtnl.DeleteLink("eg-a0").ok());
  EXPECT_EQ(b->rtnl.GetLink("eg-b0").status().code(), Code::kNotFound) << "the peer goes too";
  Status gone = a->rtnl.DeleteLink("eg-a0");
  EXPECT_EQ(gone.code(), Code::kNotFound);
  EXPECT_EQ(gone.message(), "delete link eg-a0: link not found");
}

TEST(KernelRtnl, GetLinkOfUnknownNameIsNotFound) {
  SKIP_UNLESS_ROOT();
  auto a = Lab::Make("nolink");
  ASSERT_TRUE(a);
  auto l = a->rtnl.GetLink("nosuch0");
  EXPECT_EQ(l.status().code(), Code::kNotFound);
  EXPECT_EQ(l.status().message(), "link \"nosuch0\" not found");
  EXPECT_EQ(a->rtnl.GetLink("much-too-long-name").status().code(), Code::kInvalid);
}

TEST(KernelRtnl, BridgeEnslavesVeth) {
  SKIP_UNLESS_ROOT();
  auto a = Lab::Make("bridge");
  ASSERT_TRUE(a);
  ASSERT_TRUE(a->rtnl.CreateBridge("eg-br", 1450).ok());
  ASSERT_TRUE(a->rtnl.CreateBridge("eg-br", 1450).ok()) << "create-or-update is idempotent";
  ASSERT_TRUE(a->rtnl.CreateVeth("eg-v0", "eg-v1").ok());
  ASSERT_TRUE(a->rtnl.SetMaster("eg-v0", "eg-br").ok());

  auto port = a->rtnl.GetLink("eg-v0");
  ASSERT_TRUE(port.ok());
  EXPECT_EQ(port->master, "eg-br");
  auto links = a->rtnl.ListLinks();
  ASSERT_TRUE(links.ok()) << links.status().ToString();
  bool saw_bridge = false;
  for (const Link& l : *links) {
    if (l.name == "eg-br") {
      saw_bridge = true;
      EXPECT_EQ(l.kind, Link::Kind::kBridge);
    }
    if (l.name == "eg-v0") {
      EXPECT_EQ(l.master, "eg-br");
    }
    if (l.name == "eg-v1") {
      EXPECT_EQ(l.master, "");
    }
  }
  EXPECT_TRUE(saw_bridge);

  ASSERT_TRUE(a->rtnl.SetMaster("eg-v0", "").ok());
  EXPECT_EQ(a->rtnl.GetLink("eg-v0")->master, "");
  Status clash = a->rtnl.CreateBridge("eg-v1");
  EXPECT_EQ(clash.code(), Code::kAlreadyExists);
  EXPECT_NE(clash.message().find("exists and is veth, not a bridge"), std::string::npos)
      << clash.message();
  Status no_master = a->rtnl.SetMaster("eg-v0", "nosuch-br");
  EXPECT_EQ(no_master.code(), Code::kNotFound);
  EXPECT_EQ(no_master.message(), "set link eg-v0 master nosuch-br: link \"nosuch-br\" not found");
}

TEST(KernelRtnl, ChangesUpMtuAndMac) {
  SKIP_UNLESS_ROOT();
  auto a = Lab::Make("settings");
  ASSERT_TRUE(a);
  ASSERT_TRUE(a->rtnl.CreateVeth("eg-s0", "eg-s1").ok());
  ASSERT_TRUE(a->rtnl.SetLinkUp("eg-s0", true).ok());
  ASSERT_TRUE(a->rtnl.SetMtu("eg-s0", 1280).ok());
  ASSERT_TRUE(a->rtnl.SetMac("eg-s0", Mac("02:00:00:aa:bb:01")).ok());
  auto l = a->rtnl.GetLink("eg-s0");
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(l->up);
  EXPECT_EQ(l->mtu, 1280);
  EXPECT_EQ(l->mac, Mac("02:00:00:aa:bb:01"));
  ASSERT_TRUE(a->rtnl.SetLinkUp("eg-s0", false).ok());
  EXPECT_FALSE(a->rtnl.GetLink("eg-s0")->up);

  Status bad = a->rtnl.SetMtu("eg-s0", 100000);
  EXPECT_EQ(bad.code(), Code::kInvalid);
  EXPECT_NE(bad.message().find("set link eg-s0 mtu 100000: "), std::string::npos);
}

TEST(KernelRtnl, MovesAndRenamesLink) {
  SKIP_UNLESS_ROOT();
  auto a = Lab::Make("move-a");
  auto b = Lab::Make("move-b");
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->rtnl.CreateVeth("eg-m0", "eg-m1").ok());
  ASSERT_TRUE(a->rtnl.MoveLink("eg-m1", b->ns.ns().fd(), "eth0").ok());
  EXPECT_EQ(a->rtnl.GetLink("eg-m1").status().code(), Code::kNotFound);
  auto moved = b->rtnl.GetLink("eth0");
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->kind, Link::Kind::kVeth);
}

Link VxlanSpec() {
  Link spec;
  spec.name = "egret.vx";
  spec.kind = Link::Kind::kVxlan;
  spec.vxlan_id = 42;
  spec.vxlan_port = 4789;
  spec.vxlan_local = Ip("10.200.0.1");
  spec.vxlan_underlay = "eg-u0";
  spec.vxlan_learning = false;
  spec.mtu = 1400;
  spec.up = true;
  return spec;
}

TEST(KernelRtnl, CreatesVxlanIdempotently) {
  SKIP_UNLESS_ROOT();
  auto a = Lab::Make("vxlan");
  ASSERT_TRUE(a);
  ASSERT_TRUE(a->rtnl.CreateVeth("eg-u0", "eg-u1").ok());
  ASSERT_TRUE(a->rtnl.SetLinkUp("eg-u0", true).ok());
  Link spec = VxlanSpec();
  Status created = a->rtnl.CreateVxlan(spec);
  ASSERT_TRUE(created.ok()) << created.ToString();
  ASSERT_TRUE(a->rtnl.CreateVxlan(spec).ok()) << "same settings: nothing to do";

  auto l = a->rtnl.GetLink("egret.vx");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->kind, Link::Kind::kVxlan);
  EXPECT_EQ(l->vxlan_id, 42u);
  EXPECT_EQ(l->vxlan_port, 4789);
  EXPECT_EQ(l->vxlan_local, Ip("10.200.0.1"));
  EXPECT_EQ(l->vxlan_underlay, "eg-u0");
  EXPECT_FALSE(l->vxlan_learning);
  EXPECT_EQ(l->mtu, 1400);
  EXPECT_TRUE(l->up);
  std::string shown = Observe("ip -n " + a->ns.name() + " -d link show egret.vx");
  EXPECT_NE(shown.find("vxlan id 42 local 10.200.0.1 dev eg-u0"), std::string::npos) << shown;
  EXPECT_NE(shown.find("nolearning"), std::string::npos) << shown;
  EXPECT_NE(shown.find("udpcsum"), std::string::npos) << shown;

  spec.mtu = 1380;
  ASSERT_TRUE(a->rtnl.CreateVxlan(spec).ok()) << "the MTU can change in place";
  EXPECT_EQ(a->rtnl.GetLink("egret.vx")->mtu, 1380);
  spec.vxlan_id = 43;
  Status differs = a->rtnl.CreateVxlan(spec);
  EXPECT_EQ(differs.code(), Code::kAlreadyExists);
  EXPECT_NE(differs.message().find("exists with id 42 (want 43); these cannot change in place"),
            std::string::npos)
      << differs.message();
}

TEST(KernelRtnl, CreatesVxlanOverIpv6WithoutChecksum) {
  SKIP_UNLESS_ROOT();
  auto a = Lab::Make("vxlan6");
  ASSERT_TRUE(a);
  Link spec;
  spec.name = "egret.vx6";
  spec.vxlan_id = 7;
  spec.vxlan_port = 8472;
  spec.vxlan_local = Ip("fd00:200::1");
  ASSERT_TRUE(a->rtnl.CreateVxlan(spec, VxlanOptions{.udp_csum = false}).ok());
  auto l = a->rtnl.GetLink("egret.vx6");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->vxlan_local, Ip("fd00:200::1"));
  EXPECT_EQ(l->vxlan_port, 8472);
  std::string shown = Observe("ip -n " + a->ns.name() + " -d link show egret.vx6");
  EXPECT_NE(shown.find("udp6zerocsumtx udp6zerocsumrx"), std::string::npos) << shown;
  Status wrong_csum = a->rtnl.CreateVxlan(spec);  // default udp_csum = true differs
  EXPECT_NE(wrong_csum.message().find("udp checksum off (want on)"), std::string::npos)
      << wrong_csum.message();
}

TEST(KernelRtnl, VxlanWithUnknownUnderlayNamesIt) {
  SKIP_UNLESS_ROOT();
  auto a = Lab::Make("vxlan-bad");
  ASSERT_TRUE(a);
  Status st = a->rtnl.CreateVxlan(VxlanSpec());
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_EQ(st.message(), "create vxlan egret.vx id 42: link \"eg-u0\" not found");
}

}  // namespace
}  // namespace egret::netlink
