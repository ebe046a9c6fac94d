// PodNetwork against the real kernel, in throwaway namespaces: a "node" with the egret0 bridge
// and a "pod" namespace. Needs root.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "adapters/netlink/rtnl.h"
#include "adapters/netns/temp_netns.h"
#include "agent/ipam_store.h"
#include "agent/pod_network.h"

namespace egret::agent {
namespace {

class KernelPodNetwork : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (network namespaces)";
    auto node = netns::TempNetNs::Create("node");
    auto pod = netns::TempNetNs::Create("pod");
    ASSERT_TRUE(node.ok() && pod.ok());
    node_.emplace(std::move(*node));
    pod_.emplace(std::move(*pod));
    dir_ = std::filesystem::temp_directory_path() / ("egret-podnet-" + node_->name());
    std::filesystem::create_directories(dir_);
    auto rtnl = netlink::Rtnl::Open(&node_->ns());
    ASSERT_TRUE(rtnl.ok());
    node_rtnl_.emplace(std::move(*rtnl));
    ASSERT_TRUE(node_rtnl_->CreateBridge("egret0").ok());
    ASSERT_TRUE(node_rtnl_->SetLinkUp("egret0", true).ok());
    ASSERT_TRUE(node_rtnl_->AddAddress("egret0", {*model::IpAddress::Parse("10.244.1.1"), 24}).ok());
    // The backend binds its sockets to the namespace it is created in: create it inside.
    Status st = netns::RunIn(node_->ns(), [&]() -> Status {
      auto pn = PodNetwork::Create({.state_dir = dir_.string(), .pod_mtu = 1450},
                                   [] { return std::vector<model::Cidr>{*model::Cidr::Parse("10.244.1.0/24")}; });
      if (!pn.ok()) return pn.status();
      pods_ = std::move(*pn);
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  void TearDown() override {
    pods_.reset();
    node_rtnl_.reset();
    std::filesystem::remove_all(dir_);
  }
  cni::CniRequest Request(cni::CniCommand cmd, const std::string& id) {
    cni::CniRequest r;
    r.command = cmd;
    r.cni_version = "1.1.0";
    r.network = "egret";
    r.container_id = id;
    r.netns = "/run/netns/" + pod_->name();
    r.ifname = "eth0";
    return r;
  }
  size_t EgretVeths() {
    auto links = node_rtnl_->ListLinks();
    size_t n = 0;
    for (const model::Link& l : *links) n += l.kind == model::Link::Kind::kVeth;
    return n;
  }
  size_t Allocations() {
    auto s = IpamStore::Open((dir_ / "ipam.db").string());
    return (*s)->All()->size();
  }

  std::optional<netns::TempNetNs> node_, pod_;
  std::optional<netlink::Rtnl> node_rtnl_;
  std::unique_ptr<PodNetwork> pods_;
  std::filesystem::path dir_;
};

TEST_F(KernelPodNetwork, AddPlumbsThePodAndDelRemovesEverything) {
  auto res = pods_->Add(Request(cni::CniCommand::kAdd, "c1"));
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  ASSERT_EQ(res->ips.size(), 1u);
  EXPECT_EQ(res->ips[0].address.ToString(), "10.244.1.2");
  EXPECT_EQ(res->ips[0].gateway->ToString(), "10.244.1.1");
  auto pod = netlink::Rtnl::Open(&pod_->ns());
  ASSERT_TRUE(pod.ok());
  auto eth0 = pod->GetLink("eth0");
  ASSERT_TRUE(eth0.ok());
  EXPECT_TRUE(eth0->up);
  EXPECT_EQ(eth0->mtu, 1450);
  auto routes = pod->ListRoutes(model::Family::kV4);
  bool has_default = false;
  for (const auto& r : *routes) has_default |= r.dst.prefix_len() == 0;
  EXPECT_TRUE(has_default);
  EXPECT_TRUE(pods_->Check(Request(cni::CniCommand::kCheck, "c1")).ok());

  ASSERT_TRUE(pods_->Del(Request(cni::CniCommand::kDel, "c1")).ok());
  EXPECT_EQ(EgretVeths(), 0u);
  EXPECT_EQ(Allocations(), 0u);
  EXPECT_FALSE(pod->GetLink("eth0").ok());
  // DEL is idempotent.
  EXPECT_TRUE(pods_->Del(Request(cni::CniCommand::kDel, "c1")).ok());
}

TEST_F(KernelPodNetwork, CheckReportsDrift) {
  ASSERT_TRUE(pods_->Add(Request(cni::CniCommand::kAdd, "c1")).ok());
  EXPECT_EQ(pods_->Check(Request(cni::CniCommand::kCheck, "unknown")).code(), Code::kNotFound);
  auto pod = netlink::Rtnl::Open(&pod_->ns());
  ASSERT_TRUE(pod->DeleteAddress("eth0", {*model::IpAddress::Parse("10.244.1.2"), 24}).ok());
  Status st = pods_->Check(Request(cni::CniCommand::kCheck, "c1"));
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("10.244.1.2"), std::string::npos) << st.message();
  ASSERT_TRUE(node_rtnl_->SetLinkUp(HostVethName("c1", "eth0"), false).ok());
  EXPECT_NE(pods_->Check(Request(cni::CniCommand::kCheck, "c1")).message().find("down"),
            std::string::npos);
}

TEST_F(KernelPodNetwork, GcRemovesWhatNoValidAttachmentOwns) {
  ASSERT_TRUE(pods_->Add(Request(cni::CniCommand::kAdd, "keep")).ok());
  auto other = netns::TempNetNs::Create("pod2");
  ASSERT_TRUE(other.ok());
  cni::CniRequest stale = Request(cni::CniCommand::kAdd, "stale");
  stale.netns = "/run/netns/" + other->name();
  ASSERT_TRUE(pods_->Add(stale).ok());
  ASSERT_EQ(EgretVeths(), 2u);
  cni::CniRequest gc = Request(cni::CniCommand::kGc, "");
  gc.valid_attachments = {{"keep", "eth0"}};
  ASSERT_TRUE(pods_->Gc(gc).ok());
  EXPECT_EQ(EgretVeths(), 1u);
  EXPECT_EQ(Allocations(), 1u);
  EXPECT_TRUE(pods_->Check(Request(cni::CniCommand::kCheck, "keep")).ok());
}

TEST_F(KernelPodNetwork, ThousandAddDelCyclesLeakNothing) {
  for (int i = 0; i < 1000; ++i) {
    std::string id = "cycle" + std::to_string(i);
    auto res = pods_->Add(Request(cni::CniCommand::kAdd, id));
    ASSERT_TRUE(res.ok()) << i << ": " << res.status().ToString();
    ASSERT_TRUE(pods_->Del(Request(cni::CniCommand::kDel, id)).ok()) << i;
  }
  EXPECT_EQ(EgretVeths(), 0u);
  EXPECT_EQ(Allocations(), 0u);
  auto pod = netlink::Rtnl::Open(&pod_->ns());
  auto links = pod->ListLinks();
  EXPECT_EQ(links->size(), 1u) << "only lo remains in the pod";
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_)) {
    files += e.path().filename().string().rfind("ipam.db", 0) != 0;
  }
  EXPECT_EQ(files, 0u) << "nothing but ipam.db in the state dir";
}

}  // namespace
}  // namespace egret::agent
