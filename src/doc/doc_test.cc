#include <gtest/gtest.h>

#include "doc/json.h"
#include "doc/yaml.h"

namespace egret::doc {
namespace {

TEST(Json, ParsesAllTypes) {
  auto v = ParseJson(R"({"a":1,"b":-2.5,"c":"x\u00e9\n","d":[true,false,null],"e":{}})");
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->Find("a")->as_int(), 1);
  EXPECT_DOUBLE_EQ(v->Find("b")->as_double(), -2.5);
  EXPECT_EQ(v->Find("c")->as_string(), "x\xc3\xa9\n");
  EXPECT_EQ(v->Find("d")->as_list().size(), 3u);
  EXPECT_TRUE(v->Find("e")->is_map());
}

TEST(Json, RejectsDuplicateKeysAndJunk) {
  EXPECT_FALSE(ParseJson(R"({"a":1,"a":2})").ok());
  EXPECT_FALSE(ParseJson(R"({"a":1} x)").ok());
  EXPECT_FALSE(ParseJson(R"({"a":01})").ok());
  EXPECT_FALSE(ParseJson("\"\\ud800\"").ok());
  EXPECT_FALSE(ParseJson("").ok());
  EXPECT_FALSE(ParseJson(std::string(1000, '[')).ok());
}

TEST(Json, ErrorNamesLineAndColumn) {
  auto v = ParseJson("{\n  \"a\": tru\n}");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("line 2, column 8"), std::string::npos)
      << v.status().message();
}

TEST(Json, RoundTripIsStable) {
  std::string text = R"({"k":[1,2.5,"s",{"n":null}],"d":2.0,"big":9007199254740993})";
  auto v = ParseJson(text);
  ASSERT_TRUE(v.ok());
  std::string once = ToJson(*v);
  auto again = ParseJson(once);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*v, *again);
  EXPECT_EQ(once, ToJson(*again));
  EXPECT_TRUE(again->Find("d")->is_double());
  EXPECT_EQ(again->Find("big")->as_int(), 9007199254740993LL);
}

TEST(Json, StreamOfValues) {
  auto v = ParseJsonStream("{\"a\":1}\n{\"b\":2}\n");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->size(), 2u);
}

TEST(Yaml, MultiDocumentAndCoreSchema) {
  auto docs = ParseYaml(
      "a: 1\nb: \"1\"\nc: true\nd: ~\ne: 1.5\nf: 0x10\ng: yes\nh: '2'\n---\n---\nlist:\n- x\n- y\n");
  ASSERT_TRUE(docs.ok()) << docs.status().ToString();
  ASSERT_EQ(docs->size(), 2u);
  const Value& d = (*docs)[0];
  EXPECT_TRUE(d.Find("a")->is_int());
  EXPECT_TRUE(d.Find("b")->is_string());
  EXPECT_TRUE(d.Find("c")->as_bool());
  EXPECT_TRUE(d.Find("d")->is_null());
  EXPECT_TRUE(d.Find("e")->is_double());
  EXPECT_EQ(d.Find("f")->as_int(), 16);
  EXPECT_EQ(d.Find("g")->as_string(), "yes");  // YAML 1.2: not a boolean
  EXPECT_EQ(d.Find("h")->as_string(), "2");
  EXPECT_EQ((*docs)[1].Find("list")->as_list().size(), 2u);
}

TEST(Yaml, RejectsDuplicateKeysWithPosition) {
  auto docs = ParseYaml("a: 1\nb: 2\na: 3\n");
  ASSERT_FALSE(docs.ok());
  EXPECT_NE(docs.status().message().find("line 3"), std::string::npos);
  EXPECT_NE(docs.status().message().find("duplicate key \"a\""), std::string::npos);
}

TEST(Yaml, MalformedIsAnError) {
  EXPECT_FALSE(ParseYaml("a: [1, 2\n").ok());
  EXPECT_FALSE(ParseYaml("a: b: c\n").ok());
  EXPECT_FALSE(ParseYaml("- a\nb: c\n").ok());
}

TEST(Yaml, AliasExpansionIsBounded) {
  std::string bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? "," : "") + "*" + prev;
    bomb += "]\n";
    prev = c;
  }
  auto docs = ParseYaml(bomb);
  ASSERT_FALSE(docs.ok());
  EXPECT_NE(docs.status().message().find("too many nodes"), std::string::npos);
}

TEST(Yaml, EmitterRoundTrips) {
  Value v = Value::EmptyMap();
  v.Set("apiVersion", "egret.io/v1");
  v.Set("kind", "EgressGateway");
  Value& meta = v.Set("metadata", Value::EmptyMap());
  meta.Set("name", "default");
  meta.Set("labels", Value::EmptyMap()).Set("app.kubernetes.io/name", "x");
  Value& spec = v.Set("spec", Value::EmptyMap());
  Value& pools = spec.Set("ippools", Value::EmptyMap());
  pools.Set("ipv4", Value(List{"10.6.1.21", "10.6.1.22-10.6.1.30", "10.7.0.0/28"}));
  spec.Set("quoted", Value(List{"true", "1", "", "- x", "a: b", "yes", " pad", "line\nbreak"}));
  spec.Set("nested", Value(List{Value(List{1, 2}), Value::EmptyMap(), Value::EmptyList()}));
  Value item = Value::EmptyMap();
  item.Set("a", 1);
  item.Set("b", Value(List{"x"}));
  spec.Set("items", Value(List{item, item}));
  spec.Set("pi", 3.25);
  spec.Set("none", nullptr);
  std::string yaml = ToYaml(v);
  auto back = ParseYaml(yaml);
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << yaml;
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0], v) << yaml;
  EXPECT_EQ(ToYaml((*back)[0]), yaml);
}

TEST(Documents, DetectsJsonAndYaml) {
  auto j = ParseDocuments("  {\"kind\": \"Namespace\"}");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)[0].Find("kind")->as_string(), "Namespace");
  auto y = ParseDocuments("kind: Namespace\n");
  ASSERT_TRUE(y.ok());
  EXPECT_EQ((*y)[0].Find("kind")->as_string(), "Namespace");
}

}  // namespace
}  // namespace egret::doc
