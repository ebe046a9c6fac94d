// The policy "Ready" condition: computed from a realization, merged into stored conditions, and
// written by the PolicyController's status writer into the stored NetworkPolicy,
// AdminNetworkPolicy and BaselineAdminNetworkPolicy (sqlite store).
#include "controller/policy_status.h"

#include <gtest/gtest.h>

#include "adapters/store_sqlite/sqlite_store.h"
#include "common/temp_dir.h"
#include "controller/policy_controller.h"
#include "doc/json.h"

namespace egret::controller {
namespace {

using model::Condition;
using model::ConditionStatus;
using std::chrono::milliseconds;

PolicyRealization Realized(size_t nodes, size_t realized) {
  PolicyRealization r;
  r.policy = {core::netpol::PolicyKind::kNetworkPolicy, "x", "deny"};
  for (size_t i = 0; i < nodes; ++i) r.nodes.push_back("n" + std::to_string(i + 1));
  r.realized = realized;
  return r;
}

TEST(PolicyReadyCondition, TrueOnlyWhenEveryNodeHasRealizedIt) {
  Condition pending = RealizationCondition(Realized(3, 2), 4);
  EXPECT_EQ(pending, (Condition{.type = "Ready",
                                .status = ConditionStatus::kFalse,
                                .reason = "Pending",
                                .message = "realized on 2 of 3 nodes",
                                .observed_generation = 4}));
  Condition done = RealizationCondition(Realized(3, 3), 4);
  EXPECT_EQ(done.status, ConditionStatus::kTrue);
  EXPECT_EQ(done.reason, "Realized");
  EXPECT_EQ(done.message, "realized on 3 of 3 nodes");
  // Selecting no scheduled pod: nothing to enforce anywhere, so it is realized.
  Condition none = RealizationCondition(Realized(0, 0), 1);
  EXPECT_EQ(none.status, ConditionStatus::kTrue);
  EXPECT_EQ(none.message, "realized on 0 of 0 nodes");
}

TEST(PolicyReadyCondition, MergeKeepsTheTransitionTimeWhileTheStatusStays) {
  const std::string kThen = "2024-05-01T12:00:00Z", kNow = "2024-05-01T12:05:00Z";
  Condition foreign{.type = "example.com/Audited",
                    .status = ConditionStatus::kTrue,
                    .reason = "Audited",
                    .last_transition_time = kThen};
  Condition old = RealizationCondition(Realized(3, 1), 1);
  old.last_transition_time = kThen;
  std::vector<Condition> stored = {foreign, old};

  // 1 -> 2 of 3: still False, so the time stays; the message moves.
  std::vector<Condition> merged =
      MergeCondition(stored, RealizationCondition(Realized(3, 2), 1), kNow);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0], foreign);  // other types are left alone, in place
  EXPECT_EQ(merged[1].message, "realized on 2 of 3 nodes");
  EXPECT_EQ(merged[1].last_transition_time, kThen);

  // False -> True: a transition, stamped now.
  merged = MergeCondition(stored, RealizationCondition(Realized(3, 3), 1), kNow);
  EXPECT_EQ(merged[1].status, ConditionStatus::kTrue);
  EXPECT_EQ(merged[1].last_transition_time, kNow);

  // No condition of the type yet: appended, stamped now.
  merged = MergeCondition({foreign}, RealizationCondition(Realized(1, 0), 1), kNow);
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[1].type, "Ready");
  EXPECT_EQ(merged[1].last_transition_time, kNow);
}

class PolicyStatusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = adapters::SqliteStore::Open(dir_.File("db"));
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
  }

  int64_t Put(const ports::ObjectKey& key, const std::string& json) {
    auto done = store_->Commit({{ports::Write::Op::kPut, key, json, {}}});
    EXPECT_TRUE(done.ok()) << done.status().ToString();
    return done.ok() ? done->at(0).resource_version : 0;
  }
  void AddPod(const std::string& ns, const std::string& name, const std::string& node,
              const std::string& app = "db") {
    Put({"Pod", ns, name}, R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":")" + name +
                               R"(","namespace":")" + ns + R"(","labels":{"app":")" + app +
                               R"("}},"spec":{"nodeName":")" + node +
                               R"(","containers":[{"name":"c"}]},"status":{"phase":"Running"}})");
  }
  int64_t PutPolicy(const std::string& spec = R"({"podSelector":{"matchLabels":{"app":"db"}}})") {
    return Put({"NetworkPolicy", "x", "deny"},
               R"({"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy",)"
               R"("metadata":{"name":"deny","namespace":"x"},"spec":)" +
                   spec + "}");
  }
  // Reports every node's current version as applied.
  void ReportAll(const std::vector<std::string>& nodes) {
    for (const std::string& n : nodes) {
      auto v = hub_.states().WaitNewer(n, 0, milliseconds(0));
      ASSERT_TRUE(v.has_value()) << n;
      ASSERT_TRUE(hub_.states().ReportApplied(n, v->version));
    }
  }
  StoredPolicyStatus StatusOf(const ports::ObjectKey& key) {
    auto obj = store_->Get(key);
    EXPECT_TRUE(obj.ok()) << obj.status().ToString();
    if (!obj.ok()) return {};
    auto st = ReadPolicyStatus(*obj);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    return st.ok() ? *st : StoredPolicyStatus{};
  }
  const Condition* Ready(const StoredPolicyStatus& s) {
    for (const Condition& c : s.conditions) {
      if (c.type == "Ready") return &c;
    }
    return nullptr;
  }

  static constexpr PolicyStatusWriter::Options kNoGrace{.interval = milliseconds(50),
                                                        .restart_grace = milliseconds(0)};
  const ports::ObjectKey kNp{"NetworkPolicy", "x", "deny"};
  TempDir dir_{"policy-status"};
  std::unique_ptr<adapters::SqliteStore> store_;
  PolicyStateHub hub_;
};

TEST_F(PolicyStatusTest, NetworkPolicyGoesFromPendingToRealizedAsAgentsReport) {
  AddPod("x", "db1", "n1");
  AddPod("x", "db2", "n2");
  AddPod("x", "web", "n3", "web");  // not selected: n3 is not one of the policy's nodes
  PutPolicy();
  PolicyController c(store_.get(), &hub_, kNoGrace);
  ASSERT_TRUE(c.SyncAll().ok());
  ASSERT_TRUE(c.WriteStatuses().ok());
  StoredPolicyStatus s = StatusOf(kNp);
  ASSERT_NE(Ready(s), nullptr);
  EXPECT_EQ(Ready(s)->status, ConditionStatus::kFalse);
  EXPECT_EQ(Ready(s)->reason, "Pending");
  EXPECT_EQ(Ready(s)->message, "realized on 0 of 2 nodes");
  EXPECT_EQ(Ready(s)->observed_generation, 1);
  std::string pending_since = Ready(s)->last_transition_time;
  EXPECT_FALSE(pending_since.empty());

  ReportAll({"n1"});
  ASSERT_TRUE(c.WriteStatuses().ok());
  s = StatusOf(kNp);
  EXPECT_EQ(Ready(s)->message, "realized on 1 of 2 nodes");
  EXPECT_EQ(Ready(s)->last_transition_time, pending_since);  // still False

  ReportAll({"n2"});
  ASSERT_TRUE(c.WriteStatuses().ok());
  s = StatusOf(kNp);
  EXPECT_EQ(Ready(s)->status, ConditionStatus::kTrue);
  EXPECT_EQ(Ready(s)->reason, "Realized");
  EXPECT_EQ(Ready(s)->message, "realized on 2 of 2 nodes");

  // Nothing changed: no write (the version stays).
  ASSERT_TRUE(c.WriteStatuses().ok());
  EXPECT_EQ(StatusOf(kNp).resource_version, s.resource_version);
}

TEST_F(PolicyStatusTest, AdminAndBaselinePoliciesGetTheConditionToo) {
  AddPod("x", "db1", "n1");
  Put({"AdminNetworkPolicy", "", "a"},
      R"({"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"AdminNetworkPolicy",)"
      R"("metadata":{"name":"a"},"spec":{"priority":5,"subject":{"namespaces":{}},)"
      R"("ingress":[{"action":"Deny","from":[{"namespaces":{}}]}]}})");
  Put({"BaselineAdminNetworkPolicy", "", "default"},
      R"({"apiVersion":"policy.networking.k8s.io/v1alpha1","kind":"BaselineAdminNetworkPolicy",)"
      R"("metadata":{"name":"default"},"spec":{"subject":{"namespaces":{}},)"
      R"("ingress":[{"action":"Deny","from":[{"namespaces":{}}]}]}})");
  PolicyController c(store_.get(), &hub_, kNoGrace);
  ASSERT_TRUE(c.SyncAll().ok());
  ReportAll({"n1"});
  ASSERT_TRUE(c.WriteStatuses().ok());
  for (const ports::ObjectKey& key :
       {ports::ObjectKey{"AdminNetworkPolicy", "", "a"},
        ports::ObjectKey{"BaselineAdminNetworkPolicy", "", "default"}}) {
    StoredPolicyStatus s = StatusOf(key);
    ASSERT_NE(Ready(s), nullptr) << key.kind;
    EXPECT_EQ(Ready(s)->status, ConditionStatus::kTrue) << key.kind;
    EXPECT_EQ(Ready(s)->message, "realized on 1 of 1 nodes") << key.kind;
  }
}

TEST_F(PolicyStatusTest, KeepsConditionsOfOtherTypes) {
  AddPod("x", "db1", "n1");
  PutPolicy();
  const std::string kForeign =
      R"({"conditions":[{"type":"example.com/Audited","status":"True",)"
      R"("lastTransitionTime":"2024-05-01T12:00:00Z","reason":"Audited","message":""}]})";
  ASSERT_TRUE(store_->PutStatus(kNp, kForeign, std::nullopt).ok());
  PolicyController c(store_.get(), &hub_, kNoGrace);
  ASSERT_TRUE(c.SyncAll().ok());
  ASSERT_TRUE(c.WriteStatuses().ok());
  StoredPolicyStatus s = StatusOf(kNp);
  ASSERT_EQ(s.conditions.size(), 2u);
  EXPECT_EQ(s.conditions[0].type, "example.com/Audited");
  EXPECT_EQ(s.conditions[1].type, "Ready");
}

TEST_F(PolicyStatusTest, AConflictIsToleratedAndTheNextListBringsTheNewVersion) {
  AddPod("x", "db1", "n1");
  PutPolicy();
  PolicyController c(store_.get(), &hub_, kNoGrace);
  ASSERT_TRUE(c.SyncAll().ok());
  // The spec changes after the list: the write's precondition fails, quietly.
  PutPolicy(R"({"podSelector":{"matchLabels":{"app":"db"}},"policyTypes":["Ingress","Egress"]})");
  ASSERT_TRUE(c.WriteStatuses().ok());
  EXPECT_EQ(Ready(StatusOf(kNp)), nullptr);
  // The event of the change brings a recompile and a list; then the write goes through, for
  // the new generation.
  ASSERT_TRUE(c.SyncAll().ok());
  ASSERT_TRUE(c.WriteStatuses().ok());
  StoredPolicyStatus s = StatusOf(kNp);
  ASSERT_NE(Ready(s), nullptr);
  EXPECT_EQ(Ready(s)->observed_generation, 2);
}

TEST_F(PolicyStatusTest, ARecreatedPolicyGetsItsStatusAgain) {
  AddPod("x", "db1", "n1");
  PutPolicy();
  PolicyController c(store_.get(), &hub_, kNoGrace);
  ASSERT_TRUE(c.SyncAll().ok());
  ReportAll({"n1"});
  ASSERT_TRUE(c.WriteStatuses().ok());
  ASSERT_NE(Ready(StatusOf(kNp)), nullptr);
  ASSERT_TRUE(store_->Commit({{ports::Write::Op::kDelete, kNp, "", {}}}).ok());
  PutPolicy();  // same name, same spec, no status
  ASSERT_TRUE(c.SyncAll().ok());
  ASSERT_TRUE(c.WriteStatuses().ok());
  StoredPolicyStatus s = StatusOf(kNp);
  ASSERT_NE(Ready(s), nullptr);
  EXPECT_EQ(Ready(s)->message, "realized on 1 of 1 nodes");
}

TEST_F(PolicyStatusTest, StatusOnlyEventsNeedNoRecompile) {
  AddPod("x", "db1", "n1");
  PutPolicy();
  PolicyStatusWriter w(store_.get(), &hub_, kNoGrace);
  auto list = store_->List("NetworkPolicy", "");
  ASSERT_TRUE(list.ok());
  auto listed = ReadPolicyStatus(list->items.at(0));
  ASSERT_TRUE(listed.ok());
  w.ObserveListed("NetworkPolicy", {{kNp, *listed}}, list->resource_version);
  // A status write (ours or anyone's) keeps the generation: recorded, no recompile.
  const std::string kStatus =
      R"({"conditions":[{"type":"Ready","status":"False","lastTransitionTime":)"
      R"("2024-05-01T12:00:00Z","reason":"Pending","message":"realized on 0 of 1 nodes"}]})";
  auto written = store_->PutStatus(kNp, kStatus, std::nullopt);
  ASSERT_TRUE(written.ok());
  EXPECT_TRUE(w.ObserveStatusOnly(*written));
  // A new spec moves the generation: recompile.
  PutPolicy(R"({"podSelector":{}})");
  auto changed = store_->Get(kNp);
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(w.ObserveStatusOnly(*changed));
  // An object the writer never listed: recompile.
  EXPECT_FALSE(w.ObserveStatusOnly({{"NetworkPolicy", "x", "other"}, 99, changed->json}));
}

TEST_F(PolicyStatusTest, AfterARestartATrueConditionWaitsForTheAgentsToReportAgain) {
  AddPod("x", "db1", "n1");
  PutPolicy();
  {
    PolicyController first(store_.get(), &hub_, kNoGrace);
    ASSERT_TRUE(first.SyncAll().ok());
    ReportAll({"n1"});
    ASSERT_TRUE(first.WriteStatuses().ok());
  }
  ASSERT_EQ(Ready(StatusOf(kNp))->status, ConditionStatus::kTrue);
  // A new controller (its own hub: versions start over, no reports yet).
  PolicyStateHub fresh;
  PolicyController graced(store_.get(), &fresh,
                          {.interval = milliseconds(50), .restart_grace = milliseconds(60000)});
  ASSERT_TRUE(graced.SyncAll().ok());
  ASSERT_TRUE(graced.WriteStatuses().ok());
  EXPECT_EQ(Ready(StatusOf(kNp))->status, ConditionStatus::kTrue);
  // Without the grace the same pass turns it False.
  PolicyController eager(store_.get(), &fresh, kNoGrace);
  ASSERT_TRUE(eager.SyncAll().ok());
  ASSERT_TRUE(eager.WriteStatuses().ok());
  EXPECT_EQ(Ready(StatusOf(kNp))->status, ConditionStatus::kFalse);
}

TEST_F(PolicyStatusTest, TheBackgroundLoopWritesWithoutBeingAsked) {
  AddPod("x", "db1", "n1");
  PutPolicy();
  PolicyController c(store_.get(), &hub_, kNoGrace);
  c.Start();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool reported = false;
  std::string message;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!reported) {
      auto v = hub_.states().WaitNewer("n1", 0, milliseconds(50));
      reported = v && hub_.states().ReportApplied("n1", v->version);
    }
    auto obj = store_->Get(kNp);
    ASSERT_TRUE(obj.ok());
    auto s = ReadPolicyStatus(*obj);
    ASSERT_TRUE(s.ok());
    const Condition* ready = Ready(*s);
    message = ready ? ready->message + " " + ready->reason : "";
    if (ready && ready->status == ConditionStatus::kTrue) break;
    auto w = store_->Watch("NetworkPolicy", obj->resource_version);
    ASSERT_TRUE(w.ok());
    (void)(*w)->Next(milliseconds(200));  // wait for a change, not a fixed time
  }
  c.Stop();
  EXPECT_EQ(message, "realized on 1 of 1 nodes Realized");
}

}  // namespace
}  // namespace egret::controller
