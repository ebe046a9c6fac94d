// The hub hands each node its own state, versions only what changed, and says nothing before
// the first publish.
#include "controller/egress_state_hub.h"

#include <gtest/gtest.h>

#include <thread>

namespace egret::controller {
namespace {

using std::chrono::milliseconds;

core::egress::NodeEgressState StateWithTarget(const std::string& node, const std::string& key) {
  core::egress::NodeEgressState s;
  s.node = node;
  s.targets.push_back({.gateway = "gw", .key = key, .eip = {}, .unit = key, .candidates = {}});
  return s;
}

TEST(EgressStateHubTest, NothingBeforeTheFirstPublish) {
  EgressStateHub hub;
  EXPECT_FALSE(hub.WaitNewer("n1", 0, milliseconds(1)));
  hub.Publish({});
  auto empty = hub.WaitNewer("n1", 0, milliseconds(1));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->state.node, "n1");
  EXPECT_TRUE(empty->state.targets.empty());
}

TEST(EgressStateHubTest, VersionsOnlyTheNodesThatChanged) {
  EgressStateHub hub;
  hub.Publish({{"n1", StateWithTarget("n1", "a")}, {"n2", StateWithTarget("n2", "b")}});
  auto n1 = hub.WaitNewer("n1", 0, milliseconds(1));
  auto n2 = hub.WaitNewer("n2", 0, milliseconds(1));
  ASSERT_TRUE(n1 && n2);
  hub.Publish({{"n1", StateWithTarget("n1", "a")}, {"n2", StateWithTarget("n2", "c")}});
  EXPECT_FALSE(hub.WaitNewer("n1", n1->version, milliseconds(1)));
  auto n2b = hub.WaitNewer("n2", n2->version, milliseconds(1));
  ASSERT_TRUE(n2b);
  EXPECT_EQ(n2b->state.targets[0].key, "c");
}

TEST(EgressStateHubTest, ANodeThatLosesItsStateGetsTheEmptyOne) {
  EgressStateHub hub;
  hub.Publish({{"n1", StateWithTarget("n1", "a")}});
  auto n1 = hub.WaitNewer("n1", 0, milliseconds(1));
  ASSERT_TRUE(n1);
  hub.Publish({});
  auto gone = hub.WaitNewer("n1", n1->version, milliseconds(1));
  ASSERT_TRUE(gone);
  EXPECT_TRUE(gone->state.targets.empty());
}

TEST(EgressStateHubTest, WakesAWaiterOnPublishAndOnClose) {
  EgressStateHub hub;
  hub.Publish({});
  auto first = hub.WaitNewer("n1", 0, milliseconds(1));
  ASSERT_TRUE(first);
  std::optional<VersionedEgressState> got;
  std::thread waiter([&] { got = hub.WaitNewer("n1", first->version, std::chrono::minutes(1)); });
  hub.Publish({{"n1", StateWithTarget("n1", "a")}});
  waiter.join();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->state.targets.size(), 1u);
  std::thread closer([&] { got = hub.WaitNewer("n1", got->version, std::chrono::minutes(1)); });
  hub.Close();
  closer.join();
  EXPECT_FALSE(got);
}

}  // namespace
}  // namespace egret::controller
