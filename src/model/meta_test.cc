// ObjectMeta, the name and label rules, and label selectors: matching by every operator and the
// errors of decoding a selector.
#include "model/meta.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>

#include "model/model_test_util.h"

namespace egret::model {
namespace {

TEST(NameRulesTest, DnsSubdomainLabelAnd1035Label) {
  EXPECT_TRUE(IsDnsSubdomain("web"));
  EXPECT_TRUE(IsDnsSubdomain("web-1.example.com"));
  EXPECT_TRUE(IsDnsSubdomain("1web"));
  EXPECT_TRUE(IsDnsSubdomain(std::string(63, 'a') + "." + std::string(63, 'b')));
  EXPECT_FALSE(IsDnsSubdomain(std::string(64, 'a')));  // one label too long
  for (std::string_view bad : {"", "Web", "web_1", "-web", "web-", "a..b", ".a", "a."}) {
    EXPECT_FALSE(IsDnsSubdomain(bad)) << bad;
  }
  std::string long_name;
  for (int i = 0; i < 64; ++i) long_name += "abc.";
  EXPECT_FALSE(IsDnsSubdomain(long_name + "a"));  // over 253 characters

  EXPECT_TRUE(IsDnsLabel("a-1"));
  EXPECT_TRUE(IsDnsLabel("1a"));
  EXPECT_TRUE(IsDnsLabel(std::string(63, 'a')));
  for (std::string_view bad : {"", "a.b", "A", "-a", "a-", "a_b"}) {
    EXPECT_FALSE(IsDnsLabel(bad)) << bad;
  }
  EXPECT_FALSE(IsDnsLabel(std::string(64, 'a')));

  EXPECT_TRUE(IsDns1035Label("web-1"));
  EXPECT_FALSE(IsDns1035Label("1web"));  // must start with a letter
  EXPECT_FALSE(IsDns1035Label("web.1"));
  EXPECT_FALSE(IsDns1035Label("web-"));
}

TEST(LabelRulesTest, Keys) {
  for (std::string_view ok : {"app", "App_1.x", "example.com/app", "a/b", "kubernetes.io/name"}) {
    FieldErrors errs;
    EXPECT_TRUE(ValidateLabelKey(ok, "k", &errs)) << ok << Describe(errs);
  }
  FieldErrors long_ok;
  EXPECT_TRUE(ValidateLabelKey(std::string(63, 'x'), "k", &long_ok));
  for (std::string_view bad :
       {"", "-app", "app-", "a b", "/app", "Example.com/app", "a/b/c", "example.com/", "a@b"}) {
    FieldErrors errs;
    EXPECT_FALSE(ValidateLabelKey(bad, "metadata.labels[x]", &errs)) << bad;
    EXPECT_TRUE(OnlyError(errs, "metadata.labels[x]", "is not a valid label key")) << bad;
  }
  FieldErrors errs;
  EXPECT_FALSE(ValidateLabelKey(std::string(64, 'x'), "k", &errs));
}

TEST(LabelRulesTest, Values) {
  for (std::string_view ok : {"", "web", "v1.2_3-a", "A"}) {
    FieldErrors errs;
    EXPECT_TRUE(ValidateLabelValue(ok, "v", &errs)) << ok;
  }
  for (std::string_view bad : {"a b", "-a", "a-", "a/b", "é"}) {
    FieldErrors errs;
    EXPECT_FALSE(ValidateLabelValue(bad, "v", &errs)) << bad;
    EXPECT_TRUE(OnlyError(errs, "v", "is not a valid label value")) << bad;
  }
  FieldErrors errs;
  EXPECT_FALSE(ValidateLabelValue(std::string(64, 'x'), "v", &errs));
  EXPECT_TRUE(ValidateLabelValue(std::string(63, 'x'), "v", &errs));
}

TEST(LabelRulesTest, LabelsReportKeyAndValueAtTheKeyPath) {
  FieldErrors errs;
  EXPECT_FALSE(
      ValidateLabels({{"ok", "fine"}, {"bad key", "bad value"}}, "metadata.labels", &errs));
  ASSERT_EQ(errs.errors().size(), 2u) << Describe(errs);
  EXPECT_EQ(errs.errors()[0].path, "metadata.labels[bad key]");
  EXPECT_EQ(errs.errors()[1].path, "metadata.labels[bad key]");
}

ObjectMeta DecodeMetaOf(std::string_view yaml, bool namespaced, FieldErrors* errs) {
  doc::Value v = Yaml(yaml);
  ObjectReader r(&v, "", errs);
  return DecodeMeta(r, namespaced);
}

TEST(ObjectMetaTest, DecodesDefaultsAndCompares) {
  FieldErrors errs;
  ObjectMeta m = DecodeMetaOf(
      "metadata: {name: web, labels: {app: web}, annotations: {example.com/note: hi}, uid: u1, "
      "resourceVersion: '42', generation: 3, creationTimestamp: '2024-05-01T12:00:00Z'}",
      /*namespaced=*/true, &errs);
  EXPECT_TRUE(errs.empty()) << Describe(errs);
  EXPECT_EQ(m.namespace_, "default");
  EXPECT_EQ(m.labels.at("app"), "web");
  EXPECT_EQ(m.resource_version, "42");
  EXPECT_EQ(m.generation, 3);
  FieldErrors again;
  doc::Value encoded = doc::Value::EmptyMap();
  encoded.Set("metadata", EncodeMeta(m));
  ObjectReader r(&encoded, "", &again);
  EXPECT_EQ(DecodeMeta(r, true), m);
  ObjectMeta other = m;
  other.labels["tier"] = "db";
  EXPECT_NE(other, m);
}

TEST(ObjectMetaTest, Rules) {
  struct Case {
    const char* yaml;
    bool namespaced;
    const char* path;
    const char* reason;
  };
  const Case kCases[] = {
      {"{}", true, "metadata", "Required value"},
      {"metadata: {}", true, "metadata.name", "Required value"},
      {"metadata: {name: Web}", true, "metadata.name", "is not a valid name"},
      {"metadata: {name: web, namespace: a.b}", true, "metadata.namespace", "is not a valid name"},
      {"metadata: {name: web, namespace: x}", false, "metadata.namespace",
       "not allowed: this kind is cluster-scoped"},
      {"metadata: {name: web, resourceVersion: abc}", true, "metadata.resourceVersion",
       "\"abc\" is not a resource version"},
      {"metadata: {name: web, generation: -1}", true, "metadata.generation", "out of range"},
      {"metadata: {name: web, annotations: {'a b': x}}", true, "metadata.annotations[a b]",
       "is not a valid label key"},
      {"metadata: {name: web, labels: {a: 1}}", true, "metadata.labels[a]", "must be a string"},
      {"metadata: {name: web, finalizers: []}", true, "metadata.finalizers", "unknown field"},
  };
  for (const Case& c : kCases) {
    FieldErrors errs;
    DecodeMetaOf(c.yaml, c.namespaced, &errs);
    // The reader of the whole object reports the object's other fields; only metadata here.
    EXPECT_TRUE(OnlyError(errs, c.path, c.reason)) << c.yaml;
  }
  FieldErrors errs;
  ObjectMeta m = DecodeMetaOf("metadata: {name: n1}", /*namespaced=*/false, &errs);
  EXPECT_TRUE(errs.empty());
  EXPECT_EQ(m.namespace_, "");  // cluster-scoped: no default namespace
}

LabelSelector Sel(std::string_view yaml) {
  FieldErrors errs;
  doc::Value v = Yaml(yaml);
  ObjectReader r(&v, "sel", &errs);
  LabelSelector s = DecodeSelector(r);
  r.Finish();
  EXPECT_TRUE(errs.empty()) << yaml << "\n" << Describe(errs);
  return s;
}

TEST(LabelSelectorTest, MatchesByEveryOperator) {
  const std::map<std::string, std::string> web = {{"app", "web"}, {"tier", "front"}};
  const std::map<std::string, std::string> none;
  EXPECT_TRUE(Sel("{}").Matches(web));
  EXPECT_TRUE(Sel("{}").Matches(none));
  EXPECT_TRUE(Sel("{}").empty());

  EXPECT_TRUE(Sel("{matchLabels: {app: web}}").Matches(web));
  EXPECT_FALSE(Sel("{matchLabels: {app: db}}").Matches(web));
  EXPECT_FALSE(Sel("{matchLabels: {app: web, zone: a}}").Matches(web));  // ANDed

  auto expr = [](std::string_view op, std::string_view values) {
    return Sel("{matchExpressions: [{key: app, operator: " + std::string(op) +
               (values.empty() ? "" : ", values: " + std::string(values)) + "}]}");
  };
  EXPECT_TRUE(expr("In", "[db, web]").Matches(web));
  EXPECT_FALSE(expr("In", "[db]").Matches(web));
  EXPECT_FALSE(expr("In", "[web]").Matches(none));
  EXPECT_FALSE(expr("NotIn", "[db, web]").Matches(web));
  EXPECT_TRUE(expr("NotIn", "[db]").Matches(web));
  EXPECT_TRUE(expr("NotIn", "[web]").Matches(none));  // an absent label is not in the set
  EXPECT_TRUE(expr("Exists", "").Matches(web));
  EXPECT_FALSE(expr("Exists", "").Matches(none));
  EXPECT_FALSE(expr("DoesNotExist", "").Matches(web));
  EXPECT_TRUE(expr("DoesNotExist", "").Matches(none));

  LabelSelector both = Sel(
      "{matchLabels: {tier: front}, matchExpressions: [{key: app, operator: In, values: [web]}]}");
  EXPECT_TRUE(both.Matches(web));
  EXPECT_FALSE(both.Matches({{"app", "web"}}));
}

TEST(LabelSelectorTest, DecodeErrors) {
  struct Case {
    const char* yaml;
    const char* path;
    const char* reason;
  };
  const Case kCases[] = {
      {"{matchLabels: {'a b': x}}", "sel.matchLabels[a b]", "is not a valid label key"},
      {"{matchLabels: {a: 'x y'}}", "sel.matchLabels[a]", "is not a valid label value"},
      {"{matchExpressions: [{operator: Exists}]}", "sel.matchExpressions[0].key", "Required value"},
      {"{matchExpressions: [{key: 'a b', operator: Exists}]}", "sel.matchExpressions[0].key",
       "is not a valid label key"},
      {"{matchExpressions: [{key: a}]}", "sel.matchExpressions[0].operator", "Required value"},
      {"{matchExpressions: [{key: a, operator: Is, values: [x]}]}",
       "sel.matchExpressions[0].operator",
       "\"Is\" is not a valid operator: use In, NotIn, Exists or DoesNotExist"},
      {"{matchExpressions: [{key: a, operator: In}]}", "sel.matchExpressions[0].values",
       "must be non-empty when operator is In"},
      {"{matchExpressions: [{key: a, operator: NotIn, values: []}]}",
       "sel.matchExpressions[0].values", "must be non-empty when operator is NotIn"},
      {"{matchExpressions: [{key: a, operator: Exists, values: [x]}]}",
       "sel.matchExpressions[0].values", "must be empty when operator is Exists"},
      {"{matchExpressions: [{key: a, operator: DoesNotExist, values: [x]}]}",
       "sel.matchExpressions[0].values", "must be empty when operator is DoesNotExist"},
      {"{matchExpressions: [{key: a, operator: In, values: [x, 'y z']}]}",
       "sel.matchExpressions[0].values[1]", "is not a valid label value"},
      // A value of the wrong type keeps the indexes of the others right.
      {"{matchExpressions: [{key: a, operator: In, values: [1, x]}]}",
       "sel.matchExpressions[0].values[0]", "must be a string, not integer"},
      {"{matchExpressions: [{key: a, operator: Exists, extra: 1}]}",
       "sel.matchExpressions[0].extra", "unknown field"},
      {"{matchLabel: {a: b}}", "sel.matchLabel", "unknown field"},
  };
  for (const Case& c : kCases) {
    FieldErrors errs;
    doc::Value v = Yaml(c.yaml);
    ObjectReader r(&v, "sel", &errs);
    DecodeSelector(r);
    r.Finish();
    EXPECT_TRUE(OnlyError(errs, c.path, c.reason)) << c.yaml;
  }
}

TEST(LabelSelectorTest, EncodeRoundTripsAndFieldAbsenceIsKept) {
  const char* kYaml =
      "{matchLabels: {app: web}, matchExpressions: [{key: a, operator: NotIn, values: [x, z]}, "
      "{key: b, operator: DoesNotExist}]}";
  LabelSelector s = Sel(kYaml);
  doc::Value encoded = EncodeSelector(s);
  FieldErrors errs;
  ObjectReader r2(&encoded, "sel", &errs);
  EXPECT_EQ(DecodeSelector(r2), s);
  EXPECT_EQ(doc::ToYaml(encoded),
            "matchLabels:\n  app: web\nmatchExpressions:\n- key: a\n  operator: NotIn\n"
            "  values:\n  - x\n  - z\n- key: b\n  operator: DoesNotExist\n");

  doc::Value v = Yaml("{present: {}, nulled: null}");
  FieldErrors field_errs;
  ObjectReader fr(&v, "", &field_errs);
  EXPECT_EQ(DecodeSelectorField(fr, "present"), LabelSelector{});
  EXPECT_EQ(DecodeSelectorField(fr, "nulled"), std::nullopt);
  EXPECT_EQ(DecodeSelectorField(fr, "absent"), std::nullopt);
}

}  // namespace
}  // namespace egret::model
