// SqliteStore objects: create/get/list, preconditions, batches, spec vs status, no-op writes,
// document checks and opening odd files.
#include "adapters/store_sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <fstream>

#include "adapters/store_sqlite/sqlite_db.h"
#include "adapters/store_sqlite/store_test_util.h"

namespace egret::adapters {
namespace {

using namespace store_testing;  // NOLINT: test helpers
using ports::Write;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open(dir_.File("store.db"), StoreOptions(1000, clock_.AsFunction()));
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  // Commits and expects success.
  std::vector<ports::StoredObject> MustCommit(const std::vector<Write>& writes) {
    auto out = store_->Commit(writes);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? *out : std::vector<ports::StoredObject>{};
  }

  TempDir dir_;
  FakeClock clock_{1714557600000};  // 2024-05-01T10:00:00Z
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(SqliteStoreTest, CreateSetsManagedMetadata) {
  auto out = MustCommit({Create(Key("ns1", "a"), "1")});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].resource_version, 1);
  const std::string& json = out[0].json;
  EXPECT_EQ(Meta(json, "resourceVersion"), doc::Value("1"));
  EXPECT_EQ(Meta(json, "generation"), doc::Value(1));
  EXPECT_EQ(Meta(json, "creationTimestamp"), doc::Value("2024-05-01T10:00:00Z"));
  std::string uid = Meta(json, "uid").as_string();
  EXPECT_EQ(uid.size(), 36u);
  EXPECT_EQ(uid[14], '4');
  // Managed fields follow name and namespace, as the model's encoders order them.
  EXPECT_EQ(json,
            R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"ns1",)"
            R"("uid":")" +
                uid +
                R"(","resourceVersion":"1","generation":1,)"
                R"("creationTimestamp":"2024-05-01T10:00:00Z"},"data":{"k":"1"}})");
  auto got = store_->Get(Key("ns1", "a"));
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->json, json);
  EXPECT_EQ(got->resource_version, 1);
}

TEST_F(SqliteStoreTest, GetMissingIsNotFound) {
  auto got = store_->Get(Key("ns1", "nope"));
  ASSERT_EQ(got.status().code(), Code::kNotFound);
  EXPECT_EQ(got.status().message(), R"(ConfigMap "ns1/nope" not found)");
}

TEST_F(SqliteStoreTest, ListFiltersByKindAndNamespaceInOrder) {
  MustCommit({Create(Key("ns2", "b"), "1"), Create(Key("ns1", "z"), "1"),
              Create(Key("ns1", "a"), "1"), Create(Key("ns1", "a", "Secret"), "1"),
              Create(Key("", "cluster", "Node"), "1")});
  auto all = store_->List("ConfigMap", "");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->items.size(), 3u);
  EXPECT_EQ(all->items[0].key, Key("ns1", "a"));
  EXPECT_EQ(all->items[1].key, Key("ns1", "z"));
  EXPECT_EQ(all->items[2].key, Key("ns2", "b"));
  EXPECT_EQ(all->resource_version, 5);
  auto ns1 = store_->List("ConfigMap", "ns1");
  ASSERT_TRUE(ns1.ok());
  EXPECT_EQ(ns1->items.size(), 2u);
  auto nodes = store_->List("Node", "");
  ASSERT_TRUE(nodes.ok());
  ASSERT_EQ(nodes->items.size(), 1u);
  EXPECT_EQ(Meta(nodes->items[0].json, "namespace"), doc::Value());
}

TEST_F(SqliteStoreTest, CreateTwiceIsAlreadyExists) {
  MustCommit({Create(Key("ns1", "a"), "1")});
  auto again = store_->Commit({Create(Key("ns1", "a"), "2")});
  ASSERT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(again.status().message(), R"(ConfigMap "ns1/a" already exists (resourceVersion 1))");
}

TEST_F(SqliteStoreTest, PutWithStaleVersionConflicts) {
  MustCommit({Create(Key("ns1", "a"), "1")});
  MustCommit({Put(Key("ns1", "a"), "2", 1)});
  auto stale = store_->Commit({Put(Key("ns1", "a"), "3", 1)});
  ASSERT_EQ(stale.status().code(), Code::kConflict);
  EXPECT_NE(stale.status().message().find(
                R"(ConfigMap "ns1/a": resourceVersion precondition failed: expected version 1, )"
                "stored version is 2"),
            std::string::npos)
      << stale.status().message();
  EXPECT_EQ(store_->CurrentVersion(), 2);
}

TEST_F(SqliteStoreTest, PutExpectingAbsenceConflictsWhenPresent) {
  MustCommit({Put(Key("ns1", "a"), "1", 0)});  // 0 = must not exist: fine the first time
  auto again = store_->Commit({Put(Key("ns1", "a"), "2", 0)});
  ASSERT_EQ(again.status().code(), Code::kConflict);
  EXPECT_NE(again.status().message().find("expected the object to be absent, but it exists at "
                                          "version 1"),
            std::string::npos);
  auto missing = store_->Commit({Put(Key("ns1", "b"), "2", 7)});
  ASSERT_EQ(missing.status().code(), Code::kConflict);
  EXPECT_NE(missing.status().message().find("expected version 7, but the object does not exist"),
            std::string::npos);
}

TEST_F(SqliteStoreTest, DeleteChecksVersionAndExistence) {
  MustCommit({Create(Key("ns1", "a"), "1")});
  auto stale = store_->Commit({Delete(Key("ns1", "a"), 5)});
  ASSERT_EQ(stale.status().code(), Code::kConflict);
  EXPECT_NE(stale.status().message().find("expected version 5, stored version is 1"),
            std::string::npos);
  auto out = MustCommit({Delete(Key("ns1", "a"), 1)});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].resource_version, 2);  // the deletion's version
  EXPECT_EQ(Meta(out[0].json, "resourceVersion"), doc::Value("2"));
  EXPECT_EQ(store_->Get(Key("ns1", "a")).status().code(), Code::kNotFound);
  auto gone = store_->Commit({Delete(Key("ns1", "a"))});
  ASSERT_EQ(gone.status().code(), Code::kNotFound);
  EXPECT_EQ(gone.status().message(), R"(ConfigMap "ns1/a" not found)");
}

TEST_F(SqliteStoreTest, FailingWriteInBatchLeavesNothing) {
  MustCommit({Create(Key("ns1", "a"), "1")});
  auto watch = store_->Watch("", 1);
  ASSERT_TRUE(watch.ok());
  auto batch = store_->Commit(
      {Create(Key("ns1", "b"), "1"), Put(Key("ns1", "a"), "2", 99), Create(Key("ns1", "c"), "1")});
  ASSERT_EQ(batch.status().code(), Code::kConflict);
  EXPECT_EQ(store_->Get(Key("ns1", "b")).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->Get(Key("ns1", "c")).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->Get(Key("ns1", "a"))->resource_version, 1);
  EXPECT_EQ(store_->CurrentVersion(), 1);
  auto events = (*watch)->Next(std::chrono::milliseconds(0));
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
  // The next successful write takes the very next version: nothing was burnt.
  EXPECT_EQ(MustCommit({Create(Key("ns1", "b"), "1")})[0].resource_version, 2);
}

TEST_F(SqliteStoreTest, BatchGivesEachWriteItsOwnVersionInOrder) {
  auto out = MustCommit({Create(Key("ns1", "a"), "1"), Put(Key("ns1", "a"), "2"),
                         Create(Key("ns1", "b"), "1"), Delete(Key("ns1", "a"))});
  ASSERT_EQ(out.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(out[i].resource_version, i + 1);
  EXPECT_EQ(Meta(out[1].json, "generation"), doc::Value(2));
}

TEST_F(SqliteStoreTest, PutKeepsStatusAndBumpsGenerationOnSpecChange) {
  MustCommit({Create(Key("ns1", "a"), "1")});
  auto st = store_->PutStatus(Key("ns1", "a"), R"({"phase":"Ready"})", 1);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->resource_version, 2);
  EXPECT_EQ(Meta(st->json, "generation"), doc::Value(1));  // status does not move generation
  EXPECT_EQ(*Parse(st->json).Find("status"), Parse(R"({"phase":"Ready"})"));

  // A Put carrying a status: the incoming status is ignored, the stored one kept.
  ports::ObjectKey key = Key("ns1", "a");
  std::string with_status = Doc(key, "2");
  with_status.insert(with_status.size() - 1, R"(,"status":{"phase":"Bogus"})");
  auto put = MustCommit({PutJson(key, with_status)});
  ASSERT_EQ(put.size(), 1u);
  EXPECT_EQ(Meta(put[0].json, "generation"), doc::Value(2));
  EXPECT_EQ(*Parse(put[0].json).Find("status"), Parse(R"({"phase":"Ready"})"));
}

TEST_F(SqliteStoreTest, MetadataOnlyChangeKeepsGeneration) {
  ports::ObjectKey key = Key("ns1", "a");
  MustCommit({Create(key, "1")});
  std::string labelled = R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a",)"
                         R"("namespace":"ns1","labels":{"x":"y"}},"data":{"k":"1"}})";
  auto out = MustCommit({PutJson(key, labelled)});
  EXPECT_EQ(out[0].resource_version, 2);
  EXPECT_EQ(Meta(out[0].json, "generation"), doc::Value(1));
}

TEST_F(SqliteStoreTest, UnchangedPutIsNoOp) {
  auto created = MustCommit({Create(Key("ns1", "a"), "1")});
  // Same document, with stale managed metadata and members in another order.
  std::string same = R"({"data":{"k":"1"},"kind":"ConfigMap","apiVersion":"v1","metadata":)"
                     R"({"namespace":"ns1","name":"a","resourceVersion":"77","uid":"x"}})";
  auto out = MustCommit({PutJson(Key("ns1", "a"), same)});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].resource_version, 1);
  EXPECT_EQ(out[0].json, created[0].json);
  EXPECT_EQ(store_->CurrentVersion(), 1);
  auto watch = store_->Watch("", 1);
  ASSERT_TRUE(watch.ok());
  EXPECT_TRUE((*watch)->Next(std::chrono::milliseconds(0))->empty());
}

TEST_F(SqliteStoreTest, UnchangedStatusIsNoOp) {
  MustCommit({Create(Key("ns1", "a"), "1")});
  ASSERT_TRUE(store_->PutStatus(Key("ns1", "a"), R"({"n":1})", std::nullopt).ok());
  auto again = store_->PutStatus(Key("ns1", "a"), R"({"n":1})", std::nullopt);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->resource_version, 2);
  EXPECT_EQ(store_->CurrentVersion(), 2);
}

TEST_F(SqliteStoreTest, PutStatusChecksObjectVersionAndDocument) {
  EXPECT_EQ(store_->PutStatus(Key("ns1", "a"), "{}", std::nullopt).status().code(),
            Code::kNotFound);
  MustCommit({Create(Key("ns1", "a"), "1")});
  auto stale = store_->PutStatus(Key("ns1", "a"), "{}", 9);
  EXPECT_EQ(stale.status().code(), Code::kConflict);
  auto bad = store_->PutStatus(Key("ns1", "a"), "[1]", std::nullopt);
  ASSERT_EQ(bad.status().code(), Code::kInvalid);
  EXPECT_EQ(bad.status().message(),
            R"(ConfigMap "ns1/a": status: must be a JSON object, got list)");
}

TEST_F(SqliteStoreTest, DocumentMustMatchKey) {
  ports::ObjectKey key = Key("ns1", "a");
  auto wrong_name = store_->Commit({PutJson(key, Doc(Key("ns1", "b"), "1"))});
  ASSERT_EQ(wrong_name.status().code(), Code::kInvalid);
  EXPECT_EQ(wrong_name.status().message(),
            R"(ConfigMap "ns1/a": metadata.name: "b" does not match the name of the object's )"
            R"(key "a")");
  auto wrong_ns = store_->Commit({PutJson(key, Doc(Key("ns2", "a"), "1"))});
  ASSERT_EQ(wrong_ns.status().code(), Code::kInvalid);
  EXPECT_NE(wrong_ns.status().message().find("metadata.namespace: \"ns2\" does not match"),
            std::string::npos);
  auto wrong_kind = store_->Commit({PutJson(key, Doc(Key("ns1", "a", "Secret"), "1"))});
  ASSERT_EQ(wrong_kind.status().code(), Code::kInvalid);
  EXPECT_NE(wrong_kind.status().message().find("kind: \"Secret\" does not match"),
            std::string::npos);
  auto not_json = store_->Commit({PutJson(key, "{")});
  ASSERT_EQ(not_json.status().code(), Code::kInvalid);
  EXPECT_NE(not_json.status().message().find(R"(ConfigMap "ns1/a": JSON line 1)"),
            std::string::npos);
  auto no_name = store_->Commit({PutJson(Key("ns1", ""), "{}")});
  ASSERT_EQ(no_name.status().code(), Code::kInvalid);
  EXPECT_NE(no_name.status().message().find("needs a kind and a name"), std::string::npos);
}

TEST_F(SqliteStoreTest, MissingNameAndNamespaceAreFilledFromKey) {
  auto out = MustCommit({PutJson(Key("ns1", "a"), R"({"kind":"ConfigMap","data":{}})")});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(Meta(out[0].json, "name"), doc::Value("a"));
  EXPECT_EQ(Meta(out[0].json, "namespace"), doc::Value("ns1"));
}

TEST_F(SqliteStoreTest, DataSurvivesReopen) {
  auto created = MustCommit({Create(Key("ns1", "a"), "1")});
  ASSERT_TRUE(store_->PutStatus(Key("ns1", "a"), R"({"n":1})", std::nullopt).ok());
  store_.reset();
  auto reopened = SqliteStore::Open(dir_.File("store.db"));
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->CurrentVersion(), 2);
  auto got = (*reopened)->Get(Key("ns1", "a"));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(Meta(got->json, "uid"), Meta(created[0].json, "uid"));
  EXPECT_EQ(*Parse(got->json).Find("status"), Parse(R"({"n":1})"));
}

TEST(SqliteStoreOpen, RejectsAFileThatIsNotADatabase) {
  TempDir dir;
  std::string path = dir.File("junk.db");
  std::ofstream(path) << "this is not an sqlite database, just text long enough to have a header";
  auto store = SqliteStore::Open(path);
  ASSERT_EQ(store.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("sqlite open " + path + ": "), std::string::npos);
  EXPECT_NE(store.status().message().find("not an sqlite database"), std::string::npos)
      << store.status().message();
}

TEST(SqliteStoreOpen, RejectsADamagedStore) {
  TempDir dir;
  std::string path = dir.File("damaged.db");
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok());
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE((*store)->Commit({Create(Key("ns", "o" + std::to_string(i)), "1")}).ok());
    }
  }  // closing checkpoints the log into the main file
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096);  // page 2 onwards: the tables' b-trees
    std::string junk(4 * 4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto store = SqliteStore::Open(path);
  ASSERT_EQ(store.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("sqlite open " + path + ": "), std::string::npos);
  EXPECT_NE(store.status().message().find("the file is damaged"), std::string::npos)
      << store.status().message();
}

TEST(SqliteStoreOpen, RejectsAForeignSqliteDatabase) {
  TempDir dir;
  std::string path = dir.File("other.db");
  {
    auto db = sqlite::Db::Open(path);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->Exec("CREATE TABLE t (x INTEGER)").ok());
  }
  auto store = SqliteStore::Open(path);
  ASSERT_EQ(store.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("not an Egret store"), std::string::npos);
}

TEST(SqliteStoreOpen, MissingDirectoryFails) {
  auto store = SqliteStore::Open("/nonexistent-egret-dir/store.db");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("sqlite open /nonexistent-egret-dir/store.db: "),
            std::string::npos);
}

TEST(SqliteStoreOpen, SecondHolderIsRefused) {
  TempDir dir;
  auto first = SqliteStore::Open(dir.File("s.db"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  SqliteStore::Options options;
  options.busy_timeout = std::chrono::milliseconds(50);
  auto second = SqliteStore::Open(dir.File("s.db"), options);
  ASSERT_EQ(second.status().code(), Code::kUnavailable);
  EXPECT_NE(second.status().message().find("in use by another process"), std::string::npos)
      << second.status().message();
  first->reset();
  EXPECT_TRUE(SqliteStore::Open(dir.File("s.db")).ok());
}

TEST(SqliteStoreOpen, RejectsZeroRetention) {
  TempDir dir;
  auto store = SqliteStore::Open(dir.File("s.db"), StoreOptions(0));
  ASSERT_EQ(store.status().code(), Code::kInvalid);
  EXPECT_NE(store.status().message().find("retained_events must be at least 1"), std::string::npos);
}

}  // namespace
}  // namespace egret::adapters
