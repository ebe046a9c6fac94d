// ObjectReader and FieldErrors: presence without consuming, list sizes, required objects,
// index-aligned string lists, type errors at exact paths and unknown fields.
#include "model/reader.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "model/model_test_util.h"

namespace egret::model {
namespace {

TEST(ObjectReaderTest, HasAndListSizeDoNotConsume) {
  doc::Value v = Yaml("{a: 1, n: null, e: [], l: [1, x, {}], m: {}, s: ''}");
  FieldErrors errs;
  {
    ObjectReader r(&v, "spec", &errs);
    EXPECT_TRUE(r.Has("a"));
    EXPECT_FALSE(r.Has("n"));  // null counts as absent
    EXPECT_TRUE(r.Has("e"));
    EXPECT_TRUE(r.Has("m"));
    EXPECT_TRUE(r.Has("s"));
    EXPECT_FALSE(r.Has("zz"));
    EXPECT_EQ(r.ListSize("l"), 3u);
    EXPECT_EQ(r.ListSize("e"), 0u);
    EXPECT_EQ(r.ListSize("a"), 0u);  // not a list
    EXPECT_EQ(r.ListSize("zz"), 0u);
    (void)r.Int("a", 0, 9);
  }
  // Nothing but `a` was consumed: the others are unknown fields.
  std::vector<std::string> paths;
  for (const FieldError& e : errs.errors()) paths.push_back(e.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"spec.n", "spec.e", "spec.l", "spec.m", "spec.s"}));
}

TEST(ObjectReaderTest, ReaderOfAbsentOrWrongTypedObjectAnswersAbsent) {
  FieldErrors errs;
  ObjectReader absent(nullptr, "spec", &errs);
  EXPECT_FALSE(absent.present());
  EXPECT_FALSE(absent.Has("a"));
  EXPECT_EQ(absent.String("a"), std::nullopt);
  doc::Value list = Yaml("[1]");
  ObjectReader wrong(&list, "spec", &errs);
  EXPECT_FALSE(wrong.present());
  EXPECT_TRUE(OnlyError(errs, "spec", "must be an object, not list"));
}

TEST(ObjectReaderTest, RequiredObjectReportsOnlyAbsence) {
  struct Case {
    const char* yaml;
    const char* want;  // "" when fine
  };
  const Case kCases[] = {
      {"{sel: {}}", ""},
      {"{}", "Required value: pick the nodes"},
      {"{sel: null}", "Required value: pick the nodes"},
      {"{sel: 5}", "must be an object, not integer"},
      {"{sel: [a]}", "must be an object, not list"},
  };
  for (const Case& c : kCases) {
    doc::Value v = Yaml(c.yaml);
    FieldErrors errs;
    bool called = false;
    {
      ObjectReader r(&v, "spec", &errs);
      bool got = r.RequiredObject("sel", "pick the nodes", [&](ObjectReader&) { called = true; });
      EXPECT_EQ(got, called);
    }
    if (std::string_view(c.want).empty()) {
      EXPECT_TRUE(errs.empty()) << c.yaml << Describe(errs);
      EXPECT_TRUE(called);
    } else {
      EXPECT_TRUE(OnlyError(errs, "spec.sel", c.want)) << c.yaml;
    }
  }
  doc::Value v = Yaml("{}");
  FieldErrors errs;
  ObjectReader r(&v, "", &errs);
  r.RequiredObject("spec", "", [](ObjectReader&) {});
  EXPECT_EQ(errs.errors().at(0).reason, "Required value");
}

TEST(ObjectReaderTest, StringListKeepsIndexesAligned) {
  doc::Value v = Yaml("{l: [a, 1, c, null], n: x}");
  FieldErrors errs;
  ObjectReader r(&v, "spec", &errs);
  EXPECT_EQ(r.StringList("l"), (std::vector<std::string>{"a", "", "c", ""}));
  EXPECT_EQ(r.StringList("n"), std::vector<std::string>{});
  EXPECT_EQ(r.StringList("absent"), std::vector<std::string>{});
  ASSERT_EQ(errs.errors().size(), 3u) << Describe(errs);
  EXPECT_EQ(errs.errors()[0].path, "spec.l[1]");
  EXPECT_EQ(errs.errors()[0].reason, "must be a string, not integer");
  EXPECT_EQ(errs.errors()[1].path, "spec.l[3]");
  EXPECT_EQ(errs.errors()[2].path, "spec.n");
  EXPECT_EQ(errs.errors()[2].reason, "must be a list, not string");
}

TEST(ObjectReaderTest, ForEachStringSaysWhetherAnythingWasReported) {
  doc::Value v = Yaml("{good: [a, b], bad: [a, 2], empty: []}");
  FieldErrors errs;
  ObjectReader r(&v, "", &errs);
  std::vector<std::string> seen;
  auto collect = [&](size_t i, const std::string& s) { seen.push_back(std::to_string(i) + s); };
  EXPECT_TRUE(r.ForEachString("good", collect));
  EXPECT_FALSE(r.ForEachString("bad", collect));
  EXPECT_TRUE(r.ForEachString("empty", collect));
  EXPECT_TRUE(r.ForEachString("absent", collect));
  EXPECT_EQ(seen, (std::vector<std::string>{"0a", "1b", "0a"}));
  EXPECT_TRUE(OnlyError(errs, "bad[1]", "must be a string"));
}

TEST(ObjectReaderTest, ScalarsAndTheirErrors) {
  doc::Value v = Yaml(
      "{s: x, i: 5, big: 11, b: true, p: 80, name: http, f: 1.5, req: '', wrong: 1, nul: null}");
  FieldErrors errs;
  ObjectReader r(&v, "spec", &errs);
  EXPECT_EQ(r.String("s"), "x");
  EXPECT_EQ(r.Int("i", 0, 10), 5);
  EXPECT_EQ(r.Int("big", 0, 10), std::nullopt);
  EXPECT_EQ(r.Bool("b"), true);
  EXPECT_EQ(r.IntOrStr("p")->number, 80);
  EXPECT_EQ(r.IntOrStr("name")->name, "http");
  EXPECT_EQ(r.IntOrStr("f"), std::nullopt);
  EXPECT_EQ(r.RequiredString("req"), "");
  EXPECT_EQ(r.RequiredString("wrong"), "");  // the type error only
  EXPECT_EQ(r.RequiredString("nul"), "");
  r.Finish();
  ASSERT_EQ(errs.errors().size(), 5u) << Describe(errs);
  EXPECT_EQ(errs.errors()[0].reason, "11 is out of range 0-10");
  EXPECT_EQ(errs.errors()[1].reason, "must be an integer or a string, not number");
  EXPECT_EQ(errs.errors()[2].path, "spec.req");
  EXPECT_EQ(errs.errors()[2].reason, "Required value");
  EXPECT_EQ(errs.errors()[3].path, "spec.wrong");
  EXPECT_EQ(errs.errors()[3].reason, "must be a string, not integer");
  EXPECT_EQ(errs.errors()[4].path, "spec.nul");
  EXPECT_EQ(errs.errors()[4].reason, "Required value");
}

TEST(FieldErrorsTest, HasErrorAtMatchesTheExactPath) {
  FieldErrors errs;
  errs.Add("spec.ports[0]", "x");
  EXPECT_TRUE(errs.HasErrorAt("spec.ports[0]"));
  EXPECT_FALSE(errs.HasErrorAt("spec.ports"));
  EXPECT_FALSE(errs.HasErrorAt("spec.ports[0].port"));
  EXPECT_FALSE(FieldErrors().HasErrorAt(""));
}

TEST(FieldErrorsTest, ToStatusNamesTheObjectOnEveryLine) {
  FieldErrors errs;
  EXPECT_TRUE(errs.ToStatus("Pod", "ns", "p").ok());
  errs.Add("spec.a", "bad");
  errs.Add("", "whole object");
  EXPECT_EQ(errs.ToStatus("Pod", "ns", "p").message(),
            "Pod \"ns/p\": spec.a: bad\nPod \"ns/p\": whole object");
  EXPECT_EQ(errs.ToStatus("Node", "", "n").message(),
            "Node \"n\": spec.a: bad\nNode \"n\": whole object");
  EXPECT_EQ(Child("", "a"), "a");
  EXPECT_EQ(Index(Child("spec", "ports"), 2), "spec.ports[2]");
  EXPECT_EQ(KeyPath("metadata.labels", "app"), "metadata.labels[app]");
}

}  // namespace
}  // namespace egret::model
