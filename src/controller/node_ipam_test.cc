#include "controller/node_ipam.h"

#include <gtest/gtest.h>


#include "adapters/store_sqlite/sqlite_store.h"
#include "doc/json.h"

#include "common/temp_dir.h"

namespace egret::controller {
namespace {

class NodeIpamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = adapters::SqliteStore::Open(dir_.File("db"));
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
  }
  void AddNode(const std::string& name, const std::string& spec = "") {
    std::string json = R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + name + R"("})";
    if (!spec.empty()) json += R"(,"spec":)" + spec;
    json += "}";
    auto done = store_->Commit({{ports::Write::Op::kPut, {"Node", "", name}, json, {}}});
    ASSERT_TRUE(done.ok()) << done.status().ToString();
  }
  std::vector<std::string> CidrsOf(const std::string& name) {
    auto n = store_->Get({"Node", "", name});
    auto v = doc::ParseJson(n->json);
    std::vector<std::string> out;
    const doc::Value* spec = v->Find("spec");
    if (!spec || !spec->Find("podCIDRs")) return out;
    for (const doc::Value& c : spec->Find("podCIDRs")->as_list()) out.push_back(c.as_string());
    return out;
  }
  NodeIpam Make(std::vector<const char*> cidrs) {
    core::ipam::PodCidrConfig cfg;
    for (const char* c : cidrs) cfg.cluster_cidrs.push_back(*model::Cidr::Parse(c));
    return NodeIpam(store_.get(), std::move(*core::ipam::PodCidrAllocator::Create(cfg)));
  }

  TempDir dir_{"node-ipam"};
  std::unique_ptr<adapters::SqliteStore> store_;
};

TEST_F(NodeIpamTest, GivesEachNodeItsOwnCidrPerFamily) {
  AddNode("n1");
  AddNode("n2");
  NodeIpam ipam = Make({"10.244.0.0/16", "fd00:10:244::/56"});
  ASSERT_TRUE(ipam.SyncAll().ok());
  EXPECT_EQ(CidrsOf("n1"), (std::vector<std::string>{"10.244.0.0/24", "fd00:10:244::/64"}));
  EXPECT_EQ(CidrsOf("n2"), (std::vector<std::string>{"10.244.1.0/24", "fd00:10:244:1::/64"}));
}

TEST_F(NodeIpamTest, KeepsExistingCidrsAndSkipsThemForNewNodes) {
  AddNode("n1", R"({"podCIDRs":["10.244.0.0/24"]})");
  AddNode("n2");
  NodeIpam ipam = Make({"10.244.0.0/16"});
  ASSERT_TRUE(ipam.SyncAll().ok());
  EXPECT_EQ(CidrsOf("n1"), (std::vector<std::string>{"10.244.0.0/24"}));
  EXPECT_EQ(CidrsOf("n2"), (std::vector<std::string>{"10.244.1.0/24"}));
  // A second pass changes nothing (no new version).
  int64_t v = store_->CurrentVersion();
  ASSERT_TRUE(ipam.SyncAll().ok());
  EXPECT_EQ(store_->CurrentVersion(), v);
}

TEST_F(NodeIpamTest, ExhaustionIsReportedAndOthersStillGetCidrs) {
  AddNode("a");
  AddNode("b");
  AddNode("c");
  NodeIpam ipam = Make({"10.244.0.0/23"});  // room for two /24 nodes
  Status st = ipam.SyncAll();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("10.244.0.0/23"), std::string::npos) << st.message();
  EXPECT_EQ(CidrsOf("a").size(), 1u);
  EXPECT_EQ(CidrsOf("b").size(), 1u);
  EXPECT_TRUE(CidrsOf("c").empty());
}

TEST_F(NodeIpamTest, FollowsNewNodesInTheBackground) {
  NodeIpam ipam = Make({"10.244.0.0/16"});
  ipam.Start();
  AddNode("late");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (CidrsOf("late").empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  ipam.Stop();
  EXPECT_EQ(CidrsOf("late"), (std::vector<std::string>{"10.244.0.0/24"}));
}

}  // namespace
}  // namespace egret::controller
