// The kind registry: lookup by the names the CLI accepts, and DecodeObjects over whole inputs
// (several documents, lists, JSON streams, namespaces and the errors of all documents at once).
#include "model/kinds.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace egret::model {
namespace {

TEST(FindKindTest, ByKindPluralSingularShortNameAnyCase) {
  ASSERT_NE(FindKind("EgressGateway"), nullptr);
  EXPECT_EQ(FindKind("EgressGateway")->kind, "EgressGateway");
  EXPECT_EQ(FindKind("egressgateway")->kind, "EgressGateway");
  EXPECT_EQ(FindKind("egressgateways")->kind, "EgressGateway");
  EXPECT_EQ(FindKind("egw")->kind, "EgressGateway");
  EXPECT_EQ(FindKind("EGW")->kind, "EgressGateway");
  EXPECT_EQ(FindKind("EgressGateways")->kind, "EgressGateway");
  EXPECT_EQ(FindKind("po")->kind, "Pod");
  EXPECT_EQ(FindKind("netpol")->kind, "NetworkPolicy");
  EXPECT_EQ(FindKind("banp")->kind, "BaselineAdminNetworkPolicy");
  EXPECT_EQ(FindKind("endpointslices")->kind, "EndpointSlice");
  EXPECT_EQ(FindKind("gateway"), nullptr);
  EXPECT_EQ(FindKind(""), nullptr);
}

TEST(FindKindTest, ExactNeedsApiVersionAndKindSpelling) {
  ASSERT_NE(FindKindExact("egret.io/v1", "EgressPolicy"), nullptr);
  EXPECT_TRUE(FindKindExact("egret.io/v1", "EgressPolicy")->namespaced);
  EXPECT_FALSE(FindKindExact("egret.io/v1", "EgressClusterPolicy")->namespaced);
  EXPECT_EQ(FindKindExact("v1", "EgressPolicy"), nullptr);
  EXPECT_EQ(FindKindExact("egret.io/v1", "egresspolicy"), nullptr);
}

// One minimal valid document of every registered kind.
constexpr std::string_view kEveryKind = R"(
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Node
metadata: {name: node-1}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1}
spec: {containers: [{name: app}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ports: [{port: 80}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-1, namespace: other}
addressType: IPv4
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: admin}
spec: {priority: 1, subject: {namespaces: {}}}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec: {subject: {namespaces: {}}}
---
apiVersion: egret.io/v1
kind: EgressGateway
metadata: {name: gw}
spec: {nodeSelector: {selector: {}}}
---
apiVersion: egret.io/v1
kind: EgressPolicy
metadata: {name: app}
spec: {appliedTo: {podSelector: {}}}
---
apiVersion: egret.io/v1
kind: EgressClusterPolicy
metadata: {name: all}
spec: {appliedTo: {podSelector: {}}}
)";

TEST(DecodeObjectsTest, EveryKindIsRoutedAndDefaultNamespaceOnlyForNamespacedKinds) {
  StatusOr<std::vector<Object>> objs = DecodeObjects(kEveryKind, "team-a");
  ASSERT_TRUE(objs.ok()) << objs.status().message();
  ASSERT_EQ(objs->size(), AllKinds().size());
  std::vector<std::string> refs;
  for (const Object& o : *objs) refs.push_back(o.Ref());
  EXPECT_EQ(refs, (std::vector<std::string>{
                      "Namespace \"shop\"",
                      "Node \"node-1\"",
                      "Pod \"team-a/web-1\"",
                      "Service \"team-a/web\"",
                      "EndpointSlice \"other/web-1\"",  // an explicit namespace wins
                      "NetworkPolicy \"team-a/deny\"",
                      "AdminNetworkPolicy \"admin\"",
                      "BaselineAdminNetworkPolicy \"default\"",
                      "EgressGateway \"gw\"",
                      "EgressPolicy \"team-a/app\"",
                      "EgressClusterPolicy \"all\"",
                  }));
  for (size_t i = 0; i < objs->size(); ++i) {
    const Object& o = (*objs)[i];
    EXPECT_EQ(o.kind, &AllKinds()[i]);
    EXPECT_EQ(o.doc.as_map().at(0).key, "apiVersion");
    EXPECT_EQ(o.doc.as_map().at(2).key, "metadata");
    const doc::Value* ns = o.doc.Find("metadata")->Find("namespace");
    EXPECT_EQ(ns != nullptr, o.kind->namespaced) << o.Ref();
  }
  // Without a default, namespaced kinds land in "default".
  StatusOr<std::vector<Object>> plain = DecodeObjects(kEveryKind);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ((*plain)[2].Ref(), "Pod \"default/web-1\"");
}

TEST(DecodeObjectsTest, ListsAreExpandedAlsoNested) {
  StatusOr<std::vector<Object>> objs = DecodeObjects(R"(
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: a}}
- apiVersion: v1
  kind: List
  items: [{apiVersion: v1, kind: Namespace, metadata: {name: b}}]
---
{apiVersion: v1, kind: Namespace, metadata: {name: c}}
)");
  ASSERT_TRUE(objs.ok()) << objs.status().message();
  ASSERT_EQ(objs->size(), 3u);
  EXPECT_EQ((*objs)[0].meta.name, "a");
  EXPECT_EQ((*objs)[1].meta.name, "b");
  EXPECT_EQ((*objs)[2].meta.name, "c");
}

TEST(DecodeObjectsTest, JsonStream) {
  StatusOr<std::vector<Object>> objs = DecodeObjects(
      R"({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}
         {"apiVersion": "v1", "kind": "List", "items": [
           {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}}]})");
  ASSERT_TRUE(objs.ok()) << objs.status().message();
  ASSERT_EQ(objs->size(), 2u);
  EXPECT_EQ((*objs)[0].Ref(), "Namespace \"a\"");
  EXPECT_EQ((*objs)[1].Ref(), "Node \"n1\"");
}

StatusOr<std::vector<Object>> Decode(std::string_view text) { return DecodeObjects(text); }

TEST(DecodeObjectsTest, UnknownKindsNameTheApiVersionThatServesThem) {
  EXPECT_EQ(
      Decode("apiVersion: v1\nkind: EgressGateway\nmetadata: {name: gw}\n").status().message(),
      "document 1 (\"gw\"): no kind \"EgressGateway\" in apiVersion \"v1\" (EgressGateway "
      "is served as apiVersion \"egret.io/v1\")");
  EXPECT_EQ(
      Decode("apiVersion: egret.io/v1\nkind: Gateway\nmetadata: {name: gw}\n").status().message(),
      "document 1 (\"gw\"): no kind \"Gateway\" in apiVersion \"egret.io/v1\"");
  // Kinds are case-sensitive in documents; no hint for a misspelling.
  EXPECT_EQ(Decode("apiVersion: egret.io/v1\nkind: egressgateway\n").status().message(),
            "document 1: no kind \"egressgateway\" in apiVersion \"egret.io/v1\"");
}

TEST(DecodeObjectsTest, MissingTypeFields) {
  EXPECT_EQ(Decode("kind: Namespace\nmetadata: {name: a}\n").status().message(),
            "document 1 (\"a\"): apiVersion: Required value");
  EXPECT_EQ(Decode("apiVersion: v1\nmetadata: {name: a}\n").status().message(),
            "document 1 (\"a\"): kind: Required value");
  EXPECT_EQ(Decode("apiVersion: v1\nkind: ''\n").status().message(),
            "document 1: kind: Required value");
  EXPECT_EQ(Decode("apiVersion: 1\nkind: Namespace\n").status().message(),
            "document 1: apiVersion: Required value");
  EXPECT_EQ(Decode("- a\n- b\n").status().message(), "document 1: must be an object, not list");
}

TEST(DecodeObjectsTest, ErrorsOfAllDocumentsAreReportedTogether) {
  StatusOr<std::vector<Object>> objs = Decode(R"(
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec: {containers: []}
---
apiVersion: v1
kind: Namespace
metadata: {name: fine}
---
apiVersion: v1
kind: Node
metadata: {name: n1, namespace: shop}
---
kind: Namespace
)");
  ASSERT_FALSE(objs.ok());
  EXPECT_EQ(objs.status().code(), Code::kInvalid);
  EXPECT_EQ(objs.status().message(),
            "Pod \"shop/p\": spec.containers: Required value: a pod has at least one container\n"
            "Node \"n1\": metadata.namespace: not allowed: this kind is cluster-scoped\n"
            "document 4: apiVersion: Required value");
}

TEST(DecodeObjectsTest, EmptyAndUnparsableInput) {
  EXPECT_EQ(Decode("").status().message(), "no objects in input");
  EXPECT_EQ(Decode("---\n---\n").status().message(), "no objects in input");
  EXPECT_FALSE(Decode("a: [").ok());
  EXPECT_FALSE(Decode("{\"a\": ").ok());
}

TEST(DecodeObjectTest, OneDocument) {
  doc::Value v = doc::Value::EmptyMap();
  v.Set("apiVersion", "v1");
  v.Set("kind", "Namespace");
  v.Set("metadata", doc::Value::EmptyMap()).Set("name", "a");
  StatusOr<Object> obj = DecodeObject(v, "ignored-for-cluster-scoped");
  ASSERT_TRUE(obj.ok()) << obj.status().message();
  EXPECT_EQ(obj->Ref(), "Namespace \"a\"");
  EXPECT_EQ(obj->meta.namespace_, "");
}

}  // namespace
}  // namespace egret::model
