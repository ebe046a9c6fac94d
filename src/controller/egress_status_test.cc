#include "controller/egress_status.h"

#include <gtest/gtest.h>


#include "adapters/store_sqlite/sqlite_store.h"
#include "doc/json.h"
#include "model/egress_gateway.h"
#include "model/egress_policy.h"
#include "model/kind_codec.h"

#include "common/temp_dir.h"
#include "controller/egress_state_hub.h"
#include "core/egress/node_state_codec.h"

namespace egret::controller {
namespace {

class EgressStatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = adapters::SqliteStore::Open(dir_.File("db"));
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
  }

  void Put(const ports::ObjectKey& key, const std::string& json) {
    auto done = store_->Commit({{ports::Write::Op::kPut, key, json, {}}});
    ASSERT_TRUE(done.ok()) << done.status().ToString();
  }
  // A Ready node labelled egress=<egress>.
  void AddNode(const std::string& name, const std::string& egress) {
    Put({"Node", "", name}, R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" + name +
                                R"(","labels":{"egress":")" + egress + R"("}}})");
    auto st = store_->PutStatus({"Node", "", name},
                                R"({"conditions":[{"type":"Ready","status":"True"}]})", {});
    ASSERT_TRUE(st.ok()) << st.status().ToString();
  }
  void AddGateway(const std::string& pool) {
    Put({"EgressGateway", "", "gw"},
        R"({"apiVersion":"egret.io/v1","kind":"EgressGateway","metadata":{"name":"gw"},)"
        R"("spec":{"nodeSelector":{"selector":{"matchLabels":{"egress":"true"}}},)"
        R"("ippools":{"ipv4":[")" +
            pool + R"("]}}})");
  }
  void AddNamespace() {
    Put({"Namespace", "", "shop"},
        R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"shop"}})");
  }
  void AddPolicy(const std::string& name, const std::string& allocator) {
    Put({"EgressPolicy", "shop", name},
        R"({"apiVersion":"egret.io/v1","kind":"EgressPolicy",)"
        R"("metadata":{"name":")" +
            name +
            R"(","namespace":"shop"},)"
            R"("spec":{"egressGatewayName":"gw","egressIP":{"allocatorPolicy":")" +
            allocator + R"("},"appliedTo":{"podSelector":{}}}})");
  }
  // The usual cluster: gateway with a 3-address pool, two gateway nodes, an rr and a default
  // policy.
  void AddCluster() {
    AddGateway("10.6.1.21-10.6.1.23");
    AddNode("n1", "true");
    AddNode("n2", "true");
    AddNamespace();
    AddPolicy("rr", "rr");
    AddPolicy("def", "default");
  }

  model::EgressPolicyStatus PolicyStatusOf(const std::string& name) {
    auto obj = store_->Get({"EgressPolicy", "shop", name});
    EXPECT_TRUE(obj.ok()) << obj.status().ToString();
    if (!obj.ok()) return {};
    auto p =
        model::DecodeTyped(*doc::ParseJson(obj->json), "EgressPolicy", &model::DecodeEgressPolicy);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? p->status : model::EgressPolicyStatus{};
  }
  model::EgressGatewayStatus GatewayStatusOf() {
    auto obj = store_->Get({"EgressGateway", "", "gw"});
    EXPECT_TRUE(obj.ok()) << obj.status().ToString();
    if (!obj.ok()) return {};
    auto g = model::DecodeTyped(*doc::ParseJson(obj->json), "EgressGateway",
                                &model::DecodeEgressGateway);
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    return g.ok() ? g->status : model::EgressGatewayStatus{};
  }

  TempDir dir_{"egress-status"};
  std::unique_ptr<adapters::SqliteStore> store_;
};

std::string Ip(const std::optional<model::IpAddress>& ip) { return ip ? ip->ToString() : ""; }

TEST_F(EgressStatusTest, WritesPolicyAndGatewayStatus) {
  AddCluster();
  EgressStatusController c(store_.get(), {});
  ASSERT_TRUE(c.SyncAll().ok());
  model::EgressPolicyStatus rr = PolicyStatusOf("rr");
  model::EgressPolicyStatus def = PolicyStatusOf("def");
  ASSERT_TRUE(rr.eip_ipv4.has_value());
  ASSERT_TRUE(def.eip_ipv4.has_value());
  EXPECT_NE(*rr.eip_ipv4, *def.eip_ipv4);  // rr never takes the default EIP
  EXPECT_TRUE(rr.node == "n1" || rr.node == "n2") << rr.node;
  EXPECT_TRUE(def.node == "n1" || def.node == "n2") << def.node;

  model::EgressGatewayStatus gw = GatewayStatusOf();
  ASSERT_EQ(gw.node_list.size(), 2u);
  EXPECT_EQ(gw.node_list[0].name, "n1");
  EXPECT_EQ(gw.node_list[1].name, "n2");
  EXPECT_TRUE(gw.node_list[0].ready);
  size_t eips = gw.node_list[0].eips.size() + gw.node_list[1].eips.size();
  EXPECT_EQ(eips, 2u);
  ASSERT_TRUE(gw.ip_usage.has_value());
  EXPECT_EQ(gw.ip_usage->ipv4_total, 3);
  EXPECT_EQ(gw.ip_usage->ipv4_free, 1);
}

TEST_F(EgressStatusTest, PublishesEachNodesEgressStateToTheHub) {
  AddCluster();
  AddNode("w1", "false");
  Put({"Pod", "shop", "web"},
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"shop"},)"
      R"("spec":{"nodeName":"w1","containers":[{"name":"c"}]}})");
  ASSERT_TRUE(store_->PutStatus({"Pod", "shop", "web"}, R"({"podIPs":[{"ip":"10.244.1.5"}]})", {})
                  .ok());
  EgressStateHub hub;
  EgressStatusController c(store_.get(), {}, &hub);
  ASSERT_TRUE(c.SyncAll().ok());
  auto w1v = hub.states().WaitNewer("w1", 0, std::chrono::milliseconds(1));
  ASSERT_TRUE(w1v);
  auto w1 = core::egress::DecodeNodeEgressState(*doc::ParseJson(w1v->state));
  ASSERT_TRUE(w1.ok()) << w1.status().ToString();
  // Both policies select the pod; the one listed first in PolicyId order wins ("def").
  ASSERT_EQ(w1->steering.size(), 1u) << doc::ToJson(core::egress::EncodeNodeEgressState(*w1));
  EXPECT_EQ(w1->steering[0].source.ToString(), "10.244.1.5");
  EXPECT_EQ(w1->steering[0].policy.name, "def");
  EXPECT_TRUE(w1->snat.empty());
  auto n1v = hub.states().WaitNewer("n1", 0, std::chrono::milliseconds(1));
  ASSERT_TRUE(n1v);
  auto n1 = core::egress::DecodeNodeEgressState(*doc::ParseJson(n1v->state));
  ASSERT_TRUE(n1.ok()) << n1.status().ToString();
  ASSERT_FALSE(n1->snat.empty());
  EXPECT_EQ(n1->snat[0].source_nodes, std::vector<std::string>{"w1"});
}

TEST_F(EgressStatusTest, SecondPassWithoutChangeWritesNothing) {
  AddCluster();
  EgressStatusController c(store_.get(), {});
  ASSERT_TRUE(c.SyncAll().ok());
  int64_t v = store_->CurrentVersion();
  ASSERT_TRUE(c.SyncAll().ok());
  EXPECT_EQ(store_->CurrentVersion(), v);
  // A fresh controller (a restart) reads the same plan from the stored status.
  EgressStatusController again(store_.get(), {});
  ASSERT_TRUE(again.SyncAll().ok());
  EXPECT_EQ(store_->CurrentVersion(), v);
}

TEST_F(EgressStatusTest, EipMovesWhenItsNodeStopsMatching) {
  AddCluster();
  EgressStatusController c(store_.get(), {});
  ASSERT_TRUE(c.SyncAll().ok());
  model::EgressPolicyStatus before = PolicyStatusOf("rr");
  std::string other = before.node == "n1" ? "n2" : "n1";
  AddNode(before.node, "false");  // relabel: no longer a gateway node
  ASSERT_TRUE(c.SyncAll().ok());
  model::EgressPolicyStatus after = PolicyStatusOf("rr");
  EXPECT_EQ(after.node, other);
  EXPECT_EQ(Ip(after.eip_ipv4), Ip(before.eip_ipv4));  // the EIP moves, it does not change
  model::EgressGatewayStatus gw = GatewayStatusOf();
  ASSERT_EQ(gw.node_list.size(), 1u);
  EXPECT_EQ(gw.node_list[0].name, other);
}

TEST_F(EgressStatusTest, DeletingAPolicyFreesItsAddress) {
  AddCluster();
  EgressStatusController c(store_.get(), {});
  ASSERT_TRUE(c.SyncAll().ok());
  ASSERT_EQ(GatewayStatusOf().ip_usage->ipv4_free, 1);
  auto done = store_->Commit({{ports::Write::Op::kDelete, {"EgressPolicy", "shop", "rr"}, "", {}}});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  ASSERT_TRUE(c.SyncAll().ok());
  model::EgressGatewayStatus gw = GatewayStatusOf();
  ASSERT_TRUE(gw.ip_usage.has_value());
  EXPECT_EQ(gw.ip_usage->ipv4_free, 2);
}

TEST_F(EgressStatusTest, PoolExhaustionLeavesThePolicyWithoutEip) {
  AddGateway("10.6.1.21-10.6.1.22");  // the default EIP and one rr slot
  AddNode("n1", "true");
  AddNamespace();
  AddPolicy("def", "default");
  AddPolicy("a", "rr");
  AddPolicy("b", "rr");
  EgressStatusController c(store_.get(), {});
  ASSERT_TRUE(c.SyncAll().ok());
  EXPECT_TRUE(PolicyStatusOf("a").eip_ipv4.has_value());
  model::EgressPolicyStatus b = PolicyStatusOf("b");
  EXPECT_FALSE(b.eip_ipv4.has_value());
  EXPECT_EQ(b.node, "");
  EXPECT_EQ(GatewayStatusOf().ip_usage->ipv4_free, 0);
}

TEST_F(EgressStatusTest, SkipsObjectsThatDoNotDecode) {
  AddCluster();
  Put({"EgressPolicy", "shop", "broken"},
      R"({"apiVersion":"egret.io/v1","kind":"EgressPolicy",)"
      R"("metadata":{"name":"broken","namespace":"shop"},"spec":{"priority":"high"}})");
  EgressStatusController c(store_.get(), {});
  ASSERT_TRUE(c.SyncAll().ok());
  EXPECT_TRUE(PolicyStatusOf("rr").eip_ipv4.has_value());
}

TEST_F(EgressStatusTest, BackgroundLoopFollowsChanges) {
  AddCluster();
  EgressStatusController c(store_.get(), {});
  c.Start();
  for (int i = 0; i < 100 && !PolicyStatusOf("rr").eip_ipv4; ++i) usleep(20'000);
  EXPECT_TRUE(PolicyStatusOf("rr").eip_ipv4.has_value());
  AddPolicy("late", "rr");
  for (int i = 0; i < 100 && !PolicyStatusOf("late").eip_ipv4; ++i) usleep(20'000);
  EXPECT_TRUE(PolicyStatusOf("late").eip_ipv4.has_value());
  c.Stop();
}

TEST(EgressStatusKinds, InputKinds) {
  EXPECT_TRUE(EgressStatusController::IsInputKind("EgressGateway"));
  EXPECT_TRUE(EgressStatusController::IsInputKind("Node"));
  EXPECT_TRUE(EgressStatusController::IsInputKind("Pod"));
  EXPECT_FALSE(EgressStatusController::IsInputKind("Service"));
}

}  // namespace
}  // namespace egret::controller
