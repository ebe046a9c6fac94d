// The textual label selector of `-l`: every term form, combinations, and the errors.
#include "model/selector_text.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace egret::model {
namespace {

using Op = LabelRequirement::Op;

LabelSelector Parse(std::string_view text) {
  StatusOr<LabelSelector> s = ParseSelectorText(text);
  EXPECT_TRUE(s.ok()) << text << ": " << s.status().ToString();
  return s.ok() ? *s : LabelSelector{};
}

LabelSelector Expr(std::string key, Op op, std::vector<std::string> values = {}) {
  LabelSelector s;
  s.match_expressions.push_back({std::move(key), op, std::move(values)});
  return s;
}

TEST(SelectorTextTest, EqualityForms) {
  LabelSelector app_web;
  app_web.match_labels = {{"app", "web"}};
  EXPECT_EQ(Parse("app=web"), app_web);
  EXPECT_EQ(Parse("app==web"), app_web);
  EXPECT_EQ(Parse(" app = web "), app_web);
  EXPECT_EQ(Parse("app!=web"), Expr("app", Op::kNotIn, {"web"}));
  LabelSelector empty_value;
  empty_value.match_labels = {{"app", ""}};
  EXPECT_EQ(Parse("app="), empty_value);  // an empty label value is valid
}

TEST(SelectorTextTest, ExistenceForms) {
  EXPECT_EQ(Parse("app"), Expr("app", Op::kExists));
  EXPECT_EQ(Parse("!app"), Expr("app", Op::kDoesNotExist));
  EXPECT_EQ(Parse("example.com/owner"), Expr("example.com/owner", Op::kExists));
}

TEST(SelectorTextTest, SetForms) {
  EXPECT_EQ(Parse("env in (prod,staging)"), Expr("env", Op::kIn, {"prod", "staging"}));
  EXPECT_EQ(Parse("env in ( prod , staging )"), Expr("env", Op::kIn, {"prod", "staging"}));
  EXPECT_EQ(Parse("env notin (dev)"), Expr("env", Op::kNotIn, {"dev"}));
}

TEST(SelectorTextTest, Combinations) {
  LabelSelector s = Parse("app=web,tier!=db,env in (prod, staging),owner,!legacy");
  EXPECT_EQ(s.match_labels, (std::map<std::string, std::string>{{"app", "web"}}));
  ASSERT_EQ(s.match_expressions.size(), 4u);
  EXPECT_EQ(s.match_expressions[0], (LabelRequirement{"tier", Op::kNotIn, {"db"}}));
  EXPECT_EQ(s.match_expressions[1], (LabelRequirement{"env", Op::kIn, {"prod", "staging"}}));
  EXPECT_EQ(s.match_expressions[2], (LabelRequirement{"owner", Op::kExists, {}}));
  EXPECT_EQ(s.match_expressions[3], (LabelRequirement{"legacy", Op::kDoesNotExist, {}}));
  EXPECT_TRUE(s.Matches({{"app", "web"}, {"env", "prod"}, {"owner", "a"}}));
  EXPECT_FALSE(s.Matches({{"app", "web"}, {"env", "prod"}, {"owner", "a"}, {"legacy", "1"}}));
}

TEST(SelectorTextTest, EmptyTextSelectsEverything) {
  EXPECT_TRUE(Parse("").empty());
  EXPECT_TRUE(Parse("  ").empty());
}

TEST(SelectorTextTest, Errors) {
  struct Case {
    const char* text;
    const char* reason;
  };
  const Case kCases[] = {
      {"app=web,", "empty term"},
      {"a,,b", "empty term"},
      {"env in prod", "expected a value list in parentheses"},
      {"env notin (prod", "expected a value list in parentheses"},
      {"app=we b", "is not a valid label value"},
      {"app=-web", "is not a valid label value"},
      {"a b=c", "is not a valid label key"},
      {"!-app", "is not a valid label key"},
      {"env in (prod, st aging)", "is not a valid label value"},
      {"=web", "is not a valid label key"},
  };
  for (const Case& c : kCases) {
    StatusOr<LabelSelector> s = ParseSelectorText(c.text);
    ASSERT_FALSE(s.ok()) << c.text;
    EXPECT_EQ(s.status().code(), Code::kInvalid);
    EXPECT_NE(s.status().message().find(c.reason), std::string::npos)
        << c.text << ": " << s.status().message();
  }
}

}  // namespace
}  // namespace egret::model
