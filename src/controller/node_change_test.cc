// A Node's status heartbeat does not count as a change; labels, addresses, Ready do.
#include "controller/node_change.h"

#include <gtest/gtest.h>

namespace egret::controller {
namespace {

ports::WatchEvent Event(ports::EventType type, const std::string& labels,
                        const std::string& ready, const std::string& beat) {
  ports::WatchEvent ev;
  ev.type = type;
  ev.object.key = {"Node", "", "n1"};
  ev.object.json = R"({"metadata":{"name":"n1","labels":)" + labels +
                   R"(},"status":{"addresses":[{"type":"InternalIP","address":"10.0.0.1"}],)"
                   R"("conditions":[{"type":"Ready","status":")" +
                   ready + R"(","lastHeartbeatTime":")" + beat + R"("}]}})";
  return ev;
}

TEST(NodeChangeFilterTest, HeartbeatsAreNotChanges) {
  NodeChangeFilter f;
  using T = ports::EventType;
  EXPECT_TRUE(f.Matters(Event(T::kAdded, "{}", "True", "2026-11-22T00:00:00Z"))) << "first sight";
  EXPECT_FALSE(f.Matters(Event(T::kModified, "{}", "True", "2026-11-22T00:00:10Z")));
  EXPECT_TRUE(f.Matters(Event(T::kModified, R"({"gw":"true"})", "True", "2026-11-22T00:00:20Z")));
  EXPECT_TRUE(f.Matters(Event(T::kModified, R"({"gw":"true"})", "Unknown", "2026-11-22T00:00:20Z")));
  EXPECT_FALSE(f.Matters(Event(T::kModified, R"({"gw":"true"})", "Unknown", "2026-11-22T00:01:00Z")));
  EXPECT_TRUE(f.Matters(Event(T::kDeleted, "{}", "True", "")));
  EXPECT_TRUE(f.Matters(Event(T::kAdded, "{}", "True", "2026-11-22T00:02:00Z"))) << "seen anew";
}

}  // namespace
}  // namespace egret::controller
