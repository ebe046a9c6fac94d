// The controller's API end to end in one process: ApiService + ApiServer over real sockets,
// a real sqlite store, and the api::Client the CLI and agents use.
#include <gtest/gtest.h>
#include <unistd.h>


#include "adapters/store_sqlite/sqlite_store.h"
#include "api/client.h"
#include "controller/api_server.h"
#include "controller/api_service.h"
#include "doc/yaml.h"

#include "common/temp_dir.h"

namespace egret::controller {
namespace {

using std::chrono::milliseconds;

doc::Value Yaml(const std::string& text) {
  auto docs = doc::ParseYaml(text);
  EXPECT_TRUE(docs.ok()) << docs.status().ToString();
  return docs.ok() && !docs->empty() ? (*docs)[0] : doc::Value();
}

const char* kGateway = R"(
apiVersion: egret.io/v1
kind: EgressGateway
metadata: {name: gw}
spec:
  nodeSelector: {selector: {matchLabels: {gw: "true"}}}
  ippools: {ipv4: [10.6.0.1-10.6.0.9]}
)";

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    adapters::SqliteStore::Options opts;
    opts.retained_events = 1000;
    auto store = adapters::SqliteStore::Open(dir_.File("db"), opts);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    service_ = std::make_unique<ApiService>(store_.get(), core::admission::ClusterConfig{});
    ASSERT_TRUE(service_->EnsureBuiltins().ok());
    server_ = std::make_unique<ApiServer>(
        service_.get(), ApiServerOptions{.token = "0123456789abcdef-token",
                                         .bookmark_interval = milliseconds(100)});
    addr_ = *api::Address::Parse("unix:" + dir_.File("sock"));
    auto listener = api::Listener::Listen(addr_);
    ASSERT_TRUE(listener.ok()) << listener.status().ToString();
    ASSERT_TRUE(server_->Serve(std::move(*listener)).ok());
  }
  void TearDown() override {
    server_.reset();
    service_.reset();
    store_.reset();
  }
  api::Client Connect() {
    auto c = api::Client::Connect(addr_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::move(*c);
  }

  TempDir dir_{"api"};
  std::unique_ptr<adapters::SqliteStore> store_;
  std::unique_ptr<ApiService> service_;
  std::unique_ptr<ApiServer> server_;
  api::Address addr_;
};

TEST_F(ApiTest, ApplyReportsCreatedConfiguredUnchanged) {
  api::Client c = Connect();
  auto r1 = c.Apply({Yaml(kGateway)}, "");
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ((*r1)[0].action, "created");
  auto r2 = c.Apply({Yaml(kGateway)}, "");
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ((*r2)[0].action, "unchanged");
  std::string changed = kGateway;
  changed.replace(changed.find("10.6.0.9"), 8, "10.6.0.8");
  auto r3 = c.Apply({Yaml(changed)}, "");
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ((*r3)[0].action, "configured");
  auto got = c.Get("egw", "", "gw");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->Find("metadata")->Find("generation")->as_int(), 2);
}

TEST_F(ApiTest, BatchWithOneBadObjectWritesNothing) {
  api::Client c = Connect();
  doc::Value ns = Yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n");
  doc::Value bad = Yaml(kGateway);
  bad.Find("spec")->Find("ippools")->Set("ipv4", doc::Value(doc::List{"10.6.0.300"}));
  auto r = c.Apply({ns, bad}, "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  EXPECT_NE(r.status().message().find("EgressGateway \"gw\": spec.ippools.ipv4[0]"),
            std::string::npos)
      << r.status().message();
  EXPECT_EQ(c.Get("ns", "", "a").status().code(), Code::kNotFound);
}

TEST_F(ApiTest, CrossObjectRulesSeeTheStoredState) {
  api::Client c = Connect();
  ASSERT_TRUE(c.Apply({Yaml(kGateway)}, "").ok());
  std::string other = kGateway;
  other.replace(other.find("name: gw"), 8, "name: g2");
  other.replace(other.find("10.6.0.1-10.6.0.9"), 17, "10.6.0.5");
  auto r = c.Apply({Yaml(other)}, "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("EgressGateway \"g2\""), std::string::npos)
      << r.status().message();
}

TEST_F(ApiTest, NamespacedObjectsNeedTheirNamespace) {
  api::Client c = Connect();
  doc::Value np = Yaml(
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: "
      "x}\nspec: {podSelector: {}}\n");
  auto r = c.Apply({np}, "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("namespace \"x\" not found"), std::string::npos);
  doc::Value ns = Yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
  EXPECT_TRUE(c.Apply({np, ns}, "").ok());
}

TEST_F(ApiTest, DeletingANamespaceDeletesItsObjects) {
  api::Client c = Connect();
  doc::Value ns = Yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
  doc::Value np = Yaml(
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: "
      "x}\nspec: {podSelector: {}}\n");
  ASSERT_TRUE(c.Apply({ns, np}, "").ok());
  auto d = c.Delete({{"ns", "", "x"}});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->size(), 2u);
  EXPECT_EQ(c.Get("netpol", "x", "p").status().code(), Code::kNotFound);
}

TEST_F(ApiTest, NodePodCidrsAreKeptByApplyAndCannotChange) {
  api::Client c = Connect();
  const char* node = "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n";
  ASSERT_TRUE(c.Apply({Yaml(node)}, "").ok());
  // As the controller's NodeIpam does: straight to the store.
  auto stored = store_->Get({"Node", "", "n1"});
  ASSERT_TRUE(store_->Commit({{ports::Write::Op::kPut, {"Node", "", "n1"},
                               R"({"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},)"
                               R"("spec":{"podCIDR":"10.244.0.0/24","podCIDRs":["10.244.0.0/24"]}})",
                               stored->resource_version}})
                  .ok());
  // A user's apply of the node (e.g. new labels) keeps the pod CIDRs.
  ASSERT_TRUE(c.Apply({Yaml("apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {a: b}}\n")}, "").ok());
  auto got = c.Get("node", "", "n1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->Find("spec")->Find("podCIDRs")->as_list().size(), 1u);
  EXPECT_EQ(got->Find("metadata")->Find("labels")->Find("a")->as_string(), "b");
  // Changing them is refused.
  auto changed = c.Apply({Yaml("apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n"
                               "spec: {podCIDRs: [10.244.9.0/24]}\n")},
                         "");
  ASSERT_FALSE(changed.ok());
  EXPECT_NE(changed.status().message().find("spec.podCIDRs: may not change once set"),
            std::string::npos)
      << changed.status().message();
}

TEST_F(ApiTest, ConditionalApplyConflictsOnAStaleVersion) {
  api::Client c = Connect();
  auto r1 = c.Apply({Yaml(kGateway)}, "");
  ASSERT_TRUE(r1.ok());
  doc::Value stale = Yaml(kGateway);
  stale.Find("metadata")->Set("resourceVersion", "1");
  auto r2 = c.Apply({stale}, "");
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.status().code(), Code::kConflict);
}

TEST_F(ApiTest, PutStatusIsValidatedAndKeepsGeneration) {
  api::Client c = Connect();
  ASSERT_TRUE(c.Apply({Yaml(kGateway)}, "").ok());
  doc::Value bad = Yaml("ipUsage: {ipv4Total: notanumber}\n");
  auto r = c.PutStatus("egw", "", "gw", bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  doc::Value good = Yaml("ipUsage: {ipv4Total: 9, ipv4Free: 9}\n");
  auto ok = c.PutStatus("egw", "", "gw", good);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->Find("metadata")->Find("generation")->as_int(), 1);
  EXPECT_EQ(ok->Find("status")->Find("ipUsage")->Find("ipv4Total")->as_int(), 9);
  // A later apply of the spec keeps the status.
  ASSERT_TRUE(c.Apply({Yaml(kGateway)}, "").ok());
  EXPECT_TRUE(c.Get("egw", "", "gw")->Find("status") != nullptr);
}

TEST_F(ApiTest, WatchStreamsEventsInOrderAndBookmarks) {
  api::Client c = Connect();
  auto list = c.List("ns", "");
  ASSERT_TRUE(list.ok());
  int64_t from = std::stoll(list->Find("resourceVersion")->as_string());
  auto watch = api::Client::Watch(Connect(), "Namespace", from);
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  for (const char* name : {"a", "b", "c"}) {
    ASSERT_TRUE(c.Apply({Yaml(std::string("apiVersion: v1\nkind: Namespace\nmetadata: {name: ") +
                              name + "}\n")},
                        "")
                    .ok());
  }
  ASSERT_TRUE(c.Delete({{"ns", "", "b"}}).ok());
  std::vector<std::string> seen;
  bool bookmark = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((seen.size() < 4 || !bookmark) && std::chrono::steady_clock::now() < deadline) {
    auto ev = watch->Next(milliseconds(500));
    if (!ev.ok()) continue;
    std::string type = ev->Find("type")->as_string();
    if (type == "BOOKMARK") {
      bookmark = seen.size() == 4;
      continue;
    }
    seen.push_back(type + " " + ev->Find("object")->Find("metadata")->Find("name")->as_string());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"ADDED a", "ADDED b", "ADDED c", "DELETED b"}));
  EXPECT_TRUE(bookmark);
}

TEST_F(ApiTest, WatchFromACompactedVersionIsGone) {
  api::Client c = Connect();
  ASSERT_TRUE(c.Apply({Yaml("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")}, "").ok());
  ASSERT_TRUE(store_->Compact(store_->CurrentVersion()).ok());
  auto watch = api::Client::Watch(Connect(), "Namespace", 1);
  ASSERT_FALSE(watch.ok());
  EXPECT_EQ(watch.status().code(), Code::kGone);
}

TEST_F(ApiTest, TcpListenersRequireTheToken) {
  // Loopback only, a port derived from the pid; skipped if it happens to be taken.
  api::Address addr = *api::Address::Parse("tcp:127.0.0.1:" + std::to_string(20000 + ::getpid() % 20000));
  auto listener = api::Listener::Listen(addr);
  if (!listener.ok()) GTEST_SKIP() << "cannot listen on loopback: " << listener.status().message();
  ASSERT_TRUE(server_->Serve(std::move(*listener)).ok());
  auto anon = api::Client::Connect(addr);
  ASSERT_TRUE(anon.ok());
  auto denied = anon->List("ns", "");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), Code::kUnauthorized);
  EXPECT_FALSE(api::Client::Connect(addr, "wrong-token-wrong-token").ok());
  auto authed = api::Client::Connect(addr, "0123456789abcdef-token");
  ASSERT_TRUE(authed.ok()) << authed.status().ToString();
  EXPECT_TRUE(authed->List("ns", "").ok());
  // A connection that never authenticates is closed by the server, not kept forever.
  auto silent = api::Dial(addr);
  ASSERT_TRUE(silent.ok());
  auto closed = silent->Read(std::chrono::seconds(30));
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.status().code(), Code::kUnavailable) << closed.status().ToString();
}

TEST_F(ApiTest, LeasesThroughTheApi) {
  api::Client c = Connect();
  doc::Value req = doc::Value::EmptyMap();
  req.Set("op", "lease");
  req.Set("action", "acquire");
  req.Set("name", "controller-leader");
  req.Set("holder", "a");
  req.Set("ttlMs", 60000);
  ASSERT_TRUE(c.Call(req).ok());
  req.Set("holder", "b");
  auto r = c.Call(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflict);
}

}  // namespace
}  // namespace egret::controller
