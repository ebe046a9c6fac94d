// The hub hands each node its own document, versions only what changed, says nothing before
// the first publish, and counts a node realized once it reported its current version.
#include "controller/node_state_hub.h"

#include <gtest/gtest.h>

#include <thread>

#include "doc/json.h"

namespace egret::controller {
namespace {

using std::chrono::milliseconds;

std::string Doc(const std::string& node, const std::string& key) {
  return R"({"node":")" + node + R"(","key":")" + key + R"("})";
}

NodeStateHub MakeHub() {
  return NodeStateHub([](const std::string& node) { return Doc(node, ""); });
}

std::string KeyOf(const VersionedState& v) {
  return doc::ParseJson(v.state)->Find("key")->as_string();
}

TEST(NodeStateHubTest, NothingBeforeTheFirstPublish) {
  NodeStateHub hub = MakeHub();
  EXPECT_FALSE(hub.WaitNewer("n1", 0, milliseconds(1)));
  hub.Publish({});
  auto empty = hub.WaitNewer("n1", 0, milliseconds(1));
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->state, Doc("n1", ""));
}

TEST(NodeStateHubTest, VersionsOnlyTheNodesThatChanged) {
  NodeStateHub hub = MakeHub();
  hub.Publish({{"n1", Doc("n1", "a")}, {"n2", Doc("n2", "b")}});
  auto n1 = hub.WaitNewer("n1", 0, milliseconds(1));
  auto n2 = hub.WaitNewer("n2", 0, milliseconds(1));
  ASSERT_TRUE(n1 && n2);
  hub.Publish({{"n1", Doc("n1", "a")}, {"n2", Doc("n2", "c")}});
  EXPECT_FALSE(hub.WaitNewer("n1", n1->version, milliseconds(1)));
  auto n2b = hub.WaitNewer("n2", n2->version, milliseconds(1));
  ASSERT_TRUE(n2b);
  EXPECT_EQ(KeyOf(*n2b), "c");
}

TEST(NodeStateHubTest, ANodeThatLosesItsStateGetsTheEmptyOne) {
  NodeStateHub hub = MakeHub();
  hub.Publish({{"n1", Doc("n1", "a")}});
  auto n1 = hub.WaitNewer("n1", 0, milliseconds(1));
  ASSERT_TRUE(n1);
  hub.Publish({});
  auto gone = hub.WaitNewer("n1", n1->version, milliseconds(1));
  ASSERT_TRUE(gone);
  EXPECT_EQ(KeyOf(*gone), "");
}

TEST(NodeStateHubTest, WakesAWaiterOnPublishAndOnClose) {
  NodeStateHub hub = MakeHub();
  hub.Publish({});
  auto first = hub.WaitNewer("n1", 0, milliseconds(1));
  ASSERT_TRUE(first);
  std::optional<VersionedState> got;
  std::thread waiter([&] { got = hub.WaitNewer("n1", first->version, std::chrono::minutes(1)); });
  hub.Publish({{"n1", Doc("n1", "a")}});
  waiter.join();
  ASSERT_TRUE(got);
  EXPECT_EQ(KeyOf(*got), "a");
  std::thread closer([&] { got = hub.WaitNewer("n1", got->version, std::chrono::minutes(1)); });
  hub.Close();
  closer.join();
  EXPECT_FALSE(got);
}

TEST(NodeStateHubTest, RealizedOnceTheCurrentVersionIsReported) {
  NodeStateHub hub = MakeHub();
  hub.Publish({{"n1", Doc("n1", "a")}});
  auto v1 = hub.WaitNewer("n1", 0, milliseconds(1));
  ASSERT_TRUE(v1);
  EXPECT_FALSE(hub.Realized("n1"));
  EXPECT_TRUE(hub.ReportApplied("n1", v1->version));
  EXPECT_TRUE(hub.Realized("n1"));
  EXPECT_FALSE(hub.ReportApplied("n1", 1'000'000)) << "never handed out";
  hub.Publish({{"n1", Doc("n1", "b")}});
  EXPECT_FALSE(hub.Realized("n1")) << "a newer state is not yet applied";
}

TEST(NodeStateHubTest, CarriesADeltaFromThePreviousVersion) {
  NodeStateHub hub = MakeHub();
  hub.Publish({{"n1", Doc("n1", "a")}});
  auto v1 = hub.WaitNewer("n1", 0, milliseconds(1));
  ASSERT_TRUE(v1);
  EXPECT_FALSE(v1->delta.has_value()) << "nothing to start from";
  hub.Publish({{"n1", Doc("n1", "b")}}, {{"n1", Doc("delta", "a->b")}});
  auto v2 = hub.WaitNewer("n1", v1->version, milliseconds(1));
  ASSERT_TRUE(v2);
  ASSERT_TRUE(v2->delta.has_value());
  EXPECT_EQ(v2->base, v1->version);
  EXPECT_EQ(KeyOf(*v2), "b") << "the whole state comes along for subscribers without the base";
}

}  // namespace
}  // namespace egret::controller
