// The pure document helpers of the sqlite store.
#include "adapters/store_sqlite/object_doc.h"

#include <gtest/gtest.h>

#include <set>

#include "doc/json.h"

namespace egret::adapters::sqlite {
namespace {

const ports::ObjectKey kKey{"EgressGateway", "", "default"};

doc::Value J(std::string_view text) {
  auto v = doc::ParseJson(text);
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? *v : doc::Value();
}

TEST(ObjectDoc, ObjectRefFormats) {
  EXPECT_EQ(ObjectRef(kKey), R"(EgressGateway "default")");
  EXPECT_EQ(ObjectRef({"EgressPolicy", "ns", "p"}), R"(EgressPolicy "ns/p")");
}

TEST(ObjectDoc, PrepareBodyDropsStatusAndManagedMetadata) {
  auto body = PrepareBody(kKey, R"({"kind":"EgressGateway","metadata":{"labels":{"a":"b"},)"
                                R"("uid":"u","name":"default","resourceVersion":"3",)"
                                R"("generation":4,"creationTimestamp":"t"},"spec":{},)"
                                R"("status":{"x":1}})");
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(doc::ToJson(*body),
            R"({"kind":"EgressGateway","metadata":{"name":"default","labels":{"a":"b"}},)"
            R"("spec":{}})");
}

TEST(ObjectDoc, PrepareBodyRejectsNonObjects) {
  auto list = PrepareBody(kKey, "[]");
  ASSERT_EQ(list.status().code(), Code::kInvalid);
  EXPECT_EQ(list.status().message(),
            R"(EgressGateway "default": the document must be a JSON object, got list)");
  auto meta = PrepareBody(kKey, R"({"metadata":"x"})");
  ASSERT_EQ(meta.status().code(), Code::kInvalid);
  EXPECT_EQ(meta.status().message(),
            R"(EgressGateway "default": metadata: must be a JSON object, got string)");
  auto name = PrepareBody(kKey, R"({"metadata":{"name":5}})");
  ASSERT_EQ(name.status().code(), Code::kInvalid);
  EXPECT_EQ(name.status().message(),
            R"(EgressGateway "default": metadata.name: must be a string, got integer)");
}

TEST(ObjectDoc, ClusterScopedKeyRejectsANamespace) {
  auto body = PrepareBody(kKey, R"({"metadata":{"name":"default","namespace":"ns"}})");
  ASSERT_EQ(body.status().code(), Code::kInvalid);
  EXPECT_EQ(body.status().message(),
            R"(EgressGateway "default": metadata.namespace: "ns" does not match the namespace )"
            R"(of the object's key "")");
}

TEST(ObjectDoc, SameJsonIgnoresMemberOrderButNotListOrder) {
  EXPECT_TRUE(SameJson(J(R"({"a":1,"b":{"c":[1,2]}})"), J(R"({"b":{"c":[1,2]},"a":1})")));
  EXPECT_FALSE(SameJson(J(R"({"a":[1,2]})"), J(R"({"a":[2,1]})")));
  EXPECT_FALSE(SameJson(J(R"({"a":1})"), J(R"({"a":1,"b":2})")));
  EXPECT_FALSE(SameJson(J(R"({"a":1})"), J(R"({"a":"1"})")));
}

TEST(ObjectDoc, SameSpecIgnoresMetadata) {
  EXPECT_TRUE(SameSpec(J(R"({"metadata":{"labels":{"a":"b"}},"spec":1})"),
                       J(R"({"metadata":{},"spec":1})")));
  EXPECT_FALSE(SameSpec(J(R"({"metadata":{},"spec":1})"), J(R"({"metadata":{},"spec":2})")));
}

TEST(ObjectDoc, RenderPlacesManagedMetadataAndStatus) {
  ManagedMeta meta{.uid = "u-1",
                   .resource_version = 12,
                   .generation = 3,
                   .creation_timestamp = "2024-05-01T10:00:00Z"};
  auto json = RenderObject(kKey,
                           R"({"kind":"EgressGateway","metadata":{"name":"default",)"
                           R"("labels":{"a":"b"}},"spec":{}})",
                           meta, R"({"ready":true})");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(*json, R"({"kind":"EgressGateway","metadata":{"name":"default","uid":"u-1",)"
                   R"("resourceVersion":"12","generation":3,)"
                   R"("creationTimestamp":"2024-05-01T10:00:00Z","labels":{"a":"b"}},)"
                   R"("spec":{},"status":{"ready":true}})");
  EXPECT_EQ(RenderObject(kKey, "{", meta, "").status().code(), Code::kInternal);
}

TEST(ObjectDoc, NewUidIsVersion4AndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string uid = NewUid();
    ASSERT_EQ(uid.size(), 36u);
    EXPECT_EQ(uid[8], '-');
    EXPECT_EQ(uid[14], '4');
    EXPECT_NE(std::string("89ab").find(uid[19]), std::string::npos) << uid;
    seen.insert(uid);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(ObjectDoc, FormatsRfc3339Utc) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1714557600999), "2024-05-01T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59Z");
}

}  // namespace
}  // namespace egret::adapters::sqlite
