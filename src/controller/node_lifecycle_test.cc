// Nodes whose agent went silent stop being Ready; fresh ones and other conditions are untouched.
#include "controller/node_lifecycle.h"

#include <gtest/gtest.h>

#include "adapters/store_sqlite/sqlite_store.h"
#include "common/clock.h"
#include "common/temp_dir.h"
#include "doc/json.h"

namespace egret::controller {
namespace {

class NodeLifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = adapters::SqliteStore::Open(dir_.File("db"));
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
  }
  void AddNode(const std::string& name, const std::string& ready, int64_t beat) {
    auto put = store_->Commit({{ports::Write::Op::kPut, {"Node", "", name},
                                R"({"apiVersion":"v1","kind":"Node","metadata":{"name":")" +
                                    name + R"("}})",
                                {}}});
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    auto st = store_->PutStatus({"Node", "", name},
                                R"({"conditions":[{"type":"Ready","status":")" + ready +
                                    R"(","lastHeartbeatTime":")" + Rfc3339(beat) + R"("}]})",
                                {});
    ASSERT_TRUE(st.ok()) << st.status().ToString();
  }
  std::string ReadyOf(const std::string& name) {
    auto obj = store_->Get({"Node", "", name});
    auto v = doc::ParseJson(obj->json);
    return v->Find("status")->Find("conditions")->as_list()[0].Find("status")->as_string();
  }
  TempDir dir_{"node-lifecycle"};
  std::unique_ptr<adapters::SqliteStore> store_;
};

TEST_F(NodeLifecycleTest, SilentNodesBecomeUnknownFreshOnesStayReady) {
  const int64_t now = 1'800'000'000;
  AddNode("fresh", "True", now - 10);
  AddNode("silent", "True", now - 41);
  AddNode("down", "False", now - 1000);
  NodeLifecycle lc(store_.get(), std::chrono::seconds(40));
  auto marked = lc.SyncAll(now);
  ASSERT_TRUE(marked.ok()) << marked.status().ToString();
  EXPECT_EQ(*marked, std::vector<std::string>{"silent"});
  EXPECT_EQ(ReadyOf("fresh"), "True");
  EXPECT_EQ(ReadyOf("silent"), "Unknown");
  EXPECT_EQ(ReadyOf("down"), "False");
  // Idempotent: the next pass changes nothing.
  EXPECT_TRUE(lc.SyncAll(now)->empty());
}

}  // namespace
}  // namespace egret::controller
