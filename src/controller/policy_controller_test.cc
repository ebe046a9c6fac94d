#include "controller/policy_controller.h"

#include <gtest/gtest.h>

#include "adapters/store_sqlite/sqlite_store.h"
#include "common/temp_dir.h"
#include "controller/policy_state_hub.h"
#include "core/netpol/member_delta.h"
#include "core/netpol/state_codec.h"
#include "doc/json.h"

namespace egret::controller {
namespace {

using std::chrono::milliseconds;

class PolicyControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = adapters::SqliteStore::Open(dir_.File("db"));
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
  }

  void Put(const ports::ObjectKey& key, const std::string& json) {
    auto done = store_->Commit({{ports::Write::Op::kPut, key, json, {}}});
    ASSERT_TRUE(done.ok()) << done.status().ToString();
  }
  void AddPod(const std::string& ns, const std::string& name, const std::string& node,
              const std::string& app, const std::string& ip) {
    Put({"Pod", ns, name},
        R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name + R"(","namespace":")" +
            ns + R"(","labels":{"app":")" + app + R"("}},"spec":{"nodeName":")" + node +
            R"(","containers":[{"name":"c"}]},"status":{"phase":"Running","podIPs":[{"ip":")" + ip +
            R"("}]}})");
  }
  void AddDenyAll(const std::string& ns) {
    Put({"NetworkPolicy", ns, "deny"},
        R"({"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy",)"
        R"("metadata":{"name":"deny","namespace":")" +
            ns + R"("},"spec":{"podSelector":{"matchLabels":{"app":"db"}}}})");
  }

  core::netpol::NodePolicyState StateOf(const std::string& node, int64_t* version = nullptr) {
    auto v = hub_.states().WaitNewer(node, 0, milliseconds(0));
    EXPECT_TRUE(v.has_value()) << node;
    if (!v) return {};
    if (version) *version = v->version;
    auto state = core::netpol::DecodeNodePolicyState(*doc::ParseJson(v->state));
    EXPECT_TRUE(state.ok()) << state.status().ToString();
    return state.ok() ? *state : core::netpol::NodePolicyState{};
  }

  TempDir dir_{"policy-controller"};
  std::unique_ptr<adapters::SqliteStore> store_;
  PolicyStateHub hub_;
};

TEST_F(PolicyControllerTest, PublishesEveryNodeWithItsPodsAndPrograms) {
  AddPod("shop", "db", "n1", "db", "10.244.1.5");
  AddPod("shop", "web", "n2", "web", "10.244.2.5");
  AddDenyAll("shop");
  PolicyController c(store_.get(), &hub_);
  ASSERT_TRUE(c.SyncAll().ok());
  core::netpol::NodePolicyState n1 = StateOf("n1");
  ASSERT_EQ(n1.pods.size(), 1u);
  EXPECT_EQ(n1.pods[0].name, "db");
  ASSERT_EQ(n1.node_pods.size(), 1u);
  // n2 hosts only an unselected pod: it is listed, without a program.
  core::netpol::NodePolicyState n2 = StateOf("n2");
  EXPECT_TRUE(n2.pods.empty());
  ASSERT_EQ(n2.node_pods.size(), 1u);
  EXPECT_EQ(n2.node_pods[0].name, "web");
}

TEST_F(PolicyControllerTest, RealizationCountsNodesWhoseAgentsAppliedTheCurrentState) {
  AddPod("shop", "db", "n1", "db", "10.244.1.5");
  AddPod("shop", "db2", "n2", "db", "10.244.2.6");
  AddDenyAll("shop");
  PolicyController c(store_.get(), &hub_);
  ASSERT_TRUE(c.SyncAll().ok());
  auto realization = hub_.Realization();
  ASSERT_EQ(realization.size(), 1u);
  EXPECT_EQ(realization[0].policy.ToString(), "NetworkPolicy shop/deny");
  EXPECT_EQ(realization[0].nodes, (std::vector<std::string>{"n1", "n2"}));
  EXPECT_EQ(realization[0].realized, 0u);
  int64_t v1 = 0;
  StateOf("n1", &v1);
  EXPECT_TRUE(hub_.states().ReportApplied("n1", v1));
  EXPECT_EQ(hub_.Realization()[0].realized, 1u);
  EXPECT_FALSE(hub_.states().ReportApplied("n2", 1000000));  // never handed out
  // A change of n1's state makes its earlier report stale.
  AddPod("shop", "db3", "n1", "db", "10.244.1.7");
  ASSERT_TRUE(c.SyncAll().ok());
  EXPECT_EQ(hub_.Realization()[0].realized, 0u);
}

TEST_F(PolicyControllerTest, UnchangedStatesKeepTheirVersion) {
  AddPod("shop", "db", "n1", "db", "10.244.1.5");
  AddDenyAll("shop");
  PolicyController c(store_.get(), &hub_);
  ASSERT_TRUE(c.SyncAll().ok());
  int64_t v1 = 0;
  StateOf("n1", &v1);
  AddPod("other", "x", "n2", "x", "10.244.2.9");  // concerns n2 only
  ASSERT_TRUE(c.SyncAll().ok());
  EXPECT_FALSE(hub_.states().WaitNewer("n1", v1, milliseconds(0)).has_value());
  EXPECT_TRUE(hub_.states().WaitNewer("n2", 0, milliseconds(0)).has_value());
}

TEST(PolicyStateHub, NothingBeforeTheFirstPublish) {
  PolicyStateHub hub;
  EXPECT_FALSE(hub.states().WaitNewer("n1", 0, milliseconds(0)).has_value());
  hub.Publish({}, {});
  auto v = hub.states().WaitNewer("n1", 0, milliseconds(0));
  ASSERT_TRUE(v.has_value());
  auto state = core::netpol::DecodeNodePolicyState(*doc::ParseJson(v->state));
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(state->node, "n1");
  EXPECT_TRUE(state->pods.empty());
}

TEST(PolicyStateHub, AMembersOnlyChangeIsPublishedAsADelta) {
  PolicyStateHub hub;
  core::netpol::NodePolicyState a;
  a.node = "n1";
  a.address_sets.push_back({"a1", "pods ns=x", {*model::IpAddress::Parse("10.244.2.5")}});
  hub.Publish({{"n1", a}}, {});
  auto v1 = hub.states().WaitNewer("n1", 0, milliseconds(0));
  ASSERT_TRUE(v1.has_value());
  core::netpol::NodePolicyState b = a;
  b.address_sets[0].members.push_back(*model::IpAddress::Parse("10.244.3.7"));
  hub.Publish({{"n1", b}}, {});
  auto v2 = hub.states().WaitNewer("n1", v1->version, milliseconds(0));
  ASSERT_TRUE(v2.has_value());
  ASSERT_TRUE(v2->delta.has_value());
  EXPECT_EQ(v2->base, v1->version);
  auto applied = core::netpol::ApplyMemberDelta(a, *doc::ParseJson(*v2->delta));
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(*applied, b);
}

TEST(PolicyStateHub, CloseWakesWaiters) {
  PolicyStateHub hub;
  hub.Close();
  EXPECT_FALSE(hub.states().WaitNewer("n1", 0, milliseconds(5000)).has_value());
}

}  // namespace
}  // namespace egret::controller
